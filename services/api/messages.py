"""The API problems' titles and default details: msgids in the catalogue (services/i18n), read in ja and en."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from schemas.report import EngagementReport
from schemas.views import Alert, EngagementState
from services.i18n.catalogue import both
from services.i18n.message import N_, Msg
from services.workflow.rejection import refusal_message


class Message(NamedTuple):
    """One user-facing message in both languages."""

    ja: str
    en: str


# problem code → msgid (English; the Japanese is in services/i18n/locale/ja/LC_MESSAGES/banso.po)
MESSAGE_IDS: dict[str, str] = {
    "validation_error": N_("The request is invalid"),
    "not_found": N_("No such engagement"),
    "no_route": N_("No such resource"),
    "method_not_allowed": N_("This method is not allowed here"),
    "already_applied": N_("This municipality has already applied in this period"),
    "engagement_ended": N_("The engagement is closed or withdrawn"),
    "lifecycle_violation": N_("This command is not allowed in the engagement's current stage"),
    "unavailable": N_("A server is unreachable; retry later with the same Idempotency-Key"),
    "timeout": N_("The command did not complete in time; retry with the same Idempotency-Key"),
    "chain_conflict": N_(
        "The stored event log no longer matches the engagement's chain; nothing was written. Call an operator"
    ),
    "unauthorized": N_("Sign-in required: send a valid bearer access token"),
    "invalid_token": N_("The access token is invalid or expired; sign in again"),
    "forbidden": N_("You are not allowed to do this"),
    "rate_limited": N_("Too many requests from this caller; retry after Retry-After"),
    "issuer_unavailable": N_("The sign-in service cannot be reached; retry later"),
    "busy": N_("Too many concurrent commands for this workflow; retry shortly with the same Idempotency-Key"),
    "idempotency_key_reused": N_("This Idempotency-Key was already used with a different request body; use a new key"),
    "invalid_json": N_("The request body is not valid JSON"),
    "invalid_text": N_("A string contains a character that cannot be stored (a lone surrogate)"),
    "invalid_number": N_("A number is too large or not finite"),
    "invalid_schema_version": N_("schema_version must be an integer of at least 1"),
    "date_out_of_range": N_("A date lies outside the accepted range"),
    "webhook_not_found": N_("No such webhook subscription"),
    "webhook_ended": N_("This webhook subscription is disabled or deleted; register a new one"),
    "webhook_position_ahead": N_(
        "Nothing has been delivered at that position yet; redeliver from the cursor or before"
    ),
    "webhook_cursor_ahead": N_("That feed position does not exist yet"),
    "internal_error": N_("Internal error"),
}


class _Catalogue(Mapping[str, Message]):
    """MESSAGE_IDS read through the catalogue: `MESSAGES[code]` is the (ja, en) pair."""

    def __getitem__(self, code: str) -> Message:
        return Message(*both(Msg(MESSAGE_IDS[code])))

    def __iter__(self) -> Iterator[str]:
        return iter(MESSAGE_IDS)

    def __len__(self) -> int:
        return len(MESSAGE_IDS)


MESSAGES: Mapping[str, Message] = _Catalogue()


def message(code: str) -> Message:
    """The catalogue entry for `code`."""
    return MESSAGES[code]


def texts(msg: Msg) -> Message:
    """Any catalogue message as the (ja, en) pair a problem carries."""
    return Message(*both(msg))


def refusal_texts(details: Mapping[str, Any]) -> Message:
    """A workflow's refusal (services.workflow.rejection) in both languages, translated here at the edge.

    A refusal carries a msgid and its parameters; one written before the catalogue (or by a workflow still
    on the older form) carries `ja`/`en` text, and its Japanese is kept when the catalogue has no entry.
    """
    msg, fallback_ja = refusal_message(dict(details))
    ja, en = both(msg)
    if fallback_ja and ja == msg.render():  # not in the catalogue: the Japanese the workflow sent
        ja = fallback_ja
    return Message(ja, en)


def alert_texts(alert: Alert) -> Alert:
    """An alert with `message_ja`/`message_en` read from the catalogue; alerts raised before it keep their text."""
    if not alert.message:
        return alert
    ja, en = both(Msg.from_dict(alert.message))
    return alert.model_copy(update={"message_ja": ja, "message_en": en})


def state_texts(state: EngagementState) -> EngagementState:
    """The workflow's state with its alerts translated (the workflow stores them as msgids)."""
    return state.model_copy(update={"alerts": [alert_texts(a) for a in state.alerts]})


# an outcome's status → its msgid (the labels the back office's pages show for the same values)
STATUS_IDS = {"achieved": N_("Achieved"), "in_progress": N_("In progress"), "planned": N_("Planned")}


def report_texts(report: EngagementReport) -> EngagementReport:
    """The report fold's result with each outcome's `status_ja` read from the catalogue."""
    outcomes = {
        heading: [
            o.model_copy(update={"status_ja": both(Msg(STATUS_IDS[o.status]))[0]}) if o.status in STATUS_IDS else o
            for o in items
        ]
        for heading, items in report.outcomes.items()
    }
    return report.model_copy(update={"outcomes": outcomes})
