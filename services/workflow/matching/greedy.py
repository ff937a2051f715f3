"""A greedy baseline: each municipality in turn takes the best free officials of distinct ministries."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping

from schemas.matching import MatchingInput, Volunteer


def greedy(inp: MatchingInput, scores: Mapping[tuple[str, str], int]) -> dict[str, list[str]] | None:
    """Teams by municipality code, or None when the greedy pass gets stuck (it never backtracks)."""
    excluded = set(inp.excluded)
    volunteers = sorted((v for v in inp.volunteers if v.official_id not in excluded), key=lambda v: v.official_id)
    used: Counter[str] = Counter()
    teams: dict[str, list[str]] = {}
    locked: dict[str, list[str]] = {}
    for lock in inp.locked:
        locked.setdefault(lock.municipality_code, []).append(lock.official_id)
        used[lock.official_id] += 1
    by_id = {v.official_id: v for v in volunteers}
    scoring: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (official, code), score in scores.items():
        if score and official in by_id:
            scoring[code].append((-score, official))
    for app in sorted(inp.applications, key=lambda a: a.municipality_code):
        team = list(locked.get(app.municipality_code, []))
        ministries = {by_id[o].ministry for o in team}
        for v in _ranked(scoring[app.municipality_code], volunteers, by_id):
            if len(team) >= inp.max_team_size:
                break
            if v.ministry in ministries or used[v.official_id] >= v.capacity or v.official_id in team:
                continue
            team.append(v.official_id)
            ministries.add(v.ministry)
            used[v.official_id] += 1
        if len(team) < inp.min_team_size:
            return None
        teams[app.municipality_code] = team
    return teams


def _ranked(
    scoring: list[tuple[int, str]], volunteers: list[Volunteer], by_id: dict[str, Volunteer]
) -> Iterator[Volunteer]:
    """The volunteers by score, best first, ties by id: those who score, then everyone else by id.

    A heap, not a sort: a team is usually full after the first few."""
    scored = {official for _, official in scoring}
    heap = list(scoring)
    heapq.heapify(heap)
    while heap:
        yield by_id[heapq.heappop(heap)[1]]
    yield from (v for v in volunteers if v.official_id not in scored)
