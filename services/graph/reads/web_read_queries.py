"""Cypher for the back-office pages: periods, stalled engagements, reports falling due, neighbours."""

PERIODS = "MATCH (p:Period) RETURN p.number AS number ORDER BY number DESC"

# The ministries officials belong to (the expertise page's 府省庁 filter).
MINISTRIES = "MATCH (:Official)-[:BELONGS_TO]->(m:Ministry) RETURN DISTINCT m.name AS name ORDER BY name"

STALLED = """
MATCH (e:Engagement {period: $period})
WHERE e.stalled = true AND NOT e.stage IN ['closed', 'withdrawn']
RETURN e.id AS engagement_id, e.municipality_name AS municipality_name, e.prefecture AS prefecture,
       e.last_contact AS last_contact
ORDER BY e.last_contact
"""

REPORTS_DUE = """
MATCH (e:Engagement {period: $period})
WHERE e.final_report_due IS NOT NULL AND NOT e.stage IN ['closed', 'withdrawn']
  AND NOT (e)-[:SUBMITTED]->(:Report {kind: 'final'})
RETURN e.id AS engagement_id, e.municipality_name AS municipality_name, e.prefecture AS prefecture,
       e.final_report_due AS due
ORDER BY due
"""


def neighbours_query(label: str, key: str, display: str) -> str:
    """A node of `label` and up to $limit neighbours (never events), by its `key` or else its `display` name.

    The start node is found within its label only (支援官 by 氏名, 市町村 by 名称) and answered with its own
    key, so the same thing has one id however it was asked for. Each node comes with the engagements it
    belongs to (its page link). Label and property names come from the caller's fixed table, never from input.
    """
    return f"""
MATCH (n:{label}) WHERE n.{key} IN $values OR n.{display} IN $values
WITH n ORDER BY n.{key} IN $values DESC, n.{key} LIMIT 1
OPTIONAL MATCH (n)-[r]-(m)
WHERE NOT m:Event AND any(l IN labels(m) WHERE l IN $labels)
WITH n, r, m LIMIT $limit
RETURN n.{key} AS source_key, properties(n) AS source_props, {ENGAGEMENTS_OF.format(node="n")} AS source_engagements,
       collect(CASE WHEN m IS NULL THEN null ELSE {{
         rel: type(r), outgoing: startNode(r) = n, label: head([l IN labels(m) WHERE l IN $labels]),
         props: properties(m), engagements: {ENGAGEMENTS_OF.format(node="m")}
       }} END) AS neighbours
"""


# The engagements a node belongs to, for its page link: an engagement's municipality, team, activities,
# outcomes and plans, and a team member's engagements.
ENGAGEMENTS_OF = (
    "[({node})<-[:FOR_MUNICIPALITY|HAS_TEAM|HAS_ACTIVITY|ACHIEVED|PLANS]-(x:Engagement) | x.id]"
    " + [({node})-[:MEMBER_OF]->(:Team)<-[:HAS_TEAM]-(x:Engagement) | x.id]"
)
