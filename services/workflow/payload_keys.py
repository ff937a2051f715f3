"""The payload keyring file: AES-256 keys in hex, one a line, oldest first; the last line encrypts.

The local stack creates it on first use (`<data_dir>/keys/payload.keys`, mode 0600, beside the chain
key); against a Temporal elsewhere the operator provides it (`BANSO_PAYLOAD_KEYS_FILE`), the same file
for every worker, API process and `banso` command, and it is never created. Rotation appends a new key
(`banso rotate-payload-key`): new payloads are sealed with it, and the older keys still open what was
written before, so never delete a line while any history (or backup) may hold payloads under it.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from services.secret_file import create_secret_file, warn_if_shared
from services.settings import Settings
from services.workflow.codec import KEY_BYTES, PayloadKeyring, payload_key_id

log = logging.getLogger("banso.payload_keys")


class PayloadKeysError(RuntimeError):
    """The keyring is missing (and may not be created here) or unreadable."""


def payload_keys_path(settings: Settings) -> Path:
    """Where the keyring lives: BANSO_PAYLOAD_KEYS_FILE, else `<data_dir>/keys/payload.keys`."""
    return settings.payload_keys_file or settings.data_dir / "keys" / "payload.keys"


def local_temporal(settings: Settings) -> bool:
    """Whether Temporal is the local stack's own dev server (the only case a missing keyring may be created)."""
    return settings.temporal_address in (None, f"127.0.0.1:{settings.temporal_port}")


def read_payload_keys(path: Path) -> PayloadKeyring:
    """The keyring in `path` (blank lines and `#` comments ignored)."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
        keys = tuple(bytes.fromhex(line) for raw in lines if (line := raw.split("#", 1)[0].strip()))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PayloadKeysError(f"cannot read the payload keyring {path}: {err}") from err
    if not keys or any(len(k) != KEY_BYTES for k in keys):
        raise PayloadKeysError(f"the payload keyring {path} needs one or more keys of {KEY_BYTES} bytes in hex")
    warn_if_shared(path, "payload keyring")
    return PayloadKeyring(keys)


def _new_key_line() -> str:
    return secrets.token_bytes(KEY_BYTES).hex() + "\n"


def create_payload_keys(path: Path) -> None:
    """Write a keyring of one random key to `path` (0600) unless one is there; safe when processes race."""
    if create_secret_file(path, _new_key_line()):
        log.warning("created payload keyring %s: back it up; without it Temporal's histories cannot be read", path)


def rotate_payload_keys(path: Path) -> str:
    """Append a new random key (it encrypts from the next process start on); returns its id."""
    read_payload_keys(path)  # refuse to extend a file that is not a keyring
    line = _new_key_line()
    ends_a_line = path.read_bytes().endswith(b"\n")
    with path.open("a", encoding="ascii") as out:
        out.write(line if ends_a_line else "\n" + line)
    return payload_key_id(bytes.fromhex(line.strip()))


def load_or_create_payload_keys(settings: Settings) -> PayloadKeyring:
    """The keyring; created first when missing and Temporal is the local stack's own dev server."""
    path = payload_keys_path(settings)
    if not path.exists():
        if not local_temporal(settings):
            raise PayloadKeysError(
                f"no payload keyring at {path}: Temporal is at {settings.temporal_address}, so the keyring must be "
                "provided (BANSO_PAYLOAD_KEYS_FILE, the same file for every worker, API and `banso` command)"
            )
        create_payload_keys(path)
    return read_payload_keys(path)
