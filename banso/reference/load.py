"""Loads the national reference data (都道府県・市町村, 府省庁, 地方支分部局, 制度, 旅費の基準額) through the API.

Every stream gets one event per version of its data: the Idempotency-Key is a digest of the body, so
a second load writes nothing and a corrected data file writes exactly the streams that changed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.progress import Progress

DATA_DIR = Path(__file__).with_name("data")
MUNICIPALITIES_FILE = DATA_DIR / "municipalities.json"
BODIES_FILE = DATA_DIR / "bodies.json"
TRAVEL_RATES_FILE = DATA_DIR / "travel_rates.json"
TRAVEL_RATES_PATH = "/api/v1/travel-rates"


class ReferenceLoadError(Exception):
    """The API refused a reference-data step."""


@dataclass(frozen=True)
class ReferenceStep:
    """One API call: where, what, and the key that makes it idempotent."""

    path: str
    body: dict[str, Any]

    def key(self, salt: str = "") -> str:
        """A digest of the call, so the same data is recorded once and changed data again.

        `salt` starts a new generation of keys (tests that restart the streams' writers use it).
        """
        canonical = json.dumps([salt, self.path, self.body], ensure_ascii=False, sort_keys=True)
        return "reference-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def prefecture_steps() -> list[ReferenceStep]:
    """One MunicipalitiesListed per prefecture, from the shipped data set."""
    data = json.loads(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    return [
        ReferenceStep(
            "/api/v1/prefectures",
            {
                "prefecture_code": p["code"],
                "prefecture": p["name"],
                "prefecture_kana": p["kana"],
                "prefecture_en": p["name_en"],
                "municipalities": p["municipalities"],
                "source": data["source"],
            },
        )
        for p in data["prefectures"]
    ]


def body_steps() -> list[ReferenceStep]:
    """One BodyDefined per ministry, 外局, regional bureau and funding programme."""
    data = json.loads(BODIES_FILE.read_text(encoding="utf-8"))
    return [ReferenceStep("/api/v1/bodies", body) for body in data["bodies"]]


def travel_rate_steps() -> list[ReferenceStep]:
    """One TravelRatesDefined per table of 旅費の基準額 (the amounts are the file's assumptions, see its notes)."""
    data = json.loads(TRAVEL_RATES_FILE.read_text(encoding="utf-8"))
    return [ReferenceStep(TRAVEL_RATES_PATH, rates) for rates in data["rates"]]


def reference_steps() -> list[ReferenceStep]:
    """Every step, prefectures first (bodies name the prefectures they cover), the travel rates last."""
    return prefecture_steps() + body_steps() + travel_rate_steps()


async def load_reference(
    client: httpx.AsyncClient, progress: Progress | None = None, *, concurrency: int = 8, salt: str = ""
) -> int:
    """Send every step (each stream has its own writer, so they may run side by side); returns the count."""
    steps = reference_steps()
    task = progress.add_task("参照データ / reference data", total=len(steps)) if progress else None
    gate = asyncio.Semaphore(concurrency)

    async def send(step: ReferenceStep) -> None:
        async with gate:
            response = await client.post(step.path, json=step.body, headers={"Idempotency-Key": step.key(salt)})
        if response.status_code >= 400:
            raise ReferenceLoadError(f"{step.path} → {response.status_code}: {response.text[:500]}")
        if progress is not None and task is not None:
            progress.advance(task)

    await asyncio.gather(*(send(s) for s in prefecture_steps()))
    await asyncio.gather(*(send(s) for s in body_steps()))
    await asyncio.gather(*(send(s) for s in travel_rate_steps()))
    return len(steps)
