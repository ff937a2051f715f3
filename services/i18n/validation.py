"""Pydantic's validation errors in the reader's words: each error by its `type` and `ctx` through the catalogue.

pydantic's own `msg` is English; the Japanese detail is built from the error type (with a Japanese
fallback for a type this table does not know, so no English reaches `detail_ja`). A rule of our own raises a
language-neutral code (schemas.rules.broken) read here by that code; an older rule's plain `value_error`
that carries "日本語 / English" still has each language take its side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from services.i18n.catalogue import translate
from services.i18n.fields import field_label
from services.i18n.message import N_, Msg

DATE = N_("Enter a date as YYYY-MM-DD")
DATETIME = N_("Enter a date and time as YYYY-MM-DDThh:mm:ss with a time zone")
INTEGER = N_("Enter a whole number")
NUMBER = N_("Enter a number")
CHOICE = N_("Choose one of: %(expected)s")
CHOICE_ANY = N_("Choose one of the allowed values")

# pydantic error type → msgid (placeholders from the error's ctx)
ERROR_MESSAGES: dict[str, str] = {
    "missing": N_("This field is required"),
    "extra_forbidden": N_("This field is not accepted"),
    "less_than_equal": N_("Must be at most %(le)s"),
    "less_than": N_("Must be less than %(lt)s"),
    "greater_than_equal": N_("Must be at least %(ge)s"),
    "greater_than": N_("Must be greater than %(gt)s"),
    "multiple_of": N_("Must be a multiple of %(multiple_of)s"),
    "string_too_long": N_("At most %(max_length)s characters"),
    "string_too_short": N_("At least %(min_length)s characters"),
    "too_long": N_("At most %(max_length)s items"),
    "too_short": N_("At least %(min_length)s items"),
    "string_pattern_mismatch": N_("The format is not valid"),
    "string_type": N_("Enter text"),
    "string_unicode": N_("The text is not valid Unicode"),
    "json_invalid": N_("The request body is not valid JSON"),
    "json_type": N_("Enter valid JSON"),
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "date_type": DATE,
    "datetime_parsing": DATETIME,
    "datetime_from_date_parsing": DATETIME,
    "datetime_type": DATETIME,
    "timezone_aware": DATETIME,
    "date_past": N_("Enter a date in the past"),
    "date_future": N_("Enter a date in the future"),
    "int_parsing": INTEGER,
    "int_type": INTEGER,
    "int_from_float": INTEGER,
    "int_parsing_size": INTEGER,
    "float_parsing": NUMBER,
    "float_type": NUMBER,
    "finite_number": NUMBER,
    "decimal_parsing": NUMBER,
    "bool_parsing": N_("Enter true or false"),
    "bool_type": N_("Enter true or false"),
    "uuid_parsing": N_("Enter a UUID"),
    "uuid_type": N_("Enter a UUID"),
    "list_type": N_("Enter a list"),
    "set_type": N_("Enter a list"),
    "tuple_type": N_("Enter a list"),
    "dict_type": N_("Enter an object"),
    "model_type": N_("Enter an object"),
    "model_attributes_type": N_("Enter an object"),
    "dataclass_type": N_("Enter an object"),
    "union_tag_not_found": N_("Say which kind this is (%(discriminator)s)"),
    "url_parsing": N_("Enter a URL"),
    "url_type": N_("Enter a URL"),
}
# A rule of our own (schemas.rules.broken) → msgid: the code is the error's type, its context the placeholders.
RULE_MESSAGES: dict[str, str] = {
    "empty_text": N_("Enter some text"),
    "control_character": N_("Remove the control characters"),
    "municipality_code_digits": N_("A municipality code has 6 digits"),
    "municipality_check_digit": N_("The check digit of %(code)s is wrong (it would be %(expected)s)"),
    "end_before_start": N_("The end date is before the start date"),
    "more_companies_than_count": N_("More company names than companies visited"),
    "official_twice": N_("The same official is named twice"),
    "lead_not_participant": N_("Whoever led must also be among the participants"),
    "ministries_not_distinct": N_("Team members must come from different ministries"),
    "closes_before_opens": N_("The closing date is before the opening date"),
    "ends_before_closes": N_("The period ends before it closes"),
    "team_size_order": N_("The smallest team size is larger than the largest"),
    "team_twice": N_("The same team is named twice"),
    "term_before_appointment": N_("The end of the term is before the date of appointment"),
    "other_needs_note": N_("Say in the note why the appointment ends"),
    "returns_before_departs": N_("The return date is before the departure date"),
    "more_nights_than_trip": N_("More nights than the trip has"),
    "shares_exceed_budget": N_("The teams' shares add up to more than the budget"),
    "valid_to_before_from": N_("The rates end before they start"),
    "swap_needs_other": N_("Choose the official to swap with"),
    "action_needs_municipality": N_("Choose the municipality"),
}
ERROR_MESSAGES |= RULE_MESSAGES
FALLBACK = N_("The value is not valid")
RULE_BROKEN = N_("The value breaks a rule")
ONE_ERROR = N_("%(field)s: %(problem)s")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_QUOTED = re.compile(r"'([^']*)'")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _expected(ctx: Mapping[str, Any]) -> list[str]:
    """The allowed values pydantic lists in ctx (`"'a', 'b' or 'c'"` → a, b, c)."""
    expected = ctx.get("expected") or ctx.get("expected_tags") or ""
    return _QUOTED.findall(str(expected))


def _own_rule(error: Mapping[str, Any]) -> tuple[str, str] | None:
    """A model validator's "日本語 / English" message, split; None when the rule has no Japanese side."""
    text = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    ja, sep, en = text.partition(" / ")
    if sep and _JAPANESE.search(ja):
        return ja.strip(), en.strip()
    return None


