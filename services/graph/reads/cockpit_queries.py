"""Cypher for the cockpit (支援状況): each period's state, and the charts' figures for one period."""

# Every period with what tells whether it is running today: its call's dates, its intake, its engagements.
PERIODS = """
MATCH (per:Period)
WHERE per.number IS NOT NULL
OPTIONAL MATCH (e:Engagement)-[:IN_PERIOD]->(per)
WITH per, count(e) AS engagements,
     sum(CASE WHEN e IS NULL OR e.stage IN ['closed', 'withdrawn'] THEN 0 ELSE 1 END) AS open
RETURN per.number AS number, per.opens_on AS opens_on, per.closes_on AS closes_on,
       engagements, open,
       COUNT { (:Official)-[:VOLUNTEERED_FOR]->(per) } AS volunteers,
       COUNT { (:Municipality)-[:APPLIED_TO]->(per) } AS applications
ORDER BY number DESC
"""

# Activities of the period's engagements by calendar month (YYYY-MM of the first day) and kind.
ACTIVITIES_BY_MONTH = """
MATCH (:Engagement {period: $period})-[:HAS_ACTIVITY]->(a:Activity)
WHERE a.start_date IS NOT NULL
RETURN substring(toString(a.start_date), 0, 7) AS month, a.kind AS kind, count(*) AS n
ORDER BY month, kind
"""

# The period's open engagements and the day of their last contact (null before any).
LAST_CONTACT = """
MATCH (e:Engagement {period: $period})
WHERE NOT e.stage IN ['closed', 'withdrawn']
RETURN e.id AS engagement_id, e.municipality_name AS municipality_name, e.prefecture AS prefecture,
       e.stage AS stage, e.last_contact AS last_contact
ORDER BY e.last_contact, e.municipality_name, e.id
"""

# Engagements per prefecture (withdrawn ones left out).
BY_PREFECTURE = """
MATCH (e:Engagement {period: $period})
WHERE e.stage <> 'withdrawn' AND e.prefecture IS NOT NULL
RETURN e.prefecture AS prefecture, count(*) AS n
ORDER BY n DESC, prefecture
"""
