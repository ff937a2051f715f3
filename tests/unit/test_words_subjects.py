"""Subjects of real sentences of the demo (banso/demo/engagements.json) and the synthetic vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.words.subjects import subjects

DEMO = json.loads((Path(__file__).parents[2] / "banso/demo/engagements.json").read_text(encoding="utf-8"))
DEMO_TEXTS = {
    text
    for step in DEMO["steps"]
    for body in [step.get("body", {})]
    for text in [*body.get("challenges", []), *body.get("actions", []), body.get("description"), body.get("area")]
    if text
}
SYNTHETIC_TEXTS = {"港湾の利活用", "港湾を核とした企業誘致の方針を策定"}  # banso/synthetic/vocabulary.py


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "大船渡市の強み（大船渡港）を活かした産業振興・企業誘致等の方針を定め、具体的な取組を進めたい",
            ["企業", "大船渡", "振興", "港", "産業", "誘致"],
        ),
        ("子ども子育て環境の充実に資する取組", ["子供", "子育て", "環境"]),
        ("港湾の利活用", ["港湾"]),
        ("港湾を核とした企業誘致の方針を策定", ["企業", "港湾", "誘致"]),
        ("産業を支える人材育成に向けて市と市内高校との連携への支援を模索", ["人材", "産業", "育成", "高校"]),
        ("交流人口の拡大に関する取組", ["交流", "人口"]),
    ],
)
def test_subjects_of_demo_sentences(text: str, expected: list[str]) -> None:
    assert text in DEMO_TEXTS | SYNTHETIC_TEXTS
    assert subjects(text) == expected


def test_generic_words_are_left_out() -> None:
    found = {word for text in DEMO_TEXTS for word in subjects(text)}
    assert not found & {
        "推進",
        "支援",
        "検討",
        "取組",
        "実施",
        "関係",
        "連携",
        "拡大",
        "充実",
        "活用",
        "目的",
        "施策",
        "方針",
    }
    assert {"港", "大船渡", "子育て", "誘致", "被災", "森林", "観光"} <= found


def test_people_and_numbers_are_not_subjects() -> None:
    assert subjects("石川亨が令和8年度に3回訪問") == []


def test_subjects_are_sorted_unique_and_repeatable() -> None:
    for text in sorted(DEMO_TEXTS):
        first = subjects(text)
        assert first == sorted(set(first))
        assert first == subjects(text)


def test_shared_subjects_connect_two_records() -> None:
    ofunato = subjects(
        "市が強みと考える大船渡港を活かした「サーキュラーエコノミーポート」への選定等を目指した各種取組への支援"
    )
    synthetic = subjects("港湾施設の港の利活用")
    assert "港" in set(ofunato) & set(synthetic)
