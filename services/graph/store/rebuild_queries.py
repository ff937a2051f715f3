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

WIPE_PROJECTION_BATCH = f"""
MATCH (n) WHERE {NOT_KEPT}
  AND NOT n:WebhookSubscription AND NOT n:WebhookDelivery
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
"""

# Streams interleave in recording order; within a stream, sequence order. Keyset paging from the last
# event of the previous page (on the Event.time index) keeps each page's cost flat on long logs.
EVENTS_PAGE = """
MATCH (e:Event)
WHERE e.time > $time OR (e.time = $time AND (e.subject > $subject OR (e.subject = $subject AND e.sequence > $sequence)))
RETURN e {.*} AS event
ORDER BY e.time, e.subject, e.sequence
LIMIT $limit
"""
