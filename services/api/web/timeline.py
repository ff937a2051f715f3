"""How events read on an engagement's timeline and its audit page: each event's name, its business date
(the day it happened, from its payload, or an explicit "no date"), the day and time it was recorded (JST),
who recorded it and the officials it names (by name, not id), and what it says, field by field.

Every word of ours is a msgid of services/i18n's catalogue; the values are the payload's own text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from schemas.envelope import EventEnvelope
from schemas.events import CORRECTABLE_TYPES, PAYLOAD_TYPES
from schemas.events.base import OfficialRef
from schemas.wareki import DateRange, date_range, date_range_parts, jst_time, wareki_month
from services.api.web.i18n import label
from services.i18n.catalogue import Lang, both, pgettext, translate
from services.i18n.message import N_, NC_, Msg

# Any date field an event of an unknown type may carry, in order of preference (types known below name theirs).
DATE_FIELDS = (
    "start_date",
    "held_on",
    "made_on",
    "achieved_on",
    "recorded_on",
    "applied_on",
    "assigned_on",
    "joined_on",
    "left_on",
    "changed_on",
    "supported_on",
    "submitted_on",
    "answered_on",
    "closed_on",
    "withdrawn_on",
)
SUMMARY_FIELDS = ("title", "description", "area", "topic", "subject", "place", "summary", "reason", "feedback")

# event type → the payload fields that give its business date (the first one present wins). An outcome is
# dated by when it was achieved or decided, else by the day it was written down.
BUSINESS_DATES: dict[str, tuple[str, ...]] = {
    "MunicipalityApplied": ("applied_on",),
    "ApplicationWithdrawn": ("withdrawn_on",),
    "TeamAssigned": ("assigned_on",),
    "MemberJoined": ("joined_on",),
    "MemberLeft": ("left_on",),
    "KickoffHeld": ("held_on",),
    "SupportThemesChanged": ("changed_on",),
    "SupportFlowRecorded": ("recorded_on",),
    "OnlineMeetingHeld": ("start_date",),
    "SiteVisitMade": ("start_date",),
    "CompanyVisitMade": ("start_date",),
    "CoordinationHeld": ("held_on",),
    "IntroductionMade": ("made_on",),
    "FundingApplicationSupported": ("supported_on",),
    "OutcomeRecorded": ("achieved_on", "recorded_on"),
    "ReportSubmitted": ("submitted_on",),
    "SurveyAnswered": ("answered_on",),
    "PolicyFeedbackRecorded": ("recorded_on",),
    "EngagementClosed": ("closed_on",),
    "EngagementWithdrawn": ("withdrawn_on",),
    "EventCorrected": (),  # dated by the corrected record's own business date
    "EventRetracted": (),
}
# Events the system raises by itself: they happen when they are recorded, and have no business date.
AUTOMATIC = frozenset({"EngagementStalled", "EngagementResumed", "FinalReportDue", "StreamRepaired"})

DATE_CONTEXT = "what the business date of an event on the timeline is"
DATE_LABELS: dict[str, str] = {
    "applied_on": NC_("what the business date of an event on the timeline is", "Applied on"),
    "withdrawn_on": NC_("what the business date of an event on the timeline is", "Withdrawn on"),
    "assigned_on": NC_("what the business date of an event on the timeline is", "Team formed on"),
    "joined_on": NC_("what the business date of an event on the timeline is", "Joined on"),
    "left_on": NC_("what the business date of an event on the timeline is", "Left on"),
    "held_on": NC_("what the business date of an event on the timeline is", "Held on"),
    "changed_on": NC_("what the business date of an event on the timeline is", "Changed on"),
    "recorded_on": NC_("what the business date of an event on the timeline is", "Written down on"),
    "start_date": NC_("what the business date of an event on the timeline is", "Held on"),
    "made_on": NC_("what the business date of an event on the timeline is", "Held on"),
    "supported_on": NC_("what the business date of an event on the timeline is", "Date"),
    "achieved_on": NC_("what the business date of an event on the timeline is", "Achieved or decided on"),
    "submitted_on": NC_("what the business date of an event on the timeline is", "Submitted on"),
    "answered_on": NC_("what the business date of an event on the timeline is", "Answered on"),
    "closed_on": NC_("what the business date of an event on the timeline is", "Closed on"),
}
NO_DATE = NC_("what the business date of an event on the timeline is", "No date recorded")
NO_DATE_AUTOMATIC = NC_(
    "what the business date of an event on the timeline is", "No business date (raised automatically)"
)


# event type → its short name (msgid: the English; the Japanese is the catalogue's, the seed's words).
NAME_CONTEXT = "the short name of an event type"
NAMES: dict[str, str] = {
    "MunicipalityApplied": NC_("the short name of an event type", "Application"),
    "ApplicationWithdrawn": NC_("the short name of an event type", "Application withdrawn"),
    "TeamAssigned": NC_("the short name of an event type", "Matching"),
    "MemberJoined": NC_("the short name of an event type", "Official joined"),
    "MemberLeft": NC_("the short name of an event type", "Official left"),
    "KickoffHeld": NC_("the short name of an event type", "Kickoff"),
    "SupportThemesChanged": NC_("the short name of an event type", "Support themes changed"),
    "SupportFlowRecorded": NC_("the short name of an event type", "Support flow"),
    "OnlineMeetingHeld": NC_("the short name of an event type", "Online meeting"),
    "SiteVisitMade": NC_("the short name of an event type", "Site visit"),
    "CompanyVisitMade": NC_("the short name of an event type", "Company visit"),
    "CoordinationHeld": NC_("the short name of an event type", "Coordination"),
    "IntroductionMade": NC_("the short name of an event type", "Introduction"),
    "FundingApplicationSupported": NC_("the short name of an event type", "Funding application support"),
    "OutcomeRecorded": NC_("the short name of an event type", "Outcome"),
    "ReportSubmitted": NC_("the short name of an event type", "Report"),
    "SurveyAnswered": NC_("the short name of an event type", "Survey answer"),
    "PolicyFeedbackRecorded": NC_("the short name of an event type", "Policy feedback"),
    "EngagementStalled": NC_("the short name of an event type", "Stalled"),
    "EngagementResumed": NC_("the short name of an event type", "Resumed"),
    "FinalReportDue": NC_("the short name of an event type", "Final report due"),
    "EngagementClosed": NC_("the short name of an event type", "Closed"),
    "EngagementWithdrawn": NC_("the short name of an event type", "Withdrawn"),
    "StreamRepaired": NC_("the short name of an event type", "Stream repaired"),
    "EventCorrected": NC_("the short name of an event type", "Correction"),
    "EventRetracted": NC_("the short name of an event type", "Retraction"),
}

# payload field → its label on the timeline. Fields of the business date, the type and the version are left
# out; a field not named here is shown under its schema description (tests/unit/test_timeline.py lists them).
FIELD_CONTEXT = "a field of an event on the timeline"
FIELD_LABELS: dict[str, str] = {
    "municipality_name": NC_("a field of an event on the timeline", "Municipality"),
    "prefecture": NC_("a field of an event on the timeline", "Prefecture"),
    "municipality_code": NC_("a field of an event on the timeline", "Municipality code"),
    "period": NC_("a field of an event on the timeline", "Period"),
    "population": NC_("a field of an event on the timeline", "Population"),
    "mayor": NC_("a field of an event on the timeline", "Mayor"),
    "challenges": NC_("a field of an event on the timeline", "Challenges"),
    "desired_themes": NC_("a field of an event on the timeline", "Desired support themes"),
    "officials": NC_("a field of an event on the timeline", "Team"),
    "official": NC_("a field of an event on the timeline", "Official"),
    "official_id": NC_("a field of an event on the timeline", "Official"),
    "reason": NC_("a field of an event on the timeline", "Reason"),
    "title": NC_("a field of an event on the timeline", "Title"),
    "themes": NC_("a field of an event on the timeline", "Support themes"),
    "final_report_due": NC_("a field of an event on the timeline", "Final report due"),
    "area": NC_("a field of an event on the timeline", "Area of work"),
    "description": NC_("a field of an event on the timeline", "Description"),
    "actions": NC_("a field of an event on the timeline", "Support given"),
    "end_date": NC_("a field of an event on the timeline", "Until"),
    "place": NC_("a field of an event on the timeline", "Place"),
    "participant_ids": NC_("a field of an event on the timeline", "Officials taking part"),
    "participants": NC_("a field of an event on the timeline", "Participants"),
    "led_by": NC_("a field of an event on the timeline", "Led by"),
    "company_count": NC_("a field of an event on the timeline", "Companies visited"),
    "companies": NC_("a field of an event on the timeline", "Companies"),
    "body": NC_("a field of an event on the timeline", "Coordinated with"),
    "topic": NC_("a field of an event on the timeline", "Topic"),
    "what": NC_("a field of an event on the timeline", "Introduced"),
    "subject": NC_("a field of an event on the timeline", "Name"),
    "to_whom": NC_("a field of an event on the timeline", "Introduced to"),
    "by_official_id": NC_("a field of an event on the timeline", "Introduced by"),
    "theme": NC_("a field of an event on the timeline", "Support theme"),
    "kind": NC_("a field of an event on the timeline", "Kind"),
    "kind_detail": NC_("a field of an event on the timeline", "Kind (detail)"),
    "status": NC_("a field of an event on the timeline", "Status"),
    "related": NC_("a field of an event on the timeline", "Related bodies and programmes"),
    "contributor_ids": NC_("a field of an event on the timeline", "Officials who contributed"),
    "programme": NC_("a field of an event on the timeline", "Programme"),
    "purpose": NC_("a field of an event on the timeline", "Purpose"),
    "report": NC_("a field of an event on the timeline", "Report"),
    "summary": NC_("a field of an event on the timeline", "Summary"),
    "field_experience": NC_("a field of an event on the timeline", "Field experience"),
    "diverse_team": NC_("a field of an event on the timeline", "A diverse team"),
    "useful_for_ministry_work": NC_("a field of an event on the timeline", "Useful for ministry work"),
    "free_text": NC_("a field of an event on the timeline", "Comments"),
    "to": NC_("a field of an event on the timeline", "Feedback to"),
    "feedback": NC_("a field of an event on the timeline", "Feedback"),
    "last_contact_recorded_at": NC_("a field of an event on the timeline", "Last contact recorded"),
    "silent_days": NC_("a field of an event on the timeline", "Days without contact"),
    "resumed_by": NC_("a field of an event on the timeline", "Resumed by"),
    "due_on": NC_("a field of an event on the timeline", "Due on"),
    "restored": NC_("a field of an event on the timeline", "Re-stored from the workflow's history"),
    "adopted": NC_("a field of an event on the timeline", "Taken over from the log"),
    "override_reason": NC_("a field of an event on the timeline", "Why the team rules were set aside"),
    "recorded_on": NC_("a field of an event on the timeline", "Written down on"),
    "achieved_on": NC_("a field of an event on the timeline", "Achieved or decided on"),
    "note": NC_("a field of an event on the timeline", "Notes"),
    "notes": NC_("a field of an event on the timeline", "Notes"),
    "group": NC_("a field of an event on the timeline", "Group"),
    "heading": NC_("a field of an event on the timeline", "Heading"),
    "challenge_heading": NC_("a field of an event on the timeline", "Heading of the challenges"),
    "corrected": NC_("a field of an event on the timeline", "Corrected record"),
}
# Fields not shown as content: the envelope's own, and codes another field already says.
HIDDEN_FIELDS = frozenset(
    {"event_type", "schema_version", "start_date", "population_as_of", "corrects_event_id", "retracts_event_id"}
)
HIDDEN_BY_TYPE: dict[str, frozenset[str]] = {
    "OnlineMeetingHeld": frozenset({"kind"}),
    "SiteVisitMade": frozenset({"kind"}),
    "CompanyVisitMade": frozenset({"kind"}),
}

VALUE_CONTEXT = "a value of a field of an event on the timeline"
VALUE_LABELS: dict[str, str] = {
    "funding.preparing": NC_("a value of a field of an event on the timeline", "Preparing"),
    "funding.submitted": NC_("a value of a field of an event on the timeline", "Submitted"),
    "funding.adopted": NC_("a value of a field of an event on the timeline", "Adopted"),
    "funding.rejected": NC_("a value of a field of an event on the timeline", "Not adopted"),
    "report.interim": NC_("a value of a field of an event on the timeline", "Interim report"),
    "report.final": NC_("a value of a field of an event on the timeline", "Final report"),
    "leave.transfer": NC_("a value of a field of an event on the timeline", "Personnel transfer"),
    "leave.workload": NC_("a value of a field of an event on the timeline", "Workload of their own post"),
    "leave.other": NC_("a value of a field of an event on the timeline", "Other"),
    "yes": NC_("a value of a field of an event on the timeline", "Yes"),
    "no": NC_("a value of a field of an event on the timeline", "No"),
}
COMPANIES = N_("%(count)s companies")
PEOPLE = N_("%(count)s people")
PEOPLE_AS_OF = N_("%(count)s people (as of %(day)s)")
DAYS = N_("%(count)s days")
OFFICIAL_WITH_MINISTRY = N_("%(name)s (%(ministry)s)")
UNKNOWN_OFFICIAL = N_("an official not on this engagement's team (%(id)s)")
BODY_WITH_KIND = N_("%(name)s (%(kind)s)")

# Who recorded an event: people by the name the directory keeps; systems by a name in the page's language.
ACTOR_CONTEXT = "who recorded an event"
SYSTEM_ACTORS: dict[str, str] = {
    "system:banso-workflow": NC_("who recorded an event", "Banso (recorded automatically)"),
    "system:banso-period": NC_("who recorded an event", "Banso (recorded automatically)"),
    "system:banso-repair": NC_("who recorded an event", "Banso repair tool"),
    "demo-loader": NC_("who recorded an event", "Demo data loader"),
}
OTHER_SYSTEM = NC_("who recorded an event", "Banso system (%(id)s)")
CONNECTED_SYSTEM = NC_("who recorded an event", "Connected system (%(id)s)")


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
    "EventCorrected": NC_(
        "an event on an engagement's timeline", "a recorded activity, outcome or survey answer was corrected"
    ),
    "EventRetracted": NC_(
        "an event on an engagement's timeline", "a recorded activity, outcome or survey answer was retracted"
    ),
}
OFFICIALS_SEPARATOR = NC_("separator between the officials in a timeline row's summary", ", ")


class Detail(BaseModel):
    """One thing an event says: a field's label and its value, both in the page's language."""

    field: str
    label: str
    value: str


class Link(BaseModel):
    """Another event of the same stream, linked (anchor `event-<event_id>`)."""

    sequence: int
    event_id: str


class TimelineEntry(BaseModel):
    """One event as the timeline and the audit page show it (its anchor is `event-<id>`).

    `corrects`, `corrected_by` and `retracted_by` link a correction or retraction and the record it concerns
    both ways (set by `timeline`, which sees the whole stream).
    """

    event_id: str
    sequence: int
    event_type: str
    name: str = Field(description="The event type's short name in the page's language")
    label_ja: str
    label_en: str
    day: date | None = Field(description="The business date: the day it happened, from the payload")
    end_day: date | None
    date_field: str | None = Field(description="The payload field the business date comes from")
    date_label: str = Field(description="What the business date is, or why there is none")
    when: DateRange | None = Field(description="The business date (or range) as the page's language writes it")
    summary: str
    details: list[Detail]
    actor: str
    actor_name: str
    time: str = Field(description="When it was recorded (UTC, ISO 8601), as the log keeps it")
    recorded: str = Field(description="When it was recorded, in JST, as the page's language writes it")
    hash: str
    prev_hash: str
    correctable: bool = Field(default=False, description="An activity, outcome or survey answer (訂正・取消 apply)")
    corrects: Link | None = Field(default=None, description="The event this one corrects or retracts")
    corrected_by: list[Link] = Field(default_factory=list, description="The events correcting this one, in order")
    retracted_by: Link | None = Field(default=None, description="The event that retracted this one")

    @property
    def when_text(self) -> str:
        """The business date as one text, or what stands for it."""
        return str(self.when) if self.when is not None else self.date_label


def _labels(event_type: str) -> tuple[str, str]:
    if event_type in LABELS:
        return both(Msg(LABELS[event_type], context=LABEL_CONTEXT))
    cls = PAYLOAD_TYPES.get(event_type)
    first = (cls.__doc__ or event_type).splitlines()[0] if cls else event_type
    ja, _, en = first.partition(" — ")
    return ja.strip(), (en.split(".")[0].strip() or event_type)


def event_name(event_type: str, lang: Lang) -> str:
    """The short name of `event_type` in `lang` (応募, マッチング, 成果…)."""
    if event_type in NAMES:
        return pgettext(lang, NAME_CONTEXT, NAMES[event_type])
    ja, en = _labels(event_type)
    return ja if lang == "ja" else en


def actor_name(actor: str, names: Mapping[str, str], lang: Lang) -> str:
    """Who recorded an event, for people to read: the person's name the directory keeps, a system's name in
    `lang`, a signed-in user's account name when the directory has no name, else the id as recorded."""
    if actor in names:
        return names[actor]
    if actor in SYSTEM_ACTORS:
        return pgettext(lang, ACTOR_CONTEXT, SYSTEM_ACTORS[actor])
    kind, _, rest = actor.partition(":")
    if kind == "system" and rest:
        return pgettext(lang, ACTOR_CONTEXT, OTHER_SYSTEM, id=rest)
    if kind == "client" and rest:
        return pgettext(lang, ACTOR_CONTEXT, CONNECTED_SYSTEM, id=rest)
    if kind == "user" and rest:
        return rest
    return actor


