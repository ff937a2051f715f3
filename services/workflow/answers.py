"""The answers a stream's writer keeps for commands it took, so a retried command is answered, not redone.

A command's id is its Temporal update id: `<command>:<Idempotency-Key>#<body fingerprint>` when the
caller gave a key (ids without a fingerprint come from before it existed). The same key with the same
body is the same command; the same key with another body is refused, before anything is written.
Deterministic, no I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from temporalio.exceptions import ApplicationError

from services.i18n.message import N_, Msg
from services.workflow.rejection import rejection

R = TypeVar("R")
FINGERPRINT_SEPARATOR = "#"


def body_fingerprint(body: Mapping[str, Any]) -> str:
    """A short, stable digest of a command's body (canonical JSON)."""
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def command_id(name: str, key: str, body: Mapping[str, Any]) -> str:
    """The update id of command `name` sent with Idempotency-Key `key` and `body`."""
    return f"{name}:{key}{FINGERPRINT_SEPARATOR}{body_fingerprint(body)}"


def _base(command: str) -> str:
    return command.split(FINGERPRINT_SEPARATOR, 1)[0]


def key_reused() -> ApplicationError:
    """The refusal of a key sent again with another body (the API answers 422)."""
    return rejection(
        "idempotency_key_reused",
        Msg(N_("This Idempotency-Key was used with a different body; use a new key for a different request")),
    )


class Answers(Generic[R]):
    """Receipts by command id, the oldest forgotten beyond `kept`; carried across continue-as-new as a dict."""

    def __init__(self, carried: Mapping[str, R], kept: int) -> None:
        self._receipts = dict(carried)
        self._kept = kept
        self._by_base = {_base(c): c for c in self._receipts}

    def answer(self, command: str | None) -> R | None:
        """The receipt of `command` if it was answered; raises the refusal for a key reused with another body."""
        if command is None:
            return None
        if command in self._receipts:
            return self._receipts[command]
        earlier = self._by_base.get(_base(command))
        if earlier is None:
            return None
        if FINGERPRINT_SEPARATOR in earlier and FINGERPRINT_SEPARATOR in command:
            raise key_reused()
        return self._receipts[earlier]  # recorded before fingerprints: the key alone decides

    def answered(self, command: str | None) -> bool:
        """Whether `command` (or its key with another body) has an answer; never raises."""
        return command is not None and _base(command) in self._by_base

    def remember(self, command: str, receipt: R) -> None:
        """Keep the answer to `command`; forget the oldest beyond the limit."""
        self._receipts[command] = receipt
        self._by_base[_base(command)] = command
        while len(self._receipts) > self._kept:
            oldest = next(iter(self._receipts))
            del self._receipts[oldest]
            if self._by_base.get(_base(oldest)) == oldest:
                del self._by_base[_base(oldest)]

    def carried(self) -> dict[str, R]:
        """What continue-as-new hands to the next run."""
        return dict(self._receipts)
