"""The CP-SAT model that forms every team of a period at once (pure: no I/O, deterministic).

Hard rules: every application gets a team of min..max officials, no two from one ministry, nobody over
their capacity, locked pairings kept, excluded officials unused. Objective: Σ pair scores (fit and
regional ties) + a bonus per team mixing a senior with a junior/mid official + a bonus per ministry
used across the period. The greedy baseline's teams are the starting hint, and the candidates are each
municipality's best officials plus the greedy ones. One search worker and a deterministic time limit
make the answer repeatable.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from schemas.events.reference import Seniority
from schemas.matching import MatchingInput, Proposal, ProposedTeam, Volunteer
from services.i18n.message import N_, Msg
from services.workflow.matching.diagnose import infeasibility
from services.workflow.matching.explain import explain, member_reason
from services.workflow.matching.fit import all_pair_scores
from services.workflow.matching.greedy import greedy
from services.workflow.matching.objective import objective


def pair_scores(inp: MatchingInput) -> dict[tuple[str, str], int]:
    """Score of every (official, municipality) pair the rules allow."""
    excluded = set(inp.excluded)
    volunteers = [v for v in inp.volunteers if v.official_id not in excluded]
    return all_pair_scores(volunteers, inp.applications, inp.weights)


def candidates(inp: MatchingInput, scores: dict[tuple[str, str], int], per_municipality: int) -> set[tuple[str, str]]:
    """The best `per_municipality` officials for each municipality (ties by id), plus every locked pair."""
    by_code: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (official, code), score in scores.items():
        by_code[code].append((-score, official))
    chosen = {(o, code) for code, ranked in by_code.items() for _, o in sorted(ranked)[:per_municipality]}
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


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: Progress) -> None:
        super().__init__()
        self._on_progress = on_progress

    def on_solution_callback(self) -> None:
        self._on_progress(self.wall_time, self.objective_value, self.best_objective_bound)


def propose(inp: MatchingInput, texts: Texts, on_progress: Progress | None = None) -> Proposal:
    """The best teams found within the deterministic time limit, each explained; or why there are none.

    The explanations and reasons are messages (services/i18n) read through `texts` into the proposal's
    Japanese and English. `on_progress` (for long runs, e.g. the benchmark) hears of every better
    solution; it does not change the search.
    """
    started = time.perf_counter()
    reasons = infeasibility(inp)
    if reasons:
        return _infeasible(reasons, texts, started)
    scores = pair_scores(inp)
    hint = greedy(inp, scores) or {}
    per = inp.candidates_per_municipality
    while True:
        pairs = candidates(inp, scores, per) | {(o, code) for code, team in hint.items() for o in team}
        result = _solve(inp, scores, pairs, hint, on_progress)
        if result is not None or per >= len(inp.volunteers):
            break
        per *= 4  # the shortlist was too tight: widen it before calling the instance infeasible
    if result is None:
        return _infeasible(
            [Msg(N_("no assignment satisfies the rules (check ministries and capacities)"))], texts, started
        )
    status, teams, bound = result
    value = objective(inp, teams, scores)
    return Proposal(
        status=status,
        objective=value,
        best_bound=bound,
        gap=0.0 if status == "optimal" or bound <= 0 else max(0.0, (bound - value) / bound),
        teams=_explained(inp, teams, scores, texts),
        wall_seconds=time.perf_counter() - started,
    )


def _solve(
    inp: MatchingInput,
    scores: dict[tuple[str, str], int],
    pairs: set[tuple[str, str]],
    hint: dict[str, list[str]],
    on_progress: Progress | None = None,
) -> tuple[str, dict[str, list[str]], float] | None:
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
    for pair, var in x.items():  # start from the greedy teams (a complete hint, bonuses included)
        model.add_hint(var, pair in hinted)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = inp.max_deterministic_time
    code = solver.solve(model, _Reporter(on_progress) if on_progress else None)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    teams: dict[str, list[str]] = {a.municipality_code: [] for a in inp.applications}
    for (official, municipality), var in x.items():
        if solver.boolean_value(var):
            teams[municipality].append(official)
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    return status, {k: sorted(v) for k, v in teams.items()}, float(solver.best_objective_bound)


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
