"""Cypher of corrections and retractions: the corrected record's node is drawn again, a retracted one goes.

A record's node (and every edge it has: who took part, contributed, answered; what it involves, is about)
is keyed by the id of the event that first recorded it. A correction deletes that node and projects the
corrected facts under the same id; a retraction deletes it. Shared nodes (officials, bodies, themes,
subjects) stay. The engagement's last contact is then taken again from the activities left.
"""

from __future__ import annotations

CLEAR_RECORD = """
OPTIONAL MATCH (a:Activity {id: $target_id})
OPTIONAL MATCH (o:Outcome {id: $target_id})
OPTIONAL MATCH (s:SurveyAnswer {id: $target_id})
DETACH DELETE a, o, s
"""

MARK_CORRECTED = """
OPTIONAL MATCH (a:Activity {id: $target_id})
OPTIONAL MATCH (o:Outcome {id: $target_id})
OPTIONAL MATCH (s:SurveyAnswer {id: $target_id})
FOREACH (n IN [x IN [a, o, s] WHERE x IS NOT NULL] |
  SET n.corrected_by = $event_id, n.correction_reason = $reason)
"""

LAST_CONTACT_AGAIN = """
MATCH (e:Engagement {id: $engagement_id})
OPTIONAL MATCH (e)-[:HAS_ACTIVITY]->(a:Activity)
WITH e, max(coalesce(a.end_date, a.start_date)) AS last
SET e.last_contact = last
"""
