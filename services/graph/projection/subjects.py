"""Subjects: what challenges, themes and outcomes are about, so that things sharing a subject connect.

`(:Challenge|Theme|Outcome)-[:ABOUT]->(:Subject {name})` for each subject word of the node's own text
(`services.words.subjects`: content nouns in normalised form, compounds split, generic words left out).
The words come from the event alone and the statements only MERGE, so projecting an event twice, or
replaying the log in a rebuild, draws the same edges. Challenges and themes are keyed by their text, so
their subjects are the same whichever event names them first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from schemas.events import KickoffHeld, MunicipalityApplied, OutcomeRecorded, Payload, SupportThemesChanged
from services.graph.projection import subject_queries as q
from services.graph.projection.statements import Statement, keys
from services.words.subjects import subjects


def about(names: Iterable[str]) -> list[dict[str, Any]]:
    """Each distinct name with its subject words, in the order first given (names without any are left out)."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in keys(names):  # the nodes' keys: the names as compared, as the projection MERGEs them
        if name in seen:
            continue
        seen.add(name)
        words = subjects(name)
        if words:
            rows.append({"name": name, "subjects": words})
    return rows


def statements(payload: Payload, base: dict[str, Any]) -> list[Statement]:
    """The ABOUT edges of the challenges, themes and outcome `payload` projects (after its own statements).

    An event of a kind that has them always gets its statements, even with nothing to link, so that
    consecutive events of one type keep one shape in a batched replay.
    """
    match payload:
        case MunicipalityApplied():
            return [
                Statement(q.CHALLENGE_SUBJECTS, {"about": about(payload.challenges)}),
                Statement(q.THEME_SUBJECTS, {"about": about(payload.desired_themes)}),
            ]
        case KickoffHeld() | SupportThemesChanged():
            return [Statement(q.THEME_SUBJECTS, {"about": about(payload.themes)})]
        case OutcomeRecorded():
            return [
                Statement(
                    q.OUTCOME_SUBJECTS, {"event_id": base["event_id"], "subjects": subjects(payload.description)}
                ),
                Statement(q.THEME_SUBJECTS, {"about": about([payload.theme] if payload.theme else [])}),
            ]
        case _:
            return []
