"""Cypher of the actor directory: who an event's actor id is, by name, for people reading the log."""

REMEMBER_ACTOR = """
MERGE (a:Actor {id: $id})
ON CREATE SET a.name = $name, a.first_seen = $now
SET a.name = $name, a.last_seen = $now
"""

ACTOR_NAMES = "MATCH (a:Actor) WHERE a.id IN $ids AND a.name IS NOT NULL RETURN a.id AS id, a.name AS name"
