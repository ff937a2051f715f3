"""The programme's paperwork in the graph: events appended through the real event store on real Neo4j are
projected as isolated nodes, read back by PaperworkReads, and rebuilt identically by `banso graph rebuild`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from neo4j import AsyncDriver

from schemas.envelope import GENESIS_HASH, EventEnvelope, format_time
from schemas.events import (
    AppointmentChanged,
    AppointmentEnded,
    AppointmentEndReason,
    AppointmentIssued,
    MemberLeft,
    MunicipalityApplied,
    OfficialRef,
    Payload,
    SiteVisitMade,
    TeamAssigned,
    TeamShare,
    TravelBudgetAllocated,
    TravelPlanned,
    TravelRatesDefined,
    TravelSettled,
    travel_key,
)
from schemas.events.engagement import LeaveReason
from services.graph.projection.plan import plan
from services.graph.reads.paperwork_reads import PaperworkReads
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.graph.store.rebuild import rebuild_projection
from services.settings import Settings
from tests.integration.graph_dump import graph_checksum

pytestmark = pytest.mark.servers

OFUNATO, RIKUZEN = "032034", "032107"
ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省", bureau="港湾局", post="課長補佐")
SHIROUZU = OfficialRef(name="白水 伸英", ministry="内閣官房", bureau="内閣人事局", post="参事官")
FURUTA = OfficialRef(name="古田 匠", ministry="総務省", post="係長")
YAMADA = OfficialRef(name="山田 花子", ministry="農林水産省", post="課長補佐")
PAPERWORK_LABELS = [
    "Appointment",
    "AppointmentTerm",
    "TravelLine",
    "TravelBudget",
    "TravelBudgetRevision",
    "TravelShare",
    "TravelRates",
]


class Log:
    """Appends payloads to their streams through the real event store, one second apart, chained by hash."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.heads: dict[str, EventEnvelope] = {}
        self.clock = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
        self.count = 0

    async def add(self, subject: str, payload: Payload) -> EventEnvelope:
        head = self.heads.get(subject)
        self.clock += timedelta(seconds=1)
        self.count += 1
        event = EventEnvelope(
            id=f"00000000-0000-4000-8000-{self.count:012d}",
            type=type(payload).__name__,
            subject=subject,
            sequence=(head.sequence if head else 0) + 1,
            time=format_time(self.clock),
            actor="user:kanri",
            schema_version=payload.stored_version,
            data=payload.stored_form(),
            prev_hash=head.hash if head else GENESIS_HASH,
        ).sealed()
        stored = await self.store.append(event)
        assert stored.created
        self.heads[subject] = event
        return event


def applied(period: int, code: str, name: str) -> MunicipalityApplied:
    return MunicipalityApplied(
        period=period,
        municipality_code=code,
        municipality_name=name,
        prefecture="岩手県",
        challenges=["人口減少"],
        applied_on=date(2025, 3, 1),
    )


