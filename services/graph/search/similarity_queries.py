"""Cypher for reuse: engagements that share things with a given one, programmes they used, who worked with a body."""

from schemas.graph_views import NodeKind
from services.graph.search.connection_queries import endpoint

# Everything another engagement shares with $id, one row per shared thing.
SHARED = """
MATCH (e:Engagement {id: $id})
CALL (e) {
  MATCH (e)-[:HAS_THEME|DESIRES_THEME]->(t:Theme)<-[:HAS_THEME|DESIRES_THEME]-(o:Engagement)
  RETURN o, 'theme' AS kind, t.name AS name
  UNION
  MATCH (e)-[:FACES]->(c:Challenge)<-[:FACES]-(o:Engagement)
  RETURN o, 'challenge' AS kind, c.name AS name
  UNION
  MATCH (e)-[:HAS_ACTIVITY|ACHIEVED]->()-[:WITH_BODY|INVOLVES]->(b)<-[:WITH_BODY|INVOLVES]-()
        <-[:HAS_ACTIVITY|ACHIEVED]-(o:Engagement)
  WHERE NOT b:FundingProgram
  RETURN o, 'body' AS kind, b.name AS name
  UNION
  MATCH (e)-[:HAS_ACTIVITY]->()-[:VISITED]->(b:Organization)<-[:VISITED]-()<-[:HAS_ACTIVITY]-(o:Engagement)
  RETURN o, 'company' AS kind, b.name AS name
  UNION
  MATCH (e)-[:APPLIED_FOR]->(f:FundingProgram)<-[:APPLIED_FOR]-(o:Engagement)
  RETURN o, 'programme' AS kind, f.name AS name
  UNION
  MATCH (e)-[:ACHIEVED]->()-[:INVOLVES]->(f:FundingProgram)<-[:INVOLVES]-()<-[:ACHIEVED]-(o:Engagement)
  RETURN o, 'programme' AS kind, f.name AS name
  UNION
  MATCH (e)-[:FOR_MUNICIPALITY]->(m:Municipality)<-[:FOR_MUNICIPALITY]-(o:Engagement)
  RETURN o, 'municipality' AS kind, m.name AS name
  UNION
  MATCH (e)-[:FOR_MUNICIPALITY]->(:Municipality)-[:IN_PREFECTURE]->(p:Prefecture)
        <-[:IN_PREFECTURE]-(:Municipality)<-[:FOR_MUNICIPALITY]-(o:Engagement)
  RETURN o, 'prefecture' AS kind, p.name AS name
}
WITH o, kind, name WHERE o <> e
CALL (o) {
  OPTIONAL MATCH (o)-[:HAS_TEAM]->(:Team)<-[:MEMBER_OF]-(m:Official)
  RETURN collect(DISTINCT m.name) AS team
}
RETURN o.id AS engagement_id, o.municipality_name AS municipality, o.prefecture AS prefecture,
       o.period AS period, team, collect(DISTINCT {kind: kind, name: name}) AS shared
"""

ENGAGEMENT_EXISTS = "MATCH (e:Engagement {id: $id}) RETURN e.id AS id"

# Programmes that engagements sharing a challenge or theme with $id applied for or achieved with.
PROGRAMME_REUSE = """
MATCH (e:Engagement {id: $id})
CALL (e) {
  MATCH (e)-[:FACES]->(c:Challenge)<-[:FACES]-(o:Engagement)
  RETURN o, 'challenge' AS kind, c.name AS name
  UNION
  MATCH (e)-[:HAS_THEME|DESIRES_THEME]->(t:Theme)<-[:HAS_THEME|DESIRES_THEME]-(o:Engagement)
  RETURN o, 'theme' AS kind, t.name AS name
}
WITH e, o, collect(DISTINCT {kind: kind, name: name}) AS because WHERE o <> e
CALL (o) {
  MATCH (o)-[r:APPLIED_FOR]->(f:FundingProgram)
  RETURN f, {engagement_id: o.id, municipality: o.municipality_name, status: r.status, outcome: r.purpose,
             event_id: r.event_id} AS experience
  UNION
  MATCH (o)-[:ACHIEVED]->(out:Outcome)-[:INVOLVES]->(f:FundingProgram)
  RETURN f, {engagement_id: o.id, municipality: o.municipality_name, status: out.status,
             outcome: out.description, event_id: out.id} AS experience
}
OPTIONAL MATCH (f)-[:PART_OF]->(m:Ministry)
RETURN f.name AS programme, m.name AS ministry, because, collect(experience) AS experiences
"""

# Officials on engagements that worked with the body or programme named $name, with the event for each.
BODY_COLLABORATORS = f"""
{endpoint(NodeKind.BODY, "b", "name")}
CALL (b) {{
  MATCH (e:Engagement)-[:HAS_ACTIVITY]->(a:Activity)-[:WITH_BODY|VISITED]->(b)
  RETURN e, 'activity' AS how, coalesce(a.notes, a.place) AS text, a.id AS event_id
  UNION
  MATCH (e:Engagement)-[:ACHIEVED]->(o:Outcome)-[:INVOLVES]->(b)
  RETURN e, 'outcome' AS how, o.description AS text, o.id AS event_id
  UNION
  MATCH (e:Engagement)-[r:APPLIED_FOR]->(b)
  RETURN e, 'programme' AS how, r.status AS text, r.event_id AS event_id
}}
MATCH (e)-[:HAS_TEAM]->(:Team)<-[:MEMBER_OF]-(p:Official)
OPTIONAL MATCH (p)-[:BELONGS_TO]->(m:Ministry)
WITH p, head(collect(DISTINCT m.name)) AS ministry,
     collect(DISTINCT {{engagement_id: e.id, municipality: e.municipality_name, how: how, text: text,
                       event_id: event_id}}) AS work
RETURN p.id AS official_id, p.name AS name, ministry, work
ORDER BY size(work) DESC, name
LIMIT $limit
"""
