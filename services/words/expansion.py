"""Query words → the terms searched, each with where it came from.

Per word of the query (NFKC, lower case, split on spaces):
- the word itself (QUERY);
- SudachiDict's normalised form when it differs (NORMALISED: 子ども → 子供, ｐｏｒｔ → ポート);
- a Japanese compound split into its parts, one term whose parts must all match (COMPOUND: 港湾 計画);
- JMdict translations (DICTIONARY): an English word → the Japanese headwords of its noun senses
  (port → 港, ポート), a Japanese word → the English glosses of its most common noun entry;
- the programme's glossary group the word belongs to (DOMAIN: childcare → 子育て, 子育て支援 …).
Runs of two or three English words the glossary or JMdict knows are translated as one (disaster prevention
→ 防災), and their words are then not translated on their own.
Every term is OR'ed into the full-text query, so terms that would match everything are never produced:
single kana, English stop words. The order is fixed (query words first), and a term appears once.
"""

from __future__ import annotations

from functools import lru_cache

from schemas.search_terms import SearchTerm, TermSource, normalise
from services.words.dictionary import english_for, japanese_for
from services.words.domain import english_stop_words, groups_of
from services.words.morphology import compound_parts, normalised_form

MAX_PHRASE_WORDS = 3


def _is_kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff"


def _is_latin(word: str) -> bool:
    return all(c.isascii() for c in word) and any(c.isalpha() for c in word)


def _is_japanese(word: str) -> bool:
    return any(_is_kana(c) or "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in word)


def searchable(term: str) -> bool:
    """A term worth OR-ing into a search: not blank, not one kana, not an English stop word."""
    if not any(c.isalnum() for c in term):
        return False
    if len(term) == 1 and _is_kana(term):
        return False
    return term not in english_stop_words()


def _known_phrase(phrase: str) -> bool:
    return bool(groups_of(phrase) or japanese_for(phrase))


def _phrases(words: list[str]) -> list[tuple[str, range]]:
    """Runs of two or three adjacent English words that the glossary or JMdict knows as one term (disaster
    prevention), longest first, not overlapping, with the positions of the words they cover."""
    out: list[tuple[str, range]] = []
    covered: set[int] = set()
    for size in range(MAX_PHRASE_WORDS, 1, -1):
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            run = words[start : start + size]
            if covered.isdisjoint(span) and all(_is_latin(w) for w in run) and _known_phrase(" ".join(run)):
                out.append((" ".join(run), span))
                covered.update(span)
    return sorted(out, key=lambda p: p[1].start)


@lru_cache(maxsize=4096)
def _expand(query: str) -> tuple[SearchTerm, ...]:
    words = [w for w in dict.fromkeys(normalise(query).split()) if searchable(w)]
    out: dict[str, SearchTerm] = {}

    def add(term: str, source: TermSource, origin: str, note: str | None = None) -> None:
        text = " ".join(normalise(term).split())
        if searchable(text) and text not in out:
            out[text] = SearchTerm(term=text, source=source, origin=origin, note=note)

    def translate_and_group(word: str, origin: str) -> None:
        if _is_latin(word):
            for t in japanese_for(word):
                add(t.text, TermSource.DICTIONARY, origin, f"JMdict: {t.text} = {t.gloss}")
        elif _is_japanese(word):
            for t in english_for(word):
                add(t.text, TermSource.DICTIONARY, origin, f"JMdict: {word} = {t.gloss}")
        for group in groups_of(word):
            for term in group.terms:
                add(term, TermSource.DOMAIN, origin, f"glossary: {group.name}")

    for word in words:
        add(word, TermSource.QUERY, word)
    phrases = _phrases(words)
    in_phrase = {i for _, span in phrases for i in span}
    for phrase, _ in phrases:
        translate_and_group(phrase, phrase)
    for position, word in enumerate(words):
        if position in in_phrase:  # translated as part of its phrase (prevention alone is not 防災)
            continue
        normalised = normalise(normalised_form(word))
        if normalised != word:
            add(normalised, TermSource.NORMALISED, word, "SudachiDict normalised form")
        if _is_japanese(word):
            parts = [p for p in compound_parts(word) if searchable(p)]
            if len(parts) >= 2:
                add(" ".join(parts), TermSource.COMPOUND, word, "SudachiDict split: " + "・".join(parts))
        translate_and_group(word, word)
        if normalised != word and not any(t.origin == word and t.source is TermSource.DICTIONARY for t in out.values()):
            translate_and_group(normalised, word)
    return tuple(out.values())


def expand_query(query: str) -> list[SearchTerm]:
    """The terms searched for `query`, each with its source, the word it came from and why (deterministic;
    query words first; each term once)."""
    return list(_expand(query))


def search_terms(query: str) -> list[str]:
    """The terms of `expand_query`, sorted and unique."""
    return sorted({t.term for t in _expand(query)})