async def record_paperwork(log: Log, period: int) -> dict[str, Any]:
    """Two teams of the period, a visit with travel planned, re-planned and settled, appointments issued,
    changed and ended, two budget allocations and a rate table."""
    ofunato, rikuzen, stream = f"engagement-{period}-{OFUNATO}", f"engagement-{period}-{RIKUZEN}", f"period-{period}"
    await log.add(ofunato, applied(period, OFUNATO, "大船渡市"))
    await log.add(rikuzen, applied(period, RIKUZEN, "陸前高田市"))
    await log.add(ofunato, TeamAssigned(officials=[ISHIKAWA, SHIROUZU], assigned_on=date(2025, 4, 20)))
    await log.add(rikuzen, TeamAssigned(officials=[FURUTA, YAMADA], assigned_on=date(2025, 4, 20)))
    await log.add(
        "reference-travel-rates-r7",
        TravelRatesDefined(
            rates_id="r7",
            name="令和7年度 支援旅費 基準額 (仮定)",
            valid_from=date(2025, 4, 1),
            lodging_yen_per_night=10_900,
            daily_allowance_yen_per_day=2_200,
            source="テスト用の仮定",
        ),
    )
    await log.add(
        stream,
        TravelBudgetAllocated(
            amount_yen=1_000_000,
            allocated_on=date(2025, 4, 10),
            team_shares=[TeamShare(municipality_code=OFUNATO, amount_yen=300_000)],
        ),
    )
    await log.add(stream, AppointmentIssued(official=SHIROUZU, team_codes=[OFUNATO], appointed_on=date(2025, 4, 1)))
    await log.add(
        stream,
        AppointmentIssued(official=ISHIKAWA, team_codes=[OFUNATO], appointed_on=date(2025, 5, 1), notice="府人第12号"),
    )
    ids = [ISHIKAWA.official_id, SHIROUZU.official_id]
    visit = await log.add(
        ofunato, SiteVisitMade(start_date=date(2025, 5, 29), end_date=date(2025, 5, 30), participant_ids=ids)
    )
    trip: dict[str, Any] = {
        "visit_event_id": visit.id,
        "departs_on": date(2025, 5, 29),
        "returns_on": date(2025, 5, 30),
        "nights": 1,
        "origin": "東京",
        "rates_id": "r7",
        "lodging_yen": 10_900,
        "daily_allowance_yen": 4_400,
    }
    await log.add(
        ofunato,
        TravelPlanned(official_id=ISHIKAWA.official_id, planned_on=date(2025, 5, 20), transport_yen=30_000, **trip),
    )
    await log.add(
        ofunato,
        TravelPlanned(official_id=SHIROUZU.official_id, planned_on=date(2025, 5, 20), transport_yen=28_000, **trip),
    )
    # a re-plan replaces the plan; then it is settled
    await log.add(
        ofunato,
        TravelPlanned(official_id=ISHIKAWA.official_id, planned_on=date(2025, 5, 25), transport_yen=28_600, **trip),
    )
    settled = await log.add(
        ofunato,
        TravelSettled(
            visit_event_id=visit.id,
            official_id=ISHIKAWA.official_id,
            settled_on=date(2025, 6, 10),
            transport_yen=27_980,
            lodging_yen=10_900,
            daily_allowance_yen=4_400,
            note="早割",
        ),
    )
    await log.add(
        stream,
        AppointmentChanged(
            official_id=ISHIKAWA.official_id,
            team_codes=[OFUNATO, RIKUZEN],
            changed_on=date(2025, 7, 1),
            reason="陸前高田市のチームも担当",
        ),
    )
    await log.add(
        ofunato, MemberLeft(official_id=SHIROUZU.official_id, left_on=date(2025, 8, 1), reason=LeaveReason.TRANSFER)
    )
    ended = await log.add(
        stream,
        AppointmentEnded(
            official_id=SHIROUZU.official_id, ended_on=date(2025, 8, 1), reason=AppointmentEndReason.PERSONNEL_TRANSFER
        ),
    )
    # the budget is revised: the share of 大船渡 is no longer named, 陸前高田 gets one
    budget = await log.add(
        stream,
        TravelBudgetAllocated(
            amount_yen=800_000,
            allocated_on=date(2025, 9, 1),
            team_shares=[TeamShare(municipality_code=RIKUZEN, amount_yen=100_000)],
            reason="補正",
        ),
    )
    # 石川 leaves the 大船渡 appointment for a month, then takes it up again: a new term, keyed by its day
    await log.add(
        stream,
        AppointmentChanged(
            official_id=ISHIKAWA.official_id, team_codes=[RIKUZEN], changed_on=date(2025, 9, 1), reason="一時的に外れる"
        ),
    )
    changed = await log.add(
        stream,
        AppointmentChanged(
            official_id=ISHIKAWA.official_id,
            team_codes=[RIKUZEN, OFUNATO],
            changed_on=date(2025, 10, 1),
            reason="大船渡市に復帰",
        ),
    )
    return {"visit": visit, "ofunato": ofunato, "last": [changed, settled, ended, budget]}


