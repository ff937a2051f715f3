"""Cypher for the projection: one named statement per step, every value a $parameter."""

APPLIED_ENGAGEMENT = """
MERGE (p:Prefecture {name: $prefecture})
MERGE (m:Municipality {code: $municipality_code})
SET m.name = $municipality_name, m.population = $population,
    m.population_as_of = $population_as_of, m.mayor = $mayor
MERGE (m)-[:IN_PREFECTURE]->(p)
MERGE (per:Period {number: $period})
MERGE (e:Engagement {id: $engagement_id})
SET e.period = $period, e.stage = 'application',
    e.municipality_code = $municipality_code, e.municipality_name = $municipality_name,
    e.prefecture = $prefecture, e.applied_on = $applied_on, e.applied_event_id = $event_id
MERGE (e)-[:FOR_MUNICIPALITY]->(m)
MERGE (e)-[:IN_PERIOD]->(per)
"""

APPLIED_CHALLENGES = """
MATCH (e:Engagement {id: $engagement_id})
UNWIND $challenges AS name
MERGE (c:Challenge {name: name})
MERGE (e)-[r:FACES]->(c)
SET r.event_id = $event_id
"""

APPLIED_DESIRED_THEMES = """
MATCH (e:Engagement {id: $engagement_id})
UNWIND $themes AS name
MERGE (t:Theme {name: name})
MERGE (e)-[r:DESIRES_THEME]->(t)
SET r.event_id = $event_id
"""

TEAM_MEMBERS = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (t:Team {id: $team_id})
SET t.name = $team_name
MERGE (e)-[:HAS_TEAM]->(t)
SET e.stage = 'matching'
WITH t
UNWIND $officials AS o
MERGE (p:Official {id: o.official_id})
SET p.name = o.name, p.post = o.post
MERGE (m:Ministry {name: o.ministry})
MERGE (p)-[:BELONGS_TO]->(m)
MERGE (p)-[r:MEMBER_OF]->(t)
SET r.from = $assigned_on, r.event_id = $event_id, r.ministry = o.ministry
"""

TEAM_BUREAUS = """
UNWIND $units AS u
MATCH (m:Ministry {name: u.ministry})
MERGE (b:Bureau {id: u.id})
SET b.name = u.name, b.kind = 'bureau'
MERGE (b)-[:PART_OF]->(m)
"""

TEAM_DIVISIONS = """
UNWIND $units AS u
MATCH (parent:Bureau {id: u.parent_id})
MERGE (d:Bureau {id: u.id})
SET d.name = u.name, d.kind = 'division'
MERGE (d)-[:PART_OF]->(parent)
"""

TEAM_DIVISIONS_UNDER_MINISTRY = """
UNWIND $units AS u
MATCH (m:Ministry {name: u.ministry})
MERGE (d:Bureau {id: u.id})
SET d.name = u.name, d.kind = 'division'
MERGE (d)-[:PART_OF]->(m)
"""

TEAM_POSTINGS = """
UNWIND $postings AS x
MATCH (p:Official {id: x.official_id})
MATCH (b:Bureau {id: x.unit_id})
MERGE (p)-[w:WORKS_IN]->(b)
SET w.event_id = coalesce(w.event_id, x.event_id),
    w.from = CASE WHEN x.since IS NULL OR w.from <= x.since THEN w.from ELSE x.since END
"""
# `from` of a posting an event names: the earliest business date any event shows it held (a team's
# assigned_on, a member's joined_on, a registration's registered_on); the earliest wins whatever the order.

TEAM_SECONDMENTS = """
UNWIND $secondments AS x
MATCH (p:Official {id: x.official_id})
MERGE (m:Ministry {name: x.ministry})
MERGE (p)-[:SECONDED_FROM]->(m)
"""

KICKOFF = """
MATCH (e:Engagement {id: $engagement_id})
SET e.stage = 'kickoff', e.title = $title, e.kickoff_on = $held_on, e.title_event_id = $event_id,
    e.final_report_due = $final_report_due
