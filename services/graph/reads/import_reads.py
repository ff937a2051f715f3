"""What an import reads: the officials and municipalities it resolves names against, the commands already recorded."""

from __future__ import annotations

from schemas.events import OfficialRef
from schemas.imports.reference import ImportReference, ListedPlace
from services.graph.reads.import_read_queries import MUNICIPALITIES, OFFICIALS, RECORDED_COMMANDS
from services.graph.reads.reader import GraphReader


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
