"""Group commit in the event store: events appended together share one transaction, each answered alone."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from neo4j import AsyncDriver

from schemas.envelope import EventEnvelope, format_time, parse_time
from services.graph.errors import ChainConflict
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.settings import Settings
from tests.conftest import new_municipality_code
from tests.faults.ledger import stray_meeting
from tests.integration.flows import MEETING, advance, event_log

pytestmark = pytest.mark.servers


def broken(head: EventEnvelope) -> EventEnvelope:
    """A meeting two positions past `head`: it extends nothing, so its write must store nothing."""
    skipped = stray_meeting(head, MEETING)
    return skipped.model_copy(
        update={"sequence": head.sequence + 2, "time": format_time(parse_time(head.time) + timedelta(seconds=2))}
    ).sealed()


async def test_one_transaction_holds_several_streams_and_refuses_only_the_bad_event(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
) -> None:
    first = await advance(api, municipality_code, "kickoff")
    second = await advance(api, new_municipality_code(), "kickoff")
    store = EventStore(driver, clean.neo4j_database, load_or_create_chain_key(clean))
    head_a = (await store.stream(first))[-1]
    head_b = (await store.stream(second))[-1]
    a1 = stray_meeting(head_a, MEETING | {"notes": "一件目"})
    a2 = stray_meeting(a1, MEETING | {"notes": "二件目"})  # the same stream, after a1 in the same batch
    b_bad = broken(head_b)
    batches = store.group.batches

    results = await asyncio.gather(*(store.append(e) for e in (a1, b_bad, a2)), return_exceptions=True)

    assert store.group.batches == batches + 1, "the three events were not written together"
    assert [getattr(r, "created", None) for r in results] == [True, None, True]
    assert isinstance(results[1], ChainConflict)
    assert [e.id for e in (await store.stream(first))[-2:]] == [a1.id, a2.id]
    assert (await store.stream(second))[-1].id == head_b.id, "the refused event was written"
    for eid in (first, second):
        assert (await event_log(api, eid))["chain_valid"] is True


async def test_an_event_appended_again_in_one_batch_is_stored_once(
    api: httpx.AsyncClient, driver: AsyncDriver, clean: Settings, municipality_code: str
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    store = EventStore(driver, clean.neo4j_database, load_or_create_chain_key(clean))
    event = stray_meeting((await store.stream(eid))[-1], MEETING)

    first, again = await asyncio.gather(store.append(event), store.append(event))

    assert (first.created, again.created) == (True, False)
    assert again.event.hash == event.hash
    assert (await store.stream(eid))[-1].id == event.id
    assert (await event_log(api, eid))["chain_valid"] is True
