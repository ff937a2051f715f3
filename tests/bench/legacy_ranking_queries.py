"""BASELINE, NOT THE PRODUCT: the expertise query as it stood before issue 14 (commit f8527d9), kept verbatim.

Every member of an engagement's team gets all of its evidence alike; evidence is dated by the day it was
recorded. tests/bench/legacy_ranking.py runs it so the relevance benchmark can compare the old ranking
with the current one on the same graph. Do not edit the statement: it is the measurement's baseline.
"""

# The statement of services/graph/search/expert_queries.py at f8527d9, unchanged.
EXPERTS = """
CALL () {
  CALL db.index.fulltext.queryNodes($index, $lucene, {limit: $hits}) YIELD node, score
  CALL (node) {
    WITH node WHERE node:Engagement
    RETURN node AS e, 'title' AS kind, node.title AS text, node.title_event_id AS event_id, node.kickoff_on AS on
    UNION ALL
    MATCH (e:Engagement)-[r:HAS_THEME|DESIRES_THEME]->(node) WHERE node:Theme
    RETURN e, 'theme' AS kind, node.name AS text, r.event_id AS event_id, coalesce(e.kickoff_on, e.applied_on) AS on
    UNION ALL
    MATCH (e:Engagement)-[r:FACES]->(node) WHERE node:Challenge
    RETURN e, 'challenge' AS kind, node.name AS text, r.event_id AS event_id, e.applied_on AS on
    UNION ALL
    MATCH (e:Engagement)-[:HAS_ACTIVITY]->(node) WHERE node:Activity
    RETURN e, 'activity' AS kind, trim(coalesce(node.place, '') + ' ' + coalesce(node.notes, '')) AS text,
           node.id AS event_id, node.start_date AS on
    UNION ALL
    MATCH (e:Engagement)-[:ACHIEVED]->(node) WHERE node:Outcome
    RETURN e, 'outcome' AS kind, node.description AS text, node.id AS event_id, node.recorded_on AS on
    UNION ALL
    MATCH (e:Engagement)-[:HAS_ACTIVITY]->(a:Activity)-[:WITH_BODY|VISITED]->(node)
    RETURN e, 'body' AS kind, node.name AS text, a.id AS event_id, a.start_date AS on
    UNION ALL
    MATCH (e:Engagement)-[:ACHIEVED]->(o:Outcome)-[:INVOLVES]->(node)
    RETURN e, 'body' AS kind, node.name AS text, o.id AS event_id, o.recorded_on AS on
    UNION ALL
    MATCH (e:Engagement)-[r:APPLIED_FOR]->(node)
    RETURN e, 'programme' AS kind, node.name AS text, r.event_id AS event_id, r.on AS on
  }
  WITH e, kind, text, event_id, on, score
  WHERE $period IS NULL OR e.period = $period
  MATCH (e)-[:HAS_TEAM]->(:Team)<-[:MEMBER_OF]-(o:Official)
  RETURN o.id AS official_id, e.id AS engagement_id, e.municipality_name AS municipality, e.period AS period,
         kind, text, event_id, on, score
  UNION ALL
  CALL db.index.fulltext.queryNodes($index, $lucene, {limit: $hits}) YIELD node, score
  WITH node, score WHERE node:Bureau
  CALL (node) {
    MATCH (unit:Bureau)-[:PART_OF*0..1]->(node)
    MATCH (o:Official)-[w:WORKS_IN]->(unit)
    RETURN o, w
  }
  RETURN o.id AS official_id, null AS engagement_id, null AS municipality, null AS period,
         'post' AS kind, node.name AS text, w.event_id AS event_id, w.from AS on, score
}
WITH official_id, engagement_id, municipality, period, kind, text, event_id, on,
     score * 0.5 ^ (toFloat(CASE WHEN on IS NULL OR date(on) > date($today) THEN 0
                                 ELSE duration.inDays(date(on), date($today)).days END) / $half_life) AS weighted
WITH official_id, engagement_id, municipality, period, kind, text, event_id, on, max(weighted) AS weighted
ORDER BY weighted DESC, engagement_id, event_id
WITH official_id, sum(weighted) AS total,
     collect({kind: kind, text: text, engagement_id: engagement_id, municipality: municipality, period: period,
              event_id: event_id, on: on, score: weighted})[..$per_expert] AS evidence
MATCH (o:Official {id: official_id})
OPTIONAL MATCH (o)-[:BELONGS_TO]->(m:Ministry)
WITH o, total, evidence, head(collect(m.name)) AS ministry
WHERE ($ministry IS NULL OR ministry = $ministry) AND ($seniority IS NULL OR o.seniority = $seniority)
CALL (o) {
  OPTIONAL MATCH (o)-[r:MEMBER_OF]->(:Team)<-[:HAS_TEAM]-(e:Engagement)
  WHERE r.to IS NULL AND NOT e.stage IN ['closed', 'withdrawn']
  RETURN count(e) > 0 AS on_team
}
WITH o, total, evidence, ministry, on_team
WHERE $availability IS NULL OR (($availability = 'on_team') = on_team)
WITH o.id AS official_id, o.name AS name, o.post AS post, ministry, o.seniority AS seniority, on_team,
     total AS score, evidence
ORDER BY score DESC, name, official_id
LIMIT $limit
CALL (evidence) {
  UNWIND evidence AS item
  OPTIONAL MATCH (event:Event {id: item.event_id})
  RETURN collect(item {.*, event_sequence: event.sequence, on: coalesce(item.on, left(event.time, 10))}) AS listed
}
RETURN official_id, name, post, ministry, seniority, on_team, score, listed AS evidence
"""
