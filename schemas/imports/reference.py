"""The reference data an import resolves names against: registered officials and listed municipalities."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.events import OfficialRef
from schemas.text import nfkc


@dataclass(frozen=True)
class ListedPlace:
    """A 市町村 of the national list."""

    code: str
    name: str
    prefecture: str


@dataclass
class ImportReference:
    """Officials by id and by name, municipalities by code and by name (names NFKC, spaces removed)."""

    officials: dict[str, OfficialRef] = field(default_factory=dict)
    municipalities: dict[str, ListedPlace] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._official_names: dict[str, list[str]] = {}
        for official in self.officials.values():
            self._official_names.setdefault(name_key(official.name), []).append(official.official_id)
        self._place_names: dict[str, list[str]] = {}
        for place in self.municipalities.values():
            self._place_names.setdefault(name_key(place.name), []).append(place.code)

    def officials_named(self, name: str) -> list[str]:
        """Ids of the officials with this name."""
        return self._official_names.get(name_key(name), [])

    def places_named(self, name: str) -> list[str]:
        """Codes of the municipalities with this name (府中市 is in 東京都 and 広島県)."""
        return self._place_names.get(name_key(name), [])


def name_key(name: str) -> str:
    """A name as compared: NFKC, without spaces (石川 亨 = 石川亨 = 石川　亨)."""
    return "".join(nfkc(name).split())
