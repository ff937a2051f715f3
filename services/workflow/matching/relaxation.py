"""The LP relaxation of the team model (GLOP), and teams rounded from a fractional answer (pure, deterministic).

The relaxation is the CP-SAT model with every 0/1 variable made continuous: its value is a proven upper bound
on the objective over the same candidate pairs, and on period-sized instances it is within a few points of
the optimum (the pair part — officials' capacities against teams made of one official per ministry — is a
network matrix, so only the seniority-mix and ministry bonuses can be fractional). Its answer, rounded and
repaired into teams that keep every rule, is the solver's starting hint.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

from ortools.linear_solver.python import model_builder as mb

from schemas.events.reference import Seniority
from schemas.matching import MatchingInput

Pair = tuple[str, str]
Teams = dict[str, list[str]]


class Relaxation:
    """The LP optimum (`bound`) and each candidate pair's value in it (`values`), or `bound` None if unsolved."""

    def __init__(self, bound: float | None, values: dict[Pair, float]) -> None:
        self.bound = bound
        self.values = values


def relax(inp: MatchingInput, scores: Mapping[Pair, int], pairs: set[Pair]) -> Relaxation:
    """Solve the LP relaxation of the model over `pairs` (rows and columns added in sorted order)."""
    lp = mb.Model()  # type: ignore[no-untyped-call]  # its __init__ lacks an annotation
    by_id = {v.official_id: v for v in inp.volunteers}
    locked = {(p.official_id, p.municipality_code) for p in inp.locked}
    columns: list[mb.Variable] = []
    weights: list[float] = []
    x: dict[Pair, mb.Variable] = {}
    by_code: dict[str, list[Pair]] = defaultdict(list)
    by_official: dict[str, list[Pair]] = defaultdict(list)
    by_ministry: dict[str, list[Pair]] = defaultdict(list)
    for pair in sorted(pairs):
        x[pair] = lp.new_num_var(1.0 if pair in locked else 0.0, 1.0)
        columns.append(x[pair])
        weights.append(scores[pair])
        by_code[pair[1]].append(pair)
        by_official[pair[0]].append(pair)
        by_ministry[by_id[pair[0]].ministry].append(pair)

    def row(terms: list[tuple[mb.Variable, int]], lower: float, upper: float) -> None:
        constraint = lp.add_linear_constraint(0, lower, upper)
        for var, coefficient in terms:
            constraint.add_term(var, coefficient)

    w = inp.weights
    for app in sorted(inp.applications, key=lambda a: a.municipality_code):
        team = by_code[app.municipality_code]
        row([(x[p], 1) for p in team], inp.min_team_size, inp.max_team_size)
        per_ministry: dict[str, list[Pair]] = defaultdict(list)
        for p in team:
            per_ministry[by_id[p[0]].ministry].append(p)
        for same in per_ministry.values():
            if len(same) > 1:
                row([(x[p], 1) for p in same], -math.inf, 1)
        if w.seniority_mix:
            mix = lp.new_num_var(0.0, 1.0)
            columns.append(mix)
            weights.append(w.seniority_mix)
            for senior in (True, False):  # mix ≤ Σ x over one side
                side = [(x[p], -1) for p in team if (by_id[p[0]].seniority is Seniority.SENIOR) == senior]
                row([(mix, 1), *side], -math.inf, 0)
    for official, held in sorted(by_official.items()):
        row([(x[p], 1) for p in held], -math.inf, by_id[official].capacity)
    if w.ministry_diversity:
        for _, used in sorted(by_ministry.items()):
            z = lp.new_num_var(0.0, 1.0)
            columns.append(z)
            weights.append(w.ministry_diversity)
            row([(z, 1), *((x[p], -1) for p in used)], -math.inf, 0)  # z ≤ Σ x of the ministry
    lp.maximize(mb.LinearExpr.weighted_sum(columns, weights))
    solver = mb.Solver("glop")
    if solver.solve(lp) != mb.SolveStatus.OPTIMAL:
        return Relaxation(None, {})
    values = solver.values(list(x.values())).tolist()
    return Relaxation(float(solver.objective_value), {p: v for p, v in zip(x, values, strict=True) if v > 0})


def repaired(
    inp: MatchingInput, scores: Mapping[Pair, int], preferred: Mapping[Pair, float], pairs: set[Pair]
) -> Teams | None:
    """Teams over `pairs` that keep every rule, built from the most `preferred` pairs first (an LP answer, a
    previous proposal), then topped up to the minimum size with the best-scoring free officials; None when stuck.

    Locked pairs come first and excluded officials are never used. Ties go by pair, so the result is
    repeatable.
    """
    excluded = set(inp.excluded)
    by_id = {v.official_id: v for v in inp.volunteers if v.official_id not in excluded}
    codes = sorted(a.municipality_code for a in inp.applications)
    teams: Teams = {code: [] for code in codes}
    ministries: dict[str, set[str]] = {code: set() for code in codes}
    used: dict[str, int] = defaultdict(int)

    def take(official: str, code: str) -> bool:
        v = by_id.get(official)
        if (
            v is None
            or (official, code) not in pairs
            or code not in teams
            or official in teams[code]
            or v.ministry in ministries[code]
        ):
            return False
        if len(teams[code]) >= inp.max_team_size or used[official] >= v.capacity:
            return False
        teams[code].append(official)
        ministries[code].add(v.ministry)
        used[official] += 1
        return True

    for lock in inp.locked:
        if not take(lock.official_id, lock.municipality_code):
            return None
    ranked = sorted((p for p, value in preferred.items() if value > 0.5), key=lambda p: (-preferred[p], p))
    for official, code in ranked:
        take(official, code)
    short = [code for code in codes if len(teams[code]) < inp.min_team_size]
    if short:
        within: dict[str, list[str]] = defaultdict(list)
        for official, code in pairs:
            within[code].append(official)
        for code in short:
            fill = sorted(within[code], key=lambda o: (-scores.get((o, code), 0), o))
            for official in fill:
                if len(teams[code]) >= inp.min_team_size:
                    break
                take(official, code)
            if len(teams[code]) < inp.min_team_size:
                return None
    return {code: sorted(team) for code, team in teams.items()}
