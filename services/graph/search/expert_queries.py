"""Cypher for expertise search: index hits → the evidence each is → the officials it speaks for, and how.

Evidence is personal when the official is named on it (took part in or led an activity, contributed to an
outcome, made an introduction, held the post) and team-level otherwise (the engagement's title, themes and
challenges; an activity or outcome of the team that does not name them, or that names nobody because it was
recorded before participants were). Team-level evidence of an activity or outcome goes only to members who
were on the team on the day it happened.

Where the time goes (issue 17, PROFILE at 10× the synthetic programme): the statement works on as few rows
as the answer allows. The index is asked once; each hit is dispatched on its label to the one branch that
can use it (a body only to the programme, visit, coordination and outcome branches); each piece of evidence
is deduplicated (its best match) and its recency and who is named on it worked out once, before it is
handed to the team; the team of an engagement is read once for all the evidence found on it, and what each
member gets of it is a list, not a row per piece. The officials are ranked on their sums; the ministry,
whether they are on a team now and the listed evidence (sorted, cut, its event sequence looked up) are
worked out for the page only — for every official only when a filter asks for them.
"""

from services.graph.projection.statements import BODY_LABELS

IS_BODY = " OR ".join(f"node:{label}" for label in BODY_LABELS.values())

# The evidence one index hit is: one row per (engagement, kind, text, event, day, item). `on` is the day it
# happened (undated evidence is not decayed, and is left out of an `as_of` question); `item` is the activity,
# outcome or introduction whose named officials make it personal (null: team-level only).
EVIDENCE_OF_HIT = f"""
    WITH node WHERE node:Engagement
    RETURN node AS e, 'title' AS kind, node.title AS text, node.title_event_id AS event_id, node.kickoff_on AS on,
           null AS item
    UNION ALL
    WITH node WHERE node:Theme
    MATCH (e:Engagement)-[r:HAS_THEME|DESIRES_THEME]->(node)
    RETURN e, 'theme' AS kind, node.name AS text, r.event_id AS event_id, coalesce(e.kickoff_on, e.applied_on) AS on,
           null AS item
    UNION ALL
    WITH node WHERE node:Challenge
    MATCH (e:Engagement)-[r:FACES]->(node)
    RETURN e, 'challenge' AS kind, node.name AS text, r.event_id AS event_id, e.applied_on AS on, null AS item
    UNION ALL
    WITH node WHERE node:Activity
    MATCH (e:Engagement)-[:HAS_ACTIVITY]->(node)
    RETURN e, 'activity' AS kind, trim(coalesce(node.place, '') + ' ' + coalesce(node.notes, '')) AS text,
           node.id AS event_id, node.start_date AS on, node AS item
    UNION ALL
    WITH node WHERE node:Outcome
    MATCH (e:Engagement)-[:ACHIEVED]->(node)
    RETURN e, 'outcome' AS kind, node.description AS text, node.id AS event_id,
           coalesce(node.achieved_on, node.recorded_on, e.closed_on, e.last_contact) AS on, node AS item
    UNION ALL
    WITH node WHERE node:Introduction
    MATCH (e:Engagement)-[:MADE_INTRODUCTION]->(node)
    RETURN e, 'introduction' AS kind, node.subject AS text, node.id AS event_id, node.made_on AS on, node AS item
    UNION ALL
    WITH node WHERE {IS_BODY}
    CALL (node) {{
      MATCH (e:Engagement)-[r:APPLIED_FOR]->(node)
      RETURN e, 'programme' AS kind, node.name AS text, r.event_id AS event_id, r.on AS on, null AS item
      UNION ALL
      MATCH (e:Engagement)-[:HAS_ACTIVITY]->(a:Activity)-[:WITH_BODY|VISITED]->(node)
      RETURN e, 'body' AS kind, node.name AS text, a.id AS event_id, a.start_date AS on, a AS item
      UNION ALL
      MATCH (e:Engagement)-[:ACHIEVED]->(o:Outcome)-[:INVOLVES]->(node)
      RETURN e, 'body' AS kind, node.name AS text, o.id AS event_id,
             coalesce(o.achieved_on, o.recorded_on, e.closed_on, e.last_contact) AS on, o AS item
    }}
    RETURN e, kind, text, event_id, on, item
"""

# 0.5^(age / half-life), the age in days from `on` to $today (none: 1).
RECENCY = """0.5 ^ (toFloat(CASE WHEN on IS NULL OR date(on) > date($today) THEN 0
                         ELSE duration.inDays(date(on), date($today)).days END) / $half_life)"""

# Only when the ministry filter is asked for: every official's ministry, before the ranking is cut.
BY_MINISTRY = """
OPTIONAL MATCH (o)-[:BELONGS_TO]->(m:Ministry)
WITH o, total, personal, parts, head(collect(m.name)) AS ministry
WHERE ministry = $ministry"""

# Whether the official is on a team of an engagement that is not closed or withdrawn now.
ON_TEAM = """
CALL (o) {
  OPTIONAL MATCH (o)-[r:MEMBER_OF]->(:Team)<-[:HAS_TEAM]-(e:Engagement)
  WHERE r.to IS NULL AND NOT e.stage IN ['closed', 'withdrawn']
  RETURN count(e) > 0 AS on_team
}"""

# Only when the availability filter is asked for: every official's, before the ranking is cut.
BY_AVAILABILITY = f"""{ON_TEAM}
WITH o, total, personal, parts WHERE ($availability = 'on_team') = on_team"""


