"""The CP-SAT model that forms every team of a period at once (pure: no I/O, repeatable).

Hard rules: every application gets a team of min..max officials, no two from one ministry, nobody over
their capacity, locked pairings kept, excluded officials unused. Objective: Σ pair scores (fit and
regional ties) + a bonus per team mixing a senior with a junior/mid official + a bonus per ministry
used across the period. The candidates are each municipality's best officials plus those of the hints.

Before the search, the LP relaxation (relaxation.py) gives a proven bound and a near-integral answer;
the best of that answer rounded into teams, the previous proposal (a re-run's hint) and the greedy teams
starts the search. CP-SAT runs one worker with the full LP (linearisation level 2) under a deterministic
time limit, and stops as soon as the objective is within `relative_gap_limit` of the bound: the same
input gives the same proposal (unless the optional wall limit cuts the search short).
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from schemas.events.reference import Seniority
from schemas.matching import MatchingInput, Proposal, ProposedTeam, Volunteer
from services.i18n.message import N_, Msg
from services.workflow.matching.diagnose import infeasibility
from services.workflow.matching.explain import explain, member_reason
from services.workflow.matching.fit import nonzero_pair_scores
from services.workflow.matching.greedy import greedy
from services.workflow.matching.objective import objective
from services.workflow.matching.relaxation import relax, repaired

Pair = tuple[str, str]
Teams = dict[str, list[str]]


class Scores(dict[Pair, int]):
    """Pair scores holding only the pairs that score; any other pair scores 0."""

    def __missing__(self, key: Pair) -> int:
        return 0


def pair_scores(inp: MatchingInput) -> Scores:
    """Score of every (official, municipality) pair the rules allow (those not stored score 0)."""
    excluded = set(inp.excluded)
    volunteers = [v for v in inp.volunteers if v.official_id not in excluded]
    return Scores(nonzero_pair_scores(volunteers, inp.applications, inp.weights))


def candidates(inp: MatchingInput, scores: Mapping[Pair, int], per_municipality: int) -> set[Pair]:
    """The best `per_municipality` officials for each municipality (ties by id), plus every locked pair."""
    excluded = set(inp.excluded)
    officials = sorted(v.official_id for v in inp.volunteers if v.official_id not in excluded)
    by_code: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (official, code), score in scores.items():
        if score:
            by_code[code].append((-score, official))
    chosen: set[Pair] = set()
    for app in inp.applications:
        code = app.municipality_code
        best = heapq.nsmallest(per_municipality, by_code[code])  # = sorted(...)[:per_municipality]
        chosen |= {(o, code) for _, o in best}
        if len(best) < per_municipality:  # then the officials who score 0 there, by id
            scored = {o for _, o in best}
            rest = (o for o in officials if o not in scored)
            chosen |= {(o, code) for o, _ in zip(rest, range(per_municipality - len(best)), strict=False)}
    return chosen | {(p.official_id, p.municipality_code) for p in inp.locked}


Texts = Callable[[Msg], tuple[str, str]]
"""A message in Japanese and English: the catalogue's `both`, handed in by the matching activity."""


def _infeasible(reasons: list[Msg], texts: Texts, started: float) -> Proposal:
    read = [texts(r) for r in reasons]
    return Proposal(
        status="infeasible",
        objective=0,
        best_bound=0,
        gap=0,
        teams=[],
        reasons_ja=[ja for ja, _ in read],
        reasons_en=[en for _, en in read],
        wall_seconds=time.perf_counter() - started,
    )


Progress = Callable[[float, float, float], None]
"""Called with (seconds, objective, bound) each time the solver finds a better solution."""

Phase = Callable[[str, float], None]
"""Called with (phase, seconds) as each step ends: scores, greedy, candidates, lp, hint, model, search, explain."""


class _Search(cp_model.CpSolverSolutionCallback):
    """Reports each better solution and stops the search once it is within the gap of the LP bound."""

    def __init__(self, on_progress: Progress | None, bound: float | None, gap: float) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._bound = bound
        self._enough = None if bound is None else bound - gap * abs(bound)

    def on_solution_callback(self) -> None:
        bound = self.best_objective_bound
        if self._bound is not None:
            bound = min(bound, self._bound)  # the LP's bound until CP-SAT proves a better one
        if self._on_progress:
            self._on_progress(self.wall_time, self.objective_value, bound)
        if self._enough is not None and self.objective_value >= self._enough - 1e-9:
            self.stop_search()


