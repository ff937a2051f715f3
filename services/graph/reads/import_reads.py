"""What an import reads: the officials and municipalities it resolves names against, the commands already recorded."""

from __future__ import annotations

from schemas.events import OfficialRef
from schemas.imports.reference import ImportReference, ListedPlace
from services.graph.reads.reader import GraphReader

OFFICIALS = """
MATCH (o:Official)-[:BELONGS_TO]->(m:Ministry)
RETURN o.id AS official_id, o.name AS name, m.name AS ministry, o.post AS post
ORDER BY o.id
"""

MUNICIPALITIES = """
MATCH (m:Municipality)-[:IN_PREFECTURE]->(p:Prefecture)
RETURN m.code AS code, m.name AS name, p.name AS prefecture
"""

RECORDED_COMMANDS = """
MATCH (e:Event {subject: $subject})
WHERE e.command_id IS NOT NULL
RETURN e.command_id AS command_id
"""


class ImportReads(GraphReader):
    """Reference data and recorded command ids, for validating and replaying an import."""

    async def reference(self) -> ImportReference:
        """Every official (with their ministry) and every listed 市町村."""
        officials = {
            r["official_id"]: OfficialRef(
                official_id=r["official_id"], name=r["name"], ministry=r["ministry"], post=r["post"] or None
            )
            for r in await self._read(OFFICIALS)
            if r["name"]
        }
        places = {
            r["code"]: ListedPlace(r["code"], r["name"], r["prefecture"]) for r in await self._read(MUNICIPALITIES)
        }
        return ImportReference(officials, places)

    async def recorded_commands(self, subject: str) -> set[str]:
        """The update ids whose events the stream `subject` already holds."""
        return {r["command_id"] for r in await self._read(RECORDED_COMMANDS, subject=subject)}
