"""The Temporal payload codec: AES-256-GCM round trip, tamper evidence, key rotation, plaintext passthrough."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.exceptions import ApplicationError

from schemas.events.base import OfficialRef
from services.settings import Settings
from services.workflow.codec import (
    ENCODING,
    KEY_ID,
    EncryptionCodec,
    PayloadDecryptionError,
    PayloadKeyring,
    banso_data_converter,
)
from services.workflow.payload_keys import (
    PayloadKeysError,
    create_payload_keys,
    load_or_create_payload_keys,
    payload_keys_path,
    read_payload_keys,
    rotate_payload_keys,
)

NAME = "石川 亨"


def plain(text: str = NAME) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=f'{{"name": "{text}"}}'.encode())


async def test_round_trip_hides_data_and_encoding() -> None:
    codec = EncryptionCodec(PayloadKeyring.generate())
    [sealed] = await codec.encode([plain()])
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata[KEY_ID].decode() == codec.keyring.current_id
    assert NAME.encode() not in sealed.SerializeToString()
    assert b"json/plain" not in sealed.SerializeToString()  # the inner metadata is sealed too
    assert await codec.decode([sealed]) == [plain()]


async def test_each_encoding_uses_a_fresh_nonce() -> None:
    codec = EncryptionCodec(PayloadKeyring.generate())
    first, second = await codec.encode([plain(), plain()])
    assert first.data != second.data


async def test_a_tampered_payload_is_refused() -> None:
    codec = EncryptionCodec(PayloadKeyring.generate())
    [sealed] = await codec.encode([plain()])
    flipped = bytearray(sealed.data)
    flipped[-1] ^= 1
    with pytest.raises(PayloadDecryptionError, match="authentication"):
        await codec.decode([Payload(metadata=sealed.metadata, data=bytes(flipped))])


async def test_the_key_id_is_authenticated() -> None:
    old, new = PayloadKeyring.generate().secrets[0], PayloadKeyring.generate().secrets[0]
    both = EncryptionCodec(PayloadKeyring((old, new)))
    [sealed] = await EncryptionCodec(PayloadKeyring((old,))).encode([plain()])
    relabelled = Payload(metadata={**sealed.metadata, KEY_ID: both.keyring.current_id.encode()}, data=sealed.data)
    with pytest.raises(PayloadDecryptionError):
        await both.decode([relabelled])


async def test_an_unknown_key_is_named_in_the_error() -> None:
    [sealed] = await EncryptionCodec(PayloadKeyring.generate()).encode([plain()])
    with pytest.raises(PayloadDecryptionError, match="not on the keyring"):
        await EncryptionCodec(PayloadKeyring.generate()).decode([sealed])


async def test_rotation_new_key_encrypts_old_key_still_decrypts() -> None:
    old = PayloadKeyring.generate()
    [before] = await EncryptionCodec(old).encode([plain("before")])
    rotated = EncryptionCodec(PayloadKeyring((*old.secrets, *PayloadKeyring.generate().secrets)))
    [after] = await rotated.encode([plain("after")])
    assert after.metadata[KEY_ID].decode() == rotated.keyring.current_id != old.current_id
    assert await rotated.decode([before, after]) == [plain("before"), plain("after")]
    with pytest.raises(PayloadDecryptionError):  # the old ring alone cannot read what the new key sealed
        await EncryptionCodec(old).decode([after])


async def test_plaintext_payloads_pass_through_decode() -> None:
    codec = EncryptionCodec(PayloadKeyring.generate())
    untouched = [plain(), Payload(metadata={"encoding": b"binary/null"}), Payload()]
    assert await codec.decode(untouched) == untouched


async def test_an_encrypted_payload_is_not_sealed_twice() -> None:
    codec = EncryptionCodec(PayloadKeyring.generate())
    [sealed] = await codec.encode([plain()])
    assert await codec.encode([sealed]) == [sealed]


async def test_the_data_converter_encrypts_values_and_failure_messages() -> None:
    converter = banso_data_converter(PayloadKeyring.generate())
    official = OfficialRef(name=NAME, ministry="国土交通省")
    [payload] = await converter.encode([official])
    assert payload.metadata["encoding"] == ENCODING
    assert NAME.encode() not in payload.data
    assert await converter.decode([payload], [OfficialRef]) == [official]

    failure = Failure()
    await converter.encode_failure(ApplicationError(f"{NAME} is already on the team", {"who": NAME}), failure)
    assert NAME.encode() not in failure.SerializeToString()
    assert failure.message == "Encoded failure"
    decoded = await converter.decode_failure(failure)
    assert str(decoded) == f"{NAME} is already on the team"
    assert isinstance(decoded, ApplicationError)
    assert decoded.details == ({"who": NAME},)


def test_a_keyring_needs_aes_256_keys() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        PayloadKeyring((b"short",))
    with pytest.raises(ValueError, match="at least one"):
        PayloadKeyring(())


def test_the_local_stack_creates_the_keyring_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = load_or_create_payload_keys(settings)
    path = payload_keys_path(settings)
    assert path == tmp_path / "keys" / "payload.keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_payload_keys(settings) == first
    create_payload_keys(path)  # a racing process finds it there and changes nothing
    assert read_payload_keys(path) == first


def test_rotation_appends_and_keeps_every_older_key(tmp_path: Path) -> None:
    path = tmp_path / "payload.keys"
    create_payload_keys(path)
    first = read_payload_keys(path)
    new_id = rotate_payload_keys(path)
    rotated = read_payload_keys(path)
    assert rotated.current_id == new_id
    assert rotated.key_ids == (first.current_id, new_id)


def test_against_a_temporal_elsewhere_the_keyring_is_never_created(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, temporal_address="temporal.example:7233")
    with pytest.raises(PayloadKeysError, match="BANSO_PAYLOAD_KEYS_FILE"):
        load_or_create_payload_keys(settings)
    assert not payload_keys_path(settings).exists()


def test_a_broken_keyring_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "payload.keys"
    path.write_text("not hex\n", encoding="ascii")
    with pytest.raises(PayloadKeysError):
        read_payload_keys(path)
    path.write_text("ab" * 16 + "\n", encoding="ascii")  # 16 bytes: AES-128, refused
    with pytest.raises(PayloadKeysError):
        read_payload_keys(path)