def _timer(on_phase: Phase | None) -> Callable[[str], None]:
    last = [time.perf_counter()]

    def lap(phase: str) -> None:
        now = time.perf_counter()
        if on_phase:
            on_phase(phase, now - last[0])
        last[0] = now

    return lap


def propose(
    inp: MatchingInput, texts: Texts, on_progress: Progress | None = None, on_phase: Phase | None = None
) -> Proposal:
    """The best teams found within the limits, each explained; or why there are none.

    The explanations and reasons are messages (services/i18n) read through `texts` into the proposal's
    Japanese and English. `on_progress` (for long runs, e.g. the benchmark) hears of every better
    solution and `on_phase` of the time each step took; neither changes the search.
    """
    started = time.perf_counter()
    lap = _timer(on_phase)
    reasons = infeasibility(inp)
    if reasons:
        return _infeasible(reasons, texts, started)
    scores = pair_scores(inp)
    lap("scores")
    base = greedy(inp, scores) or {}
    lap("greedy")
    previous = _previous(inp)
    per = inp.candidates_per_municipality
    while True:
        hinted = {(o, code) for code, team in base.items() for o in team} | set(previous)
        pairs = candidates(inp, scores, per) | hinted
        lap("candidates")
        preferences = [previous, {(o, code): 1.0 for code, team in base.items() for o in team}]
        result = _solve(inp, scores, pairs, preferences, on_progress, lap)
        if result is not None or per >= len(inp.volunteers):
            break
        per *= 4  # the shortlist was too tight: widen it before calling the instance infeasible
    if result is None:
        return _infeasible(
            [Msg(N_("no assignment satisfies the rules (check ministries and capacities)"))], texts, started
        )
    teams, bound = result
    value = objective(inp, teams, scores)
    bound = max(bound, value)
    optimal = value >= bound
    proposal = Proposal(
        status="optimal" if optimal else "feasible",
        objective=value,
        best_bound=bound,
        gap=0.0 if optimal or bound <= 0 else max(0.0, (bound - value) / bound),
        teams=_explained(inp, teams, scores, texts),
        wall_seconds=time.perf_counter() - started,
    )
    lap("explain")
    return proposal


def _previous(inp: MatchingInput) -> dict[Pair, float]:
    """The re-run's hint (the previous proposal as edited) as preferred pairs, minus excluded officials."""
    excluded = set(inp.excluded)
    officials = {v.official_id for v in inp.volunteers}
    codes = {a.municipality_code for a in inp.applications}
    return {
        (p.official_id, p.municipality_code): 1.0
        for p in inp.hint
        if p.official_id in officials and p.official_id not in excluded and p.municipality_code in codes
    }


def _hint(
    inp: MatchingInput,
    scores: Mapping[Pair, int],
    pairs: set[Pair],
    preferences: list[Mapping[Pair, float]],
) -> Teams:
    """The best of the teams repaired from each preference (ties: the first), or none."""
    best: tuple[int, Teams] | None = None
    for preferred in preferences:
        if not preferred:
            continue
        teams = repaired(inp, scores, preferred, pairs)
        if teams is None:
            continue
        value = objective(inp, teams, scores)
        if best is None or value > best[0]:
            best = (value, teams)
    return best[1] if best else {}


