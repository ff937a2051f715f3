"""A greedy baseline: each municipality in turn takes the best free officials of distinct ministries."""

from __future__ import annotations

from collections import Counter

from schemas.matching import MatchingInput


def greedy(inp: MatchingInput, scores: dict[tuple[str, str], int]) -> dict[str, list[str]] | None:
    """Teams by municipality code, or None when the greedy pass gets stuck (it never backtracks)."""
    excluded = set(inp.excluded)
    volunteers = [v for v in inp.volunteers if v.official_id not in excluded]
    used: Counter[str] = Counter()
    teams: dict[str, list[str]] = {}
    locked: dict[str, list[str]] = {}
    for lock in inp.locked:
        locked.setdefault(lock.municipality_code, []).append(lock.official_id)
        used[lock.official_id] += 1
    by_id = {v.official_id: v for v in volunteers}
    for app in sorted(inp.applications, key=lambda a: a.municipality_code):
        team = list(locked.get(app.municipality_code, []))
        ministries = {by_id[o].ministry for o in team}
        ranked = sorted(
            volunteers, key=lambda v: (-scores.get((v.official_id, app.municipality_code), 0), v.official_id)
        )
        for v in ranked:
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
