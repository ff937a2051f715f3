"""Search terms: the form text and queries are compared in, and one expanded term with where it came from.

The expansion itself (morphology, the bilingual dictionary, the programme's glossary) lives in services/words;
this module holds only what the API's views and every layer share (pure; no dictionaries loaded).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.text import nfkc


def normalise(text: str) -> str:
    """The form that text and queries are compared in."""
    return nfkc(text).lower()


class TermSource(StrEnum):
    """Why a term was searched."""

    QUERY = "query"  # a word of the query as typed (normalised)
    NORMALISED = "normalised"  # the morphological dictionary's normalised form of a query word (子ども → 子供)
    COMPOUND = "compound"  # a compound split into its parts, all of which must match (港湾計画 → 港湾 計画)
    DICTIONARY = "dictionary"  # a translation from the bilingual dictionary (port → 港)
    DOMAIN = "domain"  # a term of the programme's glossary group the query word belongs to


class SearchTerm(BaseModel):
    """One term searched for, and why."""

    model_config = ConfigDict(frozen=True)

    term: str = Field(description="the term searched; the parts of a compound are separated by a space")
    source: TermSource = Field(description="where the term came from")
    origin: str = Field(description="the query word (or words) it came from")
    note: str | None = Field(default=None, description="the dictionary's gloss or the glossary group")
