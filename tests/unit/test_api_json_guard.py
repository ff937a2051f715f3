"""JSON bodies refused before any route: lone surrogates, huge numbers, bad schema_version, non-JSON."""

from __future__ import annotations

import pytest

from services.api.json_guard import check_body, check_form


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"notes":"x\\ud800y"}', "invalid_text"),
        (b'{"a":{"b":["ok","\\udfff"]}}', "invalid_text"),
        (b'{"x\\ud800":1}', "invalid_text"),
        (b'{"schema_version":0}', "invalid_schema_version"),
        (b'{"schema_version":-3}', "invalid_schema_version"),
        (b'{"schema_version":"1"}', "invalid_schema_version"),
        (b'{"schema_version":1.0}', "invalid_schema_version"),
        (b'{"schema_version":true}', "invalid_schema_version"),
        (b'{"application":{"schema_version":null}}', "invalid_schema_version"),
        (b'{"schema_version":{"a":1}}', "invalid_schema_version"),
        (b'{"schema_version":[1]}', "invalid_schema_version"),
        (b'{"population":9223372036854775808}', "invalid_number"),
        (b'{"population":-9223372036854775809}', "invalid_number"),
        (b'{"x":NaN}', "invalid_number"),
        (b'{"x":1e400}', "invalid_number"),
        (b'{"x":', "invalid_json"),
        (b"\xff\xfe\xfa", "invalid_json"),
        (b"[" * 100_000, "invalid_json"),
    ],
)
def test_refused(body: bytes, code: str) -> None:
    problem = check_body(body)
    assert problem is not None
    assert problem.code == code


def test_where_it_is_named() -> None:
    problem = check_body(b'{"a":[1,{"notes":"\\ud800"}]}')
    assert problem is not None
    assert problem.loc == ["body", "a", 1, "notes"]


@pytest.mark.parametrize(
    "body",
    ['{"notes":"港湾 \\ud83d\\ude00 ok","schema_version":2}'.encode(), b"[]", b'"text"', b'{"n":9223372036854775807}'],
)
def test_accepted(body: bytes) -> None:
    assert check_body(body) is None


def test_a_form_with_text_that_is_not_utf8_is_refused() -> None:
    problem = check_form(b"actor=a&notes=x%ED%A0%80y")
    assert problem is not None
    assert (problem.code, problem.loc) == ("invalid_text", ["body", "notes"])
    assert check_form(b"notes=%E6%B8%AF+%E6%B9%BE&kind=online_meeting&empty=") is None
