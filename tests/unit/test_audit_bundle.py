"""The signed audit bundle, built from a synthetic chain and verified offline; each tampering is named."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from schemas.audit_bundle import (
    HEADS,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    BundleStream,
    Covers,
    ServerCheck,
    SigningKey,
    build_bundle,
    file_subject,
    stream_file,
)
from schemas.audit_bundle_verify import verify_bundle
from schemas.envelope import GENESIS_HASH, EventEnvelope, verify_chain

CREATED_AT = "2026-04-01T09:00:00.000000Z"
ENGAGEMENT = "engagement-2-132012"
PERIOD = "period-2"


def chain(subject: str, n: int) -> list[EventEnvelope]:
    """`n` sealed events of one stream, each extending the previous."""
    events: list[EventEnvelope] = []
    prev = GENESIS_HASH
    for sequence in range(1, n + 1):
        event = EventEnvelope(
            id=f"{subject}-{sequence}",
            type="SiteVisitMade" if sequence > 1 else "ApplicationReceived",
            subject=subject,
            sequence=sequence,
            time=f"2025-05-{sequence:02d}T00:00:00.000000Z",
            actor="user:kanri",
            command_id=None if sequence == 2 else f"cmd-{sequence}",
            schema_version=1,
            data={"note": f"港の視察 {sequence}", "start_date": f"2025-05-{sequence:02d}"},
            prev_hash=prev,
        ).sealed()
        events.append(event)
        prev = event.hash
    assert verify_chain(events).valid
    return events


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="module")
def bundle(key: SigningKey) -> bytes:
    check = ServerCheck(chain_valid=True, seals_valid=True, seals_verified=5, unsealed=0, seal_key_id="abcd")
    streams = [
        BundleStream(PERIOD, chain(PERIOD, 3), positions=[1, 2, 9]),
        BundleStream(ENGAGEMENT, chain(ENGAGEMENT, 5), positions=[3, 4, 5, 6, 7], server_check=check),
    ]
    return build_bundle(streams, Covers(kind="period", period=2), CREATED_AT, "user:kansa", key)


def files_of(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezipped(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The files zipped again, as someone who unzipped, edited and zipped the bundle would."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def flip(data: bytes, at: int) -> bytes:
    """`data` with one byte changed (a letter stays a letter, so JSON stays readable)."""
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


class TestBuild:
    def test_the_layout_holds_every_stream_heads_manifest_signature_and_public_key(
        self, bundle: bytes, key: SigningKey
    ) -> None:
        files = files_of(bundle)

        assert set(files) == {MANIFEST, SIGNATURE, HEADS, PUBLIC_KEY, stream_file(PERIOD), stream_file(ENGAGEMENT)}
        manifest = json.loads(files[MANIFEST])
        assert manifest["covers"] == {"kind": "period", "period": 2}
        assert (manifest["created_at"], manifest["created_by"]) == (CREATED_AT, "user:kansa")
        assert manifest["key_id"] == key.key_id
        assert len(key.key_id) == 16
        assert set(manifest["files"]) == set(files) - {MANIFEST, SIGNATURE}
        assert manifest["streams"][ENGAGEMENT]["positions"] == [3, 4, 5, 6, 7]
        assert manifest["streams"][ENGAGEMENT]["server_check"]["seals_verified"] == 5
        heads = json.loads(files[HEADS])
        assert heads[ENGAGEMENT] == {"last_sequence": 5, "last_hash": chain(ENGAGEMENT, 5)[-1].hash, "count": 5}
        assert files[PUBLIC_KEY] == key.public_pem
        assert len(files[SIGNATURE]) == 64

    def test_each_line_is_the_stored_envelope_so_its_hash_recomputes(self, bundle: bytes) -> None:
        lines = files_of(bundle)[stream_file(ENGAGEMENT)].splitlines()

        events = [EventEnvelope.model_validate_json(line) for line in lines]

        assert events == chain(ENGAGEMENT, 5)
        assert verify_chain(events).valid

    def test_the_same_input_gives_the_same_bytes(self, bundle: bytes, key: SigningKey) -> None:
        streams = [BundleStream(PERIOD, chain(PERIOD, 3), positions=[1, 2, 9])]
        one = build_bundle(streams, Covers(kind="period", period=2), CREATED_AT, "user:kansa", key)
        two = build_bundle(streams, Covers(kind="period", period=2), CREATED_AT, "user:kansa", key)

        assert one == two

    def test_positions_are_left_out_when_an_event_has_none(self, key: SigningKey) -> None:
        streams = [BundleStream(ENGAGEMENT, chain(ENGAGEMENT, 2), positions=[1, None])]

        bundle = build_bundle(streams, Covers(kind="engagement", engagement_id=ENGAGEMENT), CREATED_AT, "u", key)

        assert "positions" not in json.loads(files_of(bundle)[MANIFEST])["streams"][ENGAGEMENT]
        assert verify_bundle(bundle, key.public_pem).valid

    def test_a_subject_with_any_character_is_one_file_name(self) -> None:
        for subject in ("engagement-2-132012", "reference:officials/x", "期 2"):
            path = stream_file(subject)
            assert path.count("/") == 1
            assert file_subject(path) == subject

    def test_an_empty_stream_is_refused(self, key: SigningKey) -> None:
        with pytest.raises(ValueError, match="no events"):
            build_bundle([BundleStream(PERIOD, [])], Covers(kind="period", period=2), CREATED_AT, "u", key)

    def test_the_private_key_round_trips_through_pem(self, key: SigningKey) -> None:
        again = SigningKey.from_pem(key.private_pem())

        assert (again.key_id, again.public_pem) == (key.key_id, key.public_pem)
