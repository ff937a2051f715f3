"""How well one official fits one municipality: shared topics and regional ties (pure)."""

from __future__ import annotations

from functools import lru_cache

from schemas.matching import Application, Volunteer, Weights
from services.graph.search_terms import normalise, synonym_groups


@lru_cache(maxsize=65_536)
def _groups(text: str) -> frozenset[int]:
    """The synonym groups some word of which `text` mentions."""
    return frozenset(i for i, group in enumerate(synonym_groups()) if any(word in text for word in group))


def _related(need: str, term: str) -> bool:
    """A need and an official's term match when one contains the other, or both mention one synonym group
    (港湾計画 and 港湾の利活用 both mention 港湾; 子育て支援 and childcare are one group)."""
    return term in need or need in term or bool(_groups(need) & _groups(term))


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
