"""Side effects of the period workflow: running the optimiser, starting engagements, reading figures."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict, Field
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError

from schemas.commands import Command, CommandMeta, engagement_id_for
from schemas.events import (
    MunicipalityApplied,
    OfficialVolunteered,
    PeriodFigures,
    StartedEngagement,
    TeamAssigned,
)
from schemas.matching import Application, MatchingInput, Pairing, Proposal, Volunteer, Weights
from services.graph.reads.period_reads import PeriodReads
from services.i18n.catalogue import both
from services.settings import Settings
from services.workflow.engagement.start import start_operation
from services.workflow.engagement.workflow import EngagementWorkflow
from services.workflow.matching.optimiser import propose
from services.workflow.rejection import refusal

EVIDENCE_KEPT = 50


class RunMatchingInput(BaseModel):
    """The intake and the reviewer's constraints, as the workflow holds them."""

    model_config = ConfigDict(frozen=True)
    period: int
    volunteers: list[OfficialVolunteered]
    applications: list[MunicipalityApplied]
    min_team_size: int
    max_team_size: int
    weights: Weights
    locked: list[Pairing]
    excluded: list[str]
    max_deterministic_time: float
    teams: dict[str, list[str]] = Field(default_factory=dict, description="前回の提案 (修正後): 再実行の出発点")


class StartEngagementInput(BaseModel):
    """One approved team and the application it answers."""

    model_config = ConfigDict(frozen=True)
    application: MunicipalityApplied
    team: TeamAssigned
    meta: CommandMeta


def matching_input(inp: RunMatchingInput, evidence: dict[str, list[str]]) -> MatchingInput:
    """The optimiser's input: volunteers with their graph evidence, applications, rules and locks."""
    volunteers = [
        Volunteer(
            official_id=v.official.official_id,
            name=v.official.name,
            ministry=v.official.ministry,
            seniority=v.seniority,
            hometown=v.hometown,
            preferred_regions=v.preferred_regions,
            expertise=v.expertise,
            preferred_themes=v.preferred_themes,
            past_evidence=evidence.get(v.official.official_id, [])[:EVIDENCE_KEPT],
            capacity=v.capacity,
        )
        for v in inp.volunteers
    ]
    applications = [
        Application(
            municipality_code=a.municipality_code,
            municipality_name=a.municipality_name,
            prefecture=a.prefecture,
            challenges=a.challenges,
            desired_themes=a.desired_themes,
        )
        for a in inp.applications
    ]
    return MatchingInput(
        volunteers=volunteers,
        applications=applications,
        min_team_size=inp.min_team_size,
        max_team_size=inp.max_team_size,
        weights=inp.weights,
        locked=inp.locked,
        excluded=inp.excluded,
        max_deterministic_time=inp.max_deterministic_time,
        hint=[Pairing(official_id=o, municipality_code=code) for code, team in sorted(inp.teams.items()) for o in team],
    )


class PeriodActivities:
    """Built once in worker.py with the process's Temporal client, graph reads and settings."""

    def __init__(self, client: Client, reads: PeriodReads, settings: Settings) -> None:
        self._client = client
        self._reads = reads
        self._settings = settings

    @activity.defn(name="run_matching")
    async def run_matching(self, inp: RunMatchingInput) -> Proposal:
        """Read each volunteer's past evidence from the graph and run the optimiser (off the event loop)."""
        ids = [v.official.official_id for v in inp.volunteers]
        evidence = await self._reads.past_evidence(ids, inp.period)
        # The proposal is stored in the period's event with its texts in both languages: read from the catalogue here.
        return await asyncio.to_thread(propose, matching_input(inp, evidence), both)

    @activity.defn(name="start_engagement")
    async def start_engagement(self, inp: StartEngagementInput) -> StartedEngagement:
        """Apply and assign the team (Update-with-Start); fixed update ids make a retry answer once."""
        app = inp.application
        engagement_id = engagement_id_for(app.period, app.municipality_code)
        prefix = f"period-{app.period}:{app.municipality_code}"
        try:
            await self._client.execute_update_with_start_workflow(
                EngagementWorkflow.apply,
                Command[MunicipalityApplied](meta=inp.meta, payload=app),
                start_workflow_operation=start_operation(app, self._settings),
                id=f"{prefix}:apply",
            )
        except WorkflowUpdateFailedError as err:
            details = refusal(err)
            if details is None:
                raise
            if details.get("code") != "already_applied":
                return StartedEngagement(
                    engagement_id=engagement_id, municipality_code=app.municipality_code, problem=details["en"]
                )
        except WorkflowAlreadyStartedError:
            return StartedEngagement(
                engagement_id=engagement_id, municipality_code=app.municipality_code, problem="the engagement has ended"
            )
        handle = self._client.get_workflow_handle_for(EngagementWorkflow.run, engagement_id)
        try:
            receipt = await handle.execute_update(
                EngagementWorkflow.assign_team,
                Command[TeamAssigned](meta=inp.meta, payload=inp.team),
                id=f"{prefix}:assign",
            )
        except WorkflowUpdateFailedError as err:
            details = refusal(err)
            if details is None:
                raise
            return StartedEngagement(
                engagement_id=engagement_id, municipality_code=app.municipality_code, problem=details["en"]
            )
        return StartedEngagement(
            engagement_id=engagement_id, municipality_code=app.municipality_code, team_event_id=receipt.event_id
        )

    @activity.defn(name="period_figures")
    async def period_figures(self, period: int) -> PeriodFigures:
        """支援状況 and 支援官の声 of the period, from the graph."""
        return await self._reads.figures(period)