def experts_query(*, by_ministry: bool, by_availability: bool) -> str:
    """One row per listed official (at most $limit), best first, each with `total`, the count of all of them.

    An official's score is the sum over their evidence of relevance × recency × weight; each piece of
    evidence counts once per official (its best match). `parts` holds each piece the official gets: [engagement
    id (null: their post), municipality, period, [evidence, role (null: team-level), weighted score]]. The sums
    add the weighted scores largest first, as one sorted sum: officials with the same evidence get the same
    score to the last bit, and the ties between them go by name.
    """
    return f"""
CALL db.index.fulltext.queryNodes($index, $lucene, {{limit: $hits}}) YIELD node, score
WITH collect([node, score]) AS hits
CALL (hits) {{
  UNWIND hits AS hit
  WITH hit[0] AS node, hit[1] AS score
  CALL (node) {{{EVIDENCE_OF_HIT}  }}
  WITH e, kind, text, event_id, on, item, score
  WHERE ($period IS NULL OR e.period = $period) AND ($as_of IS NULL OR (on IS NOT NULL AND on <= $as_of))
  WITH e, kind, text, event_id, on, item, max(score) AS relevance
  CALL (item) {{
    OPTIONAL MATCH (named:Official)-[t:TOOK_PART|CONTRIBUTED_TO|INTRODUCED]->(item)
    RETURN collect([named.id, CASE type(t) WHEN 'CONTRIBUTED_TO' THEN 'contributed' WHEN 'INTRODUCED' THEN 'introduced'
                                ELSE t.role END]) AS named
  }}
  WITH e, collect({{kind: kind, text: text, event_id: event_id, on: on, any_day: item IS NULL OR on IS NULL,
                    named: named, relevance: relevance, recency: {RECENCY}}}) AS found
  MATCH (e)-[:HAS_TEAM]->(:Team)<-[m:MEMBER_OF]-(o:Official)
  WHERE $as_of IS NULL OR m.from IS NULL OR m.from <= $as_of
  WITH e, found, o, o.id AS official_id, collect([m.from, m.to]) AS spans
  WITH e, o, [ev IN found WHERE ev.any_day OR any(s IN spans WHERE (s[0] IS NULL OR s[0] <= ev.on)
                                                         AND (s[1] IS NULL OR ev.on <= s[1]))
              | [ev, head([pair IN ev.named WHERE pair[0] = official_id | pair[1]])]] AS mine
  WHERE size(mine) > 0
  RETURN o, e.id AS engagement_id, e.municipality_name AS municipality, e.period AS period,
         [x IN mine | [x[0], x[1],
                       x[0].relevance * x[0].recency * CASE WHEN x[1] IS NULL THEN $team_weight
                                                            ELSE $personal_weight END]] AS mine
  UNION ALL
  UNWIND hits AS hit
  WITH hit[0] AS node, hit[1] AS score
  WITH node, score WHERE node:Bureau
  CALL (node) {{
    MATCH (unit:Bureau)-[:PART_OF*0..1]->(node)
    MATCH (o:Official)-[w:WORKS_IN]->(unit)
    WHERE $as_of IS NULL OR (w.from IS NOT NULL AND w.from <= $as_of)
    RETURN o, w
  }}
  WITH o, node.name AS text, w.event_id AS event_id, w.from AS on, max(score) AS relevance
  WITH o, {{kind: 'post', text: text, event_id: event_id, on: on, relevance: relevance, recency: {RECENCY}}} AS ev
  RETURN o, null AS engagement_id, null AS municipality, null AS period,
         [[ev, 'posted', ev.relevance * ev.recency * $personal_weight]] AS mine
}}
UNWIND mine AS x
WITH o, engagement_id, municipality, period, x
ORDER BY x[2] DESC
WITH o, sum(x[2]) AS total, sum(CASE WHEN x[1] IS NULL THEN 0.0 ELSE x[2] END) AS personal,
     collect([engagement_id, municipality, period, x]) AS parts
WHERE $seniority IS NULL OR o.seniority = $seniority
{BY_MINISTRY if by_ministry else ""}
{BY_AVAILABILITY if by_availability else ""}
WITH o, total, personal, parts
ORDER BY total DESC, personal DESC, o.name, o.id
WITH collect([o, total, personal, parts]) AS ranked
UNWIND ranked[..$limit] AS top
WITH top[0] AS o, top[1] AS total, top[2] AS personal, top[3] AS parts, size(ranked) AS total_count
CALL (o) {{
  OPTIONAL MATCH (o)-[:BELONGS_TO]->(m:Ministry)
  RETURN head(collect(m.name)) AS ministry
}}
{ON_TEAM}
CALL (parts) {{
  UNWIND parts AS part
  WITH part, part[3] AS x
  ORDER BY x[2] DESC, part[0], x[0].event_id, x[0].kind, x[0].text
  LIMIT $per_expert
  WITH {{kind: x[0].kind, text: x[0].text, engagement_id: part[0], municipality: part[1], period: part[2],
         event_id: x[0].event_id, on: x[0].on, role: x[1],
         attribution: CASE WHEN x[1] IS NULL THEN 'team' ELSE 'personal' END,
         relevance: x[0].relevance, recency: x[0].recency,
         weight: CASE WHEN x[1] IS NULL THEN $team_weight ELSE $personal_weight END, score: x[2]}} AS item
  OPTIONAL MATCH (event:Event {{id: item.event_id}})
  RETURN collect(item {{.*, event_sequence: event.sequence}}) AS listed
}}
RETURN {{official_id: o.id, name: o.name, post: o.post, ministry: ministry, seniority: o.seniority,
         on_team: on_team, score: total, personal_score: personal, team_score: total - personal,
         evidence: listed}} AS expert, total_count AS total
"""


# The four statements, built once: the same text for the same filters, so the server's plan cache hits.
EXPERTS: dict[tuple[bool, bool], str] = {
    (by_ministry, by_availability): experts_query(by_ministry=by_ministry, by_availability=by_availability)
    for by_ministry in (False, True)
    for by_availability in (False, True)
}
