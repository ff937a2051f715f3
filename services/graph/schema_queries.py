"""Cypher for the schema: unique keys, range indexes, and waiting for indexes to come online."""

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
)

INDEXES: tuple[str, ...] = (
    "CREATE INDEX engagement_stage IF NOT EXISTS FOR (n:Engagement) ON (n.stage)",
    "CREATE INDEX engagement_period IF NOT EXISTS FOR (n:Engagement) ON (n.period)",
    "CREATE INDEX engagement_prefecture IF NOT EXISTS FOR (n:Engagement) ON (n.prefecture)",
    "CREATE INDEX event_time IF NOT EXISTS FOR (n:Event) ON (n.time)",
    "CREATE INDEX municipality_name IF NOT EXISTS FOR (n:Municipality) ON (n.name)",
    "CREATE INDEX official_name IF NOT EXISTS FOR (n:Official) ON (n.name)",
    "CREATE INDEX web_session_expires IF NOT EXISTS FOR (n:WebSession) ON (n.expires)",
)

AWAIT_INDEXES = "CALL db.awaitIndexes(60)"
CONSTRAINT_NAMES = "SHOW CONSTRAINTS YIELD name RETURN name"
INDEX_NAMES = "SHOW INDEXES YIELD name RETURN name"
