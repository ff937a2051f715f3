"""The answers a writer keeps: same key and body answered again, same key with another body refused."""

from __future__ import annotations

import pytest
from temporalio.exceptions import ApplicationError

from services.workflow.answers import Answers, body_fingerprint, command_id


def test_the_fingerprint_ignores_key_order_and_keeps_japanese() -> None:
    assert body_fingerprint({"a": 1, "b": "港"}) == body_fingerprint({"b": "港", "a": 1})
    assert body_fingerprint({"a": 1}) != body_fingerprint({"a": 2})


def test_the_same_key_and_body_is_answered_again() -> None:
    answers = Answers[str]({}, kept=10)
    cid = command_id("record_activity", "k1", {"kind": "online_meeting"})
    answers.remember(cid, "receipt-1")
    assert answers.answer(cid) == "receipt-1"
    assert answers.answer(command_id("record_activity", "k2", {"kind": "online_meeting"})) is None


def test_the_same_key_with_another_body_is_refused() -> None:
    answers = Answers[str]({}, kept=10)
    answers.remember(command_id("record_activity", "k1", {"kind": "online_meeting"}), "receipt-1")
    with pytest.raises(ApplicationError) as refused:
        answers.answer(command_id("record_activity", "k1", {"kind": "site_visit"}))
    assert refused.value.details[0]["code"] == "idempotency_key_reused"
    assert answers.answered(command_id("record_activity", "k1", {"kind": "site_visit"}))


def test_answers_recorded_before_fingerprints_are_found_by_key() -> None:
    answers = Answers[str]({"record_activity:k1": "old"}, kept=10)
    assert answers.answer(command_id("record_activity", "k1", {"kind": "online_meeting"})) == "old"


def test_the_oldest_answers_are_forgotten_beyond_the_limit() -> None:
    answers = Answers[str]({}, kept=2)
    ids = [command_id("c", f"k{i}", {}) for i in range(3)]
    for i, cid in enumerate(ids):
        answers.remember(cid, str(i))
    assert answers.answer(ids[0]) is None
    assert list(answers.carried()) == ids[1:]
