"""Cypher for the access log (who read what): the guarded append on the locked head, pages, the head."""

# One statement per append. Setting a property on the head node takes its write lock first, so the
# head's sequence and hash are read after any concurrent append has committed; the record is created
# only when it extends exactly that head (no fork, no gap), and the head moves with it in the same
# transaction. Otherwise nothing is written and the head is returned: the caller chains the record
# again after it and retries. Access.sequence is unique as well, a second guard against forks.
APPEND_ACCESS = """
MERGE (h:AccessHead {stream: $stream})
  ON CREATE SET h.sequence = 0, h.hash = $genesis
SET h.locked = true
WITH h, h.sequence AS head_sequence, h.hash AS head_hash
CALL (h, head_sequence, head_hash) {
  WITH h, head_sequence, head_hash
  WHERE head_sequence = $record.sequence - 1 AND head_hash = $record.prev_hash
  CREATE (a:Access)
  SET a = $record
  SET h.sequence = $record.sequence, h.hash = $record.hash
  WITH a
  OPTIONAL MATCH (prev:Access {sequence: $record.sequence - 1})
  FOREACH (_ IN CASE WHEN prev IS NULL THEN [] ELSE [1] END | CREATE (prev)-[:NEXT]->(a))
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
