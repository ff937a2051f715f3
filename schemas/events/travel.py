"""支援旅費 — travel for support, paid from the Cabinet Office's budget, as events.

Per participant of a site visit or company visit, on the engagement's stream: first planned
(`TravelPlanned`: 交通費 as estimated, 宿泊 and 日当 from the rates valid on the day the trip starts),
then settled with the actual amounts (`TravelSettled`). The period's travel budget is allocated on the
period's stream (`TravelBudgetAllocated`), each allocation stating the budget as it now stands. Every
amount is whole yen (`schemas.money.Yen`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.events.base import Payload
from schemas.money import Yen
from schemas.rules import broken
from schemas.text import MunicipalityCode, Name, Text

TRAVEL_VISITS = frozenset({"SiteVisitMade", "CompanyVisitMade"})


def travel_key(visit_event_id: str, official_id: str) -> str:
    """One line of the travel ledger: one official's travel for one visit."""
    return f"{visit_event_id}/{official_id}"


class _TripAmounts(Payload):
    transport_yen: Yen = Field(description="交通費 (円)")
    lodging_yen: Yen = Field(description="宿泊 (円)")
    daily_allowance_yen: Yen = Field(description="日当 (円)")

    @property
    def total_yen(self) -> int:
        """交通費 + 宿泊 + 日当."""
        return self.transport_yen + self.lodging_yen + self.daily_allowance_yen


class TravelPlanned(_TripAmounts):
    """旅費の見込み — one participant's planned travel for a recorded site or company visit.

    A later plan for the same visit and official, before it is settled, replaces the earlier one.
    """

    event_type: Literal["TravelPlanned"] = "TravelPlanned"
    visit_event_id: str = Field(min_length=1, max_length=100, description="現地訪問・企業訪問のイベントID")
    official_id: str = Field(min_length=1, max_length=100, description="旅行する支援官ID")
    departs_on: date = Field(description="出発日")
    returns_on: date = Field(description="帰着日")
    nights: int = Field(ge=0, le=60, description="宿泊数")
    origin: Name | None = Field(default=None, description="出発地 (例: 東京)")
    rates_id: str | None = Field(default=None, max_length=100, description="宿泊・日当の算定に使った基準額")
    planned_on: date = Field(description="見込みの作成日")

    @model_validator(mode="after")
    def _trip(self) -> TravelPlanned:
        if self.returns_on < self.departs_on:
            raise broken("returns_before_departs", "returns_on is before departs_on")
        if self.nights > (self.returns_on - self.departs_on).days:
            raise broken("more_nights_than_trip", "more nights than the trip has")
        return self


class TravelSettled(_TripAmounts):
    """旅費の精算 — the actual amounts of a planned trip, once paid."""

    event_type: Literal["TravelSettled"] = "TravelSettled"
    visit_event_id: str = Field(min_length=1, max_length=100, description="現地訪問・企業訪問のイベントID")
    official_id: str = Field(min_length=1, max_length=100, description="旅行した支援官ID")
    settled_on: date = Field(description="精算日")
    note: Text | None = Field(default=None, description="メモ (見込みとの差の理由など)")


class TeamShare(BaseModel):
    """One team's share of the period's travel budget."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    municipality_code: MunicipalityCode
    amount_yen: Yen


class TravelBudgetAllocated(Payload):
    """支援旅費の予算配分 — the period's travel budget as it now stands, and the teams' shares if set.

    Teams without a share of their own split what the named shares leave, equally.
    """

    event_type: Literal["TravelBudgetAllocated"] = "TravelBudgetAllocated"
    amount_yen: Yen = Field(description="期の支援旅費 (円)")
    allocated_on: date = Field(description="配分日")
    team_shares: list[TeamShare] = Field(default_factory=list, max_length=500, description="チームごとの配分")
    reason: Text | None = Field(default=None, description="理由 (補正・減額など)")

    @model_validator(mode="after")
    def _shares_fit(self) -> TravelBudgetAllocated:
        codes = [s.municipality_code for s in self.team_shares]
        if len(set(codes)) != len(codes):
            raise broken("team_twice", "a team is named twice")
        if sum(s.amount_yen for s in self.team_shares) > self.amount_yen:
            raise broken("shares_exceed_budget", "the teams' shares add up to more than the budget")
        return self
