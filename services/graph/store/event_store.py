"""The audit record: each event appended to its stream and projected, in one Neo4j transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, Record, RoutingControl
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError
from opentelemetry import trace

from schemas.api_views import EngagementLog
from schemas.envelope import GENESIS_HASH, EventEnvelope
from services.graph.errors import ChainConflict, GraphError, GraphUnavailable
from services.graph.projection.plan import Statement, plan
from services.graph.store import event_queries as q
from services.graph.store.event_write import guarded_write
from services.graph.store.feed_queries import ASSIGN_POSITION, POSITION
from services.graph.store.group_commit import GroupCommit
from services.graph.store.seal import SEAL, SEAL_KEY_ID, ChainKey, StoredSeal, seal_params, verify_sealed

tracer = trace.get_tracer("banso.graph")
# Stored on the :Event node beside the envelope: its seal, and its place in the global feed.
NOT_ENVELOPE = frozenset({SEAL, SEAL_KEY_ID, POSITION})
# At most this many events in one transaction (group commit): enough for every engagement of a busy worker.
MAX_BATCH = 32


def event_params(event: EventEnvelope, chain_key: ChainKey) -> dict[str, Any]:
    """The :Event node's properties for `event`, with its seal (not part of the envelope)."""
    params = event.model_dump(mode="json")
    # Stored as canonical text, so the verifier reads back exactly what was hashed.
    params["data"] = json.dumps(event.data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return params | seal_params(chain_key, event.hash)


def envelope_from_node(props: dict[str, Any]) -> EventEnvelope:
    """Rebuild the envelope from a stored :Event node's properties."""
    fields = {name: value for name, value in props.items() if name not in NOT_ENVELOPE}
    try:
        fields["data"] = json.loads(fields["data"])
    except (TypeError, ValueError):
        # Unreadable data still yields an envelope, so the chain check reports it instead of crashing.
        fields["data"] = {"unreadable": str(fields.get("data"))}
    return EventEnvelope.model_validate(fields)


@dataclass(frozen=True)
class Stored:
    """The event at the position a write asked for, and whether that write created it."""

    event: EventEnvelope
    created: bool


def _guarded(event: EventEnvelope, statements: list[Statement], chain_key: ChainKey) -> Statement:
    """The one statement that stores `event` with its projection, only where it extends its stream."""
    key = {"id": event.id, "subject": event.subject, "sequence": event.sequence, "prev_hash": event.prev_hash}
    return guarded_write(
        key,
        [
            Statement(q.APPEND_EVENT, event_params(event, chain_key)),
            *statements,
            Statement(ASSIGN_POSITION, {"id": event.id}),
        ],
    )


def _stored(event: EventEnvelope, found: Record) -> Stored:
    """What the guarded write found: the event it created, or the one at its position; ChainConflict when
    it wrote nothing because `event` does not extend its stream."""
    if found["taken"]:
        stored = envelope_from_node(found["stored"])
        if stored.prev_hash != event.prev_hash:
            raise ChainConflict(
                f"event {event.subject}#{event.sequence} is stored after another head "
                "(the log and the workflow disagree before this event)"
            )
        return Stored(stored, created=False)
    if found["existing_hash"] is not None:
        raise ChainConflict(f"event id {event.id} is already stored at another position")
    extends = found["prev_hash"] == event.prev_hash if found["prev_hash"] is not None else event.sequence == 1
    if not extends or (event.sequence == 1 and event.prev_hash != GENESIS_HASH):
        matches = found["prev_hash"] == event.prev_hash
        raise ChainConflict(
            f"event {event.subject}#{event.sequence} does not extend its stream "
            f"(#{event.sequence - 1} missing or previous hash differs: {not matches})"
        )
    return Stored(event, created=True)


async def _append(tx: AsyncManagedTransaction, write: Statement) -> Record:
    return await (await tx.run(write.query, write.params)).single(strict=True)


async def _append_all(tx: AsyncManagedTransaction, writes: list[Statement]) -> list[Record]:
    """Each event's guarded write in turn, in one transaction: a write that finds its position taken or its
    chain broken writes nothing, so it never spoils the others (its caller is told from its record)."""
    return [await _append(tx, write) for write in writes]


def _answer(event: EventEnvelope, found: Record) -> Stored | BaseException:
    try:
        return _stored(event, found)
    except ChainConflict as err:
        return err


def _graph_error(event: EventEnvelope, err: Exception) -> GraphError:
    if isinstance(err, GraphError):
        return err
    if isinstance(err, (ServiceUnavailable, SessionExpired, TransientError)):
        return GraphUnavailable(f"Neo4j unavailable while recording {event.id}: {err}")
    return GraphError(f"Neo4j rejected event {event.id}: {err}")


class EventStore:
    """Appends events with their projection and reads streams back; one per process."""

    def __init__(self, driver: AsyncDriver, database: str, chain_key: ChainKey) -> None:
        self._driver = driver
        self._database = database
        self._chain_key = chain_key
        self.group = GroupCommit[EventEnvelope, Stored](lambda events: self._write_batch(events), MAX_BATCH)

    async def record(self, event: EventEnvelope) -> bool:
        """Store `event` and its projection atomically; False when its position was already taken."""
        return (await self.append(event)).created

    async def append(self, event: EventEnvelope) -> Stored:
        """Store `event` and its projection atomically, or return the event already stored at its position.

        The stored event may differ from `event` (a retried workflow task built and hashed it again at another time,
        or another command's event was stored by a task whose completion was lost); it always extends the
        same previous event, or this raises ChainConflict.

        Events appended while another transaction of this store is in flight (other engagements' workflows,
        on this worker) are written together in the next one (group commit): each still by its own guarded
        write, each answered with its own result; a batch Neo4j refuses as a whole is written again event by
        event, so an error reaches only the event it belongs to.
        """
        with tracer.start_as_current_span(
            "neo4j.record_event",
            kind=trace.SpanKind.CLIENT,
            attributes={
                "db.system": "neo4j",
                "db.namespace": self._database,
                "db.operation.name": "record_event",
                "banso.event.type": event.type,
                "banso.event.subject": event.subject,
                "banso.event.sequence": event.sequence,
            },
        ) as span:
            stored = await self.group.submit(event)
            span.set_attribute("banso.event.created", stored.created)
            return stored

    async def _write_batch(self, events: list[EventEnvelope]) -> list[Stored | BaseException]:
        """Write `events` in one transaction; each is answered with its Stored or the error meant for it."""
        writes: list[Statement | BaseException] = []
        for event in events:
            try:
                writes.append(_guarded(event, plan(event), self._chain_key))
            except Exception as err:  # an event that cannot be planned fails alone, with its own error
                writes.append(err)
        ready = [write for write in writes if isinstance(write, Statement)]
        if len(ready) > 1:
            try:
                async with self._driver.session(database=self._database) as session:
                    records = iter(await session.execute_write(_append_all, ready))
            except (ServiceUnavailable, SessionExpired, TransientError) as err:  # down past the retries: all fail now
                return [
                    _graph_error(e, err) if isinstance(w, Statement) else w for e, w in zip(events, writes, strict=True)
                ]
            except (Neo4jError, DriverError):  # refused as a whole: write them one by one, each its own answer
                pass
            else:
                return [
                    _answer(e, next(records)) if isinstance(w, Statement) else w
                    for e, w in zip(events, writes, strict=True)
                ]
        return [
            await self._write_one(e, w) if isinstance(w, Statement) else w for e, w in zip(events, writes, strict=True)
        ]

    async def _write_one(self, event: EventEnvelope, write: Statement) -> Stored | BaseException:
        try:
            async with self._driver.session(database=self._database) as session:
                record = await session.execute_write(_append, write)
        except (Neo4jError, DriverError) as err:
            return _graph_error(event, err)
        return _answer(event, record)

    async def _nodes(self, subject: str) -> list[dict[str, Any]]:
        try:
            records, _, _ = await self._driver.execute_query(
                q.STREAM_EVENTS, subject=subject, database_=self._database, routing_=RoutingControl.READ
            )
        except (ServiceUnavailable, SessionExpired) as err:
            raise GraphUnavailable(str(err)) from err
        return [r["event"] for r in records]

    async def stream(self, subject: str) -> list[EventEnvelope]:
        """Every stored event of one stream, in sequence order."""
        return [envelope_from_node(node) for node in await self._nodes(subject)]

    async def subjects(self) -> list[str]:
        """Every stream that has events."""
        try:
            records, _, _ = await self._driver.execute_query(
                q.STREAM_SUBJECTS, database_=self._database, routing_=RoutingControl.READ
            )
        except (ServiceUnavailable, SessionExpired) as err:
            raise GraphUnavailable(str(err)) from err
        return [str(r["subject"]) for r in records]

    async def verified_log(self, subject: str) -> EngagementLog | None:
        """The stream's events with the verdict of the hash chain and the seals, or None when it has no events.

        A seal that does not match makes the log invalid even when the unkeyed chain is consistent.
        """
        nodes = await self._nodes(subject)
        if not nodes:
            return None
        events = [envelope_from_node(node) for node in nodes]
        verdict = verify_sealed(events, [StoredSeal.from_node(node) for node in nodes], self._chain_key)
        return EngagementLog(engagement_id=subject, chain_valid=verdict.valid, chain=verdict, events=events)
