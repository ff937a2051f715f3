"""Japanese text handling shared by every model: NFKC normalisation and 全国地方公共団体コード checks."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def nfkc(value: str) -> str:
    """NFKC-normalise and strip, so 全角 digits, half-width kana and stray spaces compare equal."""
    return unicodedata.normalize("NFKC", value).strip()


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("空にできません / must not be empty")
    return value


def municipality_check_digit(first_five: str) -> str:
    """The check digit of a 全国地方公共団体コード (JIS X 0402 style, weights 6-5-4-3-2, mod 11)."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def _municipality_code(value: str) -> str:
    code = nfkc(value)
    if len(code) != 6 or not code.isdigit():
        raise ValueError(f"団体コードは6桁の数字です / a municipality code has 6 digits, got {value!r}")
    expected = municipality_check_digit(code[:5])
    if code[5] != expected:
        raise ValueError(
            f"団体コード {code} の検査数字が正しくありません（正しくは {code[:5]}{expected}）"
            f" / check digit of {code} is wrong (expected {code[:5]}{expected})"
        )
    return code


Text = Annotated[str, AfterValidator(nfkc), AfterValidator(_non_empty), StringConstraints(max_length=2000)]
"""Free text: NFKC-normalised, non-empty, bounded."""

Name = Annotated[str, AfterValidator(nfkc), AfterValidator(_non_empty), StringConstraints(max_length=200)]
"""A name of a person, body, theme or challenge."""

MunicipalityCode = Annotated[str, AfterValidator(_municipality_code)]
"""A 6-digit 全国地方公共団体コード with a valid check digit."""
