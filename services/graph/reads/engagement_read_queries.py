"""Cypher for the engagement reads: filtered lists with their total, and one engagement in detail."""

# The engagement list's filters (each parameter None = any), on `e`: the list, its count and the exports.
# Text filters match a part of the name (岩手 finds 岩手県), both sides NFKC-normalised for the comparison only
# (the caller normalises the parameter; stored names stay as they were written). An exact name is still its
# own match. $q is free text over the municipality, its prefecture and the engagement's title.
ENGAGEMENT_FILTERS = """\
WHERE ($stage IS NULL OR e.stage = $stage)
  AND ($period IS NULL OR e.period = $period)
  AND ($prefecture IS NULL OR normalize(coalesce(e.prefecture, ''), NFKC) CONTAINS $prefecture)
  AND ($stalled IS NULL OR coalesce(e.stalled, false) = $stalled)
  AND ($theme IS NULL
       OR EXISTS { MATCH (e)-[:HAS_THEME]->(t:Theme) WHERE normalize(t.name, NFKC) CONTAINS $theme })
  AND ($ministry IS NULL
       OR EXISTS { MATCH (e)-[:HAS_TEAM]->(:Team)<-[:MEMBER_OF]-(:Official)-[:BELONGS_TO]->(mn:Ministry)
                   WHERE normalize(mn.name, NFKC) CONTAINS $ministry })
  AND ($q IS NULL
       OR normalize(coalesce(e.municipality_name, ''), NFKC) CONTAINS $q
       OR normalize(coalesce(e.prefecture, ''), NFKC) CONTAINS $q
       OR normalize(coalesce(e.title, ''), NFKC) CONTAINS $q)"""

COUNT_ENGAGEMENTS = f"""
MATCH (e:Engagement)
{ENGAGEMENT_FILTERS}
RETURN count(e) AS total
"""

LIST_ENGAGEMENTS = f"""
MATCH (e:Engagement)
{ENGAGEMENT_FILTERS}
WITH e ORDER BY e.period DESC, e.municipality_code SKIP $offset LIMIT $limit
CALL (e) {{
  OPTIONAL MATCH (e)-[:HAS_THEME]->(t:Theme)
  RETURN collect(t.name) AS themes
}}
CALL (e) {{
  OPTIONAL MATCH (e)-[:HAS_TEAM]->(:Team)<-[membership:MEMBER_OF]-(:Official)-[:BELONGS_TO]->(mn:Ministry)
  WHERE membership.to IS NULL
  RETURN collect(DISTINCT mn.name) AS ministries
}}
RETURN e {{.*}} AS engagement, themes, ministries
ORDER BY e.period DESC, e.municipality_code
"""

# The choices of the list's filters: every theme an engagement has, by name.
THEMES = """
MATCH (t:Theme) WHERE EXISTS { (:Engagement)-[:HAS_THEME]->(t) }
RETURN t.name AS name ORDER BY name
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
