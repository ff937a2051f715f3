"""How one event reads on an engagement's timeline: its label in both languages, its day, a short summary
(every word of ours a msgid of services/i18n's catalogue)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from schemas.envelope import EventEnvelope
from schemas.events import PAYLOAD_TYPES
from services.i18n.catalogue import Lang, both, translate
from services.i18n.message import N_, NC_, Msg

DATE_FIELDS = (
    "start_date",
    "held_on",
    "made_on",
    "recorded_on",
    "applied_on",
    "assigned_on",
    "joined_on",
    "left_on",
    "changed_on",
    "submitted_on",
    "answered_on",
    "closed_on",
    "withdrawn_on",
    "due_on",
)
SUMMARY_FIELDS = ("title", "description", "area", "topic", "subject", "place", "summary", "reason", "feedback")


class TimelineEntry(BaseModel):
    """One row of the timeline (its anchor is `event-<id>`)."""

    event_id: str
    sequence: int
    event_type: str
    label_ja: str
    label_en: str
    day: date | None
    end_day: date | None
    summary: str
    actor: str
    time: str


# event type → its label (msgid: the English; the Japanese is the catalogue's). The events of an engagement's
# stream; any other type is labelled by its payload's docstring, 「ja — en.」
LABEL_CONTEXT = "an event on an engagement's timeline"
LABELS: dict[str, str] = {
    "MunicipalityApplied": NC_(
        "an event on an engagement's timeline", "a municipality applied to the programme for one period"
    ),
    "ApplicationWithdrawn": NC_(
        "an event on an engagement's timeline", "the municipality withdrew its application before a team was formed"
    ),
    "TeamAssigned": NC_(
        "an event on an engagement's timeline", "a mixed-ministry team of 2–3 officials was formed for the engagement"
    ),
    "MemberJoined": NC_("an event on an engagement's timeline", "an official joined the team mid-way"),
    "MemberLeft": NC_("an event on an engagement's timeline", "an official left the team (transfer, workload, …)"),
    "KickoffHeld": NC_("an event on an engagement's timeline", "the support themes were agreed at the first meeting"),
    "SupportThemesChanged": NC_(
        "an event on an engagement's timeline", "the agreed themes changed after the first months"
    ),
    "SupportFlowRecorded": NC_(
        "an event on an engagement's timeline", "how the team supports one area of the municipality's work"
    ),
    "OnlineMeetingHeld": NC_("an event on an engagement's timeline", "an online meeting with the municipality"),
    "SiteVisitMade": NC_("an event on an engagement's timeline", "the team visited the municipality"),
    "CompanyVisitMade": NC_(
        "an event on an engagement's timeline", "the team visited companies (usually in the capital region)"
    ),
    "CoordinationHeld": NC_(
        "an event on an engagement's timeline",
        "coordination with a regional bureau, a prefectural department, a ministry…",
    ),
    "IntroductionMade": NC_(
        "an event on an engagement's timeline", "the team introduced a programme, a case, an expert or a company"
    ),
    "FundingApplicationSupported": NC_(
        "an event on an engagement's timeline", "the team supported an application to a funding programme"
    ),
    "OutcomeRecorded": NC_(
        "an event on an engagement's timeline", "something the engagement achieved, is working on, or plans"
    ),
    "ReportSubmitted": NC_("an event on an engagement's timeline", "an interim or final report was submitted"),
    "SurveyAnswered": NC_("an event on an engagement's timeline", "one official's answers to the programme survey"),
    "PolicyFeedbackRecorded": NC_(
        "an event on an engagement's timeline", "feedback from the engagement to a ministry's policy work"
    ),
    "EngagementStalled": NC_(
        "an event on an engagement's timeline",
        "no meeting, visit or coordination was recorded for the configured number of days",
    ),
    "EngagementResumed": NC_("an event on an engagement's timeline", "a contact was recorded after a stall"),
    "FinalReportDue": NC_(
        "an event on an engagement's timeline", "the final report falls due soon and has not been submitted"
    ),
    "EngagementClosed": NC_("an event on an engagement's timeline", "the engagement ended normally"),
    "EngagementWithdrawn": NC_("an event on an engagement's timeline", "the engagement was withdrawn before it ended"),
    "StreamRepaired": NC_(
        "an event on an engagement's timeline",
        "Stream repaired: the log and its writer were brought back in line, nothing guessed",
    ),
}
OFFICIALS_SEPARATOR = NC_("separator between the officials in a timeline row's summary", ", ")


def _labels(event_type: str) -> tuple[str, str]:
    if event_type in LABELS:
        return both(Msg(LABELS[event_type], context=LABEL_CONTEXT))
    cls = PAYLOAD_TYPES.get(event_type)
    first = (cls.__doc__ or event_type).splitlines()[0] if cls else event_type
    ja, _, en = first.partition(" — ")
    return ja.strip(), (en.split(".")[0].strip() or event_type)


def _official(official: dict[str, Any]) -> Msg:
    return Msg(N_("%(name)s (%(ministry)s)"), {"name": official.get("name"), "ministry": official.get("ministry")})


def _summary(data: dict[str, Any], lang: Lang) -> str:
    for field in SUMMARY_FIELDS:
        if data.get(field):
            return str(data[field])
    if "officials" in data:
        separator = translate(
            Msg(OFFICIALS_SEPARATOR, context="separator between the officials in a timeline row's summary"), lang
        )
        return separator.join(translate(_official(o), lang) for o in data["officials"])
    if "official" in data and isinstance(data["official"], dict):
        return translate(_official(data["official"]), lang)
    if "body" in data and isinstance(data["body"], dict):
        return str(data["body"].get("name"))
    if "themes" in data:
        return "×".join(data["themes"])
    return ""


def entry(event: EventEnvelope, lang: Lang = "ja") -> TimelineEntry:
    """The timeline row for `event`: its label in both languages, its summary in `lang`."""
    ja, en = _labels(event.type)
    data = event.data
    day = next((data[f] for f in DATE_FIELDS if data.get(f)), None)
    summary = _summary(data, lang)
    if data.get("company_count"):
        companies = Msg(N_("%(summary)s (%(count)s companies)"), {"summary": summary, "count": data["company_count"]})
        summary = translate(companies, lang).strip()
    return TimelineEntry(
        event_id=event.id,
        sequence=event.sequence,
        event_type=event.type,
        label_ja=ja,
        label_en=en,
        day=date.fromisoformat(day) if day else None,
        end_day=date.fromisoformat(data["end_date"]) if data.get("end_date") else None,
        summary=summary,
        actor=event.actor,
        time=event.time,
    )
