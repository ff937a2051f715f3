"""Who read what: the access log, an append-only hash-chained stream of :Access records in Neo4j.

Several API processes append at once. Each append is one statement that locks the head node
(:AccessHead), checks that the record extends exactly that head, creates it and moves the head, in one
transaction; a record chained after a stale head writes nothing and is chained again after the head the
statement returned. Access.sequence is unique, so no two records can ever share a position (no fork),
and the head only moves by one (no gap). Each record is sealed with the chain key, like an event.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import ConstraintError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from opentelemetry import trace
from pydantic import ValidationError

from schemas.access_log import (
    ACCESS_STREAM,
    AccessChainVerdict,
    AccessEntry,
    AccessLogPage,
    AccessRecord,
    chain_break,
    chained,
)
from schemas.envelope import GENESIS_HASH
from services.graph.errors import GraphError, GraphUnavailable
from services.graph.store import access_log_queries as q
from services.graph.store.seal import SEAL, SEAL_KEY_ID, ChainKey, StoredSeal, seal_fault, seal_params

tracer = trace.get_tracer("banso.graph")

# Appends that met a newer head before giving up; each attempt is one statement, so under any realistic
# contention (a handful of API processes) a record lands in a few attempts.
MAX_ATTEMPTS = 100
VERIFY_PAGE = 5000
MAX_BATCH = 200  # records per transaction at most


class AccessLogContention(GraphError):
    """The record could not be chained after the head in MAX_ATTEMPTS attempts (safe to retry)."""


@dataclass(frozen=True)
class _Head:
    sequence: int
    hash: str


GENESIS = _Head(0, GENESIS_HASH)


def record_params(record: AccessRecord, chain_key: ChainKey) -> dict[str, Any]:
    """The :Access node's properties: the record and its seal (nulls left out, as Neo4j stores them)."""
    props = {k: v for k, v in record.model_dump(mode="json").items() if v is not None}
    return props | seal_params(chain_key, record.hash)


def record_from_node(props: dict[str, Any]) -> AccessRecord:
    """The record a stored :Access node holds (its seal is read separately)."""
    return AccessRecord.model_validate({k: v for k, v in props.items() if k not in (SEAL, SEAL_KEY_ID)})


async def _extend(tx: AsyncManagedTransaction, records: list[AccessRecord], chain_key: ChainKey) -> _Head:
    result = await tx.run(
        q.APPEND_ACCESS,
        records=[record_params(r, chain_key) for r in records],
        first_sequence=records[0].sequence,
        first_prev_hash=records[0].prev_hash,
        last_sequence=records[-1].sequence,
        last_hash=records[-1].hash,
        stream=ACCESS_STREAM,
        genesis=GENESIS_HASH,
    )
    found = await result.single(strict=True)
    return _Head(int(found["head_sequence"]), str(found["head_hash"]))


def chain_after(head: _Head, entries: list[AccessEntry]) -> list[AccessRecord]:
    """`entries` as consecutive records after `head`."""
    records: list[AccessRecord] = []
    for entry in entries:
        last = _Head(records[-1].sequence, records[-1].hash) if records else head
        records.append(chained(entry, last.sequence + 1, last.hash))
    return records


Waiting = tuple[AccessEntry, "asyncio.Future[AccessRecord]"]