def _solve(
    inp: MatchingInput,
    scores: Mapping[Pair, int],
    pairs: set[Pair],
    preferences: list[dict[Pair, float]],
    on_progress: Progress | None,
    lap: Callable[[str], None],
) -> tuple[Teams, float] | None:
    relaxation = relax(inp, scores, pairs)
    lp_bound = None  # the objective is whole: the LP's floor, with room for GLOP's tolerances
    if relaxation.bound is not None:
        lp_bound = math.floor(relaxation.bound + 1e-6 * max(1.0, abs(relaxation.bound)))
    lap("lp")
    hint = _hint(inp, scores, pairs, [relaxation.values, *preferences])
    lap("hint")
    if hint and lp_bound is not None:
        value = objective(inp, hint, scores)
        if value >= lp_bound - inp.relative_gap_limit * abs(lp_bound) - 1e-9:  # already close enough
            if on_progress:
                on_progress(0.0, value, lp_bound)
            return hint, float(lp_bound)
    model = cp_model.CpModel()
    by_id = {v.official_id: v for v in inp.volunteers}
    x = {p: model.new_bool_var(f"x_{p[0]}_{p[1]}") for p in sorted(pairs)}
    by_code: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_official: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair in x:
        by_official[pair[0]].append(pair)
        by_code[pair[1]].append(pair)
    terms = [scores[p] * var for p, var in x.items()]
    for app in inp.applications:
        team = by_code[app.municipality_code]
        model.add(sum(x[p] for p in team) >= inp.min_team_size)
        model.add(sum(x[p] for p in team) <= inp.max_team_size)
        per_ministry: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for p in team:
            per_ministry[by_id[p[0]].ministry].append(x[p])
        for same in per_ministry.values():
            model.add(sum(same) <= 1)
        seniors = [x[p] for p in team if by_id[p[0]].seniority is Seniority.SENIOR]
        others = [x[p] for p in team if by_id[p[0]].seniority is not Seniority.SENIOR]
        if seniors and others and inp.weights.seniority_mix:
            mix = model.new_bool_var(f"mix_{app.municipality_code}")
            model.add(mix <= sum(seniors))
            model.add(mix <= sum(others))
            terms.append(inp.weights.seniority_mix * mix)
            levels = {by_id[o].seniority is Seniority.SENIOR for o in hint.get(app.municipality_code, [])}
            model.add_hint(mix, levels == {True, False})
    for official, held in by_official.items():
        model.add(sum(x[p] for p in held) <= by_id[official].capacity)
    for lock in inp.locked:
        model.add(x[(lock.official_id, lock.municipality_code)] == 1)
    if inp.weights.ministry_diversity:
        ministry_pairs: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for p, var in x.items():
            ministry_pairs[by_id[p[0]].ministry].append(var)
        hinted_ministries = {by_id[o].ministry for team in hint.values() for o in team}
        for ministry, used in sorted(ministry_pairs.items()):
            z = model.new_bool_var(f"ministry_{ministry}")
            model.add(z <= sum(used))
            terms.append(inp.weights.ministry_diversity * z)
            model.add_hint(z, ministry in hinted_ministries)
    model.maximize(sum(terms))
    hinted = {(o, code) for code, team in hint.items() for o in team}
    for pair, var in x.items():  # start from the best hint (complete, bonuses included)
        model.add_hint(var, pair in hinted)
    lap("model")
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.linearization_level = 2  # the full LP: its bound is within points of the optimum
    solver.parameters.max_deterministic_time = inp.max_deterministic_time
    solver.parameters.relative_gap_limit = inp.relative_gap_limit
    if inp.max_wall_seconds is not None:
        solver.parameters.max_time_in_seconds = inp.max_wall_seconds
    code = solver.solve(model, _Search(on_progress, lp_bound, inp.relative_gap_limit))
    lap("search")
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    teams: dict[str, list[str]] = {a.municipality_code: [] for a in inp.applications}
    for (official, municipality), var in x.items():
        if solver.boolean_value(var):
            teams[municipality].append(official)
    bound = float(solver.best_objective_bound)
    if lp_bound is not None:
        bound = min(bound, float(lp_bound))
    return {k: sorted(v) for k, v in teams.items()}, bound


def _explained(
    inp: MatchingInput, teams: dict[str, list[str]], scores: dict[tuple[str, str], int], texts: Texts
) -> list[ProposedTeam]:
    by_id: dict[str, Volunteer] = {v.official_id: v for v in inp.volunteers}
    locked = {(p.official_id, p.municipality_code) for p in inp.locked}
    out = []
    for app in sorted(inp.applications, key=lambda a: a.municipality_code):
        members = [by_id[o] for o in teams[app.municipality_code]]
        reasons = [member_reason(m, app, locked=(m.official_id, app.municipality_code) in locked) for m in members]
        ja, en = texts(explain(app, members, reasons))
        out.append(
            ProposedTeam(
                municipality_code=app.municipality_code,
                municipality_name=app.municipality_name,
                members=reasons,
                score=sum(scores[(m.official_id, app.municipality_code)] for m in members),
                explanation_ja=ja,
                explanation_en=en,
            )
        )
    return out
