"""Seals (HMAC of each event's hash) and the chain key file, without any server."""

from __future__ import annotations

import hashlib
import hmac
import io
import stat
from pathlib import Path

import pytest
from rich.console import Console

from banso.verify_report import report_verdict
from schemas.envelope import EventEnvelope, verify_chain
from services.graph.store.chain_key import ChainKeyError, chain_key_path, create_chain_key, load_or_create_chain_key
from services.graph.store.event_store import envelope_from_node, event_params
from services.graph.store.seal import ChainKey, StoredSeal, check_seals, seal_params, sealed_verdict, verify_sealed
from services.settings import Settings
from tests.forgery import rewritten
from tests.unit.test_chain import chain

KEY = ChainKey(bytes(range(32)))
OTHER = ChainKey(b"\xff" * 32)


def events(n: int = 5) -> list[EventEnvelope]:
    return chain([{"n": i} for i in range(n)])


def sealed(evs: list[EventEnvelope], key: ChainKey = KEY) -> list[StoredSeal]:
    return [StoredSeal(key.seal(e.hash), key.key_id) for e in evs]


def test_the_seal_is_hmac_sha256_of_the_hash_and_the_key_id_is_public() -> None:
    digest = "ab" * 32
    assert KEY.seal(digest) == hmac.new(bytes(range(32)), digest.encode(), hashlib.sha256).hexdigest()
    assert KEY.key_id == hashlib.sha256(bytes(range(32))).hexdigest()[:16]
    assert KEY.seals(digest, KEY.seal(digest))
    assert not OTHER.seals(digest, KEY.seal(digest))
    assert "secret" not in repr(KEY)
    assert seal_params(KEY, digest) == {"seal": KEY.seal(digest), "seal_key_id": KEY.key_id}


def test_the_node_carries_the_seal_and_the_envelope_does_not() -> None:
    [event] = events(1)
    params = event_params(event, KEY)
    assert (params["seal"], params["seal_key_id"]) == (KEY.seal(event.hash), KEY.key_id)
    assert envelope_from_node(params) == event
    assert StoredSeal.from_node(params) == StoredSeal(KEY.seal(event.hash), KEY.key_id)
    assert StoredSeal.from_node({"hash": event.hash}) == StoredSeal(None, None)


def test_a_sealed_stream_verifies() -> None:
    evs = events()
    verdict = verify_sealed(evs, sealed(evs), KEY)
    assert verdict.valid
    assert verdict.seals is not None
    assert (verdict.seals.valid, verdict.seals.verified, verdict.seals.unsealed) == (True, 5, 0)
    assert verdict.seals.key_matches


def test_events_stored_before_sealing_are_reported_unsealed_not_failed() -> None:
    evs = events()
    seals = [StoredSeal(None, None)] * 2 + sealed(evs)[2:]
    seal = check_seals(evs, seals, KEY, chain_valid=True)
    assert (seal.valid, seal.verified, seal.unsealed, seal.bad) == (True, 3, 2, 0)


def test_a_rewrite_with_a_recomputed_chain_is_caught_by_the_seals() -> None:
    evs = events()
    seals = sealed(evs)
    forged = rewritten(evs, 3, {"n": 99})
    assert verify_chain(forged).valid
    verdict = verify_sealed(forged, seals, KEY)
    assert not verdict.valid
    assert verdict.first_bad_sequence == 3
    assert verdict.seals is not None
    assert verdict.seals.chain_valid
    assert (verdict.seals.verified, verdict.seals.bad, verdict.seals.first_bad_sequence) == (2, 3, 3)
    assert "altered by someone without the key" in (verdict.reason or "")
    assert "hash chain is consistent" in (verdict.reason or "")


def test_a_removed_seal_after_sealed_events_is_bad() -> None:
    evs = events()
    seals = sealed(evs)
    seals[3] = StoredSeal(None, None)
    seal = check_seals(evs, seals, KEY, chain_valid=True)
    assert (seal.valid, seal.first_bad_sequence, seal.unsealed) == (False, 4, 0)
    assert "removed" in (seal.reason or "")


def test_seals_of_another_key_or_partial_seals_cannot_vouch() -> None:
    evs = events(3)
    other = check_seals(evs, sealed(evs, OTHER), KEY, chain_valid=True)
    assert (other.valid, other.key_matches, other.bad, other.first_bad_sequence) == (False, False, 3, 1)
    partial = check_seals(evs, [*sealed(evs)[:2], StoredSeal(KEY.seal(evs[2].hash), None)], KEY, chain_valid=True)
    assert (partial.valid, partial.first_bad_sequence) == (False, 3)


