"""Cypher for the access log (who read what): the guarded append on the locked head, pages, the head."""

# One statement per append of one or more consecutive records (the records waiting in one process).
# Setting a property on the head node takes its write lock first, so the head's sequence and hash are
# read after any concurrent append has committed; the records are created only when the first extends
# exactly that head (no fork, no gap), linked by :NEXT, and the head moves to the last in the same
# transaction. Otherwise nothing is written and the head is returned: the caller chains the records
# again after it and retries. Access.sequence is unique as well, a second guard against forks.
APPEND_ACCESS = """
MERGE (h:AccessHead {stream: $stream})
  ON CREATE SET h.sequence = 0, h.hash = $genesis
SET h.locked = true
WITH h, h.sequence AS head_sequence, h.hash AS head_hash
CALL (h, head_sequence, head_hash) {
  WITH h, head_sequence, head_hash
  WHERE head_sequence = $first_sequence - 1 AND head_hash = $first_prev_hash
  SET h.sequence = $last_sequence, h.hash = $last_hash
  WITH h
  OPTIONAL MATCH (prev:Access {sequence: $first_sequence - 1})
  UNWIND $records AS record
  CREATE (a:Access)
  SET a = record
  WITH prev, collect(a) AS created
  WITH CASE WHEN prev IS NULL THEN created ELSE [prev] + created END AS chain
  UNWIND range(0, size(chain) - 2) AS i
  WITH chain[i] AS before, chain[i + 1] AS after
  CREATE (before)-[:NEXT]->(after)
}
RETURN head_sequence, head_hash
"""

ACCESS_HEAD = """
MATCH (h:AccessHead {stream: $stream})
RETURN h.sequence AS sequence, h.hash AS hash
"""

# Keyset paging on the unique (indexed) sequence; the filters are optional (null matches everything).
# An object matches a record's `kind:id` exactly or by its id alone, or any part of its query string.
ACCESS_PAGE = """
MATCH (a:Access)
WHERE a.sequence > $after
  AND ($actor IS NULL OR a.actor = $actor)
  AND ($object IS NULL
       OR any(o IN coalesce(a.objects, []) WHERE o = $object OR o ENDS WITH ':' + $object)
       OR coalesce(a.query, '') CONTAINS $object)
RETURN a {.*} AS record
ORDER BY a.sequence
LIMIT $limit
"""

# Applied at start-up with the graph's other constraints (services/graph/schema.py).
SCHEMA: tuple[str, ...] = (
    "CREATE CONSTRAINT access_id IF NOT EXISTS FOR (n:Access) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT access_sequence IF NOT EXISTS FOR (n:Access) REQUIRE n.sequence IS UNIQUE",
    "CREATE CONSTRAINT access_head IF NOT EXISTS FOR (n:AccessHead) REQUIRE n.stream IS UNIQUE",
    "CREATE INDEX access_actor IF NOT EXISTS FOR (n:Access) ON (n.actor)",
)
