"""The objective of a whole assignment, computed the same way for the optimiser, greedy and brute force."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from schemas.events.reference import Seniority
from schemas.matching import MatchingInput, Volunteer


def team_has_mix(members: Sequence[Volunteer]) -> bool:
    """A senior official together with a junior or mid-career one."""
    seniorities = {m.seniority for m in members}
    return Seniority.SENIOR in seniorities and bool(seniorities - {Seniority.SENIOR})


def objective(inp: MatchingInput, teams: Mapping[str, Sequence[str]], scores: Mapping[tuple[str, str], int]) -> int:
    """Σ pair scores + seniority mix bonus per team + diversity bonus per ministry used."""
    by_id = {v.official_id: v for v in inp.volunteers}
    w = inp.weights
    total = 0
    ministries = set()
    for code, members in teams.items():
        total += sum(scores[(o, code)] for o in members)
        people = [by_id[o] for o in members]
        total += w.seniority_mix * team_has_mix(people)
        ministries |= {p.ministry for p in people}
    return total + w.ministry_diversity * len(ministries)
