"""Cypher for the `evidence_text` full-text index: what it covers and how it analyses text."""

INDEX_NAME = "evidence_text"

# Labels and properties the index covers; every one is set by a projection statement.
INDEXED_LABELS = (
    "Engagement",
    "Theme",
    "Challenge",
    "Activity",
    "Outcome",
    "Introduction",
    "Bureau",
    "Ministry",
    "RegionalBureau",
    "PrefecturalDepartment",
    "Organization",
    "FundingProgram",
)
INDEXED_PROPERTIES = ("title", "name", "notes", "place", "description", "subject")

CREATE_INDEX = (
    f"CREATE FULLTEXT INDEX {INDEX_NAME} IF NOT EXISTS "
    f"FOR (n:{'|'.join(INDEXED_LABELS)}) ON EACH [{', '.join('n.' + p for p in INDEXED_PROPERTIES)}] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words', "
    "`fulltext.eventually_consistent`: false}}"
)

# The index as the database has it: when its labels or properties differ from the ones above (an older
# version of Banso created it), it is dropped and created again by start-up.
SHOW_INDEX = (
    "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties WHERE name = $name RETURN labelsOrTypes, properties"
)
DROP_INDEX = f"DROP INDEX {INDEX_NAME} IF EXISTS"
