"""The one-page report folded from the 大船渡 demo's events, without servers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import TypeAdapter

from banso.demo.load import demo_steps
from schemas.envelope import GENESIS_HASH, EventEnvelope
from schemas.events import (
    ActivityPayload,
    KickoffHeld,
    MemberLeft,
    MunicipalityApplied,
    OutcomeRecorded,
    Payload,
    SupportFlowRecorded,
    TeamAssigned,
)
from services.workflow.engagement.report import build_report

PAYLOADS: dict[str, TypeAdapter[Any]] = {
    "applications": TypeAdapter(MunicipalityApplied),
    "team": TypeAdapter(TeamAssigned),
    "kickoff": TypeAdapter(KickoffHeld),
    "support-flows": TypeAdapter(SupportFlowRecorded),
    "activities": TypeAdapter(ActivityPayload),
    "outcomes": TypeAdapter(OutcomeRecorded),
}
ENGAGEMENT = "engagement-2-032034"


def envelopes(payloads: Sequence[Payload]) -> list[EventEnvelope]:
    out: list[EventEnvelope] = []
    for n, p in enumerate(payloads, 1):
        out.append(
            EventEnvelope(
                id=str(uuid.uuid4()),
                type=type(p).__name__,
                subject=ENGAGEMENT,
                sequence=n,
                time="2026-05-15T00:00:00.000000Z",
                actor="demo-loader",
                schema_version=p.stored_version,
                data=p.stored_form(),
                prev_hash=out[-1].hash if out else GENESIS_HASH,
            ).sealed()
        )
    return out


def ofunato() -> list[Payload]:
    steps = [s for s in demo_steps() if "032034" in s["path"] or s["body"].get("municipality_code") == "032034"]
    return [PAYLOADS[s["path"].rsplit("/", 1)[1]].validate_python(s["body"]) for s in steps]


def test_the_demo_folds_into_the_seed_report() -> None:
    r = build_report(ENGAGEMENT, envelopes(ofunato()))
    assert r.title == "サーキュラーエコノミーポートを目指した産業振興と子育てにやさしい三陸の賑わい拠点へ"
    assert r.themes == ["産業振興", "子育て支援", "環境"]
    assert r.population == 31294
    assert r.population_as_of == "令和8年2月末時点"
    assert r.nendo == "令和7年度"
    assert (r.site_visits.count, r.site_visits.dates) == (5, "5/29-30、8/1-3、11/25-26、R8 2/19-20、5/14-15")
    assert (r.company_visits.count, r.company_visits.visits) == (8, 4)
    assert r.company_visits.dates == "7/15-16、R8 1/29、2/10、3/11"
    assert r.online_meetings.count == 16
    assert [f"{o.mark}{o.name} {o.post_line}" for o in r.officials] == [
        "①石川 亨 国土交通省水管理・国土保全局総務課長",
        "②白水 伸英 内閣官房内閣人事局参事官",
        "③古田 匠 文部科学省大臣官房文教施設企画・防災部計画課専門官",
    ]
    assert r.officials[1].seconded_from == "総務省"
    assert [f.area for f in r.flows] == [
        "産業振興・企業誘致等の取組",
        "子ども子育て環境の充実に資する取組",
        "交流人口の拡大に関する取組",
    ]
    assert list(r.outcomes) == ["産業振興", "子育て", "交流人口の拡大"]  # the seed's 【】, in its order
    assert r.challenge_heading == "全国的な人口減少と大規模林野火災"
    bodies = {body for p in r.partners for body in p.body.split("・")}
    assert bodies >= {"東北地方整備局", "岩手県農林水産部", "内閣官房"}


def test_outcomes_fold_under_the_seeds_headings() -> None:
    """成果・展望 as the seed prints it: 【group】, then each ○ heading once with its outcomes below."""
    r = build_report(ENGAGEMENT, envelopes(ofunato()))
    runs = {group: [(h, len(items)) for h, items in r.outcome_runs(group)] for group in r.outcomes}
    assert runs == {
        "産業振興": [
            ("サーキュラーエコノミーポートへの選定", 1),
            ("関連する企業の誘致・指針の策定・人材育成への支援", 3),
        ],
        "子育て": [("企業誘致に向けた条例の改正", 1), ("令和8年度中の企業誘致と建設時の被災木の利用等", 2)],
        "交流人口の拡大": [
            ("地域経済の活性化に資する多目的広場の整備に向けた支援", 1),
            ("地域資源の観光活用に向けた検討", 1),
        ],
    }
    assert r.outcomes["交流人口の拡大"][0].description == (
        "多目的広場を拠点とした交流人口の拡大のため、地域未来交付金の申請を支援"
    )


def outcome(description: str, **fields: Any) -> OutcomeRecorded:
    return OutcomeRecorded.model_validate({"kind": "other", "status": "achieved", "description": description, **fields})


def test_a_heading_recorded_later_joins_its_first_outcome() -> None:
    """Outcomes are recorded as they come; the report keeps each ○ heading's outcomes together."""
    payloads = [
        outcome("A1", theme="産業振興", heading="A"),
        outcome("B1", theme="産業振興", heading="B"),
        outcome("none", theme="産業振興"),
        outcome("A2", theme="産業振興", heading="A"),
        outcome("other group", group="交流人口の拡大", theme="産業振興", heading="A"),
    ]
    r = build_report(ENGAGEMENT, envelopes(payloads))
    assert [o.description for o in r.outcomes["産業振興"]] == ["A1", "A2", "B1", "none"]
    assert [h for h, _ in r.outcome_runs("産業振興")] == ["A", "B", None]
    assert [o.description for o in r.outcomes["交流人口の拡大"]] == ["other group"]  # group wins over theme


