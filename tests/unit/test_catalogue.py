"""The message catalogue is complete and in step with the code (what `scripts/messages check` runs).

Extraction runs Babel over the Python sources and the Jinja2 templates exactly as `scripts/messages`
does (services/i18n/babel.cfg and its keywords) into a temporary file; the committed .po files must hold
the same msgids, every Japanese entry translated, nothing fuzzy, and the placeholders kept.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from services.i18n.catalogue import LANGS, po_path

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
Key = tuple[str | None, str]


def _keys(catalog: Catalog) -> set[Key]:
    return {(m.context, str(m.id)) for m in catalog if m.id}


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[Key]:
    pot = tmp_path_factory.mktemp("messages") / "banso.pot"
    subprocess.run([str(ROOT / "scripts/messages"), "extract", str(pot)], cwd=ROOT, check=True)
    return _keys(_read(pot))


@pytest.mark.parametrize("lang", LANGS)
def test_the_committed_catalogue_holds_exactly_the_msgids_in_the_code(extracted: set[Key], lang: str) -> None:
    committed = _keys(_read(po_path(lang), lang))
    assert not extracted - committed, f"run scripts/messages update: new in the code: {sorted(extracted - committed)}"
    gone = sorted(committed - extracted)
    assert not gone, f"run scripts/messages update: gone from the code: {gone}"


def test_every_japanese_entry_is_translated_and_none_is_fuzzy() -> None:
    catalog = _read(po_path("ja"), "ja")
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"translate in services/i18n/locale/ja/LC_MESSAGES/banso.po: {untranslated}"
    assert not fuzzy, f"review the fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_use_only_the_placeholders_of_their_msgid(lang: str) -> None:
    for m in _read(po_path(lang), lang):
        if m.id and m.string:
            assert set(PLACEHOLDER.findall(str(m.string))) <= set(PLACEHOLDER.findall(str(m.id))), m.id
