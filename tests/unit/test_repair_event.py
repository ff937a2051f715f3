"""StreamRepaired is accepted by every writer in any open stage and moves only the stream's head."""

from __future__ import annotations

import pytest

from schemas.envelope import EventEnvelope
from schemas.events import StreamRepaired
from schemas.periods import PeriodPhase, PeriodState
from schemas.views import EngagementState, Stage
from services.graph.projection.plan import plan
from services.workflow.engagement.fold import apply
from services.workflow.engagement.lifecycle import check
from services.workflow.period.rules import apply as apply_period
from services.workflow.period.rules import check as check_period

REPAIRED = StreamRepaired(restored=[4, 5], adopted=[])


@pytest.mark.parametrize("stage", list(Stage))
def test_an_engagement_takes_a_repair_record_in_any_stage_and_changes_only_its_head(stage: Stage) -> None:
    state = EngagementState(engagement_id="engagement-2-131016", stage=stage, last_sequence=6, head_hash="a" * 64)
    check(state, REPAIRED)
    after = apply(state, REPAIRED, 7, "b" * 64)
    assert after == state.model_copy(update={"last_sequence": 7, "head_hash": "b" * 64})


@pytest.mark.parametrize("phase", list(PeriodPhase))
def test_a_period_takes_a_repair_record_in_any_phase(phase: PeriodPhase) -> None:
    state = PeriodState(period=3, phase=phase)
    check_period(state, REPAIRED)
    assert apply_period(state, REPAIRED, 1, "c" * 64).phase is phase


def test_a_repair_record_projects_nothing_but_its_event() -> None:
    event = EventEnvelope(
        id="e",
        type="StreamRepaired",
        subject="engagement-2-131016",
        sequence=7,
        time="2026-11-29T00:00:00.000000Z",
        actor="system:banso-repair",
        schema_version=1,
        data=REPAIRED.stored_form(),
        prev_hash="a" * 64,
    )
    assert plan(event) == []
