"""Audit bundles from the stored log: each stream's events exactly as stored, the server's keyed check, signed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from neo4j import AsyncDriver

from schemas.audit_bundle import BundleStream, Covers, ServerCheck, SigningKey, build_bundle
from schemas.envelope import format_time
from services.graph.reads.reader import GraphReader
from services.graph.store import audit_bundle_queries as aq
from services.graph.store import event_queries as q
from services.graph.store.event_store import envelope_from_node
from services.graph.store.feed_queries import POSITION
from services.graph.store.seal import ChainKey, StoredSeal, verify_sealed


class AuditBundles(GraphReader):
    """Makes signed bundles of an engagement's or a period's streams; one per process."""

    def __init__(self, driver: AsyncDriver, database: str, chain_key: ChainKey, signing_key: SigningKey) -> None:
        super().__init__(driver, database)
        self._chain_key = chain_key
        self.signing_key = signing_key

    async def _stream(self, subject: str) -> BundleStream | None:
        nodes = [row["event"] for row in await self._read(q.STREAM_EVENTS, subject=subject)]
        if not nodes:
            return None
        events = [envelope_from_node(node) for node in nodes]
        verdict = verify_sealed(events, [StoredSeal.from_node(node) for node in nodes], self._chain_key)
        seals = verdict.seals
        check = None
        if seals is not None:
            check = ServerCheck(
                chain_valid=seals.chain_valid,
                seals_valid=seals.valid,
                seals_verified=seals.verified,
                unsealed=seals.unsealed,
                seal_key_id=seals.key_id,
            )
        positions = [node.get(POSITION) for node in nodes]
        return BundleStream(subject, events, positions, check)

    async def _bundle(self, subjects: Sequence[str], covers: Covers, actor: str) -> bytes | None:
        streams = [stream for subject in subjects if (stream := await self._stream(subject)) is not None]
        if not streams or streams[0].subject != subjects[0]:
            return None
        created_at = format_time(datetime.now(UTC))
        return await asyncio.to_thread(build_bundle, streams, covers, created_at, actor, self.signing_key)

    async def engagement(self, engagement_id: str, actor: str) -> bytes | None:
        """The bundle of one engagement's stream, or None when it has no events."""
        covers = Covers(kind="engagement", engagement_id=engagement_id)
        return await self._bundle([engagement_id], covers, actor)

    async def period(self, period: int, period_subject: str, actor: str) -> bytes | None:
        """The bundle of a period's stream and every engagement stream of that period, or None when the period
        has no events."""
        engagements = [str(row["id"]) for row in await self._read(aq.PERIOD_ENGAGEMENTS, period=period)]
        return await self._bundle([period_subject, *engagements], Covers(kind="period", period=period), actor)
