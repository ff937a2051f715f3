"""The paperwork's projection plans: isolated nodes, whole-yen parameters, footprints that keep the order needed."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.envelope import GENESIS_HASH, EventEnvelope
from schemas.events import (
    AppointmentChanged,
    AppointmentEnded,
    AppointmentEndReason,
    AppointmentIssued,
    OfficialRef,
    Payload,
    TeamShare,
    TravelBudgetAllocated,
    TravelPlanned,
    TravelRatesDefined,
    TravelSettled,
)
from services.graph.projection import paperwork_queries
from services.graph.projection.footprint import WRITE, commute, footprint
from services.graph.projection.paperwork import engagement_parts
from services.graph.projection.plan import Statement, plan
from services.graph.store.batch_write import regrouped

ENGAGEMENT = "engagement-2-032034"
PERIOD = "period-2"
OFFICIAL = OfficialRef(name="石川 亨", ministry="国土交通省", bureau="港湾局", post="課長補佐")
VISIT = "00000000-0000-4000-8000-0000000000aa"

ISSUED = AppointmentIssued(official=OFFICIAL, team_codes=["032034"], appointed_on=date(2025, 4, 1), notice="府人第1号")
CHANGED = AppointmentChanged(
    official_id=OFFICIAL.official_id, team_codes=["032034", "032069"], changed_on=date(2025, 7, 1), reason="追加"
)
ENDED = AppointmentEnded(
    official_id=OFFICIAL.official_id, ended_on=date(2025, 10, 1), reason=AppointmentEndReason.PERSONNEL_TRANSFER
)
PLANNED = TravelPlanned(
    visit_event_id=VISIT,
    official_id=OFFICIAL.official_id,
    departs_on=date(2025, 5, 29),
    returns_on=date(2025, 5, 30),
    nights=1,
    origin="東京",
    rates_id="r7",
    planned_on=date(2025, 5, 20),
    transport_yen=28_000,
    lodging_yen=10_900,
    daily_allowance_yen=4_400,
)
SETTLED = TravelSettled(
    visit_event_id=VISIT,
    official_id=OFFICIAL.official_id,
    settled_on=date(2025, 6, 10),
    transport_yen=27_500,
    lodging_yen=10_900,
    daily_allowance_yen=4_400,
)
BUDGET = TravelBudgetAllocated(
    amount_yen=3_000_000,
    allocated_on=date(2025, 4, 1),
    team_shares=[TeamShare(municipality_code="032034", amount_yen=500_000)],
)
RATES = TravelRatesDefined(
    rates_id="r7",
    name="令和7年度 支援旅費 基準額",
    valid_from=date(2025, 4, 1),
    lodging_yen_per_night=10_900,
    daily_allowance_yen_per_day=2_200,
    source="仮定",
)


def envelope(payload: Payload, subject: str, event_id: str = "00000000-0000-4000-8000-000000000001") -> EventEnvelope:
    return EventEnvelope(
        id=event_id,
        type=type(payload).__name__,
        subject=subject,
        sequence=1,
        time="2025-05-08T00:00:00.000000Z",
        actor="a",
        schema_version=1,
        data=payload.stored_form(),
        prev_hash=GENESIS_HASH,
    ).sealed()


def only(statements: list[Statement]) -> Statement:
    assert len(statements) == 1
    return statements[0]


def test_no_paperwork_statement_draws_a_relationship() -> None:
    texts = [v for k, v in vars(paperwork_queries).items() if k.isupper() and isinstance(v, str)]
    assert len(texts) == 7
    for text in texts:
        assert not any(arrow in text for arrow in ("]->", "<-[", "]-(")), text


def test_an_appointment_is_projected_from_the_period_stream() -> None:
    issued = only(plan(envelope(ISSUED, PERIOD)))
    assert issued.query == paperwork_queries.APPOINTMENT_ISSUED
    assert issued.params["period"] == 2
    assert issued.params["official_id"] == OFFICIAL.official_id
    assert issued.params["team_codes"] == ["032034"]
    assert issued.params["appointed_on"] == "2025-04-01"
    assert issued.params["term_ends_on"] is None
    changed = only(plan(envelope(CHANGED, PERIOD, "e2")))
    assert (changed.params["changed_on"], changed.params["team_codes"]) == ("2025-07-01", ["032034", "032069"])
    ended = only(plan(envelope(ENDED, PERIOD, "e3")))
    assert (ended.params["ended_on"], ended.params["reason"]) == ("2025-10-01", "personnel_transfer")


def test_a_travel_line_takes_its_period_and_team_from_the_engagement_id_and_totals_in_whole_yen() -> None:
    planned = only(plan(envelope(PLANNED, ENGAGEMENT)))
    assert planned.params["key"] == f"{VISIT}/{OFFICIAL.official_id}"
    assert (planned.params["period"], planned.params["municipality_code"]) == (2, "032034")
    assert planned.params["total_yen"] == 43_300
    assert all(type(planned.params[k]) is int for k in ("transport_yen", "lodging_yen", "total_yen", "nights"))
    settled = only(plan(envelope(SETTLED, ENGAGEMENT, "e2")))
    assert settled.params["key"] == planned.params["key"]
    assert settled.params["total_yen"] == 42_800


def test_budget_and_rates() -> None:
    budget = only(plan(envelope(BUDGET, PERIOD)))
    assert budget.params["period"] == 2
    assert budget.params["shares"] == [{"municipality_code": "032034", "amount_yen": 500_000}]
    rates = only(plan(envelope(RATES, "reference-travel-rates-r7")))
    assert (rates.params["rates_id"], rates.params["valid_to"]) == ("r7", None)


def test_engagement_ids_are_parsed_or_refused() -> None:
    assert engagement_parts("engagement-12-011002") == (12, "011002")
    for bad in ("period-2", "engagement-x-032034", "engagement-2"):
        with pytest.raises(ValueError, match="not an engagement id"):
            engagement_parts(bad)


def test_footprints_keep_each_thread_in_order_and_nothing_else() -> None:
    issued, changed, ended = (footprint(p, PERIOD) for p in (ISSUED, CHANGED, ENDED))
    key = f"appointment:2:{OFFICIAL.official_id}"
    assert issued == changed == ended == {key: WRITE}
    line = f"travel:{VISIT}/{OFFICIAL.official_id}"
    assert footprint(PLANNED, ENGAGEMENT) == footprint(SETTLED, ENGAGEMENT) == {line: WRITE}
    assert footprint(BUDGET, PERIOD) == {"budget:2": WRITE}
    assert footprint(RATES, "reference-travel-rates-r7") == {"rates:r7": WRITE}
    assert not commute(WRITE, WRITE)


def test_a_settlement_never_moves_before_its_plan_in_a_regrouped_replay() -> None:
    other_visit = TravelPlanned.model_validate(PLANNED.model_dump() | {"visit_event_id": "v2"})
    events = [
        (PLANNED, ENGAGEMENT, "p1"),
        (SETTLED, ENGAGEMENT, "s1"),
        (other_visit, ENGAGEMENT, "p2"),  # another line: may join the first plan's group
        (BUDGET, PERIOD, "b1"),
        (BUDGET.model_copy(update={"amount_yen": 2_000_000}), PERIOD, "b2"),
    ]
    planned = []
    for payload, subject, event_id in events:
        statements = plan(envelope(payload, subject, event_id))
        planned.append((statements, footprint(payload, subject)))
    out = regrouped(planned)
    order = [row["s0_event_id"] for statement in out for row in statement.params["rows"]]
    assert order.index("p1") < order.index("s1")
    assert order.index("b1") < order.index("b2")
    assert sorted(order) == ["b1", "b2", "p1", "p2", "s1"]
