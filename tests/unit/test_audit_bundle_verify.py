"""Verifying an audit bundle offline: a good one passes; one byte changed anywhere is found and named."""

from __future__ import annotations

import json

import pytest

from schemas.audit_bundle import HEADS, MANIFEST, PUBLIC_KEY, SIGNATURE, SigningKey, sha256_hex, stream_file
from schemas.audit_bundle_verify import Failure, Problem, verify_bundle
from tests.unit.test_audit_bundle import ENGAGEMENT, PERIOD, bundle, files_of, flip, key, rezipped

__all__ = ["bundle", "key"]  # the fixtures, shared with test_audit_bundle.py


def data_offset(line: bytes) -> int:
    """Where, in one events line, a letter of the event's data is (inside the note's text)."""
    return line.index(b'"start_date":"2025') + len(b'"start_')


def events_with_byte_changed(bundle: bytes, subject: str, sequence: int) -> dict[str, bytes]:
    files = files_of(bundle)
    lines = files[stream_file(subject)].splitlines(keepends=True)
    lines[sequence - 1] = flip(lines[sequence - 1], data_offset(lines[sequence - 1]))
    return files | {stream_file(subject): b"".join(lines)}


class TestVerify:
    def test_a_bundle_as_built_verifies_with_the_trusted_key(self, bundle: bytes, key: SigningKey) -> None:
        verdict = verify_bundle(bundle, key.public_pem)

        assert verdict.valid, verdict.problems
        assert (verdict.key_source, verdict.key_id) == ("given", key.key_id)
        assert (verdict.streams, verdict.events) == (2, 8)
        assert verdict.manifest is not None
        assert verdict.manifest.covers.period == 2

    def test_without_a_trusted_key_the_embedded_one_is_used_and_said_so(self, bundle: bytes) -> None:
        verdict = verify_bundle(bundle)

        assert verdict.valid
        assert verdict.key_source == "embedded"

    def test_one_byte_of_an_events_data_names_that_event(self, bundle: bytes, key: SigningKey) -> None:
        tampered = rezipped(events_with_byte_changed(bundle, ENGAGEMENT, 3))

        verdict = verify_bundle(tampered, key.public_pem)

        assert not verdict.valid
        assert verdict.first == Problem(
            failure=Failure.HASH_MISMATCH, file=stream_file(ENGAGEMENT), stream=ENGAGEMENT, sequence=3
        )
        assert len(verdict.problems) == 1  # the signature and the other stream still hold

    def test_one_byte_changed_in_the_zip_file_itself_names_the_event(self, bundle: bytes, key: SigningKey) -> None:
        line = files_of(bundle)[stream_file(PERIOD)].splitlines()[1]
        at = bundle.index(line) + data_offset(line)

        verdict = verify_bundle(flip(bundle, at), key.public_pem)

        assert verdict.first is not None
        assert (verdict.first.failure, verdict.first.stream, verdict.first.sequence) == (
            Failure.HASH_MISMATCH,
            PERIOD,
            2,
        )

    def test_a_recomputed_chain_still_fails_its_digest_and_head(self, bundle: bytes, key: SigningKey) -> None:
        files = files_of(bundle)
        lines = files[stream_file(PERIOD)].splitlines(keepends=True)

        verdict = verify_bundle(rezipped(files | {stream_file(PERIOD): b"".join(lines[:2])}), key.public_pem)

        assert [(p.failure, p.file, p.stream) for p in verdict.problems] == [
            (Failure.DIGEST_MISMATCH, stream_file(PERIOD), PERIOD),
            (Failure.HEAD_MISMATCH, HEADS, PERIOD),
        ]

    def test_unreadable_json_in_an_event_names_that_event(self, bundle: bytes, key: SigningKey) -> None:
        files = files_of(bundle)
        lines = files[stream_file(ENGAGEMENT)].splitlines(keepends=True)
        lines[1] = lines[1].replace(b"{", b"[", 1)

        verdict = verify_bundle(rezipped(files | {stream_file(ENGAGEMENT): b"".join(lines)}), key.public_pem)

        assert verdict.first is not None
        assert (verdict.first.failure, verdict.first.sequence) == (Failure.UNREADABLE_EVENT, 2)

    def test_a_removed_event_is_a_sequence_gap(self, bundle: bytes, key: SigningKey) -> None:
        files = files_of(bundle)
        lines = files[stream_file(ENGAGEMENT)].splitlines(keepends=True)
        del lines[1]

        verdict = verify_bundle(rezipped(files | {stream_file(ENGAGEMENT): b"".join(lines)}), key.public_pem)

        assert verdict.first is not None
        assert (verdict.first.failure, verdict.first.sequence, verdict.first.detail) == (Failure.SEQUENCE_GAP, 2, "3")

    def test_one_byte_of_the_manifest_fails_the_signature(self, bundle: bytes, key: SigningKey) -> None:
        files = files_of(bundle)
        manifest = files[MANIFEST]
        at = manifest.index(b"user:kansa") + 5

        verdict = verify_bundle(rezipped(files | {MANIFEST: flip(manifest, at)}), key.public_pem)

        assert verdict.first == Problem(failure=Failure.BAD_SIGNATURE, file=SIGNATURE)

    def test_one_byte_of_heads_is_a_digest_mismatch(self, bundle: bytes, key: SigningKey) -> None:
        files = files_of(bundle)
        heads = files[HEADS]
        at = heads.index(b'"count": ') + len(b'"count": ')

        verdict = verify_bundle(rezipped(files | {HEADS: flip(heads, at)}), key.public_pem)

        assert verdict.first == Problem(failure=Failure.DIGEST_MISMATCH, file=HEADS)
        assert {p.failure for p in verdict.problems} == {Failure.DIGEST_MISMATCH, Failure.HEAD_MISMATCH}

    def test_another_public_key_fails_the_signature(self, bundle: bytes) -> None:
        verdict = verify_bundle(bundle, SigningKey.generate().public_pem)

        assert verdict.first == Problem(failure=Failure.BAD_SIGNATURE, file=SIGNATURE)

    def test_a_bundle_re_signed_by_someone_else_passes_only_with_its_own_embedded_key(
        self, bundle: bytes, key: SigningKey
    ) -> None:
        forger = SigningKey.generate()
        files = files_of(bundle)
        manifest = json.loads(files[MANIFEST])
        manifest["created_by"] = "user:forger"
        manifest["files"][PUBLIC_KEY] = sha256_hex(forger.public_pem)
        forged = json.dumps(manifest).encode()
        files |= {MANIFEST: forged, SIGNATURE: forger.sign(forged), PUBLIC_KEY: forger.public_pem}

        embedded = verify_bundle(rezipped(files))
        trusted = verify_bundle(rezipped(files), key.public_pem)

        assert (embedded.valid, embedded.key_source, embedded.key_id) == (True, "embedded", forger.key_id)
        assert trusted.first == Problem(failure=Failure.BAD_SIGNATURE, file=SIGNATURE)

    def test_a_truncated_zip_is_unreadable(self, bundle: bytes, key: SigningKey) -> None:
        verdict = verify_bundle(bundle[: len(bundle) // 2], key.public_pem)

        assert verdict.first is not None
        assert verdict.first.failure == Failure.UNREADABLE_BUNDLE
        assert verdict.first.detail

    def test_a_missing_file_is_named(self, bundle: bytes, key: SigningKey) -> None:
        files = files_of(bundle)
        del files[stream_file(PERIOD)]

        verdict = verify_bundle(rezipped(files), key.public_pem)

        assert verdict.first == Problem(failure=Failure.MISSING_FILE, file=stream_file(PERIOD), stream=PERIOD)
        assert [p.failure for p in verdict.problems] == [Failure.MISSING_FILE]

    def test_a_missing_signature_is_named(self, bundle: bytes, key: SigningKey) -> None:
        files = files_of(bundle)
        del files[SIGNATURE]

        assert verify_bundle(rezipped(files), key.public_pem).first == Problem(
            failure=Failure.MISSING_FILE, file=SIGNATURE
        )

    def test_an_added_file_is_named(self, bundle: bytes, key: SigningKey) -> None:
        verdict = verify_bundle(rezipped(files_of(bundle) | {"events/extra.jsonl": b""}), key.public_pem)

        assert verdict.problems == [Problem(failure=Failure.UNLISTED_FILE, file="events/extra.jsonl")]

    def test_a_public_key_that_is_not_ed25519_is_named(self, bundle: bytes) -> None:
        verdict = verify_bundle(bundle, b"-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")

        assert verdict.first is not None
        assert verdict.first.failure == Failure.BAD_PUBLIC_KEY

    @pytest.mark.parametrize("name", [MANIFEST, SIGNATURE, HEADS, PUBLIC_KEY, stream_file(PERIOD)])
    def test_a_byte_changed_anywhere_in_a_file_never_passes(self, bundle: bytes, key: SigningKey, name: str) -> None:
        data = files_of(bundle)[name]
        start = bundle.index(data)
        for offset in range(start, start + len(data), 5):
            assert not verify_bundle(flip(bundle, offset), key.public_pem).valid, (name, offset - start)
