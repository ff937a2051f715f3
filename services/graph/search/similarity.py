"""Reuse of what worked elsewhere: similar engagements, programmes they used, who worked with a body."""

from __future__ import annotations

from typing import Any

from schemas.graph_views import BodyCollaborator, ProgrammeReuse, SharedThing, SimilarEngagement
from services.graph.reads.reader import GraphReader
from services.graph.search import similarity_queries as q
from services.i18n.catalogue import Lang, translate
from services.i18n.message import N_, NC_, Msg

# How much one shared thing says about two engagements being alike.
WEIGHTS = {
    "challenge": 3.0,
    "theme": 2.0,
    "body": 2.0,
    "programme": 2.0,
    "company": 1.0,
    "municipality": 1.0,
    "prefecture": 0.5,
}
# A kind of shared thing as the reason names it (the msgid is the kind itself, as English reads it).
KIND_CONTEXT = "a kind of thing two engagements share"
KINDS = {
    "challenge": NC_("a kind of thing two engagements share", "challenge"),
    "theme": NC_("a kind of thing two engagements share", "theme"),
    "body": NC_("a kind of thing two engagements share", "body"),
    "programme": NC_("a kind of thing two engagements share", "programme"),
    "company": NC_("a kind of thing two engagements share", "company"),
    "municipality": NC_("a kind of thing two engagements share", "municipality"),
    "prefecture": NC_("a kind of thing two engagements share", "prefecture"),
}
KINDS_SEPARATOR_CONTEXT = "separator between the kinds of things two engagements share"
KINDS_SEPARATOR = NC_("separator between the kinds of things two engagements share", "; ")


def similarity(shared: list[SharedThing]) -> float:
    """The weighted count of shared things."""
    return sum(WEIGHTS.get(s.kind, 1.0) for s in shared)


def reason(shared: list[SharedThing]) -> tuple[str, str]:
    """What the two have in common, strongest kind first, in Japanese and English."""
    return _reason(shared, "ja"), _reason(shared, "en")


def _reason(shared: list[SharedThing], lang: Lang) -> str:
    kinds = sorted({s.kind for s in shared}, key=lambda k: (-WEIGHTS.get(k, 1.0), k))
    items = [
        Msg(
            N_("%(kind)s: %(names)s"),
            {
                "kind": Msg(KINDS.get(k, k), context=KIND_CONTEXT if k in KINDS else None),
                "names": sorted(s.name for s in shared if s.kind == k),
            },
        )
        for k in kinds
    ]
    separator = translate(Msg(KINDS_SEPARATOR, context=KINDS_SEPARATOR_CONTEXT), lang)
    things = separator.join(translate(item, lang) for item in items)
    return translate(Msg(N_("shares — %(things)s"), {"things": things}), lang)


class ReuseSearch(GraphReader):
    """Similar engagements, programme reuse and body collaborators."""

    async def exists(self, engagement_id: str) -> bool:
        """Whether the engagement is in the graph."""
        return bool(await self._read(q.ENGAGEMENT_EXISTS, id=engagement_id))

    async def similar(
        self, engagement_id: str, *, kinds: set[str] | None = None, limit: int = 10
    ) -> list[SimilarEngagement]:
        """Engagements sharing themes, challenges, bodies, companies, programmes or a prefecture, best first.

        With `kinds`, only those kinds of shared thing count (e.g. teams sharing a regional bureau).
        """
        out = []
        for row in await self._read(q.SHARED, id=engagement_id):
            shared = sorted(
                (SharedThing(**s) for s in row["shared"] if kinds is None or s["kind"] in kinds),
                key=lambda s: (-WEIGHTS.get(s.kind, 1.0), s.kind, s.name),
            )
            if not shared:
                continue
            ja, en = reason(shared)
            out.append(
                SimilarEngagement(
                    engagement_id=row["engagement_id"],
                    municipality=row["municipality"],
                    prefecture=row["prefecture"],
                    period=row["period"],
                    team=sorted(row["team"]),
                    score=similarity(shared),
                    shared=shared,
                    reason_ja=ja,
                    reason_en=en,
                )
            )
        out.sort(key=lambda s: (-s.score, s.engagement_id))
        return out[:limit]

    async def programmes(self, engagement_id: str) -> list[ProgrammeReuse]:
        """Programmes used by engagements with the same challenges or themes, with what came of them."""
        merged: dict[str, dict[str, Any]] = {}
        for row in await self._read(q.PROGRAMME_REUSE, id=engagement_id):
            entry = merged.setdefault(
                row["programme"], {"programme": row["programme"], "ministry": row["ministry"], "because": {}, "exp": {}}
            )
            for b in row["because"]:
                entry["because"][(b["kind"], b["name"])] = b
            for x in row["experiences"]:
                entry["exp"][(x["engagement_id"], x["event_id"], x["outcome"])] = x
        result = [
            ProgrammeReuse(
                programme=e["programme"],
                ministry=e["ministry"],
                because=[SharedThing(**b) for _, b in sorted(e["because"].items())],
                experiences=sorted(e["exp"].values(), key=lambda x: (x["engagement_id"], x["event_id"] or "")),
            )
            for e in merged.values()
        ]
        result.sort(key=lambda p: (-len({x.engagement_id for x in p.experiences}), p.programme))
        return result

    async def collaborators(self, body: str, *, limit: int = 50) -> list[BodyCollaborator]:
        """Officials whose engagements worked with the body or programme, with each piece of work."""
        rows = await self._read(q.BODY_COLLABORATORS, name=body, limit=limit)
        return [BodyCollaborator.model_validate(r) for r in rows]
