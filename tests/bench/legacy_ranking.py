"""BASELINE, NOT THE PRODUCT: expertise search as it ranked before issue 14 (commit f8527d9), kept verbatim.

- words: NFKC + lower case, then the hand-written synonym groups of schemas/synonyms.json (8 groups, copied
  below as they were);
- full-text query: services/graph/search/fulltext.py's lucene_query as it was (copied below);
- ranking: the old statement (legacy_ranking_queries.EXPERTS): every team member gets all of the
  engagement's evidence alike, decayed from the day it was recorded.

Only the relevance benchmark and its test use it, to put the old ranking beside the current one on the same
graph. Do not edit it to follow the product: it is the measurement's fixed baseline.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import Enum

from neo4j import AsyncDriver, RoutingControl

from schemas.text import nfkc
from tests.bench import legacy_ranking_queries as q

INDEX_NAME = "evidence_text"
MAX_INDEX_HITS = 2000
MAX_EVIDENCE_PER_EXPERT = 20

# schemas/synonyms.json at f8527d9 ("Banso editorial list"), verbatim.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("港", "港湾", "ポート", "port", "harbour", "harbor", "seaport"),
    ("観光", "tourism", "dmo"),
    ("子育て", "子ども", "childcare", "child-rearing", "parenting"),
    ("森林", "林業", "木材", "被災木", "timber", "forest", "forestry"),
    ("防災", "災害", "復興", "震災", "火災", "disaster", "recovery"),
    ("産業振興", "企業誘致", "industry", "industrial promotion", "company attraction"),
    ("環境", "サーキュラーエコノミー", "circular economy", "environment"),
    ("農林水産業", "農業", "漁業", "水産", "agriculture", "fisheries"),
)


def normalise(text: str) -> str:
    """The old schemas/search_terms.normalise."""
    return nfkc(text).lower()


def expand(query: str) -> list[str]:
    """The old schemas/search_terms.expand: the query's words plus every synonym of each, sorted."""
    groups = tuple(frozenset(normalise(w) for w in group) for group in SYNONYM_GROUPS)
    words = {w for w in normalise(query).split() if w}
    terms = set(words)
    for word in words:
        for group in groups:
            if word in group:
                terms |= group
    return sorted(terms)


class Script(Enum):
    """How a character is matched (old fulltext.py)."""

    IDEOGRAPHIC = "ideographic"
    KATAKANA = "katakana"
    WORD = "word"
    SEPARATOR = "separator"


def script_of(char: str) -> Script:
    """The class of one (normalised) character (old fulltext.py)."""
    code = ord(char)
    if 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return Script.KATAKANA
    if 0x3040 <= code <= 0x309F or 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return Script.IDEOGRAPHIC
    if 0x20000 <= code <= 0x2FA1F or char in "々〆ヶ":
        return Script.IDEOGRAPHIC
    if unicodedata.category(char)[0] in "LN":
        return Script.WORD
    return Script.SEPARATOR


def runs(term: str) -> list[tuple[Script, str]]:
    """`term` cut into runs of one script (old fulltext.py)."""
    out: list[tuple[Script, str]] = []
    for char in normalise(term):
        script = script_of(char)
        if script is Script.SEPARATOR:
            out.append((Script.SEPARATOR, ""))
        elif out and out[-1][0] is script:
            out[-1] = (script, out[-1][1] + char)
        else:
            out.append((script, char))
    return [(s, text) for s, text in out if s is not Script.SEPARATOR]


def _clause(script: Script, text: str) -> str:
    if script is Script.IDEOGRAPHIC:
        return '"' + " ".join(text) + '"'
    if script is Script.KATAKANA:
        return f"*{text}*"
    return f'"{text}"'


def lucene_query(terms: list[str]) -> str | None:
    """The old lucene_query: any of `terms`, each term all of its runs."""
    clauses = []
    for term in terms:
        parts = [_clause(script, text) for script, text in runs(term)]
        if parts:
            clauses.append(parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")")
    unique = sorted(set(clauses))
    return " OR ".join(unique) if unique else None


class LegacyExpertSearch:
    """The old ranking over today's graph: official ids, best first."""

    def __init__(self, driver: AsyncDriver, database: str, half_life_days: float) -> None:
        self._driver = driver
        self._database = database
        self._half_life_days = half_life_days

    async def ranked(self, query: str, *, limit: int = 20, today: date | None = None) -> list[str]:
        """The official ids the old search listed for `query`, in its order."""
        lucene = lucene_query(expand(query))
        if lucene is None:
            return []
        params = {
            "index": INDEX_NAME,
            "lucene": lucene,
            "hits": MAX_INDEX_HITS,
            "period": None,
            "today": (today or date.today()).isoformat(),
            "half_life": float(self._half_life_days),
            "per_expert": MAX_EVIDENCE_PER_EXPERT,
            "ministry": None,
            "seniority": None,
            "availability": None,
            "limit": limit,
        }
        records, _, _ = await self._driver.execute_query(
            q.EXPERTS, params, database_=self._database, routing_=RoutingControl.READ
        )
        return [str(r["official_id"]) for r in records]
