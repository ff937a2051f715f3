"""The team optimiser: rules always hold, the optimum on small instances, reasons when impossible."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.events.reference import Seniority
from schemas.matching import Application, MatchingInput, Pairing, Proposal, Volunteer, Weights
from services.i18n.catalogue import both
from services.workflow.matching.fit import all_pair_scores, pair_score
from services.workflow.matching.greedy import greedy
from services.workflow.matching.objective import objective
from services.workflow.matching.optimiser import pair_scores, propose

TOPICS = ["港湾", "観光", "子育て", "森林", "防災", "DX"]
MINISTRIES = ["国土交通省", "農林水産省", "経済産業省", "総務省"]
CODES = ["032034", "202045", "131016"]
PREFS = ["岩手県", "長野県", "東京都"]


def volunteer(i: int, ministry: str, **kw: object) -> Volunteer:
    return Volunteer(official_id=f"o{i}", name=f"支援官{i}", ministry=ministry, **kw)


def app(i: int, **kw: object) -> Application:
    return Application(
        municipality_code=CODES[i],
        municipality_name=f"市{i}",
        prefecture=PREFS[i],
        **kw,
    )


def check_rules(inp: MatchingInput, proposal: Proposal) -> None:
    by_id = {v.official_id: v for v in inp.volunteers}
    load: Counter[str] = Counter()
    assert {t.municipality_code for t in proposal.teams} == {a.municipality_code for a in inp.applications}
    for team in proposal.teams:
        ids = [m.official_id for m in team.members]
        assert inp.min_team_size <= len(ids) <= inp.max_team_size
        assert len({by_id[o].ministry for o in ids}) == len(ids)
        assert not set(ids) & set(inp.excluded)
        load.update(ids)
    for official, n in load.items():
        assert n <= by_id[official].capacity
    teams = {t.municipality_code: {m.official_id for m in t.members} for t in proposal.teams}
    for lock in inp.locked:
        assert lock.official_id in teams[lock.municipality_code]


def test_the_port_town_gets_the_port_people_with_reasons() -> None:
    inp = MatchingInput(
        volunteers=[
            volunteer(1, "国土交通省", expertise=["港湾計画"], seniority=Seniority.SENIOR, hometown="岩手県"),
            volunteer(2, "経済産業省", expertise=["企業誘致"], seniority=Seniority.JUNIOR),
            volunteer(3, "農林水産省", expertise=["森林"]),
            volunteer(4, "総務省", expertise=["観光"]),
        ],
        applications=[app(0, challenges=["港湾の利活用", "企業誘致の停滞"]), app(1, desired_themes=["森林", "観光"])],
    )
    proposal = propose(inp, both)
    check_rules(inp, proposal)
    assert proposal.status == "optimal"
    teams = {t.municipality_code: t for t in proposal.teams}
    ofunato = teams["032034"]
    assert {m.official_id for m in ofunato.members} == {"o1", "o2"}
    port = next(m for m in ofunato.members if m.official_id == "o1")
    assert port.matched == ["港湾の利活用"]
    assert port.regional_tie == "hometown"
    assert "「港湾の利活用」に一致" in ofunato.explanation_ja
    assert "岩手県が出身地" in ofunato.explanation_ja
    assert "senior with junior/mid-career" in ofunato.explanation_en
    assert {m.official_id for m in teams["202045"].members} == {"o3", "o4"}


def test_the_same_input_gives_the_same_proposal() -> None:
    inp = random_instance(5, 3, 2, seed_topics=[0, 1, 2, 3, 4, 5])
    first, second = propose(inp, both), propose(inp, both)
    assert first.model_dump(exclude={"wall_seconds"}) == second.model_dump(exclude={"wall_seconds"})


def test_locks_are_kept_and_excluded_officials_unused() -> None:
    inp = MatchingInput(
        volunteers=[volunteer(i, MINISTRIES[i % 4], expertise=[TOPICS[i % 6]]) for i in range(8)],
        applications=[app(0, challenges=["港湾"]), app(1, challenges=["観光"])],
        locked=[Pairing(official_id="o7", municipality_code="032034")],
        excluded=["o0"],
    )
    proposal = propose(inp, both)
    check_rules(inp, proposal)
    ofunato = next(t for t in proposal.teams if t.municipality_code == "032034")
    assert any(m.official_id == "o7" and m.locked for m in ofunato.members)
    assert "担当者が固定" in ofunato.explanation_ja


@pytest.mark.parametrize(
    ("inp", "needle"),
    [
        (
            MatchingInput(
                volunteers=[volunteer(1, "国土交通省"), volunteer(2, "国土交通省"), volunteer(3, "国土交通省")],
                applications=[app(0)],
            ),
            "府省庁が 1 つ（国土交通省）しかなく",
        ),
        (
            MatchingInput(
                volunteers=[volunteer(1, "国土交通省"), volunteer(2, "総務省")], applications=[app(0), app(1)]
            ),
            "担当可能数の合計 2 が必要数 2×2=4 に足りません",
        ),
        (
            MatchingInput(
                volunteers=[volunteer(1, "国土交通省"), volunteer(2, "国土交通省"), volunteer(3, "総務省")],
                applications=[app(0)],
                locked=[
                    Pairing(official_id="o1", municipality_code="032034"),
                    Pairing(official_id="o2", municipality_code="032034"),
                ],
            ),
            "同じ府省庁（国土交通省）の支援官が2名以上固定",
        ),
        (
            MatchingInput(
                volunteers=[volunteer(1, "国土交通省"), volunteer(2, "総務省"), volunteer(3, "財務省")],
                applications=[app(0)],
                locked=[Pairing(official_id="o9", municipality_code="032034")],
            ),
            "o9 は志願者にいないか除外されています",
        ),
    ],
)
def test_impossible_instances_say_why(inp: MatchingInput, needle: str) -> None:
    proposal = propose(inp, both)
    assert proposal.status == "infeasible"
    assert proposal.teams == []
    assert any(needle in reason for reason in proposal.reasons_ja), proposal.reasons_ja
    assert len(proposal.reasons_en) == len(proposal.reasons_ja)


def random_instance(n_officials: int, n_ministries: int, n_apps: int, seed_topics: list[int]) -> MatchingInput:
    volunteers = [
        volunteer(
            i,
            MINISTRIES[i % n_ministries],
            expertise=[TOPICS[seed_topics[i % len(seed_topics)]]],
            seniority=[Seniority.JUNIOR, Seniority.MID, Seniority.SENIOR][(i * 7) % 3],
            hometown=PREFS[i % 3],
            capacity=1 + (i % 2),
        )
        for i in range(n_officials)
    ]
    apps = [app(i, challenges=[TOPICS[seed_topics[(i * 5) % len(seed_topics)]]]) for i in range(n_apps)]
    return MatchingInput(volunteers=volunteers, applications=apps)


def brute_force(inp: MatchingInput) -> int | None:
    scores = pair_scores(inp)
    by_id = {v.official_id: v for v in inp.volunteers}
    ids = sorted(by_id)
    options = [
        [
            c
            for size in range(inp.min_team_size, inp.max_team_size + 1)
            for c in itertools.combinations(ids, size)
            if len({by_id[o].ministry for o in c}) == size
        ]
        for _ in inp.applications
    ]
    best = None
    for choice in itertools.product(*options):
        load = Counter(o for team in choice for o in team)
        if any(n > by_id[o].capacity for o, n in load.items()):
            continue
        teams = {a.municipality_code: list(t) for a, t in zip(inp.applications, choice, strict=True)}
        value = objective(inp, teams, scores)
        best = value if best is None else max(best, value)
    return best


instances = st.builds(
    random_instance,
    n_officials=st.integers(3, 6),
    n_ministries=st.integers(1, 4),
    n_apps=st.integers(1, 3),
    seed_topics=st.lists(st.integers(0, 5), min_size=1, max_size=6),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_small_instances_reach_the_brute_force_optimum(inp: MatchingInput) -> None:
    proposal = propose(inp.model_copy(update={"relative_gap_limit": 0.0}), both)
    best = brute_force(inp)
    if best is None:
        assert proposal.status == "infeasible"
        assert proposal.reasons_ja
        return
    assert proposal.status == "optimal"
    assert proposal.objective == best
    check_rules(inp, proposal)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_the_default_gap_limit_stays_within_the_gap_of_the_optimum(inp: MatchingInput) -> None:
    proposal = propose(inp, both)
    best = brute_force(inp)
    if best is None:
        assert proposal.status == "infeasible"
        return
    assert best <= proposal.best_bound
    assert proposal.objective >= (1 - inp.relative_gap_limit) * best
    assert proposal.gap <= inp.relative_gap_limit
    check_rules(inp, proposal)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_greedy_never_beats_the_optimiser(inp: MatchingInput) -> None:
    proposal = propose(inp, both)
    baseline = greedy(inp, pair_scores(inp))
    if baseline is not None and proposal.status != "infeasible":
        assert objective(inp, baseline, pair_scores(inp)) <= proposal.objective


WORDS = [*TOPICS, "港湾計画", "港湾の利活用", "childcare", "子育て支援", "観光振興", "ｐｏｒｔ", "port", "林業"]
word_lists = st.lists(st.sampled_from(WORDS), max_size=4)


regions = st.sampled_from([None, *PREFS])
official_rows = st.tuples(word_lists, word_lists, word_lists, regions, st.lists(st.sampled_from(PREFS), max_size=47))


@settings(max_examples=60, deadline=None)
@given(
    officials=st.lists(official_rows, min_size=1, max_size=6),
    needs=st.lists(st.tuples(word_lists, word_lists), min_size=1, max_size=3),
)
def test_scoring_all_pairs_at_once_equals_scoring_each_pair(
    officials: list[tuple[list[str], list[str], list[str], str | None, list[str]]],
    needs: list[tuple[list[str], list[str]]],
) -> None:
    volunteers = [
        volunteer(i, "総務省", expertise=e, preferred_themes=p, past_evidence=ev, hometown=h, preferred_regions=r)
        for i, (e, p, ev, h, r) in enumerate(officials)
    ]
    apps = [app(i, challenges=c, desired_themes=d) for i, (c, d) in enumerate(needs)]
    weights = Weights()
    expected = {(v.official_id, a.municipality_code): pair_score(v, a, weights) for v in volunteers for a in apps}
    assert all_pair_scores(volunteers, apps, weights) == expected
