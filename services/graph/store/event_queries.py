"""Cypher for the hash-chained event log."""

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
