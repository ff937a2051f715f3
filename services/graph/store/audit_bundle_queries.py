"""Cypher for audit bundles: the engagements of a period (their streams go into the period's bundle)."""

PERIOD_ENGAGEMENTS = """
MATCH (e:Engagement {period: $period})
RETURN e.id AS id
ORDER BY id
"""
