"""Query words → search terms: NFKC, lower case, and synonym expansion from a data file (pure; no graph).

Shared by the graph's full-text search and the matching optimiser, so both read words the same way.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from schemas.text import nfkc

SYNONYMS_FILE = Path(__file__).with_name("synonyms.json")


def normalise(text: str) -> str:
    """The form that text and queries are compared in."""
    return nfkc(text).lower()


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[frozenset[str], ...]:
    """The synonym groups from synonyms.json, normalised."""
    raw = json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))
    return tuple(frozenset(normalise(w) for w in group) for group in raw["groups"])


def expand(query: str) -> list[str]:
    """The words of `query` plus every synonym of each, deduplicated and sorted."""
    words = {w for w in normalise(query).split() if w}
    terms = set(words)
    for word in words:
        for group in synonym_groups():
            if word in group:
                terms |= group
    return sorted(terms)
