"""Projection plans for reference data: officials and bodies."""

from __future__ import annotations

from typing import Any

from schemas.events import BodyDefined, MunicipalitiesListed, OfficialPostChanged, OfficialRef, OfficialRegistered
from schemas.text import compared
from services.graph.projection import queries as q
from services.graph.projection.statements import BODY_LABELS, Statement, iso


def official_registered(p: OfficialRegistered, base: dict[str, Any]) -> tuple[Statement, OfficialRef]:
    """支援官: the Official with its ministry; the caller adds the posting statements."""
    o = p.official
    params = base | {
        "official_id": o.official_id,
        "name": o.name,
        "post": o.post,
        "ministry": compared(o.ministry),
        "seniority": p.seniority.value if p.seniority else None,
        "hometown": p.hometown,
    }
    return Statement(q.OFFICIAL_REGISTERED, params), o


def official_post_changed(p: OfficialPostChanged, base: dict[str, Any], official_id: str) -> list[Statement]:
    """異動: close the current postings, open the new one from the change date."""
    params = base | {
        "official_id": official_id,
        "post": p.post,
        "ministry": compared(p.ministry),
        "changed_on": iso(p.changed_on),
    }
    ministry = params["ministry"]
    statements = [Statement(q.OFFICIAL_POST_CLOSED, params)]
    unit = None
    if p.bureau:
        unit = f"{ministry}/{p.bureau}"
        statements.append(Statement(q.TEAM_BUREAUS, {"units": [{"id": unit, "name": p.bureau, "ministry": ministry}]}))
    if p.division:
        parent = unit
        unit = f"{parent or ministry}/{p.division}"
        row = {"id": unit, "name": p.division, "ministry": ministry, "parent_id": parent or ""}
        statements.append(Statement(q.TEAM_DIVISIONS if parent else q.TEAM_DIVISIONS_UNDER_MINISTRY, {"units": [row]}))
    if unit:
        statements.append(Statement(q.OFFICIAL_POST_OPENED, params | {"unit_id": unit}))
    return statements


def body_defined(p: BodyDefined, base: dict[str, Any]) -> list[Statement]:
    """機関・制度: the body under its label, its parent ministry and the prefectures it covers."""
    params = base | {
        "name": p.name,
        "description": p.description,
        "parent_ministry": p.parent_ministry,
        "covers": p.covers_prefectures,
    }
    statements = []
    if p.parent_ministry:
        statements.append(Statement(q.PARENT_MINISTRY, {"parent_ministry": p.parent_ministry}))
    statements.append(Statement(q.BODY_DEFINED[BODY_LABELS[p.kind]], params))
    return statements


def municipalities_listed(p: MunicipalitiesListed, base: dict[str, Any]) -> Statement:
    """都道府県と市町村: the Prefecture with its codes, every Municipality in it."""
    params = base | {
        "prefecture": p.prefecture,
        "prefecture_code": p.prefecture_code,
        "prefecture_kana": p.prefecture_kana,
        "prefecture_en": p.prefecture_en,
        "municipalities": [m.model_dump(mode="json") for m in p.municipalities],
    }
    return Statement(q.MUNICIPALITIES_LISTED, params)