def test_an_outcome_recorded_before_v4_keeps_its_old_grouping() -> None:
    """v3 events had no group: the theme, else the text before a colon, else その他; no ○ heading."""
    stored = {"schema_version": 3, "kind": "other", "status": "achieved", "contributor_ids": [], "achieved_on": None}
    payloads = [
        OutcomeRecorded.model_validate({**stored, "description": "交流人口の拡大: 地域未来交付金の申請を支援"}),
        OutcomeRecorded.model_validate({**stored, "description": "指針を策定", "theme": "産業振興"}),
        OutcomeRecorded.model_validate({**stored, "description": "高校との連携"}),
    ]
    r = build_report(ENGAGEMENT, envelopes(payloads))
    assert {g: [(o.heading, o.description) for o in items] for g, items in r.outcomes.items()} == {
        "交流人口の拡大": [(None, "地域未来交付金の申請を支援")],
        "産業振興": [(None, "指針を策定")],
        "その他": [(None, "高校との連携")],
    }


def test_related_bodies_name_what_was_done_not_the_outcome_sentence_again() -> None:
    """関係機関との連携 names each body with the ○ heading it worked on; the sentences stay in 成果・展望."""
    r = build_report(ENGAGEMENT, envelopes(ofunato()))
    sentences = {o.description for items in r.outcomes.values() for o in items}
    assert [f"{p.mark}{p.body}：{p.what}" for p in r.partners] == [
        "①東北地方整備局・国土交通省：サーキュラーエコノミーポートへの選定",
        "②岩手県農林水産部：令和8年度中の企業誘致と建設時の被災木の利用等",
        "③内閣官房：地域経済の活性化に資する多目的広場の整備に向けた支援",
        "④観光庁：地域資源の観光活用に向けた検討",
    ]
    assert not any(p.what in sentences for p in r.partners)


def test_without_a_heading_a_body_is_named_with_the_programme() -> None:
    related = [{"kind": "ministry", "name": "内閣官房"}, {"kind": "funding_program", "name": "地域未来交付金"}]
    r = build_report(ENGAGEMENT, envelopes([outcome("多目的広場の交付金申請を支援", related=related)]))
    assert [(p.body, p.what) for p in r.partners] == [("内閣官房", "地域未来交付金")]


def test_the_report_is_dated_when_generated_in_wareki_with_its_nendo() -> None:
    r = build_report(ENGAGEMENT, envelopes(ofunato()), generated_on=date(2026, 11, 30))
    assert r.generated_text("ja") == "令和8年11月30日"
    assert r.generated_text("en") == "30 Nov 2026"
    assert (r.nendo, r.fiscal_year) == ("令和7年度", 2025)
    assert build_report(ENGAGEMENT, []).generated_on is not None  # today (JST) when not given


def test_a_member_who_left_is_not_on_the_report() -> None:
    payloads = ofunato()
    team = next(p for p in payloads if isinstance(p, TeamAssigned))
    left = MemberLeft(official_id=team.officials[0].official_id, left_on="2025-10-01", reason="transfer")
    r = build_report(ENGAGEMENT, envelopes([*payloads, left]))
    assert [o.name for o in r.officials] == ["白水 伸英", "古田 匠"]
    assert [o.mark for o in r.officials] == ["①", "②"]