WITH e
UNWIND $themes AS name
MERGE (t:Theme {name: name})
MERGE (e)-[r:HAS_THEME]->(t)
SET r.event_id = $event_id
"""

ACTIVITY = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (a:Activity {id: $event_id})
SET a.kind = $kind, a.start_date = $start_date, a.end_date = $end_date,
    a.participants = $participants, a.notes = $notes, a.place = $place,
    a.company_count = $company_count
MERGE (e)-[:HAS_ACTIVITY]->(a)
SET e.stage = CASE e.stage WHEN 'kickoff' THEN 'visits' ELSE e.stage END,
    e.last_contact = CASE
      WHEN e.last_contact IS NULL OR e.last_contact < $last_day THEN $last_day
      ELSE e.last_contact END
"""

ACTIVITY_COMPANIES = """
MATCH (a:Activity {id: $event_id})
UNWIND $companies AS name
MERGE (o:Organization {name: name})
SET o.kind = coalesce(o.kind, 'company')
MERGE (a)-[:VISITED]->(o)
"""

OUTCOME = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (o:Outcome {id: $event_id})
SET o.kind = $kind, o.description = $description, o.status = $status,
    o.recorded_on = $recorded_on, o.achieved_on = $achieved_on, o.theme = $theme
MERGE (e)-[:ACHIEVED]->(o)
SET e.stage = 'outcomes'
"""

# Personal attribution: who took part in an activity or coordination (role 'led' or 'attended'), who
# contributed to an outcome. The workflow let only members of the team on that date through, so each
# official's node exists already (TeamAssigned / MemberJoined come first in the stream).
TOOK_PART = """
MATCH (a:Activity {id: $event_id})
UNWIND $people AS x
MATCH (p:Official {id: x.official_id})
MERGE (p)-[r:TOOK_PART {event_id: $event_id}]->(a)
SET r.role = x.role
"""

CONTRIBUTED_TO = """
MATCH (o:Outcome {id: $event_id})
UNWIND $contributor_ids AS official_id
MATCH (p:Official {id: official_id})
MERGE (p)-[r:CONTRIBUTED_TO {event_id: $event_id}]->(o)
"""

OUTCOME_THEME = """
MATCH (o:Outcome {id: $event_id})
MERGE (t:Theme {name: $theme})
MERGE (o)-[:UNDER_THEME]->(t)
"""

# One statement per body kind: labels come from this table, never from input.
OUTCOME_BODIES: dict[str, str] = {
    label: f"""
MATCH (o:Outcome {{id: $event_id}})
UNWIND $names AS name
MERGE (b:{label} {{name: name}})
MERGE (o)-[:INVOLVES]->(b)
"""
    for label in ("Ministry", "RegionalBureau", "PrefecturalDepartment", "Organization", "FundingProgram")
}

CLOSED = """
MATCH (e:Engagement {id: $engagement_id})
SET e.stage = 'closed', e.closed_on = $closed_on, e.summary = $summary
"""

WITHDRAWN = """
MATCH (e:Engagement {id: $engagement_id})
SET e.stage = 'withdrawn', e.withdrawn_on = $withdrawn_on, e.withdraw_reason = $reason
"""

APPLICATION_WITHDRAWN = """
MATCH (e:Engagement {id: $engagement_id})
SET e.stage = 'withdrawn', e.withdrawn_on = $withdrawn_on, e.withdraw_reason = $reason
"""

MEMBER_JOINED = """
MATCH (e:Engagement {id: $engagement_id})-[:HAS_TEAM]->(t:Team)
WITH t
UNWIND $officials AS o
MERGE (p:Official {id: o.official_id})
SET p.name = o.name, p.post = o.post
MERGE (m:Ministry {name: o.ministry})
MERGE (p)-[:BELONGS_TO]->(m)
MERGE (p)-[r:MEMBER_OF {event_id: $event_id}]->(t)
SET r.from = $joined_on, r.override_reason = $override_reason, r.ministry = o.ministry
"""

MEMBER_LEFT = """
MATCH (e:Engagement {id: $engagement_id})-[:HAS_TEAM]->(t:Team)<-[r:MEMBER_OF]-(p:Official {id: $official_id})
WHERE r.to IS NULL
SET r.to = $left_on, r.leave_reason = $reason, r.left_event_id = $event_id, r.leave_override_reason = $override_reason
"""

THEMES_CHANGED = """
MATCH (e:Engagement {id: $engagement_id})
OPTIONAL MATCH (e)-[old:HAS_THEME]->(t:Theme)
WHERE NOT t.name IN $themes
DELETE old
WITH DISTINCT e
UNWIND $themes AS name
MERGE (t:Theme {name: name})
MERGE (e)-[r:HAS_THEME]->(t)
SET r.event_id = coalesce(r.event_id, $event_id)
"""

COORDINATION = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (a:Activity {id: $event_id})
SET a.kind = 'coordination', a.start_date = $held_on, a.notes = $topic, a.participants = $participants
MERGE (e)-[:HAS_ACTIVITY]->(a)
SET e.stage = CASE e.stage WHEN 'kickoff' THEN 'visits' ELSE e.stage END,
    e.last_contact = CASE
      WHEN e.last_contact IS NULL OR e.last_contact < $held_on THEN $held_on
      ELSE e.last_contact END
"""

