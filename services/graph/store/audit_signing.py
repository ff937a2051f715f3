"""The audit signing key: the Ed25519 key that signs audit bundles, kept outside the database.

`<data_dir>/keys/audit-signing.key` (unencrypted PKCS#8 PEM, mode 0600), created on first use like the
chain key (services/graph/store/chain_key.py). Only its public half leaves the server: in every bundle
and at `GET /api/v1/audit/public-key`. Every API process that makes bundles must read the same file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from schemas.audit_bundle import SigningKey
from services.secret_file import create_secret_file, warn_if_shared
from services.settings import Settings

log = logging.getLogger("banso.audit_signing")


class AuditSigningKeyError(RuntimeError):
    """The audit signing key file is unreadable or not an Ed25519 private key."""


def audit_signing_key_path(settings: Settings) -> Path:
    """Where the key lives: `<data_dir>/keys/audit-signing.key`."""
    return settings.data_dir / "keys" / "audit-signing.key"


def read_audit_signing_key(path: Path) -> SigningKey:
    """The key in `path`."""
    try:
        key = SigningKey.from_pem(path.read_bytes())
    except (OSError, ValueError, TypeError) as err:
        raise AuditSigningKeyError(f"cannot read the audit signing key {path}: {err}") from err
    warn_if_shared(path, "audit signing key")
    return key


def load_or_create_audit_signing_key(settings: Settings) -> SigningKey:
    """The audit signing key; a new one is written first when the file is missing (safe when processes race)."""
    path = audit_signing_key_path(settings)
    if not path.exists():
        new = SigningKey.generate()
        if create_secret_file(path, new.private_pem().decode("ascii")):
            log.warning(
                "created audit signing key %s (key id %s): back it up; auditors trust its public key", path, new.key_id
            )
    return read_audit_signing_key(path)
