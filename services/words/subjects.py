"""The subjects of a text: its content nouns in SudachiDict's normalised form, compounds split.

港湾計画の策定 → 港湾; 大船渡市の強み（大船渡港）を活かした産業振興・企業誘致 → 企業, 港, 産業, 大船渡, 振興, 誘致.
Common and proper nouns of the shortest split (mode A) count, except person names and numerals; words too
general to connect anything (推進, 支援, 検討 … in word_lists.json) and single characters are left out,
but for the few single kanji that are subjects on their own (港, 森 …). The same text always gives the
same subjects with the pinned dictionary, so the projection rebuilds them identically from the log.
"""

from __future__ import annotations

from functools import lru_cache

from services.words.domain import generic_subjects, single_kanji_subjects
from services.words.morphology import Morpheme, morphemes

NOUN_KINDS = frozenset({"普通名詞", "固有名詞"})
LEFT_OUT_PROPER = frozenset({"人名"})


def _is_subject(m: Morpheme) -> bool:
    word = m.normalised
    if word in generic_subjects() or not any(c.isalpha() for c in word):
        return False
    if len(word) == 1:
        # 大船渡港: Sudachi reads 港 as a suffix; a subject kanji counts whether noun or suffix
        return word in single_kanji_subjects() and m.pos[0] in {"名詞", "接尾辞"}
    if m.pos[0] != "名詞" or m.pos[1] not in NOUN_KINDS:
        return False
    return not (m.pos[1] == "固有名詞" and m.pos[2] in LEFT_OUT_PROPER)


@lru_cache(maxsize=65_536)
def _subjects(text: str) -> tuple[str, ...]:
    return tuple(sorted({m.normalised for m in morphemes(text, "A") if _is_subject(m)}))


def subjects(text: str) -> list[str]:
    """The subject words of `text`: sorted, unique, deterministic."""
    return list(_subjects(text))
