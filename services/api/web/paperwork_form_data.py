"""What the paperwork forms need, pure: which travel can be planned or settled on an engagement, who can be
appointed in a period, and a form's values as the API's payload dict (yen as whole numbers).

The routes (services/api/web/paperwork_forms.py) validate the dict with the API's own models and send the
same Temporal updates; the pages (engagement_page.py, periods_page.py) show the choices and a refused form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from schemas.events import TRAVEL_VISITS, travel_key
from schemas.paperwork_views import AppointmentView
from schemas.views import EngagementState
from services.graph.reads.paperwork_reads import Member

WHOLE = re.compile(r"-?\d+")
# A form field that is the idempotency key or the CSRF token, not the payload.
NOT_PAYLOAD = frozenset({"key", "csrf_token", "actor"})


@dataclass(frozen=True)
class FormState:
    """One paperwork form as the page shows it: which one (`what` and the line or official it is for), and
    after a refused post its messages by field (`_form`: the whole form's) and the values sent."""

    what: str
    target: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TravelChoice:
    """One participant of one recorded visit whose travel is not settled: planned already or not."""

    key: str
    visit_event_id: str
    visit_kind: str
    start_date: date
    end_date: date
    place: str | None
    official_id: str
    name: str
    ministry: str
    planned: bool


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def travel_choices(state: EngagementState) -> list[TravelChoice]:
    """Each participant of each recorded, not retracted site or company visit whose travel is not settled,
    as the workflow would accept it: on the team on the visit's first day and among its participants when it
    names any. By visit date, then name."""
    choices: list[TravelChoice] = []
    for event_id, record in state.records.items():
        start = _day(record.data.get("start_date"))
        if record.event_type not in TRAVEL_VISITS or record.retracted_by is not None or start is None:
            continue
        participants = set(record.data.get("participant_ids") or [])
        for official in state.team_on(start):
            if participants and official.official_id not in participants:
                continue
            key = travel_key(event_id, official.official_id)
            line = state.travel.get(key)
            if line is not None and line.settlement_event_id is not None:
                continue
            choices.append(
                TravelChoice(
                    key=key,
                    visit_event_id=event_id,
                    visit_kind=record.event_type,
                    start_date=start,
                    end_date=_day(record.data.get("end_date")) or start,
                    place=record.data.get("place"),
                    official_id=official.official_id,
                    name=official.name,
                    ministry=official.ministry,
                    planned=line is not None,
                )
            )
    return sorted(choices, key=lambda c: (c.start_date, c.visit_event_id, c.name))


def appointable(members: list[Member], appointments: list[AppointmentView], today: date) -> list[Member]:
    """Members of the period's teams (now or later) who hold no appointment in force: whom a 併任発令 may
    name, once per official and team, by team then name."""
    active = {a.official_id for a in appointments if a.ended_on is None}
    seen: set[tuple[str, str]] = set()
    found: list[Member] = []
    for m in sorted(members, key=lambda m: (m.municipality_name or m.municipality_code, m.name)):
        pair = (m.official_id, m.municipality_code)
        if m.official_id in active or pair in seen or (m.to_date is not None and m.to_date <= today):
            continue
        seen.add(pair)
        found.append(m)
    return found


def whole_yen(value: str) -> int | str:
    """An amount as typed (全角 digits and thousands separators allowed) as an int, else the text as typed
    (the payload's strict int refuses it: a fraction, a word)."""
    text = unicodedata.normalize("NFKC", value).replace(",", "").strip()
    return int(text) if WHOLE.fullmatch(text) else value


def payload_fields(form: dict[str, str]) -> dict[str, Any]:
    """A paperwork form's values as a payload dict: blanks dropped, `*_yen` fields as whole yen."""
    data: dict[str, Any] = {}
    for name, value in form.items():
        if name in NOT_PAYLOAD or not value.strip():
            continue
        data[name] = whole_yen(value) if name.endswith("_yen") else value.strip()
    return data


def appointment_fields(form: dict[str, str], members: list[Member]) -> dict[str, Any]:
    """A 併任発令 form as an AppointmentIssued dict: the chosen `official_id@code` member becomes the official
    (as the team knows them) and the one team; a member not of the period's teams leaves both out (refused)."""
    data = payload_fields(form)
    official_id, _, code = str(data.pop("member", "")).partition("@")
    chosen = next((m for m in members if (m.official_id, m.municipality_code) == (official_id, code)), None)
    if chosen is not None:
        official = {"official_id": chosen.official_id, "name": chosen.name, "ministry": chosen.ministry}
        data["official"] = official | ({"post": chosen.post} if chosen.post else {})
        data["team_codes"] = [chosen.municipality_code]
    return data


# A payload field → the form field its message is shown at (the appointment form names both in `member`).
FORM_FIELD = {"official": "member", "team_codes": "member"}


def at_form_fields(errors: dict[str, str]) -> dict[str, str]:
    """Messages keyed by payload field, re-keyed by the form field a person would change."""
    moved: dict[str, str] = {}
    for name, message in errors.items():
        moved.setdefault(FORM_FIELD.get(name, name), message)
    return moved
