"""One convention for Cypher in services/graph: named constants (or builders) in `*queries.py` modules only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

GRAPH = Path(__file__).resolve().parents[2] / "services" / "graph"

# What a Cypher statement or fragment starts with; upper case, as the project writes its keywords.
CYPHER_START = re.compile(r"(OPTIONAL MATCH|MATCH|MERGE|CREATE|UNWIND|CALL|WITH|RETURN)\b")


def _literal_starts(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal's text, and the leading text of every f-string, with its line."""
    found: list[tuple[int, str]] = []
    inside_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside_fstrings.update(id(part) for part in node.values)
            first = node.values[0] if node.values else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstrings:
            found.append((node.lineno, node.value))
    return found


def cypher_outside_queries_modules() -> list[str]:
    """`path:line: text` for each Cypher-looking literal in a module whose name does not end in queries.py."""
    offences = []
    for path in sorted(GRAPH.rglob("*.py")):
        if path.name.endswith("queries.py"):
            continue
        for line, text in _literal_starts(ast.parse(path.read_text(encoding="utf-8"))):
            if CYPHER_START.match(text.strip()):
                offences.append(f"{path.relative_to(GRAPH.parents[1])}:{line}: {text.strip()[:60]!r}")
    return offences


def test_cypher_lives_only_in_queries_modules() -> None:
    offences = cypher_outside_queries_modules()
    assert not offences, "Cypher belongs in a *_queries.py module beside the code that runs it:\n" + "\n".join(offences)


def test_the_check_sees_plain_strings_and_fstrings() -> None:
    tree = ast.parse('A = """\nMATCH (n) RETURN n"""\nB = f"UNWIND $rows AS {x}"\nC = "Matches are made"\n')
    flagged = [text for _, text in _literal_starts(tree) if CYPHER_START.match(text.strip())]
    assert flagged == ["UNWIND $rows AS ", "\nMATCH (n) RETURN n"]
