"""A canonical checksum of the projection, to compare two graphs built different ways."""

from __future__ import annotations

import hashlib
import json

from neo4j import AsyncDriver

from services.graph.store.rebuild_queries import KEPT_LABELS

# Records that are not the projection of events: the log itself, who read what, web sessions, actor names.
NOT_PROJECTION = " OR ".join(f"n:{label}" for label in KEPT_LABELS)

PROJECTION_DUMP = f"""
MATCH (n) WHERE NOT ({NOT_PROJECTION})
OPTIONAL MATCH (n)-[r]->(m)
WITH n, collect([type(r), properties(r), labels(m), properties(m)]) AS rels
RETURN labels(n) AS labels, properties(n) AS props, rels
"""


async def graph_checksum(driver: AsyncDriver) -> str:
    """A canonical checksum of every projection node, its properties and its outgoing relationships."""
    records, _, _ = await driver.execute_query(PROJECTION_DUMP)
    rows = sorted(
        json.dumps(
            [
                sorted(r["labels"]),
                r["props"],
                sorted(json.dumps(x, ensure_ascii=False, sort_keys=True) for x in r["rels"]),
            ],
            ensure_ascii=False,
            sort_keys=True,
        )
        for r in records
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()
