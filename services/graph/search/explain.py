"""Paths in words: how each relationship on a path reads in Japanese and English."""

from __future__ import annotations

from typing import Any

from schemas.graph_views import ConnectionPath, PathNode, PathStep

ACTIVITY_JA = {
    "online_meeting": "オンライン会議",
    "site_visit": "現地訪問",
    "company_visit": "企業訪問",
    "coordination": "関係機関との調整",
}

LABEL_KIND = {
    "Official": "official",
    "Engagement": "engagement",
    "Team": "team",
    "Municipality": "municipality",
    "Prefecture": "prefecture",
    "Ministry": "ministry",
    "Bureau": "bureau",
    "RegionalBureau": "body",
    "Organization": "body",
    "FundingProgram": "body",
    "PrefecturalDepartment": "body",
    "Activity": "activity",
    "Outcome": "outcome",
    "Theme": "theme",
    "Challenge": "challenge",
}

# (relationship type) → (ja, en) templates, read from the relationship's start node {a} to its end node {b}.
PHRASES: dict[str, tuple[str, str]] = {
    "MEMBER_OF": ("{a}は{b}の一員", "{a} is a member of {b}"),
    "HAS_TEAM": ("{a}を{b}が担当", "{b} works on {a}"),
    "BELONGS_TO": ("{a}は{b}に所属", "{a} belongs to {b}"),
    "WORKS_IN": ("{a}は{b}に勤務", "{a} works in {b}"),
    "PART_OF": ("{a}は{b}の組織", "{a} is part of {b}"),
    "SECONDED_FROM": ("{a}は{b}から出向", "{a} is seconded from {b}"),
    "FOR_MUNICIPALITY": ("{a}は{b}への支援", "{a} supports {b}"),
    "IN_PREFECTURE": ("{a}は{b}の市町村", "{a} is in {b}"),
    "HAS_ACTIVITY": ("{a}で{b}を実施", "{a} held {b}"),
    "WITH_BODY": ("{a}で{b}と連携", "{a} worked with {b}"),
    "VISITED": ("{a}で{b}を訪問", "{a} visited {b}"),
    "ACHIEVED": ("{a}の成果「{b}」", "{a} achieved “{b}”"),
    "INVOLVES": ("成果「{a}」に{b}が関与", "{b} took part in “{a}”"),
    "APPLIED_FOR": ("{a}は{b}に申請", "{a} applied for {b}"),
    "COVERS": ("{a}は{b}を管轄", "{a} covers {b}"),
    "FACES": ("{a}の課題は「{b}」", "{a} faces “{b}”"),
    "HAS_THEME": ("{a}のテーマは「{b}」", "{a} has the theme “{b}”"),
    "DESIRES_THEME": ("{a}が希望するテーマは「{b}」", "{a} asked for the theme “{b}”"),
    "UNDER_THEME": ("成果「{a}」のテーマは「{b}」", "“{a}” comes under “{b}”"),
}


def describe(labels: list[str], props: dict[str, Any]) -> PathNode:
    """A node as a person would name it, with the key the API uses for it."""
    label = next((lb for lb in labels if lb in LABEL_KIND), labels[0] if labels else "?")
    kind = LABEL_KIND.get(label, label.lower())
    key = str(props.get("id") or props.get("code") or props.get("name") or "")
    if label == "Engagement":
        name = f"{props.get('municipality_name') or key}の伴走支援（第{props.get('period')}期）"
    elif label == "Team":
        name = f"チーム（{props.get('name') or key}）"
    elif label == "Activity":
        name = f"{ACTIVITY_JA.get(str(props.get('kind')), '活動')}（{props.get('start_date') or '日付なし'}）"
    elif label == "Outcome":
        text = str(props.get("description") or key)
        name = text if len(text) <= 40 else text[:39] + "…"
    else:
        name = str(props.get("name") or key)
    return PathNode(kind=kind, key=key, name=name)


def step(rel_type: str, forward: bool, left: PathNode, right: PathNode) -> PathStep:
    """One hop in words; `forward` says whether the relationship points from `left` to `right`."""
    start, end = (left, right) if forward else (right, left)
    ja, en = PHRASES.get(rel_type, ("{a}と{b}は関係あり", "{a} is related to {b}"))
    return PathStep(ja=ja.format(a=start.name, b=end.name), en=en.format(a=start.name, b=end.name))


def summary(nodes: list[PathNode]) -> tuple[str, str]:
    """One line for the whole path: what the two ends have in common, or how far apart they are."""
    first, last = nodes[0], nodes[-1]
    middle = nodes[1:-1]
    if len(middle) == 1:
        m = middle[0]
        if m.kind == "team":
            return f"{first.name}と{last.name}は同じチーム", f"{first.name} and {last.name} are on the same team"
        if m.kind == "ministry":
            return (
                f"{first.name}と{last.name}は同じ府省庁（{m.name}）",
                f"{first.name} and {last.name} are in the same ministry ({m.name})",
            )
        return (
            f"{first.name}と{last.name}はどちらも{m.name}と関係",
            f"{first.name} and {last.name} both relate to {m.name}",
        )
    teams = [n for n in middle if n.kind == "team"]
    bodies = [n for n in middle if n.kind in ("body", "ministry", "bureau")]
    via = "、".join(n.name for n in (bodies or teams or middle)[:3])
    via_en = ", ".join(n.name for n in (bodies or teams or middle)[:3])
    hops = len(nodes) - 1
    return (
        f"{first.name}から{last.name}まで{hops}段階（{via}を経由）",
        f"{first.name} reaches {last.name} in {hops} steps via {via_en}",
    )


def explain_path(raw_nodes: list[dict[str, Any]], raw_rels: list[dict[str, Any]]) -> ConnectionPath:
    """A path from the query (labels/props per node, type/forward per relationship) in words."""
    nodes = [describe(n["labels"], n["props"]) for n in raw_nodes]
    steps = [step(r["type"], r["forward"], nodes[i], nodes[i + 1]) for i, r in enumerate(raw_rels)]
    ja, en = summary(nodes)
    return ConnectionPath(length=len(steps), nodes=nodes, steps=steps, summary_ja=ja, summary_en=en)
