"""Every side effect of the engagement workflow: writing its events to Neo4j."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from temporalio import activity
from temporalio.exceptions import ApplicationError

from schemas.envelope import EventEnvelope
from services.graph.errors import ChainConflict
from services.graph.store.event_store import EventStore


class RecordEventInput(BaseModel):
    """The event to store, hashed onto its stream."""

    model_config = ConfigDict(frozen=True)
    event: EventEnvelope


class RecordEventResult(BaseModel):
    """Whether this attempt stored the event, and the event stored at its position.

    `stored` is what the workflow carries on with: the event itself, the same command's event hashed by an
    earlier attempt, or another command's event written by a workflow task whose completion was lost.
    It is absent from results recorded before it existed (replayed histories), where it was the event.
    """

    model_config = ConfigDict(frozen=True)
    created: bool
    stored: EventEnvelope | None = None


class EngagementActivities:
    """Activities built once in worker.py with the process's event store."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    @activity.defn(name="record_event")
    async def record_event(self, inp: RecordEventInput) -> RecordEventResult:
        """Append the event to its stream and apply its projection, in one transaction."""
        try:
            stored = await self._store.append(inp.event)
        except ChainConflict as err:
            raise ApplicationError(str(err), type="ChainConflict", non_retryable=True) from err
        return RecordEventResult(created=stored.created, stored=stored.event)