async def test_paperwork_is_projected_read_back_and_rebuilt_identically(
    driver: AsyncDriver, clean: Settings, fresh_period: int
) -> None:
    period = fresh_period
    store = EventStore(driver, clean.neo4j_database, load_or_create_chain_key(clean))
    recorded = await record_paperwork(Log(store), period)
    visit, ofunato = recorded["visit"], recorded["ofunato"]
    reads = PaperworkReads(driver, clean.neo4j_database)

    # 併任
    appointments = {a.official_id: a for a in await reads.appointments(period)}
    assert set(appointments) == {ISHIKAWA.official_id, SHIROUZU.official_id}
    ishikawa = appointments[ISHIKAWA.official_id]
    assert (ishikawa.appointed_on, ishikawa.notice, ishikawa.ended_on) == (date(2025, 5, 1), "府人第12号", None)
    assert ishikawa.team_codes == [RIKUZEN, OFUNATO]
    assert [(t.municipality_code, t.municipality_name, t.from_date, t.to_date) for t in ishikawa.terms] == [
        (OFUNATO, "大船渡市", date(2025, 5, 1), date(2025, 9, 1)),
        (RIKUZEN, "陸前高田市", date(2025, 7, 1), None),
        (OFUNATO, "大船渡市", date(2025, 10, 1), None),
    ]
    terms, _, _ = await driver.execute_query(
        "MATCH (t:AppointmentTerm {appointment_event_id: $id}) RETURN t.key AS key ORDER BY key", id=ishikawa.event_id
    )
    assert [r["key"] for r in terms] == [
        f"{ishikawa.event_id}/{OFUNATO}",
        f"{ishikawa.event_id}/{OFUNATO}/2025-10-01",
        f"{ishikawa.event_id}/{RIKUZEN}",
    ]
    shirouzu = appointments[SHIROUZU.official_id]
    assert (shirouzu.ended_on, shirouzu.end_reason, shirouzu.team_codes) == (
        date(2025, 8, 1),
        "personnel_transfer",
        [],
    )
    assert [t.to_date for t in shirouzu.terms] == [date(2025, 8, 1)]
    assert await reads.appointment(period, ISHIKAWA.official_id) == ishikawa
    assert await reads.appointment(period, FURUTA.official_id) is None
    assert await reads.engagement_codes(period) == {OFUNATO: "大船渡市", RIKUZEN: "陸前高田市"}

    before_kickoff = await reads.appointment_gaps(period, date(2025, 4, 25))
    assert {(g.kind, g.official_id, g.reason) for g in before_kickoff} == {
        ("unappointed", ISHIKAWA.official_id, "before_appointment"),
        ("unappointed", FURUTA.official_id, "none"),
        ("unappointed", YAMADA.official_id, "none"),
    }
    summer = await reads.appointment_gaps(period, date(2025, 7, 15))
    assert {(g.kind, g.official_id, g.municipality_code, g.reason) for g in summer} == {
        ("not_on_team", ISHIKAWA.official_id, RIKUZEN, "none"),
        ("unappointed", FURUTA.official_id, RIKUZEN, "none"),
        ("unappointed", YAMADA.official_id, RIKUZEN, "none"),
    }
    assert next(g for g in summer if g.kind == "not_on_team").ministry == "国土交通省"
    september = await reads.appointment_gaps(period, date(2025, 9, 15))
    assert ("unappointed", ISHIKAWA.official_id, OFUNATO, "team_not_covered") in {
        (g.kind, g.official_id, g.municipality_code, g.reason) for g in september
    }

    roster = await reads.roster(period)
    # by ministry (in Unicode order: 内閣官房, 国土交通省, 総務省, 農林水産省)
    assert [r.name for r in roster] == ["白水 伸英", "石川 亨", "古田 匠", "山田 花子"]
    assert roster[1].teams == ["陸前高田市", "大船渡市"]
    assert (roster[0].ended_on, roster[0].team_codes) == (date(2025, 8, 1), [OFUNATO])
    assert roster[2].appointment_event_id is None
    assert [r.name for r in await reads.roster(period, date(2025, 9, 1))] == ["石川 亨", "古田 匠", "山田 花子"]

    # 支援旅費
    lines = await reads.travel_lines(period=period)
    assert lines == await reads.travel_lines(engagement_id=ofunato)
    assert [line.official_id for line in lines] == [SHIROUZU.official_id, ISHIKAWA.official_id]  # by name
    by_official = {line.official_id: line for line in lines}
    mine = by_official[ISHIKAWA.official_id]
    assert mine.key == travel_key(visit.id, ISHIKAWA.official_id)
    assert (mine.planned.transport_yen, mine.planned.total_yen, mine.planned_on) == (28_600, 43_900, date(2025, 5, 25))
    assert mine.settled is not None
    assert (mine.settled.total_yen, mine.settled_on, mine.note) == (43_280, date(2025, 6, 10), "早割")
    assert (mine.name, mine.ministry, mine.municipality_name) == ("石川 亨", "国土交通省", "大船渡市")
    assert (mine.visit_kind, mine.visit_date, mine.rates_id) == ("SiteVisitMade", date(2025, 5, 29), "r7")
    theirs = by_official[SHIROUZU.official_id]
    assert (theirs.ministry, theirs.settled, theirs.planned.total_yen) == ("内閣官房", None, 43_300)
    assert await reads.travel_lines(period=period + 1000) == []
    assert await reads.settled_total(period) == 43_280

    summary = await reads.travel_summary(period, today=date(2025, 10, 15))
    assert (summary.budget_yen, summary.allocated_on) == (800_000, date(2025, 9, 1))
    assert [(t.key, t.share_yen, t.committed_yen, t.left_yen) for t in summary.teams] == [
        (OFUNATO, 700_000, 43_280 + 43_300, 700_000 - 86_580),
        (RIKUZEN, 100_000, 0, 100_000),
    ]
    assert (summary.total.planned_yen, summary.total.settled_yen, summary.total.left_yen) == (
        87_200,
        43_280,
        800_000 - 86_580,
    )
    assert {m.key: m.committed_yen for m in summary.ministries} == {"国土交通省": 43_280, "内閣官房": 43_300}
    assert [p.month for p in summary.series] == [f"2025-{m:02d}" for m in range(4, 11)]
    assert [p.budget_yen for p in summary.series] == [1_000_000] * 5 + [800_000] * 2
    assert summary.series[-1].left_yen == summary.total.left_yen

    rates = await reads.travel_rates()
    assert [(r.rates_id, r.lodging_yen_per_night, r.daily_allowance_yen_per_day) for r in rates] == [
        ("r7", 10_900, 2_200)
    ]

    # isolated nodes: nothing connects to money or appointments; amounts are integers in the graph
    connected, _, _ = await driver.execute_query(
        "MATCH (n)-[r]-() WHERE any(l IN labels(n) WHERE l IN $labels) RETURN count(r) AS n", labels=PAPERWORK_LABELS
    )
    assert connected[0]["n"] == 0
    shares, _, _ = await driver.execute_query(
        "MATCH (s:TravelShare {period: $period}) RETURN s.key AS key, s.amount_yen AS amount", period=period
    )
    assert [(r["key"], r["amount"]) for r in shares] == [(f"{period}/{RIKUZEN}", 100_000)]
    amounts, _, _ = await driver.execute_query(
        "MATCH (l:TravelLine {period: $period}) RETURN l.planned_total_yen AS p, l.settled_total_yen AS s",
        period=period,
    )
    assert all(type(r["p"]) is int and type(r["s"]) in (int, type(None)) for r in amounts)

    # applying the latest event of each thread again changes nothing (the statements MERGE, match what is open)
    incremental = await graph_checksum(driver)
    for event in recorded["last"]:
        for statement in plan(event):
            await driver.execute_query(statement.query, statement.params)
    assert await graph_checksum(driver) == incremental

    # the rebuild regroups the replay (small pages, footprints) and draws exactly the same graph
    await rebuild_projection(driver, clean.neo4j_database, batch=4)
    assert await graph_checksum(driver) == incremental
    await rebuild_projection(driver, clean.neo4j_database, drop_indexes=True)
    assert await graph_checksum(driver) == incremental
    assert await reads.travel_summary(period, today=date(2025, 10, 15)) == summary
