"""The chain key file: 32 random bytes in hex, kept outside the database.

The local stack creates it on first use (`<data_dir>/keys/chain.key`, mode 0600); against a Neo4j
elsewhere the operator provides it (`BANSO_CHAIN_KEY_FILE`), the same file for every worker, API
process and `banso verify`, and it is never created.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from services.graph.store.seal import ChainKey
from services.secret_file import create_secret_file, warn_if_shared
from services.settings import Settings

log = logging.getLogger("banso.chain_key")

KEY_BYTES = 32


class ChainKeyError(RuntimeError):
    """The chain key is missing (and may not be created here) or unreadable."""


def chain_key_path(settings: Settings) -> Path:
    """Where the key lives: BANSO_CHAIN_KEY_FILE, else `<data_dir>/keys/chain.key`."""
    return settings.chain_key_file or settings.data_dir / "keys" / "chain.key"


def local_neo4j(settings: Settings) -> bool:
    """Whether the graph is the local stack's own Neo4j (the only case a missing key may be created)."""
    return settings.neo4j_uri in (None, f"bolt://127.0.0.1:{settings.neo4j_port}")


def read_chain_key(path: Path) -> ChainKey:
    """The key in `path` (hex, at least 32 bytes)."""
    try:
        secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ChainKeyError(f"cannot read the chain key {path}: {err}") from err
    if len(secret) < KEY_BYTES:
        raise ChainKeyError(f"the chain key {path} is shorter than {KEY_BYTES} bytes")
    warn_if_shared(path, "chain key")
    return ChainKey(secret)


def create_chain_key(path: Path) -> None:
    """Write a new random key to `path` (0600) unless one is there; safe when processes race."""
    if create_secret_file(path, secrets.token_bytes(KEY_BYTES).hex() + "\n"):
        log.warning("created chain key %s: back it up outside the database", path)


def load_or_create_chain_key(settings: Settings) -> ChainKey:
    """The chain key; created first when missing and the graph is the local stack's own Neo4j."""
    path = chain_key_path(settings)
    if not path.exists():
        if not local_neo4j(settings):
            raise ChainKeyError(
                f"no chain key at {path}: Neo4j is at {settings.neo4j_uri}, so the key must be provided "
                "(BANSO_CHAIN_KEY_FILE, the same file for every worker, API and `banso verify`)"
            )
        create_chain_key(path)
    return read_chain_key(path)