def officials_of(events: Iterable[EventEnvelope]) -> dict[str, dict[str, Any]]:
    """支援官ID → the official as the log names them (team formed, member joined): name, ministry, post."""
    found: dict[str, dict[str, Any]] = {}
    for event in events:
        refs: list[Any] = []
        if event.type == "TeamAssigned":
            refs = list(event.data.get("officials") or [])
        elif event.type == "MemberJoined" and isinstance(event.data.get("official"), dict):
            refs = [event.data["official"]]
        for ref in refs:
            try:
                official = OfficialRef.model_validate(ref)
            except ValueError:
                continue
            found[official.official_id] = official.model_dump()
    return found


def municipality_of(events: Iterable[EventEnvelope]) -> tuple[str, str] | None:
    """(市町村名, 都道府県名) from the application that opened the stream, if it has one."""
    for event in events:
        if event.type == "MunicipalityApplied" and event.data.get("municipality_name"):
            return str(event.data["municipality_name"]), str(event.data.get("prefecture") or "")
    return None


def _separator(lang: Lang) -> str:
    return translate(
        Msg(OFFICIALS_SEPARATOR, context="separator between the officials in a timeline row's summary"), lang
    )


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


class _Reader:
    """Turns one payload's fields into text in one language, naming officials from the engagement's log."""

    def __init__(self, lang: Lang, officials: Mapping[str, Mapping[str, Any]]) -> None:
        self.lang = lang
        self.officials = officials

    def msg(self, msgid: str, **params: Any) -> str:
        return translate(Msg(msgid, params), self.lang)

    def value_label(self, key: str) -> str:
        return pgettext(self.lang, VALUE_CONTEXT, VALUE_LABELS[key]) if key in VALUE_LABELS else key

    def day(self, value: Any) -> str:
        parsed = _date(value)
        return date_range(parsed, None, self.lang) if parsed else str(value)

    def person(self, official_id: Any) -> str:
        official = self.officials.get(str(official_id))
        if official is None:
            return self.msg(UNKNOWN_OFFICIAL, id=official_id)
        return str(official.get("name"))

    def official(self, ref: Any) -> str:
        if not isinstance(ref, dict):
            return str(ref)
        return self.msg(OFFICIAL_WITH_MINISTRY, name=ref.get("name"), ministry=ref.get("ministry"))

    def body(self, ref: Any) -> str:
        if not isinstance(ref, dict):
            return str(ref)
        return self.msg(BODY_WITH_KIND, name=ref.get("name"), kind=label("body", ref.get("kind"), self.lang))

    def join(self, items: Iterable[str]) -> str:
        return _separator(self.lang).join(items)

    def value(self, event_type: str, field: str, value: Any, data: Mapping[str, Any]) -> str:
        """`value` of `field` as text in the reader's language; a value not of its field's shape (a log
        altered by hand, which the audit page must still show) reads as it is stored."""
        try:
            return self._value(event_type, field, value, data)
        except (TypeError, ValueError, AttributeError):
            return str(value)

    def _value(self, event_type: str, field: str, value: Any, data: Mapping[str, Any]) -> str:
        if field == "corrected" and isinstance(value, dict):
            return self.record(value)
        if field == "period":
            return self.msg(N_("Period %(n)s"), n=value)
        if field == "population":
            as_of = _date(data.get("population_as_of"))
            count = f"{value:,}" if isinstance(value, int) else str(value)
            if as_of is not None:
                day = wareki_month(as_of) if self.lang == "ja" else date_range(as_of, None, self.lang)
                return self.msg(PEOPLE_AS_OF, count=count, day=day)
            return self.msg(PEOPLE, count=count)
        if field == "officials":
            return self.join(self.official(o) for o in value)
        if field == "official":
            return self.official(value)
        if field in ("official_id", "by_official_id", "led_by"):
            return self.person(value)
        if field in ("participant_ids", "contributor_ids"):
            return self.join(self.person(i) for i in value)
        if field in ("body", "to"):
            return self.body(value)
        if field == "related":
            return self.join(self.body(b) for b in value)
        if field == "what":
            return label("intro", value, self.lang)
        if field == "kind" and event_type == "OutcomeRecorded":
            return label("outcome", value, self.lang)
        if field == "status":
            if event_type == "FundingApplicationSupported":
                return self.value_label(f"funding.{value}")
            return label("status", value, self.lang)
        if field == "report":
            return self.value_label(f"report.{value}")
        if field == "reason" and event_type == "MemberLeft":
            return self.value_label(f"leave.{value}")
        if isinstance(value, bool):
            return self.value_label("yes" if value else "no")
        if field == "company_count":
            return self.msg(COMPANIES, count=value)
        if field == "silent_days":
            return self.msg(DAYS, count=round(float(value)))
        if field == "last_contact_recorded_at":
            return jst_time(str(value), self.lang)
        if field == "resumed_by":
            return event_name(str(value), self.lang)
        if field in ("restored", "adopted"):
            return self.join(f"#{n}" for n in value)
        if field.endswith(("_on", "_date", "_due")):
            return self.day(value)
        if isinstance(value, list):
            return self.join(self.body(v) if isinstance(v, dict) else str(v) for v in value)
        if isinstance(value, dict):
            return self.join(str(v) for v in value.values() if v not in (None, "", []))
        return str(value)

    def record(self, data: Mapping[str, Any]) -> str:
        """A whole record (a correction's corrected facts) as one line: its kind, its date, then what it says."""
        event_type = str(data.get("event_type", ""))
        date_field, day = _business_date(event_type, data)
        parts = [event_name(event_type, self.lang)]
        if day is not None:
            end = _date(data.get("end_date")) if date_field == "start_date" else None
            parts.append(str(date_range_parts(day, end, self.lang)))
        hidden = HIDDEN_FIELDS | HIDDEN_BY_TYPE.get(event_type, frozenset()) | {date_field or "", "end_date"}
        for field, value in data.items():
            if field not in hidden and value not in (None, "", [], {}):
                parts.append(f"{self.field_label(event_type, field)} {self.value(event_type, field, value, data)}")
        return _separator(self.lang).join(parts)

    def field_label(self, event_type: str, field: str) -> str:
        if field in FIELD_LABELS:
            return pgettext(self.lang, FIELD_CONTEXT, FIELD_LABELS[field])
        cls = PAYLOAD_TYPES.get(event_type)
        info = cls.model_fields.get(field) if cls is not None else None
        return (info.description if info is not None and info.description else None) or field


