"""Cypher for the rebuild: count the log, wipe the projection in batches, page through the events."""

COUNT_EVENTS = "MATCH (e:Event) RETURN count(e) AS n"

# The access log (:Access, :AccessHead), web sessions, the actor directory and the feed's head are records
# of their own, not a projection: the wipe keeps them.
WIPE_PROJECTION_BATCH = """
MATCH (n) WHERE NOT n:Event AND NOT n:WebSession AND NOT n:Access AND NOT n:AccessHead AND NOT n:Actor
  AND NOT n:FeedHead
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
