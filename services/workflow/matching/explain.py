"""Explanations of proposed teams in Japanese and English (pure)."""

from __future__ import annotations

from schemas.matching import Application, MemberReason, Volunteer
from services.workflow.matching.fit import matched, regional_tie
from services.workflow.matching.objective import team_has_mix

SENIORITY_JA = {"junior": "若手", "mid": "中堅", "senior": "シニア"}
TIE_JA = {"hometown": "出身地", "preferred_region": "希望地域"}
TIE_EN = {"hometown": "hometown", "preferred_region": "preferred region"}


def member_reason(v: Volunteer, app: Application, *, locked: bool) -> MemberReason:
    """What ties one official to one municipality."""
    return MemberReason(
        official_id=v.official_id,
        name=v.name,
        ministry=v.ministry,
        seniority=v.seniority,
        matched=matched(v, app),
        regional_tie=regional_tie(v, app),
        locked=locked,
    )


def explain(app: Application, members: list[Volunteer], reasons: list[MemberReason]) -> tuple[str, str]:
    """One paragraph per language: each member's ties, then the team's make-up."""
    ja_parts, en_parts = [], []
    for r in reasons:
        ja, en = [], []
        if r.matched:
            ja.append("「" + "」「".join(r.matched) + "」に一致")
            en.append("matches " + ", ".join(r.matched))
        if r.regional_tie:
            ja.append(f"{app.prefecture}が{TIE_JA[r.regional_tie]}")
            en.append(f"{app.prefecture} is their {TIE_EN[r.regional_tie]}")
        if r.locked:
            ja.append("担当者が固定")
            en.append("locked by a reviewer")
        ja_parts.append(
            f"{r.name}（{r.ministry}・{SENIORITY_JA[r.seniority.value]}）: " + ("、".join(ja) or "構成上の補完")
        )
        en_parts.append(f"{r.name} ({r.ministry}, {r.seniority.value}): " + ("; ".join(en) or "completes the team"))
    ministries = "・".join(m.ministry for m in members)
    team_ja = f"府省庁の組合せ: {ministries}" + ("、シニアと若手・中堅の組合せ" if team_has_mix(members) else "")
    team_en = f"ministries: {', '.join(m.ministry for m in members)}" + (
        "; senior with junior/mid-career" if team_has_mix(members) else ""
    )
    return "。".join([*ja_parts, team_ja]) + "。", ". ".join([*en_parts, team_en]) + "."
