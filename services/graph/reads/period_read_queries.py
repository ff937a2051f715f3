"""Cypher for the period workflow's reads: officials' past evidence and the period's figures."""

PAST_EVIDENCE = """
UNWIND $ids AS id
MATCH (p:Official {id: id})-[:MEMBER_OF]->(:Team)<-[:HAS_TEAM]-(e:Engagement)
WHERE e.period < $period
OPTIONAL MATCH (e)-[:HAS_THEME]->(t:Theme)
OPTIONAL MATCH (e)-[:FACES]->(c:Challenge)
WITH id, collect(DISTINCT t.name) + collect(DISTINCT c.name) AS names
RETURN id, [n IN names WHERE n IS NOT NULL] AS evidence
"""

ENGAGEMENT_FIGURES = """
MATCH (e:Engagement {period: $period})
OPTIONAL MATCH (e)-[:HAS_TEAM]->(t:Team)
WITH collect(DISTINCT e) AS engagements, collect(DISTINCT t) AS teams
CALL (teams) {
  UNWIND teams AS t
  MATCH (p:Official)-[:MEMBER_OF]->(t)
  RETURN count(DISTINCT p) AS officials
}
CALL (engagements) {
  UNWIND engagements AS e
  OPTIONAL MATCH (e)-[:HAS_ACTIVITY]->(a:Activity)
  RETURN sum(CASE a.kind WHEN 'online_meeting' THEN 1 ELSE 0 END) AS online,
         sum(CASE a.kind WHEN 'site_visit' THEN 1 ELSE 0 END) AS site,
         sum(CASE a.kind WHEN 'company_visit' THEN 1 ELSE 0 END) AS company
}
RETURN officials, size(teams) AS teams,
       size([e IN engagements WHERE e.stage <> 'withdrawn' AND (e)-[:HAS_TEAM]->()]) AS municipalities,
       [e IN engagements | e.stage] AS stages, online, site, company
"""

OUTCOME_FIGURES = """
MATCH (e:Engagement {period: $period})-[:ACHIEVED]->(o:Outcome)
RETURN o.status AS status, count(*) AS n
"""

SURVEY_FIGURES = """
MATCH (s:SurveyAnswer)-[:ABOUT]->(:Engagement {period: $period})
RETURN count(s) AS answers,
       sum(CASE WHEN s.field_experience THEN 1 ELSE 0 END) AS field,
       sum(CASE WHEN s.diverse_team THEN 1 ELSE 0 END) AS diverse,
       sum(CASE WHEN s.useful_for_ministry_work THEN 1 ELSE 0 END) AS useful
"""
