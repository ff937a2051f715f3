"""The Lucene query builder: Japanese runs, and no input that can change a query's shape."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from services.graph.search.fulltext import Script, lucene_query, runs


def test_a_lone_kanji_is_a_one_character_phrase() -> None:
    assert lucene_query(["港"]) == '"港"'


def test_kanji_and_hiragana_become_phrases_of_characters() -> None:
    assert lucene_query(["港湾"]) == '"港 湾"'
    assert lucene_query(["子育て"]) == '"子 育 て"'


def test_katakana_matches_inside_longer_words_typed_in_either_width() -> None:
    assert lucene_query(["ポート"]) == "(*ポート* OR *ﾎﾟｰﾄ*)"


def test_half_width_and_full_width_forms_are_folded_first_then_both_widths_are_asked_for() -> None:
    # text is stored as typed (the analyzer does not fold widths): the query finds either spelling
    assert lucene_query(["ﾎﾟｰﾄ"]) == "(*ポート* OR *ﾎﾟｰﾄ*)"
    assert lucene_query(["ＰＯＲＴ"]) == '("port" OR "ｐｏｒｔ")'
    assert lucene_query(["3社"]) == '(("3" OR "３") AND "社")'
    assert lucene_query(["ガバメント"]) == "(*ガバメント* OR *ｶﾞﾊﾞﾒﾝﾄ*)"


def test_brackets_typed_either_width_only_separate_runs() -> None:
    assert lucene_query(["大船渡（港）"]) == lucene_query(["大船渡(港)"]) == '("大 船 渡" AND "港")'


def test_mixed_terms_need_every_run_and_terms_are_alternatives() -> None:
    assert lucene_query(["DMO連携", "port"]) == '("port" OR "ｐｏｒｔ") OR (("dmo" OR "ｄｍｏ") AND "連 携")'


def test_operators_and_quotes_never_reach_the_query() -> None:
    hostile = 'a" OR *:* AND NOT (b) || c~2 ^3 \\ / [x TO y] {z}'
    query = lucene_query([hostile])
    assert query is not None
    assert ":" not in query
    assert "\\" not in query
    assert lucene_query(["***", '""', "()"]) is None


def test_runs_split_by_script() -> None:
    assert runs("大船渡港ポートcity") == [
        (Script.IDEOGRAPHIC, "大船渡港"),
        (Script.KATAKANA, "ポート"),
        (Script.WORD, "city"),
    ]


ATOM = r'("[^"*()]+"|\*[^"*() ]+\*)'
PART = rf"({ATOM}|\({ATOM} OR {ATOM}\))"
CLAUSE = rf"(\({PART}( AND {PART})+\)|{PART})"
QUERY = re.compile(rf"^{CLAUSE}( OR {CLAUSE})*$")


@given(st.lists(st.text(max_size=30), max_size=5))
def test_any_input_gives_only_clauses_of_the_fixed_shape(terms: list[str]) -> None:
    query = lucene_query(terms)
    if query is None:
        return
    assert QUERY.match(query), query
