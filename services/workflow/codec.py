"""Temporal payloads encrypted with AES-256-GCM before they leave the process.

Every payload a Banso client or worker sends (workflow and update inputs, results, activity inputs and
results, failure messages and details, memos) is serialised whole — its own metadata included, so even
the `json/plain` encoding is hidden — and sealed with the keyring's newest key. The encoded payload says
only `encoding: binary/encrypted` and which key (`encryption-key-id`, the first 16 hex digits of the
key's SHA-256). Decoding accepts every key on the ring, so a rotated-out key still reads old histories,
and passes payloads without that encoding through untouched (histories recorded before encryption).

Search attributes and headers are not payloads the codec sees: they must carry no personal data.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import PydanticPayloadConverter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes, PayloadCodec

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
KEY_BYTES = 32
NONCE_BYTES = 12


class PayloadDecryptionError(ValueError):
    """An encrypted payload that no key on the ring opens: unknown key id, or altered bytes."""


def payload_key_id(secret: bytes) -> str:
    """A key's public name: the first 16 hex digits of its SHA-256 (as the chain key's id)."""
    return hashlib.sha256(secret).hexdigest()[:16]


@dataclass(frozen=True)
class PayloadKeyring:
    """AES-256 keys, oldest first: the last one encrypts, every one decrypts."""

    secrets: tuple[bytes, ...]
    _ciphers: dict[str, AESGCM] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.secrets:
            raise ValueError("a payload keyring needs at least one key")
        if any(len(s) != KEY_BYTES for s in self.secrets):
            raise ValueError(f"every payload key is {KEY_BYTES} bytes (AES-256)")
        object.__setattr__(self, "_ciphers", {payload_key_id(s): AESGCM(s) for s in self.secrets})

    @classmethod
    def generate(cls) -> PayloadKeyring:
        """A ring of one fresh random key (tests, benchmarks)."""
        return cls((AESGCM.generate_key(bit_length=KEY_BYTES * 8),))

    @property
    def current_id(self) -> str:
        """The id of the key that encrypts."""
        return payload_key_id(self.secrets[-1])

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The ids of every key that decrypts, oldest first."""
        return tuple(payload_key_id(s) for s in self.secrets)

    def encrypt(self, plain: bytes) -> tuple[str, bytes]:
        """`(key id, nonce || ciphertext || tag)` under the newest key; the key id is authenticated too."""
        key_id = self.current_id
        nonce = os.urandom(NONCE_BYTES)
        return key_id, nonce + self._ciphers[key_id].encrypt(nonce, plain, key_id.encode("ascii"))

    def decrypt(self, key_id: str, sealed: bytes) -> bytes:
        """The plaintext of `sealed` under the key `key_id`; PayloadDecryptionError if it cannot be opened."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise PayloadDecryptionError(
                f"payload encrypted with key {key_id!r}, which is not on the keyring {list(self.key_ids)}"
            )
        try:
            return cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], key_id.encode("ascii"))
        except InvalidTag as err:
            raise PayloadDecryptionError(f"payload under key {key_id!r} fails authentication (altered?)") from err


class EncryptionCodec(PayloadCodec):
    """The Temporal payload codec: AES-256-GCM with the keyring's newest key, passthrough of plaintext."""

    def __init__(self, keyring: PayloadKeyring) -> None:
        self.keyring = keyring

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Each payload sealed whole (data and metadata) into a `binary/encrypted` payload."""
        return [self.encode_one(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Each encrypted payload opened; any other payload as it is."""
        return [self.decode_one(p) for p in payloads]

    def encode_one(self, payload: Payload) -> Payload:
        """One payload sealed (already encrypted ones are left as they are, never sealed twice)."""
        if is_encrypted(payload):
            return payload
        key_id, sealed = self.keyring.encrypt(payload.SerializeToString())
        return Payload(metadata={"encoding": ENCODING, KEY_ID: key_id.encode("ascii")}, data=sealed)

    def decode_one(self, payload: Payload) -> Payload:
        """One payload opened, or returned unchanged when it is not encrypted."""
        if not is_encrypted(payload):
            return payload
        key_id = payload.metadata.get(KEY_ID, b"").decode("ascii", errors="replace")
        return Payload.FromString(self.keyring.decrypt(key_id, payload.data))


def is_encrypted(payload: Payload) -> bool:
    """Whether the payload is one this codec sealed."""
    return payload.metadata.get("encoding") == ENCODING


def banso_data_converter(keyring: PayloadKeyring) -> DataConverter:
    """The one data converter of every Banso client, worker and replayer.

    pydantic for values, the encryption codec for payloads, and failures whose message and stack trace
    travel as an encoded (so encrypted) payload instead of plain text.
    """
    return DataConverter(
        payload_converter_class=PydanticPayloadConverter,
        payload_codec=EncryptionCodec(keyring),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )
