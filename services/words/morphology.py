"""Japanese morphology with SudachiPy and the pinned SudachiDict core dictionary.

The dictionary (~200 MB) loads once, lazily, on first use (~50 ms); one tokenizer per split mode is shared
behind a lock, so callers on the event loop and in worker threads (activities, sync endpoints) may all use
it. Results are cached per text: the same text always gives the same morphemes, which the projection
relies on (subjects rebuilt from the log must come out identical).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sudachipy.sudachipy import Dictionary, SplitMode, Tokenizer

from schemas.search_terms import normalise

Mode = Literal["A", "C"]

FUNCTION_POS = frozenset({"助詞", "助動詞", "補助記号", "記号", "空白"})

_lock = threading.Lock()
_tokenizers: dict[Mode, Tokenizer] = {}
_dictionary: list[Dictionary] = []


@dataclass(frozen=True)
class Morpheme:
    """One morpheme: its text as written, its normalised form (both NFKC + lower case) and part of speech."""

    surface: str
    normalised: str
    pos: tuple[str, ...]

    @property
    def is_content(self) -> bool:
        """Not a particle, auxiliary, symbol or blank."""
        return self.pos[0] not in FUNCTION_POS


def _tokenizer(mode: Mode) -> Tokenizer:
    """The shared tokenizer for `mode`; call with `_lock` held."""
    if mode not in _tokenizers:
        if not _dictionary:
            _dictionary.append(Dictionary(dict="core"))
        _tokenizers[mode] = _dictionary[0].tokenizer(SplitMode.A if mode == "A" else SplitMode.C)
    return _tokenizers[mode]


@lru_cache(maxsize=32_768)
def morphemes(text: str, mode: Mode = "C") -> tuple[Morpheme, ...]:
    """`text` cut into morphemes: mode A gives the shortest units (港湾計画 → 港湾 / 計画), C the longest."""
    with _lock:
        tokens = [
            (m.surface(), m.normalized_form(), tuple(m.part_of_speech())) for m in _tokenizer(mode).tokenize(text)
        ]
    return tuple(
        Morpheme(surface=normalise(surface), normalised=normalise(form), pos=pos)
        for surface, form, pos in tokens
        if surface.strip()
    )


def normalised_form(word: str) -> str:
    """The dictionary's normalised spelling of `word` (子ども → 子供, ｐｏｒｔ → ポート), morpheme by morpheme."""
    return "".join(m.normalised for m in morphemes(word, "C")) or word


def compound_parts(word: str) -> tuple[str, ...]:
    """The content parts of `word` in the shortest split, as written (港湾計画 → 港湾, 計画)."""
    return tuple(m.surface for m in morphemes(word, "A") if m.is_content)
