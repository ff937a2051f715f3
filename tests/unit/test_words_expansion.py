"""Query expansion from SudachiDict, JMdict and the programme's glossary (no servers)."""

from __future__ import annotations

import time

import pytest

from schemas.search_terms import SearchTerm, TermSource
from services.words.dictionary import english_for, japanese_for
from services.words.domain import groups, groups_mentioned
from services.words.expansion import _expand, expand_query, search_terms
from services.words.morphology import morphemes


def by_source(terms: list[SearchTerm], source: TermSource) -> set[str]:
    return {t.term for t in terms if t.source is source}


def test_port_reaches_japanese_harbours_but_not_the_suffix_tsu() -> None:
    terms = expand_query("port")
    assert terms[0] == SearchTerm(term="port", source=TermSource.QUERY, origin="port")
    assert {"港", "ポート"} <= {t.term for t in terms}
    assert "港" in by_source(terms, TermSource.DICTIONARY)
    assert "津" not in {t.term for t in terms}  # "harbour (suffix)": it would match 津波
    assert "津" not in {t.text for t in japanese_for("harbour")}


@pytest.mark.parametrize("word", ["harbour", "harbor", "Harbour", "ＨＡＲＢＯＲ"])
def test_both_spellings_of_harbour_reach_port_words(word: str) -> None:
    dictionary = by_source(expand_query(word), TermSource.DICTIONARY)
    assert dictionary & {"港湾", "港"}
    assert "津" not in dictionary


def test_a_compound_is_one_term_of_its_parts() -> None:
    terms = expand_query("港湾計画")
    compound = [t for t in terms if t.source is TermSource.COMPOUND]
    assert [t.term for t in compound] == ["港湾 計画"]
    assert compound[0].origin == "港湾計画"


def test_japanese_words_reach_english_records() -> None:
    english = by_source(expand_query("子育て"), TermSource.DICTIONARY)
    assert english & {"parenting", "child rearing", "child raising"}
    assert {"childcare", "child-rearing"} <= set(search_terms("子育て"))  # from the glossary


def test_childcare_reaches_kosodate_through_the_glossary() -> None:
    terms = expand_query("childcare")
    domain = [t for t in terms if t.source is TermSource.DOMAIN]
    assert "子育て" in {t.term for t in domain}
    assert all(t.note == "glossary: 子育て" for t in domain)
    assert "育児" in by_source(terms, TermSource.DICTIONARY)


def test_normalised_forms_are_searched_too() -> None:
    assert ("子供", TermSource.NORMALISED) in {(t.term, t.source) for t in expand_query("子ども")}


def test_an_english_phrase_is_translated_as_one() -> None:
    terms = expand_query("disaster prevention")
    assert "防災" in {t.term for t in terms if t.origin == "disaster prevention"}
    assert not [t for t in terms if t.origin == "prevention" and t.source is not TermSource.QUERY]


def test_unknown_words_stay_alone() -> None:
    assert expand_query("xyzzyplugh") == [SearchTerm(term="xyzzyplugh", source=TermSource.QUERY, origin="xyzzyplugh")]
    assert search_terms("   ") == []


def test_terms_that_would_match_everything_are_never_searched() -> None:
    terms = {t.term for t in expand_query("port and the の harbour")}
    assert not {"and", "the", "の"} & terms
    for term in terms:
        assert not (len(term) == 1 and "\u3040" <= term <= "\u30ff")


def test_expansion_is_deterministic_and_without_repeats() -> None:
    for query in ("port", "子育て 観光", "harbour tourism 港湾計画"):
        first = expand_query(query)
        assert first == expand_query(query)
        assert len({t.term for t in first}) == len(first)
        assert search_terms(query) == sorted({t.term for t in first})
        words = query.split()
        assert [t.term for t in first[: len(words)]] == words  # query words first


def test_every_term_says_where_it_came_from() -> None:
    for term in expand_query("harbour 子育て 港湾計画 tourism"):
        assert term.origin
        if term.source is not TermSource.QUERY:
            assert term.note


def test_the_glossary_is_data_of_the_programme() -> None:
    assert len(groups()) >= 40
    names = {g.name for g in groups()}
    assert {"港湾", "子育て", "企業誘致", "産業振興", "交流人口・関係人口", "地方創生", "観光", "防災", "DX"} <= names
    assert groups_mentioned("港湾の利活用") & groups_mentioned("港湾計画")
    assert groups_mentioned("子育て支援") & groups_mentioned("childcare")
    assert not groups_mentioned("dxf file")  # Latin terms match whole words


def test_lookups_are_fast_once_loaded() -> None:
    expand_query("warm up")  # the dictionaries load once (~50 ms for Sudachi)
    for cache in (japanese_for, english_for, _expand, morphemes):
        cache.cache_clear()
    timings = {}
    for word in ("port", "harbour", "港", "港湾計画", "子育て", "tourism", "forest", "school"):
        start = time.perf_counter()
        japanese_for(word) if word.isascii() else english_for(word)
        expand_query(word)
        timings[word] = (time.perf_counter() - start) * 1000
    print("uncached expansion:", {w: f"{ms:.2f} ms" for w, ms in timings.items()})
    assert all(ms < 500 for ms in timings.values())  # a gross regression only: the box is shared
