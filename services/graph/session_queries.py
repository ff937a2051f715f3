"""Cypher for the back office's server-side sessions (`:WebSession`, kept apart from the projection)."""

# A session is found by the SHA-256 of its cookie's id (the database never holds a usable id) and only
# while it is neither past its expiry nor idle too long; reading it does not extend it.
LOAD = """
MATCH (s:WebSession {id: $id})
WHERE s.expires > $now AND s.last_seen > $idle_since
RETURN s.data AS data, s.last_seen AS last_seen
"""

# Create or replace a session's data; `expires` is fixed when the session is created.
SAVE = """
MERGE (s:WebSession {id: $id})
ON CREATE SET s.created = $now, s.expires = $expires
SET s.data = $data, s.last_seen = $now
"""

TOUCH = """
MATCH (s:WebSession {id: $id})
SET s.last_seen = $now
"""

DELETE = """
MATCH (s:WebSession {id: $id})
DELETE s
"""

# Expired or idle sessions, removed a batch at a time.
PURGE = """
MATCH (s:WebSession)
WHERE s.expires <= $now OR s.last_seen <= $idle_since
WITH s LIMIT $batch
DELETE s
RETURN count(*) AS deleted
"""
