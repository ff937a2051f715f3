"""Paths in words: how each relationship on a path reads, every sentence a msgid of services/i18n's catalogue."""

from __future__ import annotations

from typing import Any

from schemas.graph_views import ConnectionPath, PathNode, PathStep
from services.i18n.catalogue import Lang, both, translate
from services.i18n.message import N_, NC_, Msg, MsgList

# An activity's kind as a node is named (the catalogue's labels of the web forms, and its own for the rest).
ACTIVITY_KINDS = {
    "online_meeting": N_("Online meeting"),
    "site_visit": N_("Site visit"),
    "company_visit": N_("Company visit"),
    "coordination": NC_("an activity on a path in the graph", "Coordination with a body"),
}
ACTIVITY_CONTEXT = {"coordination": "an activity on a path in the graph"}

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
    "Subject": "subject",
}

# relationship type → msgid, read from the relationship's start node %(a)s to its end node %(b)s.
PHRASES: dict[str, str] = {
    "MEMBER_OF": N_("%(a)s is a member of %(b)s"),
    "HAS_TEAM": N_("%(b)s works on %(a)s"),
    "BELONGS_TO": N_("%(a)s belongs to %(b)s"),
    "WORKS_IN": N_("%(a)s works in %(b)s"),
    "PART_OF": N_("%(a)s is part of %(b)s"),
    "SECONDED_FROM": N_("%(a)s is seconded from %(b)s"),
    "FOR_MUNICIPALITY": N_("%(a)s supports %(b)s"),
    "IN_PREFECTURE": N_("%(a)s is in %(b)s"),
    "HAS_ACTIVITY": N_("%(a)s held %(b)s"),
    "WITH_BODY": N_("%(a)s worked with %(b)s"),
    "VISITED": N_("%(a)s visited %(b)s"),
    "ACHIEVED": N_("%(a)s achieved “%(b)s”"),
    "INVOLVES": N_("%(b)s took part in “%(a)s”"),
    "APPLIED_FOR": N_("%(a)s applied for %(b)s"),
    "COVERS": N_("%(a)s covers %(b)s"),
    "FACES": N_("%(a)s faces “%(b)s”"),
    "HAS_THEME": N_("%(a)s has the theme “%(b)s”"),
    "DESIRES_THEME": N_("%(a)s asked for the theme “%(b)s”"),
    "UNDER_THEME": N_("“%(a)s” comes under “%(b)s”"),
    "ABOUT": N_("%(a)s is about %(b)s"),
    "TOOK_PART": N_("%(a)s took part in %(b)s"),
    "CONTRIBUTED_TO": N_("%(a)s contributed to “%(b)s”"),
}
# A challenge, theme or outcome about a subject word (the ABOUT of a survey answer reads as above).
ABOUT_SUBJECT = N_("“%(a)s” is about the subject %(b)s")

# Two things about one subject, read as one step: (kind on one side, kind on the other) → msgid.
SUBJECT_KINDS = ("challenge", "theme", "outcome")
SUBJECT_CONTEXT = "a kind of thing that is about a subject"
SUBJECT_KIND_NAMES = {
    "challenge": NC_("a kind of thing that is about a subject", "a challenge"),
    "theme": NC_("a kind of thing that is about a subject", "a theme"),
    "outcome": NC_("a kind of thing that is about a subject", "an outcome"),
}
SAME_SUBJECT = {
    "challenge": N_("Same subject of challenges: %(subject)s"),
    "theme": N_("Same subject of themes: %(subject)s"),
    "outcome": N_("Same subject of outcomes: %(subject)s"),
}
MIXED_SUBJECT = N_("Same subject in %(left)s and %(right)s: %(subject)s")
SUBJECT_STEP = N_("%(shared)s (“%(a)s” and “%(b)s”)")
SUBJECT_SUMMARY = N_("%(a)s and %(b)s: %(shared)s (%(hops)s steps)")
RELATED = N_("%(a)s is related to %(b)s")
VIA_SEPARATOR_CONTEXT = "separator between the places a path goes through"
VIA_SEPARATOR = NC_("separator between the places a path goes through", ", ")


def describe(labels: list[str], props: dict[str, Any]) -> PathNode:
    """A node as a person would name it, with the key the API uses for it.

    A node has one name (the published PathNode), read in both languages' sentences: the names in the
    graph are Japanese, so the words around them (伴走支援, チーム, an activity's kind) are the catalogue's
    Japanese too.
    """
    label = next((lb for lb in labels if lb in LABEL_KIND), labels[0] if labels else "?")
    kind = LABEL_KIND.get(label, label.lower())
    key = str(props.get("id") or props.get("code") or props.get("name") or "")
    if label == "Engagement":
        municipality = props.get("municipality_name") or key
        engagement = Msg(
            N_("%(municipality)s engagement (period %(period)s)"),
            {"municipality": municipality, "period": props.get("period")},
        )
        name = translate(engagement, "ja")
    elif label == "Team":
        name = translate(Msg(N_("Team (%(name)s)"), {"name": props.get("name") or key}), "ja")
    elif label == "Activity":
        activity_kind = str(props.get("kind"))
        what = Msg(ACTIVITY_KINDS.get(activity_kind, N_("Activity")), context=ACTIVITY_CONTEXT.get(activity_kind))
        when = props.get("start_date") or Msg(N_("no date"))
        name = translate(Msg(N_("%(activity)s (%(day)s)"), {"activity": what, "day": when}), "ja")
    elif label == "Outcome":
        text = str(props.get("description") or key)
        name = text if len(text) <= 40 else text[:39] + "…"
    else:
        name = str(props.get("name") or key)
    return PathNode(kind=kind, key=key, name=name)


