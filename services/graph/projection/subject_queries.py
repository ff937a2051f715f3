"""Cypher for subjects: what a challenge, a theme or an outcome is about, one `Subject` per subject word.

Each statement takes the node's key and the subject words of its own text (computed from the event alone),
and only MERGEs, so it is idempotent and a rebuild draws the same edges in any order.
"""

# $about: [{name, subjects}] — a challenge per row, keyed by its text.
CHALLENGE_SUBJECTS = """
UNWIND $about AS item
MATCH (c:Challenge {name: item.name})
UNWIND item.subjects AS word
MERGE (s:Subject {name: word})
MERGE (c)-[:ABOUT]->(s)
"""

# $about: [{name, subjects}] — a theme per row, keyed by its name.
THEME_SUBJECTS = """
UNWIND $about AS item
MATCH (t:Theme {name: item.name})
UNWIND item.subjects AS word
MERGE (s:Subject {name: word})
MERGE (t)-[:ABOUT]->(s)
"""

# $subjects: the subject words of the outcome's description.
OUTCOME_SUBJECTS = """
MATCH (o:Outcome {id: $event_id})
UNWIND $subjects AS word
MERGE (s:Subject {name: word})
MERGE (o)-[:ABOUT]->(s)
"""
