"""Cypher for the global feed: positions handed out under one lock, pages read by position, the backfill."""

POSITION = "position"  # the :Event property

# The last step of the transaction that stores an event (after its projection, so the lock is held only
# from here to the commit): the SET reads the head under its write lock (a direct dependency), so writers
# hand out positions one after another and each holds the lock until it commits — a reader never sees
# position n + 1 before n, and a transaction that rolls back gives its position back.
ASSIGN_POSITION = """
MATCH (e:Event {id: $id})
MERGE (h:FeedHead {id: 'all'}) ON CREATE SET h.position = 0
SET h.position = h.position + 1
SET e.position = h.position
"""

HEAD = "OPTIONAL MATCH (h:FeedHead {id: 'all'}) RETURN coalesce(h.position, 0) AS head"

PAGE = """
MATCH (e:Event)
WHERE e.position > $after AND ($types IS NULL OR e.type IN $types)
RETURN e {.*} AS event
ORDER BY e.position
LIMIT $limit
"""

# How many events have no position yet, without scanning the log: positions are 1…head with no gap and events
# are never deleted, so it is the event count (from the count store) less the head.
MISSING_POSITIONS = """
MATCH (e:Event)
WITH count(e) AS events
OPTIONAL MATCH (h:FeedHead {id: 'all'})
RETURN events - coalesce(h.position, 0) AS missing
"""

# Events stored before positions existed get the next ones, in recording order, under the same lock as
# live writes. Run at start-up (services/graph/schema.py) until nothing is left.
BACKFILL_BATCH = """
MERGE (h:FeedHead {id: 'all'}) ON CREATE SET h.position = 0
SET h.backfilling = true
WITH h, h.position AS base
CALL (h, base) {
  MATCH (e:Event) WHERE e.position IS NULL
  WITH e ORDER BY e.time, e.subject, e.sequence LIMIT $batch
  WITH collect(e) AS events
  UNWIND range(0, size(events) - 1) AS i
  WITH events[i] AS e, i
  SET e.position = base + i + 1
  RETURN count(*) AS assigned
}
SET h.position = base + assigned
REMOVE h.backfilling
RETURN assigned
"""
