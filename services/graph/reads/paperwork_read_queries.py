"""Cypher for the paperwork reads: appointments, the period's teams and members, travel lines, budgets, rates.

The paperwork nodes have no relationships: each is joined to engagements and officials by its key
properties (`engagement-<period>-<code>`, official ids, event ids), all indexed.
"""

# The period's appointments (or one official's), each with its terms and the names of their municipalities.
APPOINTMENTS = """
MATCH (a:Appointment {period: $period})
WHERE $official_id IS NULL OR a.official_id = $official_id
CALL (a) {
  OPTIONAL MATCH (t:AppointmentTerm {appointment_event_id: a.event_id})
  OPTIONAL MATCH (e:Engagement {id: 'engagement-' + toString(a.period) + '-' + t.municipality_code})
  OPTIONAL MATCH (m:Municipality {code: t.municipality_code})
  WITH t, coalesce(e.municipality_name, m.name) AS municipality_name
  ORDER BY t.from, t.municipality_code, t.key
  RETURN collect(CASE WHEN t IS NULL THEN null ELSE {
    municipality_code: t.municipality_code, municipality_name: municipality_name, from_date: t.from, to_date: t.to
  } END) AS terms
}
RETURN a.event_id AS event_id, a.period AS period, a.official_id AS official_id, a.name AS name,
       a.ministry AS ministry, a.bureau AS bureau, a.division AS division, a.post AS post,
       a.appointed_on AS appointed_on, a.term_ends_on AS term_ends_on, a.ended_on AS ended_on,
       a.end_reason AS end_reason, a.notice AS notice, a.team_codes AS team_codes, terms
ORDER BY a.name, a.official_id, a.appointed_on, a.event_id
"""

# The period's engagements: code, name, stage and whether a team was assigned.
ENGAGEMENTS = """
MATCH (e:Engagement {period: $period})
RETURN e.id AS engagement_id, e.municipality_code AS municipality_code, e.municipality_name AS municipality_name,
       e.stage AS stage, EXISTS { (e)-[:HAS_TEAM]->(:Team) } AS has_team
ORDER BY municipality_code
"""

# Every membership of the period's teams, with the ministry the official represents on that team (older
# memberships, projected before MEMBER_OF carried it, fall back to a ministry the official belongs to).
MEMBERSHIPS = """
MATCH (e:Engagement {period: $period})-[:HAS_TEAM]->(:Team)<-[r:MEMBER_OF]-(p:Official)
OPTIONAL MATCH (p)-[:BELONGS_TO]->(m:Ministry)
WITH e, r, p, min(m.name) AS belongs_to
RETURN e.id AS engagement_id, e.municipality_code AS municipality_code, e.municipality_name AS municipality_name,
       p.id AS official_id, coalesce(p.name, p.id) AS name, p.post AS post,
       coalesce(r.ministry, belongs_to) AS ministry, r.from AS from_date, r.to AS to_date
ORDER BY municipality_code, name, official_id, from_date
"""

# What a travel line joins: the municipality, the traveller's name, the ministry they represent on the team
# (the membership of the day they left first, else the latest), the visit's kind and its first day (the
# activity as corrected, else the event as recorded).
_LINE = """
OPTIONAL MATCH (e:Engagement {id: l.engagement_id})
OPTIONAL MATCH (p:Official {id: l.official_id})
OPTIONAL MATCH (visit:Event {id: l.visit_event_id})
OPTIONAL MATCH (a:Activity {id: l.visit_event_id})
CALL (e, p, l) {
  OPTIONAL MATCH (e)-[:HAS_TEAM]->(:Team)<-[r:MEMBER_OF]-(p)
  WITH r, CASE WHEN (r.from IS NULL OR r.from <= l.departs_on) AND (r.to IS NULL OR l.departs_on < r.to)
            THEN 0 ELSE 1 END AS rank
  ORDER BY rank, r.from DESC
  RETURN head(collect(r.ministry)) AS team_ministry
}
CALL (p) {
  OPTIONAL MATCH (p)-[:BELONGS_TO]->(m:Ministry)
  RETURN min(m.name) AS belongs_to
}
RETURN l.key AS key, l.engagement_id AS engagement_id, l.period AS period, l.municipality_code AS municipality_code,
       e.municipality_name AS municipality_name, l.visit_event_id AS visit_event_id, visit.type AS visit_kind,
       a.start_date AS visit_date, visit.data AS visit_data, l.official_id AS official_id, p.name AS name,
       coalesce(team_ministry, belongs_to) AS ministry, l.departs_on AS departs_on, l.returns_on AS returns_on,
       l.nights AS nights, l.origin AS origin, l.rates_id AS rates_id, l.planned_on AS planned_on,
       l.planned_transport_yen AS planned_transport_yen, l.planned_lodging_yen AS planned_lodging_yen,
       l.planned_daily_allowance_yen AS planned_daily_allowance_yen, l.plan_event_id AS plan_event_id,
       l.settled_on AS settled_on, l.settled_transport_yen AS settled_transport_yen,
       l.settled_lodging_yen AS settled_lodging_yen, l.settled_daily_allowance_yen AS settled_daily_allowance_yen,
       l.settlement_event_id AS settlement_event_id, l.note AS note
ORDER BY l.departs_on, l.engagement_id, p.name, l.key
"""

TRAVEL_LINES = "MATCH (l:TravelLine)\n" + _LINE
TRAVEL_LINES_OF_PERIOD = "MATCH (l:TravelLine {period: $period})\n" + _LINE
TRAVEL_LINES_OF_ENGAGEMENT = "MATCH (l:TravelLine {engagement_id: $engagement_id})\n" + _LINE

# The period's budget as it stands, every allocation (oldest first) and the teams' named shares.
BUDGET = """
MATCH (b:TravelBudget {period: $period})
RETURN b.amount_yen AS amount_yen, b.allocated_on AS allocated_on, b.event_id AS event_id
"""

BUDGET_REVISIONS = """
MATCH (r:TravelBudgetRevision {period: $period})
RETURN r.event_id AS event_id, r.amount_yen AS amount_yen, r.allocated_on AS allocated_on
ORDER BY r.allocated_on, r.event_id
"""

SHARES = """
MATCH (s:TravelShare {period: $period})
RETURN s.municipality_code AS municipality_code, s.amount_yen AS amount_yen
ORDER BY municipality_code
"""

# What the period's settled lines add up to (a budget may not go below it).
SETTLED_TOTAL = """
MATCH (l:TravelLine {period: $period})
RETURN coalesce(sum(l.settled_total_yen), 0) AS total
"""

RATES = """
MATCH (r:TravelRates)
RETURN r.rates_id AS rates_id, r.name AS name, r.valid_from AS valid_from, r.valid_to AS valid_to,
       r.lodging_yen_per_night AS lodging_yen_per_night, r.daily_allowance_yen_per_day AS daily_allowance_yen_per_day,
       r.source AS source, r.event_id AS event_id
ORDER BY r.valid_from, r.rates_id
"""
