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
from schemas.events.travel import TRAVEL_VISITS
from schemas.wareki import DateRange, date_range, date_range_parts, jst_time, wareki_month
from services.api.web.i18n import label
from services.api.web.money import yen
from services.api.web.timeline_words import (
    ACTOR_CONTEXT,
    AUTOMATIC,
    BODY_WITH_KIND,
    BUSINESS_DATES,
    COMPANIES,
    CONNECTED_SYSTEM,
    DATE_CONTEXT,
    DATE_FIELDS,
    DATE_LABELS,
    DAYS,
    FIELD_CONTEXT,
    FIELD_LABELS,
    HIDDEN_BY_TYPE,
    HIDDEN_FIELDS,
    LABEL_CONTEXT,
    LABELS,
    NAME_CONTEXT,
    NAMES,
    NIGHTS,
    NO_DATE,
    NO_DATE_AUTOMATIC,
    OFFICIAL_WITH_MINISTRY,
    OFFICIALS_SEPARATOR,
    OTHER_SYSTEM,
    PEOPLE,
    PEOPLE_AS_OF,
    SUMMARY_FIELDS,
    SYSTEM_ACTORS,
    UNKNOWN_OFFICIAL,
    VALUE_CONTEXT,
    VALUE_LABELS,
)
from services.i18n.catalogue import Lang, both, pgettext, translate
from services.i18n.message import N_, Msg


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

    def __init__(
        self, lang: Lang, officials: Mapping[str, Mapping[str, Any]], visits: Mapping[str, EventEnvelope] | None = None
    ) -> None:
        self.lang = lang
        self.officials = officials
        self.visits = visits or {}

    def visit(self, event_id: str) -> str:
        """A travel line's visit as the timeline names it (#16 現地訪問 令和7年8月1日〜3日), else its id."""
        event = self.visits.get(event_id)
        if event is None:
            return event_id
        start, end = _date(event.data.get("start_date")), _date(event.data.get("end_date"))
        when = f" {date_range(start, end, self.lang)}" if start else ""
        return f"#{event.sequence} {event_name(event.type, self.lang)}{when}"

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
        if field == "redacted":
            return self.value_label("redacted")
        if field.endswith("_yen") and isinstance(value, int) and not isinstance(value, bool):
            return yen(value)
        if field == "visit_event_id":
            return self.visit(str(value))
        if field == "nights":
            return self.msg(NIGHTS, count=value)
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
    visits: Mapping[str, EventEnvelope] | None = None,
) -> TimelineEntry:
    """The timeline row for `event` in `lang`; `officials` (from `officials_of`) name the people it names,
    `actor_names` (the actor directory's) the person who recorded it."""
    ja, en = _labels(event.type)
    data = event.data
    reader = _Reader(lang, officials or {}, visits)
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
    visits = {e.id: e for e in events if e.type in TRAVEL_VISITS}
    return linked([entry(e, lang, officials=officials, actor_names=actor_names, visits=visits) for e in events], events)


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
