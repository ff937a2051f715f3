"""Cypher for the hash-chained event log: the append, the guarded write around it, and stream reads."""

APPEND_EVENT = """
CREATE (e:Event {
  id: $id, type: $type, source: $source, subject: $subject, sequence: $sequence,
  time: $time, actor: $actor, trace_id: $trace_id, command_id: $command_id, schema_version: $schema_version,
  specversion: $specversion, datacontenttype: $datacontenttype,
  data: $data, prev_hash: $prev_hash, hash: $hash, seal: $seal, seal_key_id: $seal_key_id
})
WITH e
OPTIONAL MATCH (prev:Event {subject: $subject, sequence: $sequence - 1})
FOREACH (_ IN CASE WHEN prev IS NULL THEN [] ELSE [1] END | CREATE (prev)-[:NEXT]->(e))
"""

STREAM_EVENTS = """
MATCH (e:Event {subject: $subject})
RETURN e {.*} AS event
ORDER BY e.sequence
"""

STREAM_SUBJECTS = """
MATCH (e:Event)
RETURN DISTINCT e.subject AS subject
ORDER BY subject
"""

# Every lookup is by a unique index (Event.id, Event(subject, sequence)), so the cost does not grow
# with the length of the stream. When the position is already taken, the stored event is returned
# whole: the caller adopts it (an earlier attempt of the same write, or a write whose workflow task was
# lost) instead of sealing a second version of it.
GUARDED_WRITE = """
OPTIONAL MATCH (existing:Event {{id: $id}})
OPTIONAL MATCH (prev:Event {{subject: $subject, sequence: $sequence - 1}})
OPTIONAL MATCH (taken:Event {{subject: $subject, sequence: $sequence}})
WITH existing.hash AS existing_hash, prev.hash AS prev_hash, taken
CALL (existing_hash, prev_hash, taken) {{
  WITH existing_hash, prev_hash, taken
  WHERE existing_hash IS NULL AND taken IS NULL
    AND coalesce(prev_hash, $genesis) = $prev_hash
    AND (prev_hash IS NOT NULL OR $sequence = 1)
{writes}
}}
RETURN existing_hash, prev_hash, taken IS NOT NULL AS taken, taken {{.*}} AS stored
"""


def unit_subquery(body: str) -> str:
    """`body` (a write returning nothing) as a unit subquery, a step of the guarded write."""
    return "  CALL () {\n" + body + "\n  }"


def guarded_write_query(writes: list[str]) -> str:
    """GUARDED_WRITE with `writes` (unit subqueries) as the steps run only when the position is free."""
    return GUARDED_WRITE.format(writes="\n".join(writes))
