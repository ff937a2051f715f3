"""What `banso verify` prints: the unkeyed hash chain, then the seals, each with its own verdict."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from schemas.envelope import ChainVerdict


def report_verdict(console: Console, stream: str, verdict: ChainVerdict, *, require_sealed: bool = False) -> bool:
    """Print the verdict of one stream; True when it passes (no wrong seal, and all sealed if required)."""
    seals = verdict.seals
    name = escape(stream)
    if seals is None or seals.chain_valid:
        console.print(f"[green]✓ chain valid[/] {name}: {verdict.events} events, head {verdict.head_hash}")
    else:
        console.print(
            f"[bold red]✗ chain broken[/] {name}: first bad event #{verdict.first_bad_sequence} — "
            f"{escape(verdict.reason or '')}"
        )
    if seals is None:
        return verdict.valid
    if seals.verified:
        console.print(f"[green]✓ sealed[/] {seals.verified} events verified with key {seals.key_id}")
    if seals.unsealed:
        console.print(
            f"[yellow]! unsealed[/] {seals.unsealed} events stored before sealing existed: "
            "not protected against database writers"
        )
    if not seals.valid:
        console.print(
            f"[bold red]✗ seal wrong[/] {name}: first bad event #{seals.first_bad_sequence} ({seals.bad} bad) — "
            f"{escape(seals.reason or '')}"
        )
    if not seals.key_matches:
        console.print(f"[bold red]✗ key id does not match[/]: these events were not sealed with key {seals.key_id}")
    return verdict.valid and not (require_sealed and seals.unsealed)
