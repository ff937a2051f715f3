"""Hashing and chain verification, without any server."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from schemas.envelope import GENESIS_HASH, EventEnvelope, canonical_json, compute_hash, verify_chain


def chain(datas: list[dict[str, Any]]) -> list[EventEnvelope]:
    events: list[EventEnvelope] = []
    prev = GENESIS_HASH
    for seq, data in enumerate(datas, start=1):
        event = EventEnvelope(
            id=f"00000000-0000-4000-8000-{seq:012d}",
            type="OnlineMeetingHeld",
            subject="engagement-2-032034",
            sequence=seq,
            time="2025-05-08T00:00:00.000000Z",
            actor="cao.tester",
            schema_version=1,
            data=data,
            prev_hash=prev,
        ).sealed()
        events.append(event)
        prev = event.hash
    return events


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


def test_canonical_json_keeps_japanese_and_sorts_keys() -> None:
    assert canonical_json({"b": "港", "a": 1}) == '{"a":1,"b":"港"}'.encode()


def test_hash_covers_prev_hash() -> None:
    [event] = chain([{"x": 1}])
    assert compute_hash(event.model_copy(update={"prev_hash": "1" * 64})) != event.hash


@given(st.lists(st.dictionaries(st.text(max_size=8), json_values, max_size=4), min_size=1, max_size=6))
def test_an_untouched_chain_verifies(datas: list[dict[str, Any]]) -> None:
    verdict = verify_chain(chain(datas))
    assert verdict.valid
    assert verdict.events == len(datas)


@given(st.lists(st.integers(), min_size=2, max_size=8), st.data())
def test_any_edit_is_found_at_the_edited_event(values: list[int], data: st.DataObject) -> None:
    events = chain([{"v": v} for v in values])
    index = data.draw(st.integers(0, len(events) - 1))
    events[index] = events[index].model_copy(update={"data": {"v": values[index] + 1}})
    verdict = verify_chain(events)
    assert not verdict.valid
    assert verdict.first_bad_sequence == index + 1


def test_a_missing_event_is_a_gap() -> None:
    events = chain([{"v": 1}, {"v": 2}, {"v": 3}])
    verdict = verify_chain([events[0], events[2]])
    assert verdict.first_bad_sequence == 2
    assert verdict.reason is not None
    assert "gap" in verdict.reason


def test_a_rehashed_edit_breaks_the_next_link() -> None:
    events = chain([{"v": 1}, {"v": 2}, {"v": 3}])
    events[1] = events[1].model_copy(update={"data": {"v": 9}}).sealed()
    verdict = verify_chain(events)
    assert verdict.first_bad_sequence == 3
