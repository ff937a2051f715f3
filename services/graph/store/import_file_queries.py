"""Cypher for uploaded import files, keyed by their SHA-256."""

SAVE_FILE = """
MERGE (f:ImportFile {sha256: $sha256})
ON CREATE SET f.name = $name, f.data = $data, f.size = $size, f.uploaded_at = datetime(), f.uploaded_by = $actor
"""

LOAD_FILE = """
MATCH (f:ImportFile {sha256: $sha256})
RETURN f.name AS name, f.data AS data
"""
