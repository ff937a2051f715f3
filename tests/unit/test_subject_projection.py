"""Subjects in the projection plan: derived from the event alone, the words as parameters, one shape per type."""

from __future__ import annotations

from schemas.events import (
    KickoffHeld,
    MunicipalityApplied,
    OutcomeKind,
    OutcomeRecorded,
    OutcomeStatus,
    SupportThemesChanged,
)
from services.graph.projection import subject_queries as q
from services.graph.projection.subjects import about, statements

BASE = {"engagement_id": "engagement-2-032034", "event_id": "e1"}


def applied(challenges: list[str], themes: list[str]) -> MunicipalityApplied:
    return MunicipalityApplied(
        period=2,
        municipality_code="032034",
        municipality_name="大船渡市",
        prefecture="岩手県",
        challenges=challenges,
        desired_themes=themes,
    )


def test_challenges_and_desired_themes_get_the_subjects_of_their_own_text() -> None:
    plan = statements(applied(["港湾の活性化", "港湾の活性化", "港湾計画の見直しと企業誘致"], ["産業振興"]), BASE)
    assert [s.query for s in plan] == [q.CHALLENGE_SUBJECTS, q.THEME_SUBJECTS]
    challenges = plan[0].params["about"]
    assert [row["name"] for row in challenges] == ["港湾の活性化", "港湾計画の見直しと企業誘致"]  # once each
    assert all("港湾" in row["subjects"] for row in challenges)
    assert plan[1].params["about"] == [{"name": "産業振興", "subjects": ["振興", "産業"]}]
    assert all("港湾" not in s.query for s in plan)  # words are parameters, never Cypher


def test_the_same_event_always_gives_the_same_statements() -> None:
    payload = applied(["大規模林野火災により被害を受けた森林の復旧・再生"], ["環境"])
    assert statements(payload, BASE) == statements(payload, BASE)


def test_an_event_without_words_keeps_its_shape_for_batched_replay() -> None:
    plan = statements(applied([], []), BASE)
    assert [s.query for s in plan] == [q.CHALLENGE_SUBJECTS, q.THEME_SUBJECTS]
    assert [s.params["about"] for s in plan] == [[], []]


def test_themes_of_a_kickoff_or_a_change_and_an_outcome_are_linked() -> None:
    kickoff = KickoffHeld(held_on="2025-04-30", title="港を活かした産業振興", themes=["子育て支援"])
    assert statements(kickoff, BASE)[0].params["about"] == [{"name": "子育て支援", "subjects": ["子育て"]}]
    changed = SupportThemesChanged(changed_on="2025-09-01", themes=["環境"])
    assert statements(changed, BASE)[0].query == q.THEME_SUBJECTS
    outcome = OutcomeRecorded(
        kind=OutcomeKind.SELECTION,
        description="港湾計画の策定",
        status=OutcomeStatus.PLANNED,
        theme="産業振興",
    )
    plan = statements(outcome, BASE)
    assert plan[0].query == q.OUTCOME_SUBJECTS
    assert plan[0].params == {"event_id": "e1", "subjects": ["港湾"]}
    assert plan[1].params["about"] == about(["産業振興"])


def test_a_name_with_no_subject_word_is_left_out() -> None:
    assert about(["推進"]) == []
