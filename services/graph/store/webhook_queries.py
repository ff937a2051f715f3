"""Cypher for webhook subscriptions and their delivery log (records of their own, kept by a rebuild).

The subscription's workflow is its only writer. Each write carries the workflow's revision of the
subscription, and a write older than the stored one changes nothing: a retried or late activity can
never put back a state the workflow has left.
"""

SAVE_SUBSCRIPTION = """
MERGE (s:WebhookSubscription {id: $id})
  ON CREATE SET s.revision = -1, s.created_at = $now, s.failed_attempts = 0
WITH s
WHERE s.revision < $revision
SET s.owner = $owner,
    s.url = $url,
    s.event_types = $event_types,
    s.description = $description,
    s.status = $status,
    s.paused_reason = $paused_reason,
    s.cursor = $cursor,
    s.revision = $revision,
    s.updated_at = $now,
    s.last_error = CASE WHEN $clear_error THEN null ELSE s.last_error END,
    s.retrying_position = CASE WHEN $clear_error THEN null ELSE s.retrying_position END,
    s.failed_attempts = CASE WHEN $clear_error THEN 0 ELSE s.failed_attempts END
RETURN s.id AS id
"""

# One delivery, once (its key names the subscription and the workflow's delivery count), and the cursor.
RECORD_DELIVERY = """
MATCH (s:WebhookSubscription {id: $id})
MERGE (d:WebhookDelivery {key: $key})
  ON CREATE SET d += $delivery, d.subscription_id = $id
MERGE (s)-[:DELIVERED]->(d)
WITH s, d
WHERE s.revision < $revision
SET s.cursor = $cursor,
    s.status = $status,
    s.paused_reason = $paused_reason,
    s.revision = $revision,
    s.updated_at = d.at,
    s.last_delivery_at = d.at,
    s.last_http_status = d.http_status,
    s.last_error = d.error,
    s.retrying_position = null,
    s.failed_attempts = 0
RETURN d.key AS key
"""

# A failed attempt while retrying: shown on the subscription until the next delivery or state change.
NOTE_FAILED_ATTEMPT = """
MATCH (s:WebhookSubscription {id: $id})
SET s.last_error = $error,
    s.last_http_status = $http_status,
    s.retrying_position = $position,
    s.failed_attempts = $attempt
"""

DELETE_SUBSCRIPTION = """
MATCH (s:WebhookSubscription {id: $id})
OPTIONAL MATCH (s)-[:DELIVERED]->(d:WebhookDelivery)
DETACH DELETE s, d
"""

SUBSCRIPTIONS = """
MATCH (s:WebhookSubscription)
WHERE $owner IS NULL OR s.owner = $owner
RETURN s {.*} AS subscription
ORDER BY s.created_at DESC, s.id
LIMIT $limit
"""

SUBSCRIPTION = """
MATCH (s:WebhookSubscription {id: $id})
RETURN s {.*} AS subscription
"""

DELIVERIES = """
MATCH (:WebhookSubscription {id: $id})-[:DELIVERED]->(d:WebhookDelivery)
RETURN d {.*} AS delivery
ORDER BY d.seq DESC
LIMIT $limit
"""
