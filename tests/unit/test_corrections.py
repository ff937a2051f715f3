"""Corrections and retractions: the fold takes the original's effect back, readers see the corrected log,
the projection draws the record again under its first id, and the lifecycle refuses what makes no sense."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.envelope import GENESIS_HASH, EventEnvelope
from schemas.events import (
    CompanyVisitMade,
    EventCorrected,
    EventRetracted,
    KickoffHeld,
    MunicipalityApplied,
    OfficialRef,
    OnlineMeetingHeld,
    OutcomeKind,
    OutcomeRecorded,
    OutcomeStatus,
    Payload,
    SiteVisitMade,
    SurveyAnswered,
    TeamAssigned,
)
from schemas.views import EngagementState
from services.api.web.timeline import Link, timeline
from services.graph.projection import correction_queries as cq
from services.graph.projection import queries as q
from services.graph.projection.plan import plan
from services.workflow.engagement.corrections import effective_events
from services.workflow.engagement.fold import apply
from services.workflow.engagement.lifecycle import LifecycleViolation, check
from services.workflow.engagement.report import build_report

ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省")
FURUTA = OfficialRef(name="古田 匠", ministry="文部科学省")
ENGAGEMENT = "engagement-2-032034"
VISIT = SiteVisitMade(start_date=date(2025, 6, 19), end_date=date(2025, 6, 20), place="大船渡市")
MEETING = OnlineMeetingHeld(start_date=date(2025, 5, 8))
OUTCOME = OutcomeRecorded(kind=OutcomeKind.GUIDELINE, description="指針を策定", status=OutcomeStatus.IN_PROGRESS)
SURVEY = SurveyAnswered(
    official_id=ISHIKAWA.official_id,
    answered_on=date(2026, 2, 1),
    field_experience=True,
    diverse_team=True,
    useful_for_ministry_work=False,
)
HISTORY: list[Payload] = [
    MunicipalityApplied(
        period=2, municipality_code="032034", municipality_name="大船渡市", prefecture="岩手県", challenges=["x"]
    ),
    TeamAssigned(officials=[ISHIKAWA, FURUTA], assigned_on=date(2025, 4, 1)),
    KickoffHeld(held_on=date(2025, 4, 30), title="題目", themes=["産業振興"]),
    MEETING,
    VISIT,
    OUTCOME,
    SURVEY,
]
IDS = {4: "ev-meeting", 5: "ev-visit", 6: "ev-outcome", 7: "ev-survey"}


def folded(extra: list[Payload] | None = None) -> EngagementState:
    s = EngagementState(engagement_id=ENGAGEMENT)
    for seq, payload in enumerate([*HISTORY, *(extra or [])], start=1):
        check(s, payload)
        s = apply(s, payload, seq, f"h{seq}", "", IDS.get(seq, f"ev-{seq}"))
    return s


def envelope(seq: int, payload: Payload) -> EventEnvelope:
    return EventEnvelope(
        id=IDS.get(seq, f"ev-{seq}"),
        type=type(payload).__name__,
        subject=ENGAGEMENT,
        sequence=seq,
        time="2026-11-29T00:00:00.000000Z",
        actor="staff-1",
        schema_version=payload.stored_version,
        data=payload.stored_form(),
        prev_hash=GENESIS_HASH,
    ).sealed()


def log(extra: list[Payload]) -> list[EventEnvelope]:
    return [envelope(seq, p) for seq, p in enumerate([*HISTORY, *extra], start=1)]


def refused(payload: Payload) -> str:
    with pytest.raises(LifecycleViolation) as caught:
        check(folded(), payload)
    return caught.value.code


def test_the_fold_remembers_each_correctable_record_by_its_event_id() -> None:
    s = folded()
    assert set(s.records) == {"ev-meeting", "ev-visit", "ev-outcome", "ev-survey"}
    assert s.records["ev-visit"].data["start_date"] == "2025-06-19"
    assert (s.counts.site_visits, s.counts.online_meetings, s.outcomes, s.surveys) == (1, 1, 1, 1)


def test_a_corrected_date_moves_the_last_date_back_and_keeps_the_count() -> None:
    fixed = VISIT.model_copy(update={"start_date": date(2025, 5, 29), "end_date": date(2025, 5, 30)})
    s = folded([EventCorrected(corrects_event_id="ev-visit", reason="日付の誤り", corrected=fixed)])
    assert s.counts.site_visits == 1
    assert s.last_dates["site_visit"] == date(2025, 5, 30)
    assert s.records["ev-visit"].data["start_date"] == "2025-05-29"
    assert s.records["ev-visit"].corrected_by == ["ev-8"]


def test_a_correction_may_change_the_kind_of_activity_and_moves_the_counts() -> None:
    as_company_visit = CompanyVisitMade(start_date=date(2025, 6, 19), company_count=3)
    s = folded([EventCorrected(corrects_event_id="ev-visit", reason="企業訪問だった", corrected=as_company_visit)])
    assert (s.counts.site_visits, s.counts.company_visits, s.counts.companies_visited) == (0, 1, 3)
    assert "site_visit" not in s.last_dates
    assert s.last_dates["company_visit"] == date(2025, 6, 19)


def test_a_retraction_takes_the_record_back() -> None:
    s = folded(
        [
            EventRetracted(retracts_event_id="ev-meeting", reason="重複して記録"),
            EventRetracted(retracts_event_id="ev-outcome", reason="別の自治体の成果"),
            EventRetracted(retracts_event_id="ev-survey", reason="誤入力"),
        ]
    )
    assert (s.counts.online_meetings, s.outcomes, s.surveys) == (0, 0, 0)
    assert "online_meeting" not in s.last_dates
    assert s.records["ev-meeting"].retracted_by == "ev-8"


def test_the_lifecycle_refuses_what_a_correction_cannot_be() -> None:
    assert refused(EventRetracted(retracts_event_id="ev-3", reason="r")) == "not_correctable"  # the kickoff
    assert refused(EventRetracted(retracts_event_id="no-such-event", reason="r")) == "not_correctable"
    assert refused(EventCorrected(corrects_event_id="ev-visit", reason="r", corrected=OUTCOME)) == (
        "correction_changes_kind"
    )
    assert refused(EventCorrected(corrects_event_id="ev-visit", reason="r", corrected=VISIT)) == (
        "correction_changes_nothing"
    )
    stranger = SURVEY.model_copy(update={"official_id": "official-nobody"})
    assert refused(EventCorrected(corrects_event_id="ev-survey", reason="r", corrected=stranger)) == "not_a_member"
    s = folded([EventRetracted(retracts_event_id="ev-visit", reason="r")])
    with pytest.raises(LifecycleViolation) as caught:
        check(s, EventCorrected(corrects_event_id="ev-visit", reason="r", corrected=MEETING))
    assert caught.value.code == "already_retracted"


def test_readers_see_the_log_as_corrected_and_the_report_counts_it() -> None:
    fixed = OUTCOME.model_copy(update={"status": OutcomeStatus.ACHIEVED, "description": "指針を策定した"})
    events = log(
        [
            EventCorrected(corrects_event_id="ev-outcome", reason="状況の更新", corrected=fixed),
            EventRetracted(retracts_event_id="ev-meeting", reason="重複"),
        ]
    )
    seen = effective_events(events)
    assert [e.id for e in seen] == ["ev-1", "ev-2", "ev-3", "ev-visit", "ev-outcome", "ev-survey"]
    outcome = next(e for e in seen if e.id == "ev-outcome")
    assert (outcome.data["status"], outcome.data["description"]) == ("achieved", "指針を策定した")
    report = build_report(ENGAGEMENT, events)
    assert report.events == len(events)  # the whole log is counted, corrections included
    descriptions = [o.description for items in report.outcomes.values() for o in items]
    assert descriptions == ["指針を策定した"]


def test_the_projection_draws_the_corrected_record_again_under_its_first_id() -> None:
    fixed = VISIT.model_copy(update={"place": "大船渡港"})
    statements = plan(envelope(8, EventCorrected(corrects_event_id="ev-visit", reason="訪問先", corrected=fixed)))
    queries = [s.query for s in statements]
    assert queries[0] == cq.CLEAR_RECORD
    assert statements[0].params == {"target_id": "ev-visit"}
    activity = next(s for s in statements if s.query == q.ACTIVITY)
    assert (activity.params["event_id"], activity.params["place"]) == ("ev-visit", "大船渡港")
    assert queries[-2:] == [cq.MARK_CORRECTED, cq.LAST_CONTACT_AGAIN]
    retraction = plan(envelope(9, EventRetracted(retracts_event_id="ev-visit", reason="r")))
    assert [s.query for s in retraction] == [cq.CLEAR_RECORD, cq.LAST_CONTACT_AGAIN]


def test_the_timeline_links_a_correction_and_its_record_both_ways() -> None:
    fixed = VISIT.model_copy(update={"start_date": date(2025, 5, 29), "end_date": date(2025, 5, 30)})
    events = log(
        [
            EventCorrected(corrects_event_id="ev-visit", reason="日付の誤り", corrected=fixed),
            EventRetracted(retracts_event_id="ev-meeting", reason="重複"),
        ]
    )
    entries = {e.event_id: e for e in timeline(events, "ja")}
    correction, retraction = entries["ev-8"], entries["ev-9"]
    assert entries["ev-visit"].corrected_by == [Link(sequence=8, event_id="ev-8")]
    assert correction.corrects == Link(sequence=5, event_id="ev-visit")
    assert entries["ev-meeting"].retracted_by == Link(sequence=9, event_id="ev-9")
    assert retraction.corrects == Link(sequence=4, event_id="ev-meeting")
    assert (correction.day, correction.end_day) == (date(2025, 5, 29), date(2025, 5, 30))  # the record's own date
    details = {d.field: d.value for d in correction.details}
    assert details["reason"] == "日付の誤り"
    assert details["corrected"].startswith("現地訪問")
    assert "大船渡市" in details["corrected"]
    assert [e.correctable for e in (entries["ev-visit"], correction, entries["ev-3"])] == [True, False, False]
    english = {e.event_id: e for e in timeline(events, "en")}
    assert english["ev-8"].name == "Correction"