def _business_date(event_type: str, data: Mapping[str, Any]) -> tuple[str | None, date | None]:
    if event_type == "EventCorrected" and isinstance(data.get("corrected"), dict):
        return _business_date(str(data["corrected"].get("event_type")), data["corrected"])
    fields = BUSINESS_DATES.get(event_type, () if event_type in AUTOMATIC else DATE_FIELDS)
    for field in fields:
        day = _date(data.get(field))
        if day is not None:
            return field, day
    return None, None


def _summary(data: dict[str, Any], lang: Lang) -> str:
    for field in SUMMARY_FIELDS:
        if data.get(field):
            return str(data[field])
    reader = _Reader(lang, {})
    if "officials" in data:
        return reader.value("", "officials", data["officials"], data)
    if "official" in data and isinstance(data["official"], dict):
        return reader.official(data["official"])
    if "body" in data and isinstance(data["body"], dict):
        return str(data["body"].get("name"))
    if "themes" in data:
        return "×".join(data["themes"])
    return ""


def entry(
    event: EventEnvelope,
    lang: Lang = "ja",
    *,
    officials: Mapping[str, Mapping[str, Any]] | None = None,
    actor_names: Mapping[str, str] | None = None,
) -> TimelineEntry:
    """The timeline row for `event` in `lang`; `officials` (from `officials_of`) name the people it names,
    `actor_names` (the actor directory's) the person who recorded it."""
    ja, en = _labels(event.type)
    data = event.data
    reader = _Reader(lang, officials or {})
    date_field, day = _business_date(event.type, data)
    dated = data["corrected"] if event.type == "EventCorrected" and isinstance(data.get("corrected"), dict) else data
    end_day = _date(dated.get("end_date")) if date_field == "start_date" else None
    if day is not None and date_field is not None:
        date_label = pgettext(lang, DATE_CONTEXT, DATE_LABELS.get(date_field, DATE_LABELS["start_date"]))
        when: DateRange | None = date_range_parts(day, end_day, lang)
    else:
        date_label = pgettext(lang, DATE_CONTEXT, NO_DATE_AUTOMATIC if event.type in AUTOMATIC else NO_DATE)
        when = None
    hidden = HIDDEN_FIELDS | HIDDEN_BY_TYPE.get(event.type, frozenset()) | {date_field or "", "end_date"}
    details = [
        Detail(field=field, label=reader.field_label(event.type, field), value=text)
        for field, value in data.items()
        if field not in hidden and value not in (None, "", [], {})
        if (text := reader.value(event.type, field, value, data))
    ]
    summary = _summary(data, lang)
    if data.get("company_count"):
        companies = Msg(N_("%(summary)s (%(count)s companies)"), {"summary": summary, "count": data["company_count"]})
        summary = translate(companies, lang).strip()
    return TimelineEntry(
        event_id=event.id,
        sequence=event.sequence,
        event_type=event.type,
        name=event_name(event.type, lang),
        label_ja=ja,
        label_en=en,
        day=day,
        end_day=end_day,
        date_field=date_field,
        date_label=date_label,
        when=when,
        summary=summary,
        details=_ordered(details),
        actor=event.actor,
        actor_name=actor_name(event.actor, actor_names or {}, lang),
        time=event.time,
        recorded=jst_time(event.time, lang),
        hash=event.hash,
        prev_hash=event.prev_hash,
        correctable=event.type in CORRECTABLE_TYPES,
    )


