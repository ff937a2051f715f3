"""Japanese text handling shared by every model: text kept as typed, compared NFKC, and 全国地方公共団体コード checks.

A person's characters are stored as they typed them (全角（）stay 全角); only surrounding whitespace is dropped.
Whatever compares or searches text does it in the compared form (`compared`: NFKC), so 全角 digits,
half-width kana and stray spaces still compare equal. Events recorded before this kept their NFKC form.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from schemas.rules import broken

# C0 and C1 control characters and DEL, except tab, line feed and carriage return (a note has lines).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def nfkc(value: str) -> str:
    """NFKC-normalise and strip, so 全角 digits, half-width kana and stray spaces compare equal."""
    return unicodedata.normalize("NFKC", value).strip()


def compared(value: str) -> str:
    """The form two texts are compared in (a name looked up, a duplicate checked): NFKC, stripped."""
    return nfkc(value)


def as_typed(value: str) -> str:
    """The text as typed, without surrounding whitespace; empty text and control characters are refused."""
    text = value.strip()
    if not text:
        raise broken("empty_text", "must not be empty")
    if _CONTROL.search(text):
        raise broken("control_character", "must not contain control characters")
    return text


def municipality_check_digit(first_five: str) -> str:
    """The check digit of a 全国地方公共団体コード (JIS X 0402 style, weights 6-5-4-3-2, mod 11)."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def _municipality_code(value: str) -> str:
    code = nfkc(value)  # a code, not a person's text: ０３２０３４ is 032034
    if len(code) != 6 or not code.isdigit():
        raise broken("municipality_code_digits", "a municipality code has 6 digits, got {value}", value=value)
    expected = municipality_check_digit(code[:5])
    if code[5] != expected:
        raise broken(
            "municipality_check_digit",
            "check digit of {code} is wrong (expected {expected})",
            code=code,
            expected=code[:5] + expected,
        )
    return code


Text = Annotated[str, AfterValidator(as_typed), StringConstraints(max_length=2000)]
"""Free text as typed: stripped, non-empty, no control characters, bounded."""

Name = Annotated[str, AfterValidator(as_typed), StringConstraints(max_length=200)]
"""A name of a person, body, theme or challenge, as typed (compare with `compared`)."""

Key = Annotated[str, AfterValidator(as_typed), AfterValidator(compared), StringConstraints(max_length=200)]
"""A name the solver or a rule compares (a ministry, a prefecture, a theme in matching): in the compared form."""

MunicipalityCode = Annotated[str, AfterValidator(_municipality_code)]
"""A 6-digit 全国地方公共団体コード with a valid check digit."""
