"""The programme's own glossary (domain_terms.json) and Banso's word lists (word_lists.json): data, not code."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from schemas.search_terms import normalise

DOMAIN_TERMS_FILE = Path(__file__).with_name("domain_terms.json")
WORD_LISTS_FILE = Path(__file__).with_name("word_lists.json")


@dataclass(frozen=True)
class Group:
    """One glossary group: words an analyst accepts as one subject, in Japanese and English."""

    name: str
    terms: tuple[str, ...]


@lru_cache(maxsize=1)
def groups() -> tuple[Group, ...]:
    """The glossary's groups, terms normalised, in file order."""
    raw = json.loads(DOMAIN_TERMS_FILE.read_text(encoding="utf-8"))
    return tuple(Group(g["name"], tuple(dict.fromkeys(normalise(t) for t in g["terms"]))) for g in raw["groups"])


@lru_cache(maxsize=1)
def _by_term() -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, group in enumerate(groups()):
        for term in group.terms:
            index.setdefault(term, []).append(i)
    return {term: tuple(ids) for term, ids in index.items()}


def groups_of(word: str) -> tuple[Group, ...]:
    """The groups `word` (a whole term, normalised) belongs to."""
    return tuple(groups()[i] for i in _by_term().get(normalise(word), ()))


def _has_latin(term: str) -> bool:
    return any("a" <= c <= "z" for c in term)


@lru_cache(maxsize=1)
def _matchers() -> tuple[tuple[int, re.Pattern[str] | str], ...]:
    out: list[tuple[int, re.Pattern[str] | str]] = []
    for i, group in enumerate(groups()):
        for term in group.terms:
            # Latin terms match whole words (dx is not in "dxf"); Japanese ones anywhere (港湾 in 港湾計画)
            out.append((i, re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])") if _has_latin(term) else term))
    return tuple(out)


@lru_cache(maxsize=65_536)
def groups_mentioned(text: str) -> frozenset[int]:
    """Indexes of the groups some term of which `text` mentions (`text` normalised first)."""
    norm = normalise(text)
    return frozenset(i for i, m in _matchers() if (m in norm if isinstance(m, str) else m.search(norm) is not None))


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, frozenset[str]]:
    raw = json.loads(WORD_LISTS_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(normalise(w) for w in raw[key]) for key in raw if key != "source"}


def generic_subjects() -> frozenset[str]:
    """Words too general to be a subject (推進, 支援, 検討 …)."""
    return _word_lists()["generic_subjects"]


def single_kanji_subjects() -> frozenset[str]:
    """The single kanji that are subjects on their own (港, 森 …)."""
    return _word_lists()["single_kanji_subjects"]


def english_stop_words() -> frozenset[str]:
    """English words never searched on their own (the, of, and …)."""
    return _word_lists()["english_stop_words"]
