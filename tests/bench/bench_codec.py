"""Payload codec cost: encode and decode of real Banso payloads, with and without encryption.

    .venv/bin/python -m tests.bench.bench_codec [--rounds 2000]

Converts a typical update argument (a recorded activity with notes) and the stored event a local
activity returns, through the pydantic converter alone and through Banso's converter (pydantic +
AES-256-GCM codec), and prints microseconds per payload for each and the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter

from schemas.events.base import OfficialRef
from services.workflow.codec import PayloadKeyring, banso_data_converter
from tests.integration.flows import MEETING, TEAM


def samples() -> dict[str, Any]:
    """Values of the sizes Banso sends: an activity command, a team of officials, a long note."""
    return {
        "activity (~0.2 KB)": MEETING | {"notes": "石川さんと町長が打合せ"},
        "team (~0.5 KB)": {"officials": [OfficialRef.model_validate(o) for o in TEAM["officials"]]},
        "notes (~8 KB)": MEETING | {"notes": "港湾の活用について協議。" * 240},
    }


async def per_call_us(step: Callable[[], Awaitable[Any]], rounds: int, batches: int = 7) -> float:
    """Microseconds of one call of `step`: the mean of the fastest of `batches` batches (robust on a busy machine)."""
    for _ in range(min(rounds, 100)):
        await step()
    best = float("inf")
    for _ in range(batches):
        started = time.perf_counter()
        for _ in range(rounds):
            await step()
        best = min(best, (time.perf_counter() - started) / rounds)
    return best * 1e6


async def bench(rounds: int, figures: dict[str, float]) -> Table:
    """Encode and decode each sample with both converters."""
    table = Table("payload", "bytes", "plain enc", "encrypted enc", "plain dec", "encrypted dec", "added / round trip")
    converters: dict[str, DataConverter] = {
        "plain": pydantic_data_converter,
        "encrypted": banso_data_converter(PayloadKeyring.generate()),
    }
    for label, value in samples().items():
        row: dict[str, float] = {}
        size = 0
        for name, converter in converters.items():
            [payload] = await converter.encode([value])
            size = max(size, payload.ByteSize())
            row[f"{name} enc"] = await per_call_us(partial(converter.encode, [value]), rounds)
            row[f"{name} dec"] = await per_call_us(partial(converter.decode, [payload]), rounds)
        added = row["encrypted enc"] + row["encrypted dec"] - row["plain enc"] - row["plain dec"]
        figures[f"codec_added_us@{label.split()[0]}"] = added
        figures[f"codec_encrypted_round_trip_us@{label.split()[0]}"] = row["encrypted enc"] + row["encrypted dec"]
        table.add_row(
            label,
            str(size),
            *(f"{row[k]:.1f} µs" for k in ("plain enc", "encrypted enc", "plain dec", "encrypted dec")),
            f"{added:.1f} µs",
        )
    return table


def main() -> None:
    """Parse arguments, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1000, help="calls per batch (7 batches)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here as one flat JSON object")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    Console().print(asyncio.run(bench(args.rounds, figures)))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
