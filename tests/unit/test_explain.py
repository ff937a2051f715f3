"""Paths in words and similarity reasons, without servers."""

from __future__ import annotations

from schemas.graph_views import SharedThing
from services.graph.search.explain import describe, explain_path
from services.graph.search.similarity import reason, similarity


def node(label: str, **props: object) -> dict[str, object]:
    return {"labels": [label], "props": props}


def test_team_mates_read_as_the_same_team() -> None:
    path = explain_path(
        [
            node("Official", id="a", name="石川 亨"),
            node("Team", id="t", name="国土交通省×文部科学省"),
            node("Official", id="b", name="古田 匠"),
        ],
        [{"type": "MEMBER_OF", "forward": True}, {"type": "MEMBER_OF", "forward": False}],
    )
    assert path.summary_ja == "石川 亨と古田 匠は同じチーム"
    assert path.steps[0].ja == "石川 亨はチーム（国土交通省×文部科学省）の一員"
    assert path.steps[1].en == "古田 匠 is a member of チーム（国土交通省×文部科学省）"


def test_a_shared_ministry_and_a_long_path_via_a_body() -> None:
    same = explain_path(
        [node("Official", name="A"), node("Ministry", name="財務省"), node("Official", name="B")],
        [{"type": "BELONGS_TO", "forward": True}, {"type": "BELONGS_TO", "forward": False}],
    )
    assert same.summary_en == "A and B are in the same ministry (財務省)"
    far = explain_path(
        [
            node("Official", name="A"),
            node("Team", name="t"),
            node("Engagement", id="e", municipality_name="大船渡市", period=2),
            node("Outcome", id="o", description="港の利活用"),
            node("RegionalBureau", name="東北地方整備局"),
        ],
        [
            {"type": "MEMBER_OF", "forward": True},
            {"type": "HAS_TEAM", "forward": False},
            {"type": "ACHIEVED", "forward": True},
            {"type": "INVOLVES", "forward": True},
        ],
    )
    assert far.summary_ja == "Aから東北地方整備局まで4段階（チーム（t）を経由）"
    assert far.steps[2].ja == "大船渡市の伴走支援（第2期）の成果「港の利活用」"


def test_activities_and_long_outcomes_are_named_for_people() -> None:
    assert (
        describe(["Activity"], {"id": "x", "kind": "site_visit", "start_date": "2025-06-01"}).name
        == "現地訪問（2025-06-01）"
    )
    long = describe(["Outcome"], {"id": "x", "description": "あ" * 60}).name
    assert len(long) == 40
    assert long.endswith("…")


def test_similarity_weights_challenges_over_prefectures() -> None:
    shared = [SharedThing(kind="challenge", name="人口減少"), SharedThing(kind="prefecture", name="岩手県")]
    assert similarity(shared) == 3.5
    ja, en = reason(shared)
    assert ja == "共通点 — 課題: 人口減少、都道府県: 岩手県"
    assert en == "shares — challenge: 人口減少; prefecture: 岩手県"
