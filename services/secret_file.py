"""Secret files the local stack generates (the chain key, the payload keyring, the Neo4j password, the
demo realm's credentials): written once with mode 0600, never replaced, safe when processes race."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger("banso.secret_file")


def create_secret_file(path: Path, text: str) -> bool:
    """Write `text` to `path` (0600, its folder 0700) unless a file is there; True when this call wrote it.

    The text goes to a private draft first and is linked into place, which is atomic and never replaces
    a file another process created first.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.link(draft, path)
        return True
    except FileExistsError:
        return False
    finally:
        draft.unlink()


def warn_if_shared(path: Path, what: str) -> None:
    """Log a warning when other users may read the secret in `path`."""
    if path.stat().st_mode & 0o077:
        log.warning("%s %s is readable by other users; chmod 600 it", what, path)
