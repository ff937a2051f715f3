"""Cypher for the schema: unique keys, range indexes, and waiting for indexes to come online."""

import re

CONSTRAINTS: tuple[str, ...] = (
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT event_stream_position IF NOT EXISTS FOR (n:Event) REQUIRE (n.subject, n.sequence) IS UNIQUE",
    # the global feed's order (services/graph/store/feed.py): one position per event, one head
    "CREATE CONSTRAINT event_feed_position IF NOT EXISTS FOR (n:Event) REQUIRE n.position IS UNIQUE",
    "CREATE CONSTRAINT feed_head_id IF NOT EXISTS FOR (n:FeedHead) REQUIRE n.id IS UNIQUE",
    # bulk import uploads (services/graph/store/import_files.py), by their content
    "CREATE CONSTRAINT import_file_sha IF NOT EXISTS FOR (n:ImportFile) REQUIRE n.sha256 IS UNIQUE",
    # webhook subscriptions and their delivery log (services/graph/store/webhooks.py)
    "CREATE CONSTRAINT webhook_subscription_id IF NOT EXISTS FOR (n:WebhookSubscription) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT webhook_delivery_key IF NOT EXISTS FOR (n:WebhookDelivery) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT engagement_id IF NOT EXISTS FOR (n:Engagement) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT municipality_code IF NOT EXISTS FOR (n:Municipality) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT prefecture_name IF NOT EXISTS FOR (n:Prefecture) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT period_number IF NOT EXISTS FOR (n:Period) REQUIRE n.number IS UNIQUE",
    "CREATE CONSTRAINT official_id IF NOT EXISTS FOR (n:Official) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT ministry_name IF NOT EXISTS FOR (n:Ministry) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT bureau_id IF NOT EXISTS FOR (n:Bureau) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT team_id IF NOT EXISTS FOR (n:Team) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT theme_name IF NOT EXISTS FOR (n:Theme) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT challenge_name IF NOT EXISTS FOR (n:Challenge) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT subject_name IF NOT EXISTS FOR (n:Subject) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT activity_id IF NOT EXISTS FOR (n:Activity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT outcome_id IF NOT EXISTS FOR (n:Outcome) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT organization_name IF NOT EXISTS FOR (n:Organization) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT regional_bureau_name IF NOT EXISTS FOR (n:RegionalBureau) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT prefectural_department_name IF NOT EXISTS "
    "FOR (n:PrefecturalDepartment) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT funding_program_name IF NOT EXISTS FOR (n:FundingProgram) REQUIRE n.name IS UNIQUE",
    "CREATE CONSTRAINT introduction_id IF NOT EXISTS FOR (n:Introduction) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT report_id IF NOT EXISTS FOR (n:Report) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT survey_answer_id IF NOT EXISTS FOR (n:SurveyAnswer) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT policy_feedback_id IF NOT EXISTS FOR (n:PolicyFeedback) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT web_session_id IF NOT EXISTS FOR (n:WebSession) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE",
    # the programme's paperwork (services/graph/projection/paperwork.py): nodes without relationships
    "CREATE CONSTRAINT appointment_event_id IF NOT EXISTS FOR (n:Appointment) REQUIRE n.event_id IS UNIQUE",
    "CREATE CONSTRAINT appointment_term_key IF NOT EXISTS FOR (n:AppointmentTerm) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT travel_line_key IF NOT EXISTS FOR (n:TravelLine) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT travel_budget_period IF NOT EXISTS FOR (n:TravelBudget) REQUIRE n.period IS UNIQUE",
    "CREATE CONSTRAINT travel_budget_revision_event_id IF NOT EXISTS "
    "FOR (n:TravelBudgetRevision) REQUIRE n.event_id IS UNIQUE",
    "CREATE CONSTRAINT travel_share_key IF NOT EXISTS FOR (n:TravelShare) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT travel_rates_id IF NOT EXISTS FOR (n:TravelRates) REQUIRE n.rates_id IS UNIQUE",
)

INDEXES: tuple[str, ...] = (
    "CREATE INDEX engagement_stage IF NOT EXISTS FOR (n:Engagement) ON (n.stage)",
    "CREATE INDEX engagement_period IF NOT EXISTS FOR (n:Engagement) ON (n.period)",
    "CREATE INDEX engagement_prefecture IF NOT EXISTS FOR (n:Engagement) ON (n.prefecture)",
    "CREATE INDEX event_time IF NOT EXISTS FOR (n:Event) ON (n.time)",
    "CREATE INDEX municipality_name IF NOT EXISTS FOR (n:Municipality) ON (n.name)",
    "CREATE INDEX official_name IF NOT EXISTS FOR (n:Official) ON (n.name)",
    "CREATE INDEX web_session_expires IF NOT EXISTS FOR (n:WebSession) ON (n.expires)",
    # the paperwork's joins by property (a change or an end finds the active appointment by period and official)
    "CREATE INDEX appointment_period_official IF NOT EXISTS FOR (n:Appointment) ON (n.period, n.official_id)",
    "CREATE INDEX appointment_period IF NOT EXISTS FOR (n:Appointment) ON (n.period)",
    "CREATE INDEX appointment_term_appointment IF NOT EXISTS FOR (n:AppointmentTerm) ON (n.appointment_event_id)",
    "CREATE INDEX appointment_term_period IF NOT EXISTS FOR (n:AppointmentTerm) ON (n.period)",
    "CREATE INDEX travel_line_period IF NOT EXISTS FOR (n:TravelLine) ON (n.period)",
    "CREATE INDEX travel_line_engagement IF NOT EXISTS FOR (n:TravelLine) ON (n.engagement_id)",
    "CREATE INDEX travel_budget_revision_period IF NOT EXISTS FOR (n:TravelBudgetRevision) ON (n.period)",
    "CREATE INDEX travel_share_period IF NOT EXISTS FOR (n:TravelShare) ON (n.period)",
)

AWAIT_INDEXES = "CALL db.awaitIndexes(60)"
CONSTRAINT_NAMES = "SHOW CONSTRAINTS YIELD name RETURN name"
INDEX_NAMES = "SHOW INDEXES YIELD name RETURN name"

# What each statement above names (apply_schema sends only the ones the database lacks).
NAMED_STATEMENT = re.compile(r"CREATE (?:CONSTRAINT|(?:FULLTEXT )?INDEX) (\w+) IF NOT EXISTS")
