"""Every file path the README and docs/ name exists, so a newcomer following them finds the file.

A path is a back-quoted word that starts with one of the project's folders (`services/…`) or ends
with a source file's extension (`period/rules.py`, relative to a package, counts when some tracked
file ends with it). Runtime paths under the data directory and URLs are not files of the project.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "services/graph/README.md"]
FOLDERS = ("services/", "schemas/", "banso/", "tests/", "scripts/", "deploy/", "docs/", ".ci/")
EXTENSIONS = (".py", ".json", ".md", ".toml", ".po", ".cfg", ".sh", ".j2", ".html", ".css")
QUOTED = re.compile(r"`([^`\s]+)`")


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def _paths(doc: Path) -> list[str]:
    found = []
    for word in QUOTED.findall(doc.read_text(encoding="utf-8")):
        word = word.split("::", 1)[0].rstrip(".,:;)")
        # URLs and the runtime data directory (`.banso/…`, made by `banso up`) are not project files.
        if any(ch in word for ch in "<>{}*?=$~") or word.startswith(("/", "http", ".banso/")):
            continue
        if word.startswith(FOLDERS) or (word.endswith(EXTENSIONS) and "/" in word):
            found.append(word)
    return found


def _exists(word: str, doc: Path, tracked: list[str]) -> bool:
    if (ROOT / word).exists() or (doc.parent / word).exists():
        return True
    word = word.rstrip("/")
    return any(t == word or t.endswith("/" + word) or t.startswith(word + "/") or f"/{word}/" in t for t in tracked)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_path_a_document_names_exists(doc: Path) -> None:
    tracked = _tracked()
    missing = [w for w in _paths(doc) if not _exists(w, doc, tracked)]
    assert not missing, f"{doc.relative_to(ROOT)} names paths that do not exist: {missing}"


def test_the_documents_link_nothing_outside_the_project() -> None:
    for doc in DOCS:
        assert "../shared" not in doc.read_text(encoding="utf-8"), doc
