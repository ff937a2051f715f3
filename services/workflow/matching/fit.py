"""How well one official fits one municipality: shared topics and regional ties (pure)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from schemas.matching import Application, Volunteer, Weights
from schemas.search_terms import normalise
from services.words.domain import groups_mentioned


def _related(need: str, term: str) -> bool:
    """A need and an official's term match when one contains the other, or both mention one group of the
    programme's glossary (港湾計画 and 港湾の利活用 both mention 港湾; 子育て支援 and childcare are one group)."""
    return term in need or need in term or bool(groups_mentioned(need) & groups_mentioned(term))


@lru_cache(maxsize=65_536)
def _norm(text: str) -> str:
    return normalise(text)


def needs(app: Application) -> list[str]:
    """The municipality's challenges and desired themes, normalised, in order, without repeats."""
    return list(dict.fromkeys(_norm(n) for n in [*app.challenges, *app.desired_themes]))


def terms(v: Volunteer) -> list[str]:
    """The official's expertise, preferred themes and past evidence, normalised."""
    return list(dict.fromkeys(_norm(t) for t in [*v.expertise, *v.preferred_themes, *v.past_evidence]))


def matched(v: Volunteer, app: Application) -> list[str]:
    """The needs of `app` that something of `v` speaks to."""
    official = terms(v)
    return [n for n in needs(app) if any(_related(n, t) for t in official)]


def regional_tie(v: Volunteer, app: Application) -> str | None:
    """'hometown' when the official comes from the prefecture, 'preferred_region' when they asked for it."""
    if v.hometown and normalise(v.hometown) == normalise(app.prefecture):
        return "hometown"
    if normalise(app.prefecture) in {normalise(p) for p in v.preferred_regions}:
        return "preferred_region"
    return None


REGION_POINTS = {"hometown": 2, "preferred_region": 1, None: 0}


def pair_score(v: Volunteer, app: Application, weights: Weights) -> int:
    """The pair's part of the objective: fit and regional ties, weighted."""
    return weights.fit * len(matched(v, app)) + weights.region * REGION_POINTS[regional_tie(v, app)]


def all_pair_scores(
    volunteers: list[Volunteer], applications: list[Application], weights: Weights
) -> dict[tuple[str, str], int]:
    """`pair_score` for every pair at once (zeros included), from `nonzero_pair_scores`."""
    scores = {(v.official_id, a.municipality_code): 0 for a in applications for v in volunteers}
    scores.update(nonzero_pair_scores(volunteers, applications, weights))
    return scores


def nonzero_pair_scores(
    volunteers: list[Volunteer], applications: list[Application], weights: Weights
) -> dict[tuple[str, str], int]:
    """`pair_score` of every pair that scores above zero, from indexes instead of pair by pair.

    Each need is related to the officials' vocabulary once, and each municipality visits only the
    officials a need or a regional tie reaches: at 3,000 officials × 1,000 municipalities the
    per-pair form spends minutes re-matching the same words, and the zeros alone are 3 million entries.
    """
    by_term: dict[str, set[str]] = defaultdict(set)
    for v in volunteers:
        for t in terms(v):
            by_term[t].add(v.official_id)
    reached: dict[str, frozenset[str]] = {}
    by_home: dict[str, set[str]] = defaultdict(set)
    by_wish: dict[str, set[str]] = defaultdict(set)
    for v in volunteers:
        if v.hometown:
            by_home[normalise(v.hometown)].add(v.official_id)
        for p in v.preferred_regions:
            by_wish[normalise(p)].add(v.official_id)
    scores: dict[tuple[str, str], int] = {}
    for a in applications:
        fit: dict[str, int] = defaultdict(int)
        for n in needs(a):
            if n not in reached:
                reached[n] = frozenset(o for t, officials in by_term.items() if _related(n, t) for o in officials)
            for official in reached[n]:
                fit[official] += 1
        prefecture = normalise(a.prefecture)
        home, wish = by_home.get(prefecture, set()), by_wish.get(prefecture, set())
        code = a.municipality_code
        for official in fit.keys() | home | wish:
            tie = "hometown" if official in home else "preferred_region" if official in wish else None
            score = weights.fit * fit.get(official, 0) + weights.region * REGION_POINTS[tie]
            if score:
                scores[(official, code)] = score
    return scores