def step(rel_type: str, forward: bool, left: PathNode, right: PathNode) -> PathStep:
    """One hop in words; `forward` says whether the relationship points from `left` to `right`."""
    start, end = (left, right) if forward else (right, left)
    phrase = ABOUT_SUBJECT if rel_type == "ABOUT" and end.kind == "subject" else PHRASES.get(rel_type, RELATED)
    ja, en = both(Msg(phrase, {"a": start.name, "b": end.name}))
    return PathStep(ja=ja, en=en)


def shared_subject(left: PathNode, subject: PathNode, right: PathNode) -> Msg:
    """What two things about one subject have in common: 「同じ課題：港湾」, or the two kinds when they differ."""
    if left.kind == right.kind:
        return Msg(SAME_SUBJECT[left.kind], {"subject": subject.name})
    kinds = {
        side: Msg(SUBJECT_KIND_NAMES[node.kind], context=SUBJECT_CONTEXT)
        for side, node in (("left", left), ("right", right))
    }
    return Msg(MIXED_SUBJECT, kinds | {"subject": subject.name})


def subject_stretches(nodes: list[PathNode], rels: list[dict[str, Any]]) -> dict[int, Msg]:
    """Index i of each subject node reached from nodes i-1 and i+1 by ABOUT (both pointing at it, from a
    challenge, theme or outcome) → the stretch's sentence."""
    stretches: dict[int, Msg] = {}
    for i in range(1, len(nodes) - 1):
        before, after = rels[i - 1], rels[i]
        if (
            nodes[i].kind == "subject"
            and before["type"] == after["type"] == "ABOUT"
            and before["forward"]
            and not after["forward"]
            and nodes[i - 1].kind in SUBJECT_KINDS
            and nodes[i + 1].kind in SUBJECT_KINDS
        ):
            stretches[i] = shared_subject(nodes[i - 1], nodes[i], nodes[i + 1])
    return stretches


def steps_of(nodes: list[PathNode], rels: list[dict[str, Any]], stretches: dict[int, Msg]) -> list[PathStep]:
    """The path's steps, a subject stretch (two relationships) as one step of two hops."""
    out: list[PathStep] = []
    i = 0
    while i < len(rels):
        if i + 1 in stretches:
            names = {"a": nodes[i].name, "b": nodes[i + 2].name}
            ja, en = both(Msg(SUBJECT_STEP, names | {"shared": stretches[i + 1]}))
            out.append(PathStep(ja=ja, en=en, hops=2))
            i += 2
        else:
            out.append(step(rels[i]["type"], rels[i]["forward"], nodes[i], nodes[i + 1]))
            i += 1
    return out


def summary_message(nodes: list[PathNode], lang: Lang, stretches: dict[int, Msg] | None = None) -> Msg:
    """One line for the whole path: what the two ends have in common, or how far apart they are."""
    first, last = nodes[0], nodes[-1]
    middle = nodes[1:-1]
    ends = {"a": first.name, "b": last.name}
    if stretches:
        shared = [stretches[i] for i in sorted(stretches)]
        via_subjects = shared[0] if len(shared) == 1 else MsgList(tuple(shared), VIA_SEPARATOR, VIA_SEPARATOR_CONTEXT)
        return Msg(SUBJECT_SUMMARY, ends | {"shared": via_subjects, "hops": len(nodes) - 1})
    if len(middle) == 1:
        m = middle[0]
        if m.kind == "team":
            return Msg(N_("%(a)s and %(b)s are on the same team"), ends)
        if m.kind == "activity":
            return Msg(N_("%(a)s and %(b)s both took part in %(via)s"), ends | {"via": m.name})
        if m.kind == "ministry":
            return Msg(N_("%(a)s and %(b)s are in the same ministry (%(ministry)s)"), ends | {"ministry": m.name})
        return Msg(N_("%(a)s and %(b)s both relate to %(via)s"), ends | {"via": m.name})
    teams = [n for n in middle if n.kind == "team"]
    bodies = [n for n in middle if n.kind in ("body", "ministry", "bureau")]
    separator = translate(Msg(VIA_SEPARATOR, context=VIA_SEPARATOR_CONTEXT), lang)
    via = separator.join(n.name for n in (bodies or teams or middle)[:3])
    return Msg(N_("%(a)s reaches %(b)s in %(hops)s steps via %(via)s"), ends | {"hops": len(nodes) - 1, "via": via})


def summary(nodes: list[PathNode], stretches: dict[int, Msg] | None = None) -> tuple[str, str]:
    """The path's one line in Japanese and English."""
    return (
        translate(summary_message(nodes, "ja", stretches), "ja"),
        translate(summary_message(nodes, "en", stretches), "en"),
    )


def explain_path(raw_nodes: list[dict[str, Any]], raw_rels: list[dict[str, Any]]) -> ConnectionPath:
    """A path from the query (labels/props per node, type/forward per relationship) in words."""
    nodes = [describe(n["labels"], n["props"]) for n in raw_nodes]
    stretches = subject_stretches(nodes, raw_rels)
    ja, en = summary(nodes, stretches)
    steps = steps_of(nodes, raw_rels, stretches)
    return ConnectionPath(length=len(raw_rels), nodes=nodes, steps=steps, summary_ja=ja, summary_en=en)
