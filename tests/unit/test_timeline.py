"""Timeline entries: each event's business date (or an explicit "none"), names instead of ids, JST times,
what the event says, and the audit page's filters."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from schemas.envelope import EventEnvelope
from schemas.events import PAYLOAD_TYPES
from schemas.events.base import OfficialRef
from services.api.web.timeline import (
    actor_name,
    entry,
    municipality_of,
    officials_of,
    select,
    timeline,
)
from services.api.web.timeline_words import (
    AUTOMATIC,
    BUSINESS_DATES,
    FIELD_LABELS,
    HIDDEN_BY_TYPE,
    HIDDEN_FIELDS,
    LABELS,
)

ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省", post="総務課長")
SHIROUZU = OfficialRef(name="白水 伸英", ministry="内閣官房")
FURUTA = OfficialRef(name="古田 匠", ministry="文部科学省")
_sequence = itertools.count(1)


def event(event_type: str, data: dict[str, Any], *, actor: str = "user:kanri", time: str = "") -> EventEnvelope:
    n = next(_sequence)
    return EventEnvelope(
        id=f"00000000-0000-0000-0000-{n:012d}",
        type=event_type,
        subject="engagement-2-032034",
        sequence=n,
        time=time or "2026-02-19T05:03:00.000000Z",
        actor=actor,
        schema_version=1,
        data={"event_type": event_type, **data},
        prev_hash="0" * 64,
        hash=f"{n:064x}",
    )


APPLIED = event(
    "MunicipalityApplied",
    {
        "period": 2,
        "municipality_code": "032034",
        "municipality_name": "大船渡市",
        "prefecture": "岩手県",
        "population": 31294,
        "population_as_of": "2026-02-28",
        "challenges": ["全国的な人口減少"],
    },
    actor="demo-loader",
)
TEAM = event(
    "TeamAssigned",
    {
        "officials": [o.model_dump(exclude_defaults=True) for o in (ISHIKAWA, SHIROUZU, FURUTA)],
        "assigned_on": "2025-04-30",
    },
)
VISIT = event(
    "SiteVisitMade",
    {
        "kind": "site_visit",
        "start_date": "2025-05-29",
        "end_date": "2025-05-30",
        "place": "大船渡市",
        "notes": "市長と面談",
        "participant_ids": [ISHIKAWA.official_id, FURUTA.official_id],
        "led_by": ISHIKAWA.official_id,
    },
)
OUTCOME = event(
    "OutcomeRecorded",
    {
        "kind": "guideline",
        "status": "achieved",
        "description": "産業振興指針を策定",
        "achieved_on": "2026-03-31",
        "recorded_on": "2026-04-10",
        "contributor_ids": [ISHIKAWA.official_id, "official-unknown"],
        "related": [{"kind": "regional_bureau", "name": "東北地方整備局"}],
    },
)
STALLED = event(
    "EngagementStalled",
    {"last_contact_recorded_at": "2026-01-01T00:00:00Z", "silent_days": 30.4},
    actor="system:banso-workflow",
)
LOG = [APPLIED, TEAM, VISIT, OUTCOME, STALLED]


def test_every_event_of_an_engagement_has_its_business_date_or_says_why_not() -> None:
    ja = {e.event_type: e for e in timeline(LOG, "ja")}
    assert ja["SiteVisitMade"].when_text == "令和7年5月29日〜30日"
    assert (ja["SiteVisitMade"].day, ja["SiteVisitMade"].end_day) == (date(2025, 5, 29), date(2025, 5, 30))
    assert (ja["TeamAssigned"].date_label, ja["TeamAssigned"].when_text) == ("編成日", "令和7年4月30日")
    assert (ja["OutcomeRecorded"].date_field, ja["OutcomeRecorded"].when_text) == ("achieved_on", "令和8年3月31日")
    # The application carries no 応募日: the page says so rather than show nothing.
    assert (ja["MunicipalityApplied"].when, ja["MunicipalityApplied"].when_text) == (None, "日付の記録なし")
    assert ja["EngagementStalled"].when_text == "業務日付なし（自動記録）"
    en = {e.event_type: e for e in timeline(LOG, "en")}
    assert en["SiteVisitMade"].when_text == "29–30 May 2025"
    assert en["MunicipalityApplied"].when_text == "No date recorded"


def test_an_outcome_without_an_achievement_date_is_dated_by_its_recording() -> None:
    written = entry(
        event(
            "OutcomeRecorded", {"kind": "other", "status": "planned", "description": "x", "recorded_on": "2025-06-01"}
        )
    )
    assert (written.date_field, written.date_label, written.when_text) == ("recorded_on", "記録日", "令和7年6月1日")


def test_the_recording_time_is_shown_separately_in_jst() -> None:
    first = timeline(LOG, "ja")[0]
    assert first.recorded == "令和8年2月19日 14:03 JST"
    assert timeline(LOG, "en")[0].recorded == "19 Feb 2026 14:03 JST"


def test_officials_are_named_from_the_engagements_own_team() -> None:
    assert set(officials_of(LOG)) == {ISHIKAWA.official_id, SHIROUZU.official_id, FURUTA.official_id}
    visit = {d.field: d for d in timeline(LOG, "ja")[2].details}
    assert visit["participant_ids"].value == "石川 亨、古田 匠"
    assert (visit["led_by"].label, visit["led_by"].value) == ("主担当", "石川 亨")
    assert (visit["place"].label, visit["place"].value) == ("場所", "大船渡市")
    assert (visit["notes"].label, visit["notes"].value) == ("メモ", "市長と面談")
    assert not {"start_date", "end_date", "kind"} & set(visit)
    outcome = {d.field: d.value for d in timeline(LOG, "ja")[3].details}
    assert outcome["contributor_ids"] == "石川 亨、この伴走支援のチームにいない支援官（official-unknown）"
    assert outcome["recorded_on"] == "令和8年4月10日"  # the other date, shown as content
    assert (outcome["kind"], outcome["status"]) == ("指針の策定", "達成")
    assert outcome["related"] == "東北地方整備局（地方支分部局）"
    team = {d.field: d.value for d in timeline(LOG, "en")[1].details}
    assert team["officials"] == "石川 亨 (国土交通省), 白水 伸英 (内閣官房), 古田 匠 (文部科学省)"


def test_what_an_application_says_reads_in_the_page_language() -> None:
    ja = {d.field: d.value for d in timeline(LOG, "ja")[0].details}
    assert ja["population"] == "31,294人（令和8年2月末時点）"
    assert ja["period"] == "第2期"
    en = {d.field: d.value for d in timeline(LOG, "en")[0].details}
    assert en["population"] == "31,294 people (as of 28 Feb 2026)"
    assert municipality_of(LOG) == ("大船渡市", "岩手県")


def test_actors_read_as_people_or_as_named_systems() -> None:
    names = {"user:kanri": "管理 花子"}
    assert actor_name("user:kanri", names, "ja") == "管理 花子"
    assert actor_name("system:banso-workflow", {}, "ja") == "Banso（自動記録）"
    assert actor_name("system:banso-workflow", {}, "en") == "Banso (recorded automatically)"
    assert actor_name("demo-loader", {}, "ja") == "デモデータの読込"
    assert actor_name("client:banso-integration", {}, "ja") == "連携システム（banso-integration）"
    assert actor_name("user:jimukyoku", {}, "ja") == "jimukyoku"
    rows = timeline(LOG, "ja", names)
    assert [r.actor_name for r in rows][:2] == ["デモデータの読込", "管理 花子"]
    assert rows[-1].actor_name == "Banso（自動記録）"


def test_the_audit_filters_by_actor_and_business_date_overlap() -> None:
    rows = timeline(LOG, "ja")
    assert [r.event_type for r in select(rows, actor="demo-loader")] == ["MunicipalityApplied"]
    # 5/30 is inside the visit's 5/29–30: a range that meets the filter's is kept.
    assert [r.event_type for r in select(rows, since=date(2025, 5, 30), until=date(2025, 12, 31))] == ["SiteVisitMade"]
    assert [r.event_type for r in select(rows, since=date(2026, 1, 1))] == ["OutcomeRecorded"]
    assert [r.event_type for r in select(rows, until=date(2025, 4, 30))] == ["TeamAssigned"]
    assert len(select(rows)) == len(rows)


def test_a_log_without_corrections_links_nothing() -> None:
    row = timeline(LOG, "ja")[2]
    assert (row.corrects, row.corrected_by, row.retracted_by) == (None, [], None)  # linking: test_corrections.py


def test_every_field_of_an_engagement_event_has_a_label_or_is_its_date() -> None:
    for event_type in LABELS:
        fields = set(PAYLOAD_TYPES[event_type].model_fields)
        dated = set(BUSINESS_DATES.get(event_type, ()))
        unlabelled = fields - set(FIELD_LABELS) - HIDDEN_FIELDS - HIDDEN_BY_TYPE.get(event_type, frozenset()) - dated
        assert unlabelled == set(), event_type
        assert event_type in BUSINESS_DATES or event_type in AUTOMATIC


def test_a_payload_altered_by_hand_still_reads() -> None:
    odd = event("EngagementStalled", {"silent_days": "many", "last_contact_recorded_at": "yesterday"}, actor="x")
    details = {d.field: d.value for d in entry(odd).details}
    assert details == {"silent_days": "many", "last_contact_recorded_at": "yesterday"}
    assert entry(odd).actor_name == "x"
