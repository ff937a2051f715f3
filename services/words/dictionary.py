"""JMdict (EDRDG, CC BY-SA) read straight from jamdict-data's SQLite file: English ↔ Japanese for search.

Precision over recall, since every translation is OR'ed into a full-text query:
- only senses used as nouns (not suffixes, prefixes, counters or expressions) and not archaic, obscure,
  slang or name-like senses: 津 "harbour (suffix)" must not come through, it would match 津波;
- common entries first (JMdict priority tags news1/ichi1/spec1/gai1, then the …2 tags); when some entry is
  common, uncommon ones are dropped;
- a single kanji only as the headword of a common noun (港), never a single kana;
- a capped number of terms per word, in a fixed order (priority, gloss position, sense, entry id).
The file is opened read-only; lookups are cached per word.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

# jamdict-data's prebuilt SQLite file (JMdict, JMnedict, KANJIDIC2); only the JMdict tables are read
DB_PATH = Path(str(resources.files("jamdict_data").joinpath("jamdict.db")))
MAX_JAPANESE_PER_WORD = 5
ENOUGH_COMMON = 3  # with this many common headwords, less common entries are left out
MAX_ENGLISH_PER_WORD = 3
MAX_GLOSS_WORDS = 3
MAX_GLOSS_POSITION = 3  # the English word must be one of a sense's first three glosses

PRIORITY_1 = frozenset({"news1", "ichi1", "spec1", "gai1"})
PRIORITY_2 = frozenset({"news2", "ichi2", "spec2", "gai2"})
NOUN_POS = frozenset(
    {
        "noun (common) (futsuumeishi)",
        "noun or participle which takes the aux. verb suru",
        "nouns which may take the genitive case particle 'no'",
        "adjectival nouns or quasi-adjectives (keiyodoshi)",
    }
)
AFFIX_POS = frozenset({"suffix", "prefix", "noun, used as a suffix", "noun, used as a prefix", "counter"})
UNWANTED_MISC = frozenset(
    {
        "archaism",
        "obscure term",
        "obsolete term",
        "rare",
        "dated term",
        "historical term",
        "slang",
        "Internet slang",
        "manga slang",
        "derogatory",
        "vulgar expression or word",
        "jocular, humorous term",
        "children's language",
        "sensitive",
        "place name",
        "full name of a particular person",
        "work of art, literature, music, etc. name",
    }
)
USUALLY_KANA = "word usually written using kana alone"
IRREGULAR_KANJI = frozenset(
    {"word containing irregular kanji usage", "word containing out-dated kanji", "irregular okurigana usage"}
)

_lock = threading.Lock()
_connection: list[sqlite3.Connection] = []


@dataclass(frozen=True)
class Translation:
    """A word in the other language and the sense it came from (its glosses, joined)."""

    text: str
    gloss: str


@dataclass(frozen=True)
class _Sense:
    sid: int
    idseq: int
    index: int  # position in its entry
    pos: frozenset[str]
    misc: frozenset[str]
    glosses: tuple[str, ...]

    @property
    def is_plain_noun(self) -> bool:
        return bool(self.pos & NOUN_POS) and not self.pos & AFFIX_POS and not self.misc & UNWANTED_MISC


@dataclass(frozen=True)
class _Form:
    text: str
    priority: int  # 1 common, 2 less common, 3 neither
    frequency: int  # news-corpus frequency band, 1 the most frequent, 99 unknown
    irregular: bool


def _query(sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
    with _lock:
        if not _connection:
            _connection.append(sqlite3.connect(f"{DB_PATH.as_uri()}?mode=ro", uri=True, check_same_thread=False))
        return list(_connection[0].execute(sql, params))


SEP = "\x1f"


def _marks(sql: str, ids: list[int]) -> str:
    return sql.replace("?*", ",".join("?" * len(ids)))


def _split(value: object) -> list[str]:
    return str(value).split(SEP) if value is not None else []


def _priority(tags: set[str]) -> int:
    return 1 if tags & PRIORITY_1 else 2 if tags & PRIORITY_2 else 3


def _frequency(tags: set[str]) -> int:
    """JMdict's news-corpus frequency band (nf01 the most frequent), 99 when the form has none."""
    bands = [int(t[2:]) for t in tags if t.startswith("nf") and t[2:].isdigit()]
    return min(bands, default=99)


_SENSES = f"""
SELECT s.ID, s.idseq,
  (SELECT group_concat(text, '{SEP}') FROM pos WHERE sid = s.ID),
  (SELECT group_concat(text, '{SEP}') FROM misc WHERE sid = s.ID),
  (SELECT group_concat(text, '{SEP}') FROM (SELECT text FROM SenseGloss WHERE sid = s.ID ORDER BY rowid))
FROM Sense s WHERE s.idseq IN (?*) ORDER BY s.idseq, s.ID
"""  # noqa: S608 (only constants are interpolated)

_FORMS = {
    table: f"""
SELECT f.idseq, f.text,
  (SELECT group_concat(text, '{SEP}') FROM {pri} WHERE kid = f.ID),
  (SELECT group_concat(text, '{SEP}') FROM {info} WHERE kid = f.ID)
FROM {table} f WHERE f.idseq IN (?*) ORDER BY f.ID
"""  # noqa: S608 (table names are constants)
    for table, pri, info in (("Kanji", "KJP", "KJI"), ("Kana", "KNP", "KNI"))
}


