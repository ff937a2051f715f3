"""Cypher for the rebuild: count the log, wipe the projection in batches, page through the events."""

COUNT_EVENTS = "MATCH (e:Event) RETURN count(e) AS n"

# Records of their own, not a projection of events — the wipe keeps them (tests/integration/graph_dump.py too):
# the log itself, who read what (:Access, :AccessHead), web sessions, the actor directory, the feed's head,
# imported files and webhook subscriptions with their delivery logs.
KEPT_LABELS: tuple[str, ...] = (
    "Event",
    "WebSession",
    "Access",
    "AccessHead",
    "Actor",
    "FeedHead",
    "ImportFile",
    "WebhookSubscription",
    "WebhookDelivery",
)
NOT_KEPT = " AND ".join(f"NOT n:{label}" for label in KEPT_LABELS)

# Relationships first, then the nodes, each one pass committed every $batch rows (auto-commit queries: run with
# session.run). Deleting a node with its relationships in one go would put a theme's or an official's hundreds
# of thousands of relationships into one inner transaction, past the transaction memory pool at 100×.
WIPE_PROJECTION: tuple[str, ...] = (
    f"""
MATCH (n)-[r]->() WHERE {NOT_KEPT}
CALL (r) {{ DELETE r }} IN TRANSACTIONS OF $batch ROWS
""",
    f"""
MATCH ()-[r]->(n) WHERE {NOT_KEPT}
CALL (r) {{ DELETE r }} IN TRANSACTIONS OF $batch ROWS
""",
    f"""
MATCH (n) WHERE {NOT_KEPT}
CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF $batch ROWS
""",
)

# Streams interleave in recording order; within a stream, sequence order. Keyset paging from the last
# event of the previous page: the seek on the Event.time index gives the events in time order, so a page
# costs its own rows (and the ties of its first time), not the log before it. Only what the projection needs.
EVENTS_PAGE = """
MATCH (e:Event) WHERE e.time >= $time
WITH e WHERE e.time > $time OR e.subject > $subject OR (e.subject = $subject AND e.sequence > $sequence)
RETURN e.id AS id, e.type AS type, e.subject AS subject, e.sequence AS sequence, e.time AS time, e.data AS data
ORDER BY e.time, e.subject, e.sequence
LIMIT $limit
"""

# Secondary indexes the load does not read (full-text, range, text, …, not those behind constraints): a bulk
# rebuild drops those of the projection and creates them again from their own statements afterwards.
SECONDARY_INDEXES = """
SHOW INDEXES YIELD name, type, labelsOrTypes, owningConstraint, createStatement
WHERE owningConstraint IS NULL AND type <> 'LOOKUP'
RETURN name, labelsOrTypes, createStatement
"""

AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"


def drop_index(name: str) -> str:
    """Drop the index `name` (a name the database reported, quoted)."""
    return "DROP INDEX `" + name.replace("`", "``") + "` IF EXISTS"
