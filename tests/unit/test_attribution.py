"""Attribution and business dates: who took part / contributed, checked against the team on that date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.envelope import GENESIS_HASH, EventEnvelope
from schemas.events import (
    BodyKind,
    BodyRef,
    CompanyVisitMade,
    CoordinationHeld,
    IntroductionKind,
    IntroductionMade,
    KickoffHeld,
    LeaveReason,
    MemberJoined,
    MemberLeft,
    MunicipalityApplied,
    OfficialRef,
    OfficialRegistered,
    OnlineMeetingHeld,
    OutcomeKind,
    OutcomeRecorded,
    OutcomeStatus,
    Payload,
    SiteVisitMade,
    TeamAssigned,
)
from schemas.views import EngagementState
from services.graph.projection import queries as q
from services.graph.projection.plan import plan
from services.i18n.catalogue import translate
from services.i18n.validation import problem_text
from services.workflow.engagement.fold import apply
from services.workflow.engagement.lifecycle import LifecycleViolation, check

ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省", bureau="水管理・国土保全局", division="総務課")
FURUTA = OfficialRef(name="古田 匠", ministry="文部科学省")
SHIROUZU = OfficialRef(name="白水 伸英", ministry="内閣官房")
A, F, S = ISHIKAWA.official_id, FURUTA.official_id, SHIROUZU.official_id

HISTORY: list[Payload] = [
    MunicipalityApplied(
        period=2, municipality_code="032034", municipality_name="大船渡市", prefecture="岩手県", challenges=["x"]
    ),
    TeamAssigned(officials=[ISHIKAWA, FURUTA], assigned_on=date(2025, 4, 1)),
    KickoffHeld(held_on=date(2025, 4, 30), title="題目", themes=["産業振興"]),
    # 古田 leaves on 2025-09-01; 白水 joins on 2025-10-01.
    MemberJoined(official=SHIROUZU, joined_on=date(2025, 10, 1), override_reason="テスト"),
    MemberLeft(official_id=F, left_on=date(2025, 9, 1), reason=LeaveReason.TRANSFER, override_reason="テスト"),
]


def state() -> EngagementState:
    s = EngagementState(engagement_id="engagement-2-032034")
    for seq, payload in enumerate(HISTORY, start=1):
        check(s, payload)
        s = apply(s, payload, seq, f"h{seq}")
    return s


def refusal(payload: Payload) -> LifecycleViolation:
    with pytest.raises(LifecycleViolation) as caught:
        check(state(), payload)
    return caught.value


# --- payload validation -------------------------------------------------------------------------------------


def test_the_new_fields_default_to_a_team_level_record() -> None:
    meeting = OnlineMeetingHeld(start_date=date(2025, 5, 8))
    assert (meeting.participant_ids, meeting.led_by, meeting.schema_version) == ([], None, 2)
    outcome = OutcomeRecorded(kind=OutcomeKind.GUIDELINE, description="d", status=OutcomeStatus.ACHIEVED)
    assert (outcome.contributor_ids, outcome.achieved_on, outcome.schema_version) == ([], None, 4)
    # a payload made now is stored with what it was given, in the current version
    assert meeting.stored_form() == {"start_date": "2025-05-08", "event_type": "OnlineMeetingHeld", "schema_version": 2}


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"participant_ids": [A, A]}, "twice"),
        ({"participant_ids": [A], "led_by": F}, "must also be one of the participant_ids"),
        ({"led_by": A}, "must also be one of the participant_ids"),
        ({"participant_ids": [""]}, "at least 1 character"),
        ({"participant_ids": ["   "]}, "at least 1 character"),
        ({"participant_ids": [f"official-{i}" for i in range(21)]}, "at most 20"),
        ({"participant_ids": ["x" * 101]}, "at most 100"),
    ],
)
def test_participants_are_unique_non_empty_at_most_20_and_include_the_lead(fields: dict[str, Any], words: str) -> None:
    for model, base in (
        (OnlineMeetingHeld, {"start_date": "2025-05-08"}),
        (SiteVisitMade, {"start_date": "2025-05-08"}),
        (CompanyVisitMade, {"start_date": "2025-05-08", "company_count": 1}),
        (CoordinationHeld, {"held_on": "2025-05-08", "body": {"kind": "ministry", "name": "国土交通省"}, "topic": "t"}),
    ):
        with pytest.raises(ValidationError, match=words):
            model.model_validate(base | fields)


def test_contributors_are_unique() -> None:
    with pytest.raises(ValidationError, match="twice"):
        OutcomeRecorded(
            kind=OutcomeKind.GUIDELINE, description="d", status=OutcomeStatus.ACHIEVED, contributor_ids=[A, A]
        )


def test_a_refused_payload_reads_in_japanese_or_in_english_by_its_code() -> None:
    with pytest.raises(ValidationError) as caught:
        OnlineMeetingHeld.model_validate({"start_date": "2025-05-08", "participant_ids": [A], "led_by": F})
    error = caught.value.errors()[0]
    assert error["type"] == "lead_not_participant"
    assert "led_by" in error["msg"]
    assert problem_text(error, "ja") == "主担当は参加者にも含めてください"
    assert problem_text(error, "en") == "Whoever led must also be among the participants"


# --- the workflow's check: a member of the team on that date -----------------------------------------------


def test_members_on_the_date_may_take_part() -> None:
    check(state(), OnlineMeetingHeld(start_date=date(2025, 5, 8), participant_ids=[A, F], led_by=A))
    check(state(), SiteVisitMade(start_date=date(2025, 10, 1), participant_ids=[A, S], led_by=S))
    check(
        state(),
        CoordinationHeld(
            held_on=date(2025, 8, 31),
            body=BodyRef(kind=BodyKind.MINISTRY, name="国土交通省"),
            topic="t",
            participant_ids=[F],
        ),
    )
    # a visit spanning the day someone joined counts them
    check(state(), SiteVisitMade(start_date=date(2025, 9, 30), end_date=date(2025, 10, 1), participant_ids=[S]))


def test_someone_not_on_the_team_that_day_is_refused() -> None:
    left = refusal(OnlineMeetingHeld(start_date=date(2025, 9, 1), participant_ids=[A, F]))
    assert left.code == "not_a_member"
    assert left.message_en == f"Official {F} (participant) was not a member of this team on 2025-09-01"
    assert (
        translate(left.message, "ja") == f"支援官 {F}（参加者）は 2025-09-01 時点でこのチームのメンバーではありません"
    )
    not_yet = refusal(OnlineMeetingHeld(start_date=date(2025, 9, 30), participant_ids=[S], led_by=S))
    assert "on 2025-09-30" in not_yet.message_en
    stranger = OfficialRef(name="他人", ministry="総務省").official_id
    assert (
        stranger
        in refusal(
            CompanyVisitMade(start_date=date(2025, 5, 8), company_count=1, participant_ids=[stranger])
        ).message_en
    )


def test_contributors_are_checked_on_achieved_on_else_recorded_on_else_today() -> None:
    def outcome(**fields: Any) -> OutcomeRecorded:
        return OutcomeRecorded(kind=OutcomeKind.OTHER, description="d", status=OutcomeStatus.ACHIEVED, **fields)

    check(state(), outcome(contributor_ids=[F], achieved_on=date(2025, 6, 1), recorded_on=date(2025, 12, 1)))
    refused = refusal(outcome(contributor_ids=[F], recorded_on=date(2025, 12, 1)))
    assert "(contributor)" in refused.message_en
    assert "2025-12-01" in refused.message_en
    today = refusal(outcome(contributor_ids=[F]))  # neither date: the team as it is now
    assert today.message_en == f"Official {F} (contributor) is not a member of this team now"
    assert translate(today.message, "ja") == f"支援官 {F}（貢献した支援官）は現在このチームのメンバーではありません"
    check(state(), outcome(contributor_ids=[A, S]))


def test_an_introduction_is_checked_on_its_date() -> None:
    intro = IntroductionMade(
        made_on=date(2025, 10, 2),
        what=IntroductionKind.NATIONAL_PROGRAMME,
        subject="観光庁事業",
        to_whom="DMO",
        by_official_id=F,
    )
    assert "(the official who introduced it)" in refusal(intro).message_en
    check(state(), intro.model_copy(update={"made_on": date(2025, 8, 1)}))


# --- the projection -----------------------------------------------------------------------------------------


def event(payload: Payload, sequence: int = 7) -> EventEnvelope:
    return EventEnvelope(
        id=f"00000000-0000-4000-8000-{sequence:012d}",
        type=type(payload).__name__,
        subject="engagement-2-032034",
        sequence=sequence,
        time="2026-11-29T00:00:00.000000Z",
        actor="a",
        schema_version=payload.stored_version,
        data=payload.stored_form(),
        prev_hash=GENESIS_HASH,
    ).sealed()


def statement(payload: Payload, query: str) -> dict[str, Any]:
    found = [s.params for s in plan(event(payload)) if s.query == query]
    assert len(found) == 1, f"expected one {query!r}"
    return found[0]


def test_took_part_carries_the_role() -> None:
    meeting = OnlineMeetingHeld(start_date=date(2025, 5, 8), participant_ids=[A, F], led_by=F)
    params = statement(meeting, q.TOOK_PART)
    assert params["people"] == [{"official_id": A, "role": "attended"}, {"official_id": F, "role": "led"}]
    assert params["event_id"] == event(meeting).id
    coordination = CoordinationHeld(
        held_on=date(2025, 6, 1),
        body=BodyRef(kind=BodyKind.MINISTRY, name="国土交通省"),
        topic="t",
        participant_ids=[A],
    )
    assert statement(coordination, q.TOOK_PART)["people"] == [{"official_id": A, "role": "attended"}]


def test_a_team_level_record_has_no_personal_edges() -> None:
    old = OnlineMeetingHeld.model_validate({"schema_version": 1, "start_date": "2025-05-08"})
    assert all(s.query != q.TOOK_PART for s in plan(event(old)))
    outcome = OutcomeRecorded(kind=OutcomeKind.OTHER, description="d", status=OutcomeStatus.ACHIEVED)
    assert all(s.query != q.CONTRIBUTED_TO for s in plan(event(outcome)))
    assert statement(outcome, q.OUTCOME)["achieved_on"] is None


def test_an_outcome_carries_its_contributors_and_achieved_on() -> None:
    outcome = OutcomeRecorded(
        kind=OutcomeKind.GUIDELINE,
        description="d",
        status=OutcomeStatus.ACHIEVED,
        achieved_on=date(2025, 9, 17),
        recorded_on=date(2026, 11, 29),
        contributor_ids=[A, S],
    )
    assert statement(outcome, q.OUTCOME)["achieved_on"] == "2025-09-17"
    assert statement(outcome, q.OUTCOME)["recorded_on"] == "2026-11-29"
    assert statement(outcome, q.CONTRIBUTED_TO)["contributor_ids"] == [A, S]


def test_postings_are_dated_by_the_business_date() -> None:
    team = TeamAssigned(officials=[ISHIKAWA, FURUTA], assigned_on=date(2025, 4, 1))
    assert statement(team, q.TEAM_POSTINGS)["postings"][0]["since"] == "2025-04-01"
    joined = MemberJoined(official=ISHIKAWA, joined_on=date(2025, 10, 1))
    assert statement(joined, q.TEAM_POSTINGS)["postings"][0]["since"] == "2025-10-01"
    registered = OfficialRegistered(official=ISHIKAWA, registered_on=date(2025, 4, 1))
    assert statement(registered, q.TEAM_POSTINGS)["postings"][0]["since"] == "2025-04-01"
    undated = TeamAssigned(officials=[ISHIKAWA, FURUTA])
    assert statement(undated, q.TEAM_POSTINGS)["postings"][0]["since"] is None