# One statement per body kind: labels come from this table, never from input.
COORDINATION_BODY: dict[str, str] = {
    label: f"""
MATCH (a:Activity {{id: $event_id}})
MERGE (b:{label} {{name: $name}})
MERGE (a)-[:WITH_BODY]->(b)
"""
    for label in ("Ministry", "RegionalBureau", "PrefecturalDepartment", "Organization", "FundingProgram")
}

INTRODUCTION = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (i:Introduction {id: $event_id})
SET i.what = $what, i.subject = $subject, i.to_whom = $to_whom, i.made_on = $made_on
MERGE (e)-[:MADE_INTRODUCTION]->(i)
WITH i
OPTIONAL MATCH (p:Official {id: $by_official_id})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (p)-[:INTRODUCED]->(i))
"""

FUNDING_APPLICATION = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (f:FundingProgram {name: $programme})
MERGE (e)-[r:APPLIED_FOR]->(f)
SET r.status = $status, r.on = $supported_on, r.purpose = coalesce($purpose, r.purpose), r.event_id = $event_id
"""

SUPPORT_FLOW = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (f:SupportFlow {id: $event_id})
SET f.area = $area, f.description = $description, f.actions = $actions, f.recorded_on = $recorded_on
MERGE (e)-[:PLANS]->(f)
"""

REPORT = """
MATCH (e:Engagement {id: $engagement_id})
MERGE (r:Report {id: $event_id})
SET r.kind = $report, r.submitted_on = $submitted_on, r.summary = $summary
MERGE (e)-[:SUBMITTED]->(r)
"""

SURVEY = """
MATCH (e:Engagement {id: $engagement_id})
MATCH (p:Official {id: $official_id})
MERGE (s:SurveyAnswer {id: $event_id})
SET s.answered_on = $answered_on, s.field_experience = $field_experience, s.diverse_team = $diverse_team,
    s.useful_for_ministry_work = $useful_for_ministry_work, s.free_text = $free_text
MERGE (p)-[:ANSWERED]->(s)
MERGE (s)-[:ABOUT]->(e)
"""

POLICY_FEEDBACK: dict[str, str] = {
    label: f"""
MATCH (e:Engagement {{id: $engagement_id}})
MERGE (f:PolicyFeedback {{id: $event_id}})
SET f.feedback = $feedback, f.recorded_on = $recorded_on
MERGE (e)-[:GAVE_FEEDBACK]->(f)
MERGE (b:{label} {{name: $name}})
MERGE (f)-[:TO]->(b)
"""
    for label in ("Ministry", "RegionalBureau", "PrefecturalDepartment", "Organization", "FundingProgram")
}

STALLED = """
MATCH (e:Engagement {id: $engagement_id})
SET e.stalled = true, e.stalled_event_id = $event_id
"""

RESUMED = """
MATCH (e:Engagement {id: $engagement_id})
SET e.stalled = false
"""

REPORT_DUE = """
MATCH (e:Engagement {id: $engagement_id})
SET e.final_report_due = $due_on, e.final_report_reminder_event_id = $event_id
"""

OFFICIAL_REGISTERED = """
MERGE (p:Official {id: $official_id})
SET p.name = $name, p.post = $post, p.seniority = $seniority, p.hometown = $hometown,
    p.registered_event_id = $event_id
