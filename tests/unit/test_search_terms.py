"""Search terms: the shared normal form and the term model (the expansion is tested in test_words_expansion)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas.search_terms import SearchTerm, TermSource, normalise


def test_normal_form_is_nfkc_lower_case() -> None:
    assert normalise(" ＰＯＲＴ ") == "port"
    assert normalise("ｶﾝｺｳ") == "カンコウ"


def test_a_term_says_where_it_came_from_and_cannot_change() -> None:
    term = SearchTerm(term="港", source=TermSource.DICTIONARY, origin="port", note="JMdict: 港 = harbour")
    assert term.model_dump(mode="json") == {
        "term": "港",
        "source": "dictionary",
        "origin": "port",
        "note": "JMdict: 港 = harbour",
    }
    with pytest.raises(ValidationError):
        term.term = "津"  # type: ignore[misc]
