"""Texts the workflows and the pure code leave as messages, read from the catalogue where a person reads them."""

from __future__ import annotations

from datetime import date

from schemas.envelope import EventEnvelope
from schemas.events import PAYLOAD_TYPES, EngagementStalled, FinalReportDue
from schemas.report import EngagementReport, ReportOutcome
from schemas.views import Alert, EngagementState
from services.api.messages import report_texts, state_texts
from services.api.web.timeline import entry
from services.api.web.timeline_words import LABELS
from services.i18n.message import Msg, MsgList
from services.workflow.engagement.fold import apply


def test_alerts_are_folded_as_messages_and_translated_by_the_api() -> None:
    state = EngagementState(engagement_id="engagement-2-032034")
    state = apply(state, EngagementStalled(last_contact_recorded_at="2026-01-01T00:00:00Z", silent_days=30.4), 5, "h")
    state = apply(state, FinalReportDue(due_on=date(2026, 3, 31)), 6, "h")
    stalled, _ = state.alerts
    assert stalled.message == {
        "msgid": "no meeting, visit or coordination recorded for %(days)s days",
        "params": {"days": "30"},
    }
    assert (stalled.message_ja, stalled.message_en) == ("", "no meeting, visit or coordination recorded for 30 days")
    read = state_texts(state).alerts
    assert [a.message_ja for a in read] == [
        "30日間、会議・訪問・連携の記録がありません",
        "最終報告の期限（2026-03-31）が近づいています",
    ]
    assert read[1].message_en == "the final report is due on 2026-03-31"


def test_alerts_raised_before_the_catalogue_keep_their_text() -> None:
    old = Alert(kind="stalled", raised_at="t", message_ja="30日間、記録がありません", message_en="nothing for 30 days")
    state = EngagementState.model_validate({"engagement_id": "e", "alerts": [old.model_dump(exclude={"message"})]})
    assert state_texts(state).alerts == [old]


def test_the_report_status_is_read_in_japanese_by_the_api() -> None:
    report = EngagementReport(
        engagement_id="e", outcomes={"環境": [ReportOutcome(description="x", status="in_progress", event_id="1")]}
    )
    assert report_texts(report).outcomes["環境"][0].status_ja == "進行中"


def test_every_labelled_event_exists_and_reads_in_both_languages() -> None:
    assert set(LABELS) <= set(PAYLOAD_TYPES)
    envelope = EventEnvelope.model_validate(
        {
            "id": "00000000-0000-0000-0000-000000000001",
            "subject": "engagement-2-032034",
            "sequence": 1,
            "schema_version": 1,
            "type": "CompanyVisitMade",
            "time": "2026-01-01T00:00:00Z",
            "actor": "a",
            "prev_hash": "0" * 64,
            "hash": "1" * 64,
            "data": {"kind": "company_visit", "start_date": "2026-01-10", "company_count": 3},
        }
    )
    ja, en = entry(envelope, "ja"), entry(envelope, "en")
    assert (ja.label_ja, ja.summary) == ("首都圏の企業訪問", "(3社)")
    assert (en.label_en, en.summary) == ("the team visited companies (usually in the capital region)", "(3 companies)")


def test_a_list_with_its_own_separator_round_trips_as_data() -> None:
    msg = Msg("%(x)s.", {"x": MsgList((Msg("a"), "b"), ". ", "ctx")})
    assert Msg.from_dict(msg.to_dict()) == msg
    assert msg.render() == "a. b."