MERGE (m:Ministry {name: $ministry})
MERGE (p)-[:BELONGS_TO]->(m)
"""

OFFICIAL_POST_CLOSED = """
MATCH (p:Official {id: $official_id})
SET p.post = $post
WITH p
OPTIONAL MATCH (p)-[w:WORKS_IN]->()
WHERE w.to IS NULL
SET w.to = $changed_on
WITH DISTINCT p
OPTIONAL MATCH (p)-[old:BELONGS_TO]->(m:Ministry)
WHERE m.name <> $ministry
DELETE old
WITH DISTINCT p
MERGE (m:Ministry {name: $ministry})
MERGE (p)-[:BELONGS_TO]->(m)
"""

OFFICIAL_POST_OPENED = """
MATCH (p:Official {id: $official_id})
MATCH (b:Bureau {id: $unit_id})
CREATE (p)-[:WORKS_IN {from: $changed_on, event_id: $event_id}]->(b)
"""

# One statement per body kind: labels come from this table, never from input.
BODY_DEFINED: dict[str, str] = {
    label: f"""
MERGE (b:{label} {{name: $name}})
SET b.description = $description, b.defined_event_id = $event_id
WITH b
CALL (b) {{
  OPTIONAL MATCH (b)-[old:COVERS|PART_OF]->()
  DELETE old
}}
OPTIONAL MATCH (m:Ministry {{name: $parent_ministry}})
FOREACH (_ IN CASE WHEN m IS NULL OR m = b THEN [] ELSE [1] END | MERGE (b)-[:PART_OF]->(m))
WITH b
UNWIND $covers AS prefecture
MERGE (p:Prefecture {{name: prefecture}})
MERGE (b)-[:COVERS]->(p)
"""
    for label in ("Ministry", "RegionalBureau", "PrefecturalDepartment", "Organization", "FundingProgram")
}

PARENT_MINISTRY = """
MERGE (:Ministry {name: $parent_ministry})
"""

# A later listing replaces names and kinds; municipalities no longer listed keep their node (engagements
# may point at them) but lose `listed_event_id`.
MUNICIPALITIES_LISTED = """
MERGE (p:Prefecture {name: $prefecture})
SET p.code = $prefecture_code, p.kana = $prefecture_kana, p.name_en = $prefecture_en,
    p.listed_event_id = $event_id
WITH p
CALL (p) {
  MATCH (gone:Municipality)-[:IN_PREFECTURE]->(p)
  WHERE gone.listed_event_id IS NOT NULL AND NOT gone.code IN [row IN $municipalities | row.code]
  REMOVE gone.listed_event_id
}
UNWIND $municipalities AS row
MERGE (m:Municipality {code: row.code})
SET m.name = row.name, m.kana = row.kana, m.kind = row.kind, m.prefecture = p.name,
    m.listed_event_id = $event_id
MERGE (m)-[:IN_PREFECTURE]->(p)
"""

# The period stream: the call, volunteers and applications (proposals, edits and approvals project nothing).
CALL_OPENED = """
MERGE (per:Period {number: $period})
SET per.opens_on = $opens_on, per.closes_on = $closes_on, per.themes_on_offer = $themes,
    per.call_event_id = $event_id
"""

OFFICIAL_VOLUNTEERED = """
MERGE (per:Period {number: $period})
MERGE (p:Official {id: $official_id})
SET p.name = coalesce(p.name, $name)
MERGE (m:Ministry {name: $ministry})
MERGE (p)-[:BELONGS_TO]->(m)
MERGE (p)-[v:VOLUNTEERED_FOR]->(per)
SET v.seniority = $seniority, v.capacity = $capacity, v.expertise = $expertise,
    v.preferred_themes = $preferred_themes, v.event_id = $event_id
"""

APPLICATION_RECEIVED = """
MERGE (per:Period {number: $period})
MERGE (pref:Prefecture {name: $prefecture})
MERGE (m:Municipality {code: $municipality_code})
SET m.name = coalesce(m.name, $municipality_name)
MERGE (m)-[:IN_PREFECTURE]->(pref)
MERGE (m)-[a:APPLIED_TO]->(per)
SET a.applied_on = $applied_on, a.challenges = $challenges, a.event_id = $event_id
"""

PERIOD_SUMMARISED = """
MERGE (per:Period {number: $period})
SET per.officials = $officials, per.teams = $teams, per.municipalities = $municipalities,
    per.figures_as_of = $as_of, per.figures_event_id = $event_id
"""