def _senses(idseqs: list[int]) -> list[_Sense]:
    """Every sense of the entries, with parts of speech carried forward as JMdict states (a sense without
    its own part of speech has the previous sense's)."""
    if not idseqs:
        return []
    out: list[_Sense] = []
    previous: tuple[int, frozenset[str]] = (-1, frozenset())
    index = 0
    for sid, idseq_raw, pos, misc, glosses in _query(_marks(_SENSES, idseqs), (*idseqs,)):
        idseq = int(str(idseq_raw))
        index = index + 1 if previous[0] == idseq else 0
        own = frozenset(_split(pos))
        carried = own or (previous[1] if previous[0] == idseq else frozenset())
        previous = (idseq, carried)
        out.append(_Sense(int(str(sid)), idseq, index, carried, frozenset(_split(misc)), tuple(_split(glosses))))
    return out


def _forms(idseqs: list[int]) -> dict[int, tuple[list[_Form], list[_Form]]]:
    """Kanji and kana forms of each entry, in dictionary order, with their priority and frequency band."""
    out: dict[int, tuple[list[_Form], list[_Form]]] = {i: ([], []) for i in idseqs}
    if not idseqs:
        return out
    for position, table in enumerate(("Kanji", "Kana")):
        for idseq, text, tags_raw, info in _query(_marks(_FORMS[table], idseqs), (*idseqs,)):
            tags = set(_split(tags_raw))
            irregular = bool(set(_split(info)) & IRREGULAR_KANJI)
            out[int(str(idseq))][position].append(_Form(str(text), _priority(tags), _frequency(tags), irregular))
    return out


def _is_kana(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff"


def _headwords(kanji: list[_Form], kana: list[_Form], sense: _Sense) -> list[str]:
    """The written forms worth searching: common kanji forms (or the first), kana when usually written so."""
    regular = [f for f in kanji if not f.irregular]
    chosen = [f.text for f in regular if f.priority < 3] or [f.text for f in regular[:1]]
    if not kanji or USUALLY_KANA in sense.misc:
        chosen += [f.text for f in kana if f.priority < 3] or [f.text for f in kana[:1]]
    return list(dict.fromkeys(chosen))


@lru_cache(maxsize=8192)
def japanese_for(english: str) -> tuple[Translation, ...]:
    """Japanese headwords of the noun senses glossed exactly `english` (port → ポート, 港, 海港)."""
    word = english.strip().lower()
    if not word:
        return ()
    hits = _query("SELECT s.ID, s.idseq FROM SenseGloss g JOIN Sense s ON s.ID = g.sid WHERE g.text = ?", (word,))
    hit_sids = {int(str(sid)) for sid, _ in hits}
    idseqs = sorted({int(str(idseq)) for _, idseq in hits})
    if not idseqs:
        return ()
    forms = _forms(idseqs)
    candidates: list[tuple[tuple[int, int, int, int, int], str, str]] = []
    for sense in _senses(idseqs):
        if sense.sid not in hit_sids or not sense.is_plain_noun or word not in sense.glosses:
            continue
        gloss_at = sense.glosses.index(word)
        # the entry's main sense or the sense's first meaning, and among its first few glosses
        if gloss_at >= MAX_GLOSS_POSITION or (sense.index > 0 and gloss_at > 0):
            continue
        kanji, kana = forms[sense.idseq]
        priority = min((f.priority for f in [*kanji, *kana]), default=3)
        frequency = min((f.frequency for f in [*kanji, *kana]), default=99)
        for text in _headwords(kanji, kana, sense):
            if len(text) == 1 and (_is_kana(text) or priority > 1):
                continue
            key = (priority, frequency, gloss_at, sense.index, sense.idseq)
            candidates.append((key, text, "; ".join(sense.glosses)))
    out: dict[str, Translation] = {}
    for key, text, gloss in sorted(candidates):
        # common entries first; less common ones only while few common ones were found
        if (key[0] > 1 and len(out) >= ENOUGH_COMMON) or (key[0] == 3 and out):
            break
        out.setdefault(text, Translation(text, gloss))
    return tuple(out.values())[:MAX_JAPANESE_PER_WORD]


_PARENTHESES = re.compile(r"\([^)]*\)")


def _clean_gloss(gloss: str) -> str | None:
    """A gloss usable as a search term: parentheses out, lower case, at most a few words."""
    text = " ".join(_PARENTHESES.sub(" ", gloss).lower().split())
    if not text or len(text.split()) > MAX_GLOSS_WORDS or not any(c.isalpha() for c in text):
        return None
    return text


@lru_cache(maxsize=8192)
def english_for(japanese: str) -> tuple[Translation, ...]:
    """English glosses of the most common noun entry written `japanese` (港 → harbour, harbor, port)."""
    word = japanese.strip()
    if not word:
        return ()
    rows = _query("SELECT idseq FROM Kanji WHERE text = ? UNION SELECT idseq FROM Kana WHERE text = ?", (word, word))
    idseqs = sorted(int(str(r[0])) for r in rows)
    forms = _forms(idseqs)

    def entry_priority(idseq: int) -> int:
        kanji, kana = forms[idseq]
        written = [f for f in [*kanji, *kana] if f.text == word]
        return min((f.priority for f in written), default=3)

    senses = [s for s in _senses(idseqs) if s.is_plain_noun]
    if not senses:
        return ()
    best = min(senses, key=lambda s: (entry_priority(s.idseq), s.idseq, s.index))
    glosses = [g for g in (_clean_gloss(g) for g in best.glosses) if g]
    ordered = sorted(dict.fromkeys(glosses), key=lambda g: (len(g.split()), glosses.index(g)))
    note = "; ".join(best.glosses)
    return tuple(Translation(g, note) for g in ordered[:MAX_ENGLISH_PER_WORD])
