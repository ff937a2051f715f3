"""Cypher for the exports: the engagements a filter selects, a page at a time, and each table's rows for a page."""

from services.graph.reads.engagement_read_queries import ENGAGEMENT_FILTERS

# The same filters as the engagement list (engagement_read_queries.ENGAGEMENT_FILTERS), paged by id (keyset):
# a page is read after the last id of the one before, so a long export never skips or repeats a row.
ENGAGEMENT_IDS = f"""
MATCH (e:Engagement)
{ENGAGEMENT_FILTERS}
  AND e.id > $after
RETURN e.id AS id
ORDER BY id
LIMIT $limit
"""

PERIOD_EXISTS = "MATCH (p:Period {number: $period}) RETURN count(p) > 0 AS known"

ENGAGEMENTS = """
UNWIND $ids AS id
MATCH (e:Engagement {id: id})
OPTIONAL MATCH (e)-[:FOR_MUNICIPALITY]->(m:Municipality)
CALL (e) {
  OPTIONAL MATCH (e)-[:HAS_THEME]->(t:Theme)
  RETURN collect(DISTINCT t.name) AS themes
}
CALL (e) {
  OPTIONAL MATCH (e)-[:FACES]->(c:Challenge)
  RETURN collect(DISTINCT c.name) AS challenges
}
CALL (e) {
  OPTIONAL MATCH (e)-[:HAS_TEAM]->(:Team)<-[:MEMBER_OF]-(:Official)-[:BELONGS_TO]->(min:Ministry)
  RETURN collect(DISTINCT min.name) AS ministries
}
CALL (e) {
  OPTIONAL MATCH (e)-[:HAS_ACTIVITY]->(a:Activity)
  RETURN count(a) AS activities
}
CALL (e) {
  OPTIONAL MATCH (e)-[:ACHIEVED]->(o:Outcome)
  RETURN count(o) AS outcomes
}
CALL (e) {
  OPTIONAL MATCH (ev:Event {subject: e.id})
  RETURN count(ev) AS events
}
RETURN e.id AS engagement_id, e.period AS period, e.municipality_code AS municipality_code,
       e.municipality_name AS municipality_name, e.prefecture AS prefecture, e.stage AS stage, e.title AS title,
       themes, ministries, challenges, m.population AS population, m.mayor AS mayor,
       e.applied_on AS applied_on, e.kickoff_on AS kickoff_on, e.closed_on AS closed_on,
       e.withdrawn_on AS withdrawn_on, e.last_contact AS last_contact, coalesce(e.stalled, false) AS stalled,
       activities, outcomes, events
ORDER BY engagement_id
"""

ACTIVITIES = """
UNWIND $ids AS id
MATCH (e:Engagement {id: id})-[:HAS_ACTIVITY]->(a:Activity)
CALL (a) {
  OPTIONAL MATCH (a)-[:VISITED]->(c:Organization)
  RETURN collect(DISTINCT c.name) AS companies
}
CALL (a) {
  OPTIONAL MATCH (a)-[:WITH_BODY]->(b)
  RETURN collect(DISTINCT b.name) AS bodies
}
CALL (a) {
  OPTIONAL MATCH (p:Official)-[:TOOK_PART]->(a)
  RETURN collect(DISTINCT p.name) AS officials
}
RETURN a.id AS activity_id, e.id AS engagement_id, e.period AS period, e.municipality_name AS municipality_name,
       a.kind AS kind, a.start_date AS start_date, a.end_date AS end_date, a.place AS place, a.notes AS notes,
       a.company_count AS company_count, companies, bodies, coalesce(a.participants, []) AS participants,
       officials
ORDER BY engagement_id, start_date, activity_id
"""

OUTCOMES = """
UNWIND $ids AS id
MATCH (e:Engagement {id: id})-[:ACHIEVED]->(o:Outcome)
CALL (o) {
  OPTIONAL MATCH (o)-[:INVOLVES]->(b)
  RETURN collect(DISTINCT b.name) AS bodies
}
CALL (o) {
  OPTIONAL MATCH (p:Official)-[:CONTRIBUTED_TO]->(o)
  RETURN collect(DISTINCT p.name) AS contributors
}
RETURN o.id AS outcome_id, e.id AS engagement_id, e.period AS period, e.municipality_name AS municipality_name,
       o.kind AS kind, o.description AS description, o.status AS status, o.theme AS theme,
       o.recorded_on AS recorded_on, o.achieved_on AS achieved_on, bodies, contributors
ORDER BY engagement_id, recorded_on, outcome_id
"""

# Who took part in what, with which role: team membership (time-bound), activities (led or attended),
# outcomes (contributed) and introductions (made). One row per relationship.
PARTICIPATION = """
UNWIND $ids AS id
MATCH (e:Engagement {id: id})
CALL (e) {
  MATCH (e)-[:HAS_TEAM]->(:Team)<-[r:MEMBER_OF]-(p:Official)
  RETURN p, 'member' AS relation, 'member' AS role, r.event_id AS record_id, 'team' AS record_kind,
         r.from AS on_date, r.to AS until_date
  UNION ALL
  MATCH (e)-[:HAS_ACTIVITY]->(a:Activity)<-[r:TOOK_PART]-(p:Official)
  RETURN p, 'took_part' AS relation, r.role AS role, a.id AS record_id, a.kind AS record_kind,
         a.start_date AS on_date, a.end_date AS until_date
  UNION ALL
  MATCH (e)-[:ACHIEVED]->(o:Outcome)<-[:CONTRIBUTED_TO]-(p:Official)
  RETURN p, 'contributed_to' AS relation, 'contributor' AS role, o.id AS record_id, o.kind AS record_kind,
         coalesce(o.achieved_on, o.recorded_on) AS on_date, null AS until_date
  UNION ALL
  MATCH (e)-[:MADE_INTRODUCTION]->(i:Introduction)<-[:INTRODUCED]-(p:Official)
  RETURN p, 'introduced' AS relation, 'introducer' AS role, i.id AS record_id, i.what AS record_kind,
         i.made_on AS on_date, null AS until_date
}
CALL (p) {
  OPTIONAL MATCH (p)-[:BELONGS_TO]->(m:Ministry)
  RETURN head(collect(m.name)) AS ministry
}
RETURN p.id AS official_id, p.name AS official_name, ministry, e.id AS engagement_id,
       e.period AS period, e.municipality_name AS municipality_name, relation, role, record_id, record_kind,
       on_date, until_date
ORDER BY engagement_id, on_date, relation, record_id, official_id
"""
