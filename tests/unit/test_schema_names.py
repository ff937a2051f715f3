"""apply_schema skips what exists by name: every schema statement must name what it creates, once."""

from __future__ import annotations

import pytest

from services.graph import schema_queries as q
from services.graph.schema import name_of
from services.graph.search import fulltext_queries as fulltext
from services.graph.store.access_log_queries import SCHEMA as ACCESS_LOG_SCHEMA

STATEMENTS = (*q.CONSTRAINTS, *q.INDEXES, *ACCESS_LOG_SCHEMA, fulltext.CREATE_INDEX)


def test_every_statement_is_named_and_names_are_unique() -> None:
    names = [name_of(s) for s in STATEMENTS]
    assert len(set(names)) == len(STATEMENTS)
    assert fulltext.INDEX_NAME in names


def test_the_name_is_the_word_after_the_kind() -> None:
    assert name_of("CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE") == "event_id"
    assert name_of("CREATE FULLTEXT INDEX evidence_text IF NOT EXISTS FOR (n:A) ON EACH [n.x]") == "evidence_text"


def test_an_unnamed_statement_is_refused() -> None:
    with pytest.raises(ValueError, match="without a name"):
        name_of("CREATE INDEX FOR (n:Event) ON (n.time)")
