"""Cypher for expertise search: index hits → the evidence each is → the officials it speaks for, and how.

Evidence is personal when the official is named on it (took part in or led an activity, contributed to an
outcome, made an introduction, held the post) and team-level otherwise (the engagement's title, themes and
challenges; an activity or outcome of the team that does not name them, or that names nobody because it was
recorded before participants were). Team-level evidence of an activity or outcome goes only to members who
were on the team on the day it happened.
"""

# One row per official: the weighted, decayed relevance summed over their evidence, and the strongest
# evidence. Each piece of evidence counts once per official (its best match). `on` is the day it happened;
# evidence without a day is not decayed, and is left out of an `as_of` question. Event sequences are looked
# up only for the evidence returned.
EXPERTS = """
CALL () {
  CALL db.index.fulltext.queryNodes($index, $lucene, {limit: $hits}) YIELD node, score
  CALL (node) {
    WITH node WHERE node:Engagement
    RETURN node AS e, 'title' AS kind, node.title AS text, node.title_event_id AS event_id, node.kickoff_on AS on,
           null AS item
    UNION ALL
    MATCH (e:Engagement)-[r:HAS_THEME|DESIRES_THEME]->(node) WHERE node:Theme
    RETURN e, 'theme' AS kind, node.name AS text, r.event_id AS event_id, coalesce(e.kickoff_on, e.applied_on) AS on,
           null AS item
    UNION ALL
    MATCH (e:Engagement)-[r:FACES]->(node) WHERE node:Challenge
    RETURN e, 'challenge' AS kind, node.name AS text, r.event_id AS event_id, e.applied_on AS on, null AS item
    UNION ALL
    MATCH (e:Engagement)-[r:APPLIED_FOR]->(node)
    RETURN e, 'programme' AS kind, node.name AS text, r.event_id AS event_id, r.on AS on, null AS item
    UNION ALL
    MATCH (e:Engagement)-[:HAS_ACTIVITY]->(node) WHERE node:Activity
    RETURN e, 'activity' AS kind, trim(coalesce(node.place, '') + ' ' + coalesce(node.notes, '')) AS text,
           node.id AS event_id, node.start_date AS on, node AS item
    UNION ALL
    MATCH (e:Engagement)-[:ACHIEVED]->(node) WHERE node:Outcome
    RETURN e, 'outcome' AS kind, node.description AS text, node.id AS event_id,
           coalesce(node.achieved_on, node.recorded_on, e.closed_on, e.last_contact) AS on, node AS item
    UNION ALL
    MATCH (e:Engagement)-[:MADE_INTRODUCTION]->(node) WHERE node:Introduction
    RETURN e, 'introduction' AS kind, node.subject AS text, node.id AS event_id, node.made_on AS on, node AS item
    UNION ALL
    MATCH (e:Engagement)-[:HAS_ACTIVITY]->(a:Activity)-[:WITH_BODY|VISITED]->(node)
    RETURN e, 'body' AS kind, node.name AS text, a.id AS event_id, a.start_date AS on, a AS item
    UNION ALL
    MATCH (e:Engagement)-[:ACHIEVED]->(o:Outcome)-[:INVOLVES]->(node)
    RETURN e, 'body' AS kind, node.name AS text, o.id AS event_id,
           coalesce(o.achieved_on, o.recorded_on, e.closed_on, e.last_contact) AS on, o AS item
  }
  WITH e, kind, text, event_id, on, item, score
  WHERE ($period IS NULL OR e.period = $period) AND ($as_of IS NULL OR (on IS NOT NULL AND on <= $as_of))
  CALL (item) {
    OPTIONAL MATCH (named:Official)-[t:TOOK_PART|CONTRIBUTED_TO|INTRODUCED]->(item)
    RETURN collect([named.id, CASE type(t) WHEN 'CONTRIBUTED_TO' THEN 'contributed' WHEN 'INTRODUCED' THEN 'introduced'
                                ELSE t.role END]) AS named
  }
  MATCH (e)-[:HAS_TEAM]->(:Team)<-[m:MEMBER_OF]-(o:Official)
  WHERE ($as_of IS NULL OR m.from IS NULL OR m.from <= $as_of)
    AND (item IS NULL OR on IS NULL OR ((m.from IS NULL OR m.from <= on) AND (m.to IS NULL OR on <= m.to)))
  RETURN o.id AS official_id, e.id AS engagement_id, e.municipality_name AS municipality, e.period AS period,
         kind, text, event_id, on, score, head([pair IN named WHERE pair[0] = o.id | pair[1]]) AS role
  UNION ALL
  CALL db.index.fulltext.queryNodes($index, $lucene, {limit: $hits}) YIELD node, score
  WITH node, score WHERE node:Bureau
  CALL (node) {
    MATCH (unit:Bureau)-[:PART_OF*0..1]->(node)
    MATCH (o:Official)-[w:WORKS_IN]->(unit)
    WHERE $as_of IS NULL OR (w.from IS NOT NULL AND w.from <= $as_of)
    RETURN o, w
  }
  RETURN o.id AS official_id, null AS engagement_id, null AS municipality, null AS period,
         'post' AS kind, node.name AS text, w.event_id AS event_id, w.from AS on, score, 'posted' AS role
}
WITH official_id, engagement_id, municipality, period, kind, text, event_id, on, role, score,
     0.5 ^ (toFloat(CASE WHEN on IS NULL OR date(on) > date($today) THEN 0
                         ELSE duration.inDays(date(on), date($today)).days END) / $half_life) AS recency,
     CASE WHEN role IS NULL THEN $team_weight ELSE $personal_weight END AS weight
WITH official_id, engagement_id, municipality, period, kind, text, event_id, on, role, weight,
     max(score) AS relevance, max(recency) AS recency
WITH official_id, engagement_id, municipality, period, kind, text, event_id, on, role, weight, relevance, recency,
     relevance * recency * weight AS weighted
ORDER BY weighted DESC, engagement_id, event_id
WITH official_id, sum(weighted) AS total,
     sum(CASE WHEN role IS NULL THEN 0.0 ELSE weighted END) AS personal,
     collect({kind: kind, text: text, engagement_id: engagement_id, municipality: municipality, period: period,
              event_id: event_id, on: on, role: role,
              attribution: CASE WHEN role IS NULL THEN 'team' ELSE 'personal' END,
              relevance: relevance, recency: recency, weight: weight, score: weighted})[..$per_expert] AS evidence
MATCH (o:Official {id: official_id})
OPTIONAL MATCH (o)-[:BELONGS_TO]->(m:Ministry)
WITH o, total, personal, evidence, head(collect(m.name)) AS ministry
WHERE ($ministry IS NULL OR ministry = $ministry) AND ($seniority IS NULL OR o.seniority = $seniority)
CALL (o) {
  OPTIONAL MATCH (o)-[r:MEMBER_OF]->(:Team)<-[:HAS_TEAM]-(e:Engagement)
  WHERE r.to IS NULL AND NOT e.stage IN ['closed', 'withdrawn']
  RETURN count(e) > 0 AS on_team
}
WITH o, total, personal, evidence, ministry, on_team
WHERE $availability IS NULL OR (($availability = 'on_team') = on_team)
WITH o.id AS official_id, o.name AS name, o.post AS post, ministry, o.seniority AS seniority, on_team,
     total AS score, personal AS personal_score, total - personal AS team_score, evidence
ORDER BY score DESC, personal_score DESC, name, official_id
WITH collect({official_id: official_id, name: name, post: post, ministry: ministry, seniority: seniority,
              on_team: on_team, score: score, personal_score: personal_score, team_score: team_score,
              evidence: evidence}) AS ranked
UNWIND ranked[..$limit] AS expert
CALL (expert) {
  UNWIND expert.evidence AS item
  OPTIONAL MATCH (event:Event {id: item.event_id})
  RETURN collect(item {.*, event_sequence: event.sequence}) AS listed
}
RETURN expert {.*, evidence: listed} AS expert, size(ranked) AS total
"""
