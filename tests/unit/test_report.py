"""The one-page report folded from the 大船渡 demo's events, without servers."""

from __future__ import annotations

import uuid
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


def envelopes(payloads: list[Payload]) -> list[EventEnvelope]:
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
    assert list(r.outcomes) == ["産業振興", "子育て支援", "環境", "交流人口の拡大"]
    assert {p.body for p in r.partners} >= {"東北地方整備局", "岩手県農林水産部", "内閣官房"}


def test_a_member_who_left_is_not_on_the_report() -> None:
    payloads = ofunato()
    team = next(p for p in payloads if isinstance(p, TeamAssigned))
    left = MemberLeft(official_id=team.officials[0].official_id, left_on="2025-10-01", reason="transfer")
    r = build_report(ENGAGEMENT, envelopes([*payloads, left]))
    assert [o.name for o in r.officials] == ["白水 伸英", "古田 匠"]
    assert [o.mark for o in r.officials] == ["①", "②"]
