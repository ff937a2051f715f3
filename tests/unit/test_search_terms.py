"""Query expansion from the synonym data file."""

from __future__ import annotations

from schemas.search_terms import expand


def test_port_words_expand_to_each_other() -> None:
    for word in ("港湾", "port", "ＰＯＲＴ", "Harbour", "ポート"):
        assert {"港", "港湾", "ポート", "port", "harbour"} <= set(expand(word))


def test_unknown_words_stay_as_they_are() -> None:
    assert expand("宇宙開発") == ["宇宙開発"]


def test_blank_query_has_no_terms() -> None:
    assert expand("   ") == []
