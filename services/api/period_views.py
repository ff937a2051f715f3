"""Read models of a period built from the workflow's state: the summary and the proposal under review."""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel, Field

from schemas.events import CallOpened, PeriodFigures, StartedEngagement
from schemas.matching import Pairing
from schemas.periods import PeriodPhase, PeriodState
from services.i18n.catalogue import both
from services.i18n.message import N_, Msg
from services.workflow.period.rules import team_problems


class PeriodSummary(BaseModel):
    """GET /periods/{n}: the period without the full intake lists."""

    period: int
    phase: PeriodPhase
    call: CallOpened | None
    volunteers: int
    applications: int
    runs: int
    edits: int
    approved_on: date | None
    started: list[StartedEngagement]
    figures: PeriodFigures | None
    figures_as_of: date | None
    events: int
    problems_ja: list[str] = Field(default_factory=list, description="現在のマッチング案がルールに反する点")
    problems_en: list[str] = Field(default_factory=list)


class ReviewedMember(BaseModel):
    """One member of a team under review."""

    official_id: str
    name: str
    ministry: str
    post: str | None
    seniority: str
    locked: bool
    capacity: int = Field(default=1, description="担当できるチーム数（本人の申告）")
    teams: int = Field(default=1, description="この案で担当しているチーム数")


class ReviewedTeam(BaseModel):
    """One team as it stands after the reviewer's edits, with the optimiser's explanation."""

    municipality_code: str
    municipality_name: str
    prefecture: str
    members: list[ReviewedMember]
    score: int | None = Field(description="最適化の評価値 (修正されたチームは null)")
    edited: bool
    explanation_ja: str
    explanation_en: str


class ProposalView(BaseModel):
    """GET /periods/{n}/proposal: the teams under review, the rule check, and the optimiser's figures."""

    period: int
    phase: PeriodPhase
    run: int
    status: str
    objective: int
    gap: float
    wall_seconds: float
    teams: list[ReviewedTeam]
    unassigned: list[str] = Field(description="どのチームにも入っていない支援官ID")
    locked: list[Pairing]
    excluded: list[str]
    problems_ja: list[str]
    problems_en: list[str]
    reasons_ja: list[str] = Field(default_factory=list, description="infeasible の理由")
    reasons_en: list[str] = Field(default_factory=list)


def _problems(state: PeriodState) -> list[tuple[str, str]]:
    """The proposal's rule problems as (ja, en) sentences from the catalogue."""
    return [both(p) for p in team_problems(state, state.teams)] if state.phase is PeriodPhase.PROPOSED else []


def summary(state: PeriodState) -> PeriodSummary:
    """The period at a glance."""
    problems = _problems(state)
    return PeriodSummary(
        period=state.period,
        phase=state.phase,
        call=state.call,
        volunteers=len(state.volunteers),
        applications=len(state.applications),
        runs=state.runs,
        edits=state.edits,
        approved_on=state.approved_on,
        started=state.started,
        figures=state.figures,
        figures_as_of=state.figures_as_of,
        events=state.last_sequence,
        problems_ja=[ja for ja, _ in problems],
        problems_en=[en for _, en in problems],
    )


def proposal_view(state: PeriodState) -> ProposalView | None:
    """The teams as they stand after the edits, each with the optimiser's explanation when unchanged."""
    proposal = state.proposal
    if proposal is None:
        return None
    proposed = {t.municipality_code: t for t in proposal.teams}
    locked = {(p.official_id, p.municipality_code) for p in state.locked}
    load = Counter(m for members in state.teams.values() for m in members)
    teams: list[ReviewedTeam] = []
    for code, members in state.teams.items():
        app = state.applications[code]
        original = proposed.get(code)
        edited = original is None or [m.official_id for m in original.members] != members
        reviewed = [
            ReviewedMember(
                official_id=m,
                name=state.volunteers[m].official.name,
                ministry=state.volunteers[m].official.ministry,
                post=state.volunteers[m].official.post,
                seniority=state.volunteers[m].seniority.value,
                locked=(m, code) in locked,
                capacity=state.volunteers[m].capacity,
                teams=load[m],
            )
            for m in members
        ]
        kept = original is not None and not edited
        edited_ja, edited_en = both(Msg(N_("edited by a reviewer")))
        teams.append(
            ReviewedTeam(
                municipality_code=code,
                municipality_name=app.municipality_name,
                prefecture=app.prefecture,
                members=reviewed,
                score=None if edited or original is None else original.score,
                edited=edited,
                explanation_ja=original.explanation_ja if original and kept else edited_ja,
                explanation_en=original.explanation_en if original and kept else edited_en,
            )
        )
    on_team = {m for members in state.teams.values() for m in members}
    problems = _problems(state)
    return ProposalView(
        period=state.period,
        phase=state.phase,
        run=state.runs,
        status=proposal.status,
        objective=proposal.objective,
        gap=proposal.gap,
        wall_seconds=proposal.wall_seconds,
        teams=teams,
        unassigned=sorted(set(state.volunteers) - on_team),
        locked=state.locked,
        excluded=state.excluded,
        problems_ja=[ja for ja, _ in problems],
        problems_en=[en for _, en in problems],
        reasons_ja=proposal.reasons_ja,
        reasons_en=proposal.reasons_en,
    )
