"""Paths in words and similarity reasons, without servers."""

from __future__ import annotations

from schemas.graph_views import SharedThing
from services.graph.search.connections import no_path_note, path_order
from services.graph.search.explain import describe, explain_path
from services.graph.search.similarity import reason, similarity
from services.i18n.catalogue import both


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


def about_path(left: tuple[str, dict[str, object]], right: tuple[str, dict[str, object]]) -> list[dict[str, object]]:
    """Engagement → left thing → subject 港湾 ← right thing ← engagement."""
    return [
        node("Engagement", id="engagement-2-032034", municipality_name="大船渡市", period=2),
        node(left[0], **left[1]),
        node("Subject", name="港湾"),
        node(right[0], **right[1]),
        node("Engagement", id="engagement-2-042021", municipality_name="石巻市", period=2),
    ]


ABOUT_RELS = [
    {"type": "FACES", "forward": True},
    {"type": "ABOUT", "forward": True},
    {"type": "ABOUT", "forward": False},
    {"type": "FACES", "forward": False},
]


def test_two_challenges_about_one_subject_read_as_the_same_challenge() -> None:
    path = explain_path(
        about_path(("Challenge", {"name": "港湾の活性化"}), ("Challenge", {"name": "港湾計画の見直し"})), ABOUT_RELS
    )
    assert path.length == 4
    assert [s.hops for s in path.steps] == [1, 2, 1]
    assert path.nodes[2].kind == "subject"
    assert path.steps[1].ja == "同じ課題：港湾（「港湾の活性化」と「港湾計画の見直し」）"
    assert path.steps[1].en == "Same subject of challenges: 港湾 (“港湾の活性化” and “港湾計画の見直し”)"
    assert path.summary_ja == "大船渡市の伴走支援（第2期）と石巻市の伴走支援（第2期）：同じ課題：港湾（4段階）"
    assert path.summary_en.endswith(": Same subject of challenges: 港湾 (4 steps)")


def test_a_subject_shared_by_different_kinds_names_both() -> None:
    rels = [*ABOUT_RELS[:3], {"type": "ACHIEVED", "forward": False}]
    path = explain_path(
        about_path(("Challenge", {"name": "港湾の活性化"}), ("Outcome", {"id": "o", "description": "港湾計画の策定"})),
        rels,
    )
    assert path.steps[1].ja.startswith("課題と成果に共通の主題：港湾（")
    assert path.steps[1].en.startswith("Same subject in a challenge and an outcome: 港湾 (")
    themes = explain_path(
        about_path(("Theme", {"name": "港湾"}), ("Theme", {"name": "港湾振興"})),
        [{"type": "HAS_THEME", "forward": True}, *ABOUT_RELS[1:3], {"type": "HAS_THEME", "forward": False}],
    )
    assert themes.steps[1].ja.startswith("同じテーマ：港湾（")


def test_a_subject_at_the_end_of_a_path_is_one_step_of_its_own() -> None:
    path = explain_path(
        [node("Challenge", name="港湾の活性化"), node("Subject", name="港湾")], [{"type": "ABOUT", "forward": True}]
    )
    assert [s.hops for s in path.steps] == [1]
    assert path.steps[0].ja == "「港湾の活性化」は主題「港湾」に関わる"
    assert path.steps[0].en == "“港湾の活性化” is about the subject 港湾"


def test_an_empty_answer_says_how_far_the_nearest_connection_is() -> None:
    assert both(no_path_note(4, 6)) == (
        "4 ホップ以内のつながりはありません。最短のつながりは 6 ホップです。",
        "No connection within 4 hops. The nearest is 6 hops away.",
    )
    assert both(no_path_note(4, None))[0] == "4 ホップ以内のつながりはありません。10 ホップ以内にもありません。"


def test_officials_who_attended_one_meeting_read_as_taking_part_and_a_team_comes_first() -> None:
    meeting = explain_path(
        [
            node("Official", id="a", name="石川 亨"),
            node("Activity", id="m", kind="online_meeting", start_date="2025-11-07"),
            node("Official", id="b", name="古田 匠"),
        ],
        [{"type": "TOOK_PART", "forward": True}, {"type": "TOOK_PART", "forward": False}],
    )
    assert meeting.steps[0].ja == "石川 亨はオンライン会議（2025-11-07）に参加"
    assert meeting.summary_ja == "石川 亨と古田 匠はどちらもオンライン会議（2025-11-07）に参加"
    team = explain_path(
        [
            node("Official", id="a", name="石川 亨"),
            node("Team", id="z", name="t"),
            node("Official", id="b", name="古田 匠"),
        ],
        [{"type": "MEMBER_OF", "forward": True}, {"type": "MEMBER_OF", "forward": False}],
    )
    assert sorted([meeting, team], key=path_order)[0] is team  # though its key "z" sorts after "m"
