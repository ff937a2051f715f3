"""Cypher for the programme's paperwork: 併任 appointments, 支援旅費 lines, budgets and rates.

These nodes have no relationships at all: money and appointment details must never be reachable through
connections, the explorer or search. Reads join them to engagements and officials by their key properties
(indexed in `services/graph/schema_queries.py`). Every value is a $parameter.
"""

# 併任発令: the appointment, and one open term per team it covers (key `<event_id>/<code>`).
APPOINTMENT_ISSUED = """
MERGE (a:Appointment {event_id: $event_id})
SET a.period = $period, a.official_id = $official_id, a.name = $name, a.ministry = $ministry,
    a.bureau = $bureau, a.division = $division, a.post = $post, a.appointed_on = $appointed_on,
    a.term_ends_on = $term_ends_on, a.notice = $notice, a.team_codes = $team_codes, a.last_event_id = $event_id
WITH a
UNWIND $team_codes AS code
MERGE (t:AppointmentTerm {key: $event_id + '/' + code})
SET t.appointment_event_id = $event_id, t.period = $period, t.official_id = $official_id,
    t.municipality_code = code, t.from = $appointed_on
"""

# 併任内容の変更 of the official's active appointment in the period: the terms of teams no longer named close
# on `changed_on`; a team named anew opens a term from `changed_on` (a team covered before and re-added gets
# the key `<event_id>/<code>/<changed_on>`). A team already open stays as it is, so applying it twice is one.
APPOINTMENT_CHANGED = """
MATCH (a:Appointment {period: $period, official_id: $official_id})
WHERE a.ended_on IS NULL
SET a.team_codes = $team_codes, a.last_event_id = $event_id
WITH a
CALL (a) {
  MATCH (gone:AppointmentTerm {appointment_event_id: a.event_id})
  WHERE gone.to IS NULL AND NOT gone.municipality_code IN $team_codes
  SET gone.to = $changed_on
}
WITH a
UNWIND $team_codes AS code
CALL (a, code) {
  OPTIONAL MATCH (open:AppointmentTerm {appointment_event_id: a.event_id, municipality_code: code})
  WHERE open.to IS NULL
  WITH a, code, count(open) AS already
  WHERE already = 0
  OPTIONAL MATCH (before:AppointmentTerm {key: a.event_id + '/' + code})
  WITH a, code, CASE WHEN before IS NULL THEN a.event_id + '/' + code
                     ELSE a.event_id + '/' + code + '/' + $changed_on END AS key
  MERGE (t:AppointmentTerm {key: key})
  SET t.appointment_event_id = a.event_id, t.period = a.period, t.official_id = a.official_id,
      t.municipality_code = code, t.from = $changed_on, t.to = null
}
"""

# 併任解除: the official's active appointment in the period ends, with every open term.
APPOINTMENT_ENDED = """
MATCH (a:Appointment {period: $period, official_id: $official_id})
WHERE a.ended_on IS NULL
SET a.ended_on = $ended_on, a.end_reason = $reason, a.ended_event_id = $event_id, a.last_event_id = $event_id,
    a.team_codes = []
WITH a
MATCH (t:AppointmentTerm {appointment_event_id: a.event_id})
WHERE t.to IS NULL
SET t.to = $ended_on
"""

# 旅費の見込み: one line per visit and official; a later plan (before settlement) replaces the earlier one.
TRAVEL_PLANNED = """
MERGE (l:TravelLine {key: $key})
SET l.engagement_id = $engagement_id, l.period = $period, l.municipality_code = $municipality_code,
    l.visit_event_id = $visit_event_id, l.official_id = $official_id, l.departs_on = $departs_on,
    l.returns_on = $returns_on, l.nights = $nights, l.origin = $origin, l.rates_id = $rates_id,
    l.planned_on = $planned_on, l.planned_transport_yen = $transport_yen, l.planned_lodging_yen = $lodging_yen,
    l.planned_daily_allowance_yen = $daily_allowance_yen, l.planned_total_yen = $total_yen,
    l.plan_event_id = $event_id
"""

# 旅費の精算 of a planned line (the workflow settles only a plan, once).
TRAVEL_SETTLED = """
MATCH (l:TravelLine {key: $key})
SET l.settled_on = $settled_on, l.settled_transport_yen = $transport_yen, l.settled_lodging_yen = $lodging_yen,
    l.settled_daily_allowance_yen = $daily_allowance_yen, l.settled_total_yen = $total_yen,
    l.settlement_event_id = $event_id, l.note = $note
"""

# 予算配分: the period's budget as it now stands, the revision kept, the teams' shares replaced.
TRAVEL_BUDGET_ALLOCATED = """
MERGE (b:TravelBudget {period: $period})
SET b.amount_yen = $amount_yen, b.allocated_on = $allocated_on, b.event_id = $event_id, b.reason = $reason
MERGE (r:TravelBudgetRevision {event_id: $event_id})
SET r.period = $period, r.amount_yen = $amount_yen, r.allocated_on = $allocated_on
WITH b
CALL (b) {
  MATCH (gone:TravelShare {period: $period})
  WHERE NOT gone.municipality_code IN [s IN $shares | s.municipality_code]
  DELETE gone
}
WITH b
UNWIND $shares AS s
MERGE (share:TravelShare {key: toString($period) + '/' + s.municipality_code})
SET share.period = $period, share.municipality_code = s.municipality_code, share.amount_yen = s.amount_yen,
    share.event_id = $event_id
"""

# 旅費の基準額: one table per rates_id; defining it again revises it.
TRAVEL_RATES_DEFINED = """
MERGE (r:TravelRates {rates_id: $rates_id})
SET r.name = $name, r.valid_from = $valid_from, r.valid_to = $valid_to,
    r.lodging_yen_per_night = $lodging_yen_per_night, r.daily_allowance_yen_per_day = $daily_allowance_yen_per_day,
    r.source = $source, r.event_id = $event_id
"""