def _ordered(details: list[Detail]) -> list[Detail]:
    """The payload's fields in the order FIELD_LABELS reads them (what it was, who, then notes), others last."""
    order = {field: i for i, field in enumerate(FIELD_LABELS)}
    return sorted(details, key=lambda d: order.get(d.field, len(order)))


def timeline(
    events: Sequence[EventEnvelope], lang: Lang, actor_names: Mapping[str, str] | None = None
) -> list[TimelineEntry]:
    """Every event of one stream as timeline entries, officials named from the stream's own team events."""
    officials = officials_of(events)
    return linked([entry(e, lang, officials=officials, actor_names=actor_names) for e in events], events)


def linked(entries: list[TimelineEntry], events: Sequence[EventEnvelope]) -> list[TimelineEntry]:
    """The entries with each correction and retraction linked to the record it concerns, and back."""
    by_id = {e.event_id: e for e in entries}
    for event, e in zip(events, entries, strict=True):
        target_id = event.data.get("corrects_event_id") or event.data.get("retracts_event_id")
        target = by_id.get(str(target_id)) if event.type in ("EventCorrected", "EventRetracted") else None
        if target is None:
            continue
        e.corrects = Link(sequence=target.sequence, event_id=target.event_id)
        back = Link(sequence=e.sequence, event_id=e.event_id)
        if event.type == "EventCorrected":
            target.corrected_by.append(back)
        else:
            target.retracted_by = back
    return entries


def select(
    entries: Iterable[TimelineEntry],
    *,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    keep: Callable[[TimelineEntry], bool] | None = None,
) -> list[TimelineEntry]:
    """The entries recorded by `actor` whose business date (or range) meets [since, until]; an entry without a
    business date is left out as soon as either bound is given."""
    chosen = []
    for e in entries:
        if actor and e.actor != actor:
            continue
        if since is not None or until is not None:
            if e.day is None:
                continue
            last = e.end_day or e.day
            if (since is not None and last < since) or (until is not None and e.day > until):
                continue
        if keep is not None and not keep(e):
            continue
        chosen.append(e)
    return chosen
