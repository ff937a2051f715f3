"""有識者検索's filters from the query string: usable values pass, the others are named in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta

from schemas.api_views import Availability, ExpertResults
from schemas.search_terms import SearchTerm, TermSource
from schemas.seniority import Seniority
from services.api.web.experts_page import read_filters, term_groups

MINISTRIES = ["国土交通省", "内閣官房"]


def test_every_filter_of_the_api_is_read() -> None:
    found = read_filters(
        {
            "ministry": "国土交通省",
            "period": "8",
            "availability": "free",
            "seniority": "senior",
            "as_of": "2025-04-01",
            "limit": "50",
        },
        MINISTRIES,
        "ja",
    )
    assert found.errors == {}
    assert found.narrowed
    assert found.search_args() == {
        "limit": 50,
        "ministry": "国土交通省",
        "period": 8,
        "availability": Availability.FREE,
        "seniority": Seniority.SENIOR.value,
        "as_of": date(2025, 4, 1),
    }


def test_empty_values_mean_no_filter() -> None:
    found = read_filters({"ministry": "", "period": None, "as_of": " "}, MINISTRIES, "ja")
    assert found.errors == {}
    assert not found.narrowed
    assert found.search_args()["limit"] == 20


def test_values_the_form_could_not_send_are_named_in_the_readers_language() -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    bad = {"ministry": "存在しない省", "period": "abc", "availability": "busy", "seniority": "boss", "limit": "0"}
    ja = read_filters(bad | {"as_of": "2026-13-01"}, MINISTRIES, "ja")
    assert set(ja.errors) == {"ministry", "period", "availability", "seniority", "as_of", "limit"}
    assert ja.errors["period"] == "期は1〜99の数字で指定してください（「abc」は使えません）。"
    assert "日付として読めません" in ja.errors["as_of"]
    assert ja.period is None
    assert ja.as_of is None
    en = read_filters({"as_of": tomorrow, "period": "100"}, MINISTRIES, "en")
    assert en.errors["as_of"].startswith("The date must lie between")
    assert "1 to 99" in en.errors["period"]


def test_expansion_is_grouped_by_reason_in_the_searchs_order() -> None:
    expansion = [
        SearchTerm(term="港湾計画", source=TermSource.QUERY, origin="港湾計画"),
        SearchTerm(term="harbour", source=TermSource.QUERY, origin="harbour"),
        SearchTerm(term="港湾 計画", source=TermSource.COMPOUND, origin="港湾計画"),
        SearchTerm(term="港", source=TermSource.DOMAIN, origin="港湾計画"),
        SearchTerm(
            term="ハーバー",
            source=TermSource.DICTIONARY,
            origin="harbour",
            note="JMdict: ハーバー = harbor; harbour",
        ),
        SearchTerm(
            term="はーばー",
            source=TermSource.DICTIONARY,
            origin="harbour",
            note="JMdict: ハーバー = harbor; harbour",
        ),
        SearchTerm(term="海港", source=TermSource.DOMAIN, origin="港湾計画"),
    ]

    answer = ExpertResults(
        query="港湾計画 harbour",
        terms=[],
        expansion=expansion,
        half_life_days=730,
        personal_weight=1,
        team_weight=0.3,
        experts=[],
    )
    groups = term_groups(answer)
    assert [(g.source, g.origin, g.terms) for g in groups] == [
        ("query", "", ["港湾計画", "harbour"]),
        ("compound", "港湾計画", ["港湾 計画"]),
        ("domain", "港湾計画", ["港", "海港"]),
        ("dictionary", "harbour", ["ハーバー", "はーばー"]),
    ]
    assert groups[3].notes == ["ハーバー = harbor; harbour"]  # once for the entry, without the dictionary's name
    assert term_groups(None) == []
