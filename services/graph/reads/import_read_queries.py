"""Cypher for an import's reads: officials, municipalities, the commands a stream already recorded."""

OFFICIALS = """
MATCH (o:Official)-[:BELONGS_TO]->(m:Ministry)
RETURN o.id AS official_id, o.name AS name, m.name AS ministry, o.post AS post
ORDER BY o.id
"""

MUNICIPALITIES = """
MATCH (m:Municipality)-[:IN_PREFECTURE]->(p:Prefecture)
RETURN m.code AS code, m.name AS name, p.name AS prefecture
"""

RECORDED_COMMANDS = """
MATCH (e:Event {subject: $subject})
WHERE e.command_id IS NOT NULL
RETURN e.command_id AS command_id
"""