def error_message(error: Mapping[str, Any]) -> Msg | None:
    """The catalogue message for one pydantic error (None for a rule of our own: see `problem_text`)."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in {"enum", "literal_error", "union_tag_invalid"}:
        values = _expected(ctx)
        return Msg(CHOICE, {"expected": values}) if values else Msg(CHOICE_ANY)
    msgid = ERROR_MESSAGES.get(kind)
    if msgid is None:
        return None
    names = set(_PLACEHOLDER.findall(msgid))
    params = {k: v if isinstance(v, int | float) else str(v) for k, v in ctx.items() if k in names}
    if len(params) < len(names):
        return Msg(FALLBACK)
    return Msg(msgid, params)


def problem_text(error: Mapping[str, Any], lang: str) -> str:
    """What is wrong with one error's value, in `lang` (no field name)."""
    if str(error.get("type", "")) in {"value_error", "assertion_error"}:
        own = _own_rule(error)
        if own is not None:
            return own[0] if lang == "ja" else own[1]
        if lang != "ja":
            return str(error.get("msg", "")).removeprefix("Value error, ")
        return translate(Msg(RULE_BROKEN), lang)
    msg = error_message(error)
    if msg is None:
        return translate(Msg(FALLBACK), lang) if lang == "ja" else str(error.get("msg", ""))
    return translate(msg, lang)


def error_text(error: Mapping[str, Any], lang: str) -> str:
    """`field: what is wrong`, in `lang`: the field in the user's words."""
    field = translate(field_label(error.get("loc", ())), lang)
    return translate(Msg(ONE_ERROR, {"field": field, "problem": problem_text(error, lang)}), lang)


AND_MORE = N_("%(problem)s (and %(n)s more)")


def summary(errors: list[Mapping[str, Any]], lang: str) -> str:
    """The first error as `field: what is wrong`, in `lang`, and how many more there are."""
    first = error_text(errors[0], lang)
    if len(errors) == 1:
        return first
    return translate(Msg(AND_MORE, {"problem": first, "n": len(errors) - 1}), lang)