class AccessLog:
    """Appends access records and reads them back; one per process (it remembers the head it last saw).

    Group commit: the records of concurrent requests in this process are written together, one
    transaction for all that are waiting when the previous one commits, so a burst of reads waits for
    one round trip each rather than for one another's.
    """

    def __init__(self, driver: AsyncDriver, database: str, chain_key: ChainKey) -> None:
        self._driver = driver
        self._database = database
        self._chain_key = chain_key
        self._head: _Head | None = None
        self._waiting: list[Waiting] = []
        self._lock = asyncio.Lock()  # one writer per process: the others' records go in its next batch

    async def append(self, entry: AccessEntry) -> AccessRecord:
        """Store `entry` as a next record, committed when this returns; GraphUnavailable when Neo4j is down."""
        with tracer.start_as_current_span(
            "neo4j.record_access",
            kind=trace.SpanKind.CLIENT,
            attributes={"db.system": "neo4j", "db.namespace": self._database, "db.operation.name": "record_access"},
        ) as span:
            done: asyncio.Future[AccessRecord] = asyncio.get_running_loop().create_future()
            self._waiting.append((entry, done))
            while not done.done():
                async with self._lock:
                    if not done.done():  # else a batch written while this one waited held it
                        await self._write_waiting()
            record = done.result()
            span.set_attribute("banso.access.sequence", record.sequence)
            return record

    async def _write_waiting(self) -> None:
        batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
        try:
            records = await self._append([entry for entry, _ in batch])
        except BaseException as err:
            # Cancelled mid-write (committed or not) or failed: every waiter of the batch answers 503.
            interrupted = GraphUnavailable("the access record's write was interrupted")
            failure = err if isinstance(err, Exception) else interrupted
            for _, done in batch:
                if not done.done():
                    done.set_exception(failure)
            if not isinstance(err, Exception):
                raise
            return
        for (_, done), record in zip(batch, records, strict=True):
            if not done.done():
                done.set_result(record)

    async def _append(self, entries: list[AccessEntry]) -> list[AccessRecord]:
        head = self._head or await self.head() or GENESIS
        for attempt in range(1, MAX_ATTEMPTS + 1):
            records = chain_after(head, entries)
            try:
                async with self._driver.session(database=self._database) as session:
                    found = await session.execute_write(_extend, records, self._chain_key)
            except ConstraintError:
                # Only a head that disagrees with its records gets here; read the head again.
                self._head = None
                head = await self.head() or GENESIS
                continue
            except (ServiceUnavailable, SessionExpired) as err:
                self._head = None
                raise GraphUnavailable(f"Neo4j unavailable while recording an access: {err}") from err
            except (Neo4jError, DriverError) as err:
                self._head = None
                raise GraphError(f"Neo4j rejected an access record: {err}") from err
            if found == _Head(records[0].sequence - 1, records[0].prev_hash):
                self._head = _Head(records[-1].sequence, records[-1].hash)
                span = trace.get_current_span()
                span.set_attribute("banso.access.attempts", attempt)
                span.set_attribute("banso.access.batch", len(records))
                return records
            head = found  # another process appended first: chain after its record
        self._head = None
        raise AccessLogContention(f"no access record after {MAX_ATTEMPTS} attempts")

    async def head(self) -> _Head | None:
        """The head node (the last record's sequence and hash), or None before the first record."""
        records = await self._read(q.ACCESS_HEAD, stream=ACCESS_STREAM)
        if not records:
            return None
        return _Head(int(records[0]["sequence"]), str(records[0]["hash"]))

    async def _read(self, query: str, **params: Any) -> list[Any]:
        try:
            records, _, _ = await self._driver.execute_query(
                query, params, database_=self._database, routing_=RoutingControl.READ
            )
        except (ServiceUnavailable, SessionExpired) as err:
            raise GraphUnavailable(str(err)) from err
        return list(records)

    async def _nodes(self, after: int, limit: int, actor: str | None, obj: str | None) -> list[dict[str, Any]]:
        rows = await self._read(q.ACCESS_PAGE, after=after, limit=limit, actor=actor, object=obj)
        return [dict(r["record"]) for r in rows]

    async def page(
        self, *, after: int = 0, actor: str | None = None, obj: str | None = None, limit: int = 100
    ) -> AccessLogPage:
        """Records after sequence `after`, oldest first, optionally by one actor or about one object."""
        nodes = await self._nodes(after, limit, actor, obj)
        records = [record_from_node(n) for n in nodes]
        more = len(records) == limit
        return AccessLogPage(records=records, next_after=records[-1].sequence if more else None)

    def _fault(self, node: dict[str, Any], expected: int, prev: str) -> tuple[int, str] | None:
        """Why the stored node at position `expected` (after the hash `prev`) breaks the log, or None."""
        try:
            record = record_from_node(node)
        except ValidationError as err:
            return expected, f"record #{expected} is unreadable: {err.errors()[0]['msg']}"
        broken = chain_break([record], first_sequence=expected, prev=prev)
        if broken is not None:
            return broken
        stored = StoredSeal.from_node(node)
        if stored.seal is None and stored.key_id is None:
            return expected, f"record #{expected} has no seal (every access record is sealed: it was removed)"
        fault = seal_fault(record, stored, self._chain_key, sealed_before=True, noun="record")
        return (expected, f"the hash chain is consistent, but {fault}") if fault else None

    async def verify(self) -> AccessChainVerdict:
        """Recompute the whole log page by page (sequence, links, hashes, seals) and check the head closes it.

        Reports the first record that breaks it; records after that one are not checked.
        """
        prev, expected = GENESIS_HASH, 1
        bad: tuple[int, str] | None = None
        while bad is None:
            nodes = await self._nodes(expected - 1, VERIFY_PAGE, None, None)
            for node in nodes:
                bad = self._fault(node, expected, prev)
                if bad is not None:
                    break
                prev, expected = str(node["hash"]), expected + 1
            if len(nodes) < VERIFY_PAGE:
                break
        head = await self.head()
        last = expected - 1
        if bad is None and head is not None and (head.sequence, head.hash) != (last, prev):
            bad = (
                min(head.sequence, last) + 1,
                f"the head names record #{head.sequence} but the log ends at #{last}: "
                "records were removed from its end, or the head was edited",
            )
        elif bad is None and head is None and last:
            bad = (1, "the log has records but no head")
        return AccessChainVerdict(
            valid=bad is None,
            records=last,
            first_bad_sequence=bad[0] if bad else None,
            reason=bad[1] if bad else None,
            head_hash=prev if last else None,
            head_sequence=head.sequence if head else None,
            key_id=self._chain_key.key_id,
        )
