"""Japanese-aware full-text queries for the `evidence_text` index, built so no input can change their shape.

The index uses Lucene's `standard-no-stop-words` analyzer: its tokenizer (UAX #29) emits every kanji and
hiragana character as a token of its own and keeps katakana and Latin words whole. Queries follow that:
- a run of kanji/hiragana becomes a phrase of its characters, so a lone 港 matches 大船渡港 and 港湾局,
  and 港湾 matches only the two characters side by side;
- a run of katakana becomes `*run*`, so ポート matches inside サーキュラーエコノミーポート;
- a run of Latin letters or digits becomes an exact term.
Every other character (Lucene's operators, quotes, brackets, spaces) only separates runs and never
reaches the query text, so the query's structure is fixed by this module alone.

Text is stored as people typed it (schemas.text), and the analyzer lowercases but does not fold widths: a note
typed with 全角 ＡＩ or ３ holds the tokens ａｉ and ３, one with half-width ｻｰｷｭﾗｰ holds that. The query is
compared in the normal form (NFKC, lower case), and each Latin/digit or katakana run also asks for its
width variant (`"ai" OR "ａｉ"`, `*サーキュラー* OR *ｻｰｷｭﾗｰ*`), so what was typed either way is found by either.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

from schemas.search_terms import normalise


class Script(Enum):
    """How a character is matched."""

    IDEOGRAPHIC = "ideographic"  # kanji, hiragana, CJK marks: one token per character
    KATAKANA = "katakana"  # kept whole by the tokenizer: matched by a wildcard
    WORD = "word"  # Latin letters and digits: exact terms
    SEPARATOR = "separator"


def script_of(char: str) -> Script:
    """The class of one (normalised) character."""
    code = ord(char)
    if 0x30A0 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:  # katakana, ー, phonetic extensions
        return Script.KATAKANA
    if 0x3040 <= code <= 0x309F or 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return Script.IDEOGRAPHIC
    if 0x20000 <= code <= 0x2FA1F or char in "々〆ヶ":
        return Script.IDEOGRAPHIC
    if unicodedata.category(char)[0] in "LN":
        return Script.WORD
    return Script.SEPARATOR


def runs(term: str) -> list[tuple[Script, str]]:
    """`term` cut into runs of one script; separators are dropped."""
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


def _half_width_katakana() -> dict[str, str]:
    """Each full-width katakana (and ー, ゛-voiced forms) → its half-width spelling (ｶﾞ for ガ)."""
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        for spelling in (half, half + "\uff9e", half + "\uff9f"):
            full = unicodedata.normalize("NFKC", spelling)
            if len(full) == 1 and script_of(full) is Script.KATAKANA:
                table.setdefault(full, spelling)
    return table


_HALF_KATAKANA = _half_width_katakana()


def width_variant(script: Script, text: str) -> str | None:
    """`text` (normal form) as typed in the other width: full-width Latin and digits, half-width katakana."""
    if script is Script.WORD:
        other = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    elif script is Script.KATAKANA:
        other = "".join(_HALF_KATAKANA.get(c, c) for c in text)
    else:
        return None
    return other if other != text else None


def _one(script: Script, text: str) -> str:
    if script is Script.IDEOGRAPHIC:
        return '"' + " ".join(text) + '"'
    if script is Script.KATAKANA:
        return f"*{text}*"
    return f'"{text}"'


def _clause(script: Script, text: str) -> str:
    other = width_variant(script, text)
    if other is None:
        return _one(script, text)
    return f"({_one(script, text)} OR {_one(script, other)})"


def lucene_query(terms: list[str]) -> str | None:
    """One query matching any of `terms` (each term: all of its runs), or None when nothing is searchable."""
    clauses = []
    for term in terms:
        parts = [_clause(script, text) for script, text in runs(term)]
        if parts:
            clauses.append(parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")")
    unique = sorted(set(clauses))
    return " OR ".join(unique) if unique else None
