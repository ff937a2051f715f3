"""Cypher for the engagement reads: filtered lists with their total, and one engagement in detail."""

# The engagement list's filters (each parameter None = any), on `e`: the list, its count and the exports.
ENGAGEMENT_FILTERS = """\
WHERE ($stage IS NULL OR e.stage = $stage)
  AND ($period IS NULL OR e.period = $period)
  AND ($prefecture IS NULL OR e.prefecture = $prefecture)
  AND ($stalled IS NULL OR coalesce(e.stalled, false) = $stalled)
  AND ($theme IS NULL OR (e)-[:HAS_THEME]->(:Theme {name: $theme}))
  AND ($ministry IS NULL
       OR (e)-[:HAS_TEAM]->(:Team)<-[:MEMBER_OF]-(:Official)-[:BELONGS_TO]->(:Ministry {name: $ministry}))"""

COUNT_ENGAGEMENTS = f"""
MATCH (e:Engagement)
{ENGAGEMENT_FILTERS}
RETURN count(e) AS total
"""

LIST_ENGAGEMENTS = f"""
MATCH (e:Engagement)
{ENGAGEMENT_FILTERS}
OPTIONAL MATCH (e)-[:HAS_THEME]->(t:Theme)
WITH e, collect(t.name) AS themes
RETURN e {{.*}} AS engagement, themes
ORDER BY e.period DESC, e.municipality_code
SKIP $offset LIMIT $limit
"""

ENGAGEMENT_DETAIL = """
MATCH (e:Engagement {id: $id})-[:FOR_MUNICIPALITY]->(m:Municipality)
CALL (e) {
  OPTIONAL MATCH (e)-[r:HAS_THEME]->(t:Theme)
  RETURN collect(t.name) AS themes
}
CALL (e) {
  OPTIONAL MATCH (e)-[:FACES]->(c:Challenge)
  RETURN collect(c.name) AS challenges
}
CALL (e) {
  OPTIONAL MATCH (e)-[:HAS_TEAM]->(:Team)<-[membership:MEMBER_OF]-(o:Official)
  WHERE membership.to IS NULL
  OPTIONAL MATCH (o)-[:BELONGS_TO]->(min:Ministry)
  OPTIONAL MATCH (o)-[:WORKS_IN]->(unit:Bureau)
  OPTIONAL MATCH (unit)-[:PART_OF]->(parent:Bureau)
  OPTIONAL MATCH (o)-[:SECONDED_FROM]->(home:Ministry)
  WITH o, min, unit, parent, home
  WHERE o IS NOT NULL
  RETURN collect({
    official_id: o.id, name: o.name, post: o.post, ministry: min.name,
    bureau: CASE WHEN unit.kind = 'division' THEN parent.name ELSE unit.name END,
    division: CASE WHEN unit.kind = 'division' THEN unit.name ELSE null END,
    seconded_from: home.name
  }) AS team
}
CALL (e) {
  OPTIONAL MATCH (e)-[:HAS_ACTIVITY]->(a:Activity)
  RETURN
    sum(CASE WHEN a.kind = 'online_meeting' THEN 1 ELSE 0 END) AS online_meetings,
    sum(CASE WHEN a.kind = 'site_visit' THEN 1 ELSE 0 END) AS site_visits,
    sum(CASE WHEN a.kind = 'company_visit' THEN 1 ELSE 0 END) AS company_visits,
    sum(CASE WHEN a.kind = 'company_visit' THEN a.company_count ELSE 0 END) AS companies_visited,
    sum(CASE WHEN a.kind = 'coordination' THEN 1 ELSE 0 END) AS coordinations
}
CALL (e) {
  OPTIONAL MATCH (e)-[:ACHIEVED]->(out:Outcome)
  RETURN count(out) AS outcomes
}
CALL (e) {
  OPTIONAL MATCH (ev:Event {subject: e.id})
  RETURN count(ev) AS events
}
RETURN e {.*} AS engagement, m {.*} AS municipality, themes, challenges, team,
       online_meetings, site_visits, company_visits, companies_visited, coordinations, outcomes, events,
       coalesce(e.stalled, false) AS stalled
"""
