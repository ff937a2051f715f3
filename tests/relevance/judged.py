"""Judged query sets: queries as data, and who is relevant to each derived from what the data plants.

- synthetic (synthetic.json): each query names the theme(s) it asks about; relevance comes from the
  synthetic generator's planted truth — 2 when the theme is the official's planted specialty and the data
  names them on an activity or outcome of it, 1 for the specialty alone — never from a search's output;
- demo (demo.json): each query names the words (as the demo's records write them) of what it asks about;
  relevance comes from the demo file's attributions — 2 for the officials an engagement's matching record
  names (led, took part, contributed), 1 for their teammates on an engagement that matches only as a team.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from banso.demo.load import demo_steps
from banso.synthetic.generate import Generator
from schemas.events import OfficialRef
from schemas.search_terms import normalise

HERE = Path(__file__).parent
SYNTHETIC_FILE = HERE / "synthetic.json"
DEMO_FILE = HERE / "demo.json"


@dataclass(frozen=True)
class JudgedQuery:
    """One query and the grade of every relevant official (absent: not relevant)."""

    query: str
    lang: str
    relevant: Mapping[str, int]
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class JudgedSet:
    """A named set of judged queries."""

    name: str
    queries: list[JudgedQuery] = field(default_factory=list)


def _read(path: Path) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["queries"]
    return queries


def synthetic_set(factor: float = 1, seed: int = 2026) -> JudgedSet:
    """The synthetic queries judged from the planted truth of Generator(factor, seed) (the programme loaded
    by load_synthetic with the same arguments)."""
    generator = Generator(factor, seed)
    for _ in generator.periods():  # the truth of who worked on what is complete once every period is made
        pass
    expertise, worked = generator.expertise(), generator.worked_on()
    judged = []
    for item in _read(SYNTHETIC_FILE):
        themes = set(item["themes"])
        relevant = {}
        for official_id, specialty in expertise.items():
            mine = specialty & themes
            if mine:
                relevant[official_id] = 2 if mine & worked.get(official_id, frozenset()) else 1
        judged.append(JudgedQuery(item["query"], item["lang"], relevant, tuple(item["themes"])))
    return JudgedSet("synthetic", judged)


def _texts(body: Mapping[str, Any]) -> str:
    """The words of one step's record the demo judgement matches against (normalised)."""
    parts: list[str] = []
    for key in ("title", "description", "notes", "place", "topic", "theme", "area", "kind_detail", "subject"):
        value = body.get(key)
        if isinstance(value, str):
            parts.append(value)
    for key in ("themes", "desired_themes", "challenges", "actions"):
        parts.extend(v for v in body.get(key, []) if isinstance(v, str))
    parts.extend(r["name"] for r in body.get("related", []) if isinstance(r, dict))
    if isinstance(body.get("body"), dict):
        parts.append(body["body"].get("name", ""))
    return normalise(" ".join(parts))


def _named(body: Mapping[str, Any]) -> set[str]:
    named = set(body.get("participant_ids", [])) | set(body.get("contributor_ids", []))
    for key in ("led_by", "by_official_id"):
        if body.get(key):
            named.add(body[key])
    return named


def demo_judgement(words: Iterable[str], steps: list[dict[str, Any]]) -> dict[str, int]:
    """Grades for a query about `words`: 2 for officials a matching record names, 1 for the rest of the team
    of an engagement with a matching record that names nobody of it."""
    wanted = [normalise(w) for w in words]
    teams: dict[str, set[str]] = {}
    grades: dict[str, int] = {}
    for step in steps:
        path, body = step["path"], step["body"]
        engagement = (
            path.split("/")[4]
            if "/engagements/" in path
            else f"engagement-{body.get('period')}-" + str(body.get("municipality_code"))
        )
        if path.endswith("/team"):
            teams[engagement] = {OfficialRef.model_validate(o).official_id for o in body["officials"]}
    for step in steps:
        path, body = step["path"], step["body"]
        if not any(w in _texts(body) for w in wanted):
            continue
        engagement = (
            path.split("/")[4]
            if "/engagements/" in path
            else f"engagement-{body.get('period')}-" + str(body.get("municipality_code"))
        )
        named = _named(body) & teams.get(engagement, set())
        for official_id in named:
            grades[official_id] = 2
        if not named:
            for official_id in teams.get(engagement, set()):
                grades.setdefault(official_id, 1)
    return grades


def demo_set(period: int | None = None) -> JudgedSet:
    """The demo queries judged from the demo file's records and attributions (re-homed in `period`)."""
    steps = demo_steps(period)
    judged = [
        JudgedQuery(item["query"], item["lang"], demo_judgement(item["about"], steps), tuple(item["about"]))
        for item in _read(DEMO_FILE)
    ]
    return JudgedSet("demo", judged)