def test_garbage_written_into_hashes_and_seals_is_reported_not_crashed() -> None:
    evs = events(2)
    garbage = [evs[0].model_copy(update={"hash": "港"}), evs[1]]
    verdict = verify_sealed(garbage, [StoredSeal("港", KEY.key_id), StoredSeal("", KEY.key_id)], KEY)
    assert (verdict.valid, verdict.first_bad_sequence) == (False, 1)
    assert verdict.seals is not None
    assert verdict.seals.bad == 2


def test_a_broken_chain_keeps_its_own_reason() -> None:
    evs = events()
    seals = sealed(evs)
    edited = [*evs[:2], evs[2].model_copy(update={"data": {"n": 99}}), *evs[3:]]
    verdict = verify_sealed(edited, seals, KEY)
    assert (verdict.valid, verdict.first_bad_sequence) == (False, 3)
    assert "content does not match its hash" in (verdict.reason or "")
    assert verdict.seals is not None
    assert not verdict.seals.chain_valid
    assert verdict.seals.valid  # the stored hash still carries its seal; the content is what changed


def test_sealed_verdict_keeps_a_clean_chain_valid() -> None:
    evs = events(2)
    chain_verdict = verify_chain(evs)
    seal = check_seals(evs, sealed(evs), KEY, chain_valid=True)
    assert sealed_verdict(chain_verdict, seal) == chain_verdict.model_copy(update={"seals": seal})


def test_verify_prints_each_verdict_and_fails_on_a_wrong_seal() -> None:
    evs = events()
    out = io.StringIO()
    console = Console(file=out, width=200)
    assert report_verdict(console, "s", verify_sealed(evs, sealed(evs), KEY))
    assert not report_verdict(console, "s", verify_sealed(rewritten(evs, 2, {"n": 7}), sealed(evs), KEY))
    legacy = verify_sealed(evs, [StoredSeal(None, None)] * 5, KEY)
    assert report_verdict(console, "s", legacy)
    assert not report_verdict(console, "s", legacy, require_sealed=True)
    text = out.getvalue()
    assert "✓ sealed" in text
    assert "✗ seal wrong" in text
    assert "altered by someone without the key" in text
    assert "5 events stored before sealing existed" in text


def local(tmp_path: Path, **update: object) -> Settings:
    return Settings(data_dir=tmp_path).model_copy(update=update)


def test_the_local_stack_creates_a_private_key_once(tmp_path: Path) -> None:
    settings = local(tmp_path)
    key = load_or_create_chain_key(settings)
    path = chain_key_path(settings)
    assert path == tmp_path / "keys" / "chain.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(bytes.fromhex(path.read_text())) == 32
    assert load_or_create_chain_key(settings) == key
    create_chain_key(path)  # a second creator (a racing process) keeps the first key
    assert load_or_create_chain_key(settings) == key
    assert [p.name for p in path.parent.iterdir()] == ["chain.key"]


def test_the_tests_and_the_stacks_children_count_as_local(tmp_path: Path) -> None:
    settings = local(tmp_path, neo4j_port=7999, neo4j_uri="bolt://127.0.0.1:7999")
    assert load_or_create_chain_key(settings).key_id


def test_against_a_remote_neo4j_the_key_must_be_provided(tmp_path: Path) -> None:
    settings = local(tmp_path, neo4j_uri="neo4j://graph.example:7687")
    with pytest.raises(ChainKeyError, match="must be provided"):
        load_or_create_chain_key(settings)
    provided = tmp_path / "provided.key"
    provided.write_text(KEY.secret.hex())
    provided.chmod(0o600)
    assert load_or_create_chain_key(local(tmp_path, neo4j_uri="neo4j://g:7687", chain_key_file=provided)) == KEY


def test_a_short_or_unreadable_key_is_refused(tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_text("abcd")
    with pytest.raises(ChainKeyError, match="shorter"):
        load_or_create_chain_key(local(tmp_path, chain_key_file=short))
    short.write_text("not hex")
    with pytest.raises(ChainKeyError, match="cannot read"):
        load_or_create_chain_key(local(tmp_path, chain_key_file=short))
