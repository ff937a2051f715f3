"""The LP relaxation and the hints: the bound never cuts a feasible optimum, repaired teams keep the rules,
a re-run starts from the previous proposal, and the sparse scores pick the same candidates as the dense ones."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from schemas.matching import MatchingInput, Pairing
from services.i18n.catalogue import both
from services.workflow.matching.fit import all_pair_scores
from services.workflow.matching.greedy import greedy
from services.workflow.matching.objective import objective
from services.workflow.matching.optimiser import candidates, pair_scores, propose
from services.workflow.matching.relaxation import relax, repaired
from tests.unit.test_matching import MINISTRIES, TOPICS, app, brute_force, check_rules, instances, volunteer


def all_pairs(inp: MatchingInput) -> set[tuple[str, str]]:
    return {(v.official_id, a.municipality_code) for v in inp.volunteers for a in inp.applications}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_the_lp_bound_never_cuts_the_brute_force_optimum(inp: MatchingInput) -> None:
    best = brute_force(inp)
    relaxation = relax(inp, pair_scores(inp), all_pairs(inp))
    if best is not None:
        assert relaxation.bound is not None
        assert relaxation.bound >= best - 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_teams_repaired_from_the_lp_keep_every_rule(inp: MatchingInput) -> None:
    scores = pair_scores(inp)
    pairs = all_pairs(inp)
    relaxation = relax(inp, scores, pairs)
    teams = repaired(inp, scores, relaxation.values, pairs)
    if teams is None:
        return
    proposal = propose(inp.model_copy(update={"hint": [], "relative_gap_limit": 0.0}), both)
    assert proposal.status == "optimal"
    assert objective(inp, teams, scores) <= proposal.objective
    by_id = {v.official_id: v for v in inp.volunteers}
    load: dict[str, int] = {}
    for members in teams.values():
        assert inp.min_team_size <= len(members) <= inp.max_team_size
        assert len({by_id[o].ministry for o in members}) == len(members)
        for o in members:
            load[o] = load.get(o, 0) + 1
    assert all(n <= by_id[o].capacity for o, n in load.items())


def period() -> MatchingInput:
    return MatchingInput(
        volunteers=[volunteer(i, MINISTRIES[i % 4], expertise=[TOPICS[i % 6]], capacity=1) for i in range(10)],
        applications=[app(0, challenges=["港湾"]), app(1, challenges=["観光"]), app(2, challenges=["森林"])],
    )


def test_a_valid_previous_proposal_is_repaired_into_itself() -> None:
    inp = period()
    scores = pair_scores(inp)
    first = propose(inp, both)
    previous = {(m.official_id, t.municipality_code): 1.0 for t in first.teams for m in t.members}
    teams = repaired(inp, scores, previous, all_pairs(inp))
    assert teams == {t.municipality_code: sorted(m.official_id for m in t.members) for t in first.teams}


def test_a_rerun_after_an_edit_starts_from_the_edited_proposal_and_keeps_the_lock() -> None:
    inp = period()
    first = propose(inp, both)
    teams = {t.municipality_code: [m.official_id for m in t.members] for t in first.teams}
    moved = teams["032034"].pop(0)
    teams["202045"].append(moved)
    hint = [Pairing(official_id=o, municipality_code=code) for code, team in teams.items() for o in team]
    lock = Pairing(official_id=moved, municipality_code="202045")
    again = propose(inp.model_copy(update={"locked": [lock], "hint": hint, "relative_gap_limit": 1.0}), both)
    check_rules(inp.model_copy(update={"locked": [lock]}), again)
    edited = repaired(
        inp.model_copy(update={"locked": [lock]}),
        pair_scores(inp),
        {(p.official_id, p.municipality_code): 1.0 for p in hint},
        all_pairs(inp),
    )
    assert edited is not None
    assert again.objective >= objective(inp, edited, pair_scores(inp))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_candidates_from_the_scoring_pairs_equal_the_shortlist_over_every_pair(inp: MatchingInput) -> None:
    dense = all_pair_scores(inp.volunteers, inp.applications, inp.weights)
    for per in (1, 2, 3, 5):
        by_code: dict[str, list[tuple[int, str]]] = {}
        for (official, code), score in dense.items():
            by_code.setdefault(code, []).append((-score, official))
        expected = {(o, code) for code, ranked in by_code.items() for _, o in sorted(ranked)[:per]}
        assert candidates(inp, pair_scores(inp), per) == expected
        assert all(pair_scores(inp)[p] == dense[p] for p in dense)


def dense_greedy(inp: MatchingInput) -> dict[str, list[str]] | None:
    """The greedy pass as first written (without locks: these instances have none), ranking every pair."""
    scores = all_pair_scores(inp.volunteers, inp.applications, inp.weights)
    volunteers = [v for v in inp.volunteers if v.official_id not in set(inp.excluded)]
    used: dict[str, int] = {}
    teams: dict[str, list[str]] = {}
    for a in sorted(inp.applications, key=lambda a: a.municipality_code):
        team: list[str] = []
        ministries: set[str] = set()
        for v in sorted(volunteers, key=lambda v: (-scores[(v.official_id, a.municipality_code)], v.official_id)):
            if len(team) >= inp.max_team_size:
                break
            if v.ministry in ministries or used.get(v.official_id, 0) >= v.capacity:
                continue
            team.append(v.official_id)
            ministries.add(v.ministry)
            used[v.official_id] = used.get(v.official_id, 0) + 1
        if len(team) < inp.min_team_size:
            return None
        teams[a.municipality_code] = team
    return teams


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_greedy_over_the_scoring_pairs_equals_greedy_over_every_pair(inp: MatchingInput) -> None:
    assert greedy(inp, pair_scores(inp)) == dense_greedy(inp)
