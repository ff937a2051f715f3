"""The programme's paperwork at the edge: a travel plan's request and its estimate, the checks the API makes
before sending (teams of the period, a budget not below what is settled), and what a member's departure
means for their 併任.

Pure: the routes (services/api/routers/paperwork.py, engagement_records.py) bring the reads and send.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.calendar import today_jst
from schemas.events import (
    AppointmentChanged,
    AppointmentEnded,
    AppointmentEndReason,
    MemberLeft,
    TravelPlanned,
)
from schemas.events.engagement import LeaveReason
from schemas.money import Rates, Yen, estimate, rates_on, trip_nights
from schemas.paperwork_views import RatesView
from schemas.periods import AppointmentState
from schemas.rules import broken
from schemas.text import Name
from services.api.messages import texts
from services.api.problems import Conflict, InvalidInput
from services.i18n.message import N_, Msg


class TravelPlanRequest(BaseModel):
    """旅費の見込み as staff enter it: 交通費 always; 宿泊 and 日当 when known, else estimated from the rates."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    visit_event_id: str = Field(min_length=1, max_length=100, description="現地訪問・企業訪問のイベントID")
    official_id: str = Field(min_length=1, max_length=100, description="旅行する支援官ID")
    departs_on: date = Field(description="出発日")
    returns_on: date = Field(description="帰着日")
    nights: int | None = Field(default=None, ge=0, le=60, description="宿泊数 (省略時は出発日から帰着日までの泊数)")
    origin: Name | None = Field(default=None, description="出発地 (例: 東京)")
    transport_yen: Yen = Field(description="交通費 (円)")
    lodging_yen: Yen | None = Field(default=None, description="宿泊 (円; 省略時は基準額から算定)")
    daily_allowance_yen: Yen | None = Field(default=None, description="日当 (円; 省略時は基準額から算定)")
    planned_on: date | None = Field(default=None, description="見込みの作成日 (省略時は今日)")

    @model_validator(mode="after")
    def _trip(self) -> TravelPlanRequest:
        if self.returns_on < self.departs_on:
            raise broken("returns_before_departs", "returns_on is before departs_on")
        if self.nights is not None and self.nights > trip_nights(self.departs_on, self.returns_on):
            raise broken("more_nights_than_trip", "more nights than the trip has")
        return self

    @property
    def needs_rates(self) -> bool:
        """Whether 宿泊 or 日当 is left to the rates."""
        return self.lodging_yen is None or self.daily_allowance_yen is None


NO_RATES = N_("No travel rates are valid on %(day)s: enter lodging_yen and daily_allowance_yen yourself")


def planned(request: TravelPlanRequest, tables: list[RatesView]) -> TravelPlanned:
    """The event a plan request becomes: omitted 宿泊/日当 estimated from the rates valid on the day it starts.

    422 (`no_travel_rates`) when something is to be estimated and no table is valid that day.
    """
    nights = trip_nights(request.departs_on, request.returns_on) if request.nights is None else request.nights
    lodging, daily, rates_id = request.lodging_yen, request.daily_allowance_yen, None
    if lodging is None or daily is None:
        rates = rates_on([Rates.taken_from(t) for t in tables], request.departs_on)
        if rates is None:
            raise InvalidInput(*texts(Msg(NO_RATES, {"day": request.departs_on.isoformat()})), code="no_travel_rates")
        guess = estimate(rates, request.departs_on, request.returns_on, nights)
        lodging = guess.lodging_yen if lodging is None else lodging
        daily = guess.daily_allowance_yen if daily is None else daily
        rates_id = rates.rates_id
    return TravelPlanned(
        visit_event_id=request.visit_event_id,
        official_id=request.official_id,
        departs_on=request.departs_on,
        returns_on=request.returns_on,
        nights=nights,
        origin=request.origin,
        rates_id=rates_id,
        planned_on=request.planned_on or today_jst(),
        transport_yen=request.transport_yen,
        lodging_yen=lodging,
        daily_allowance_yen=daily,
    )


NOT_TEAMS = N_("Not engagements of period %(period)s: %(codes)s")


def check_team_codes(period: int, codes: list[str], known: dict[str, str]) -> None:
    """422 (`not_a_team_of_the_period`) when an appointment names a team that is no engagement of the period."""
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InvalidInput(
            *texts(Msg(NOT_TEAMS, {"period": period, "codes": ", ".join(unknown)})), code="not_a_team_of_the_period"
        )


BELOW_SETTLED = N_(
    "The travel budget (%(amount)s yen) would be below what is already settled (%(settled)s yen); nothing was recorded"
)


def check_budget(amount_yen: int, settled_yen: int) -> None:
    """409 (`budget_below_settled`) when a budget would be less than the period's settled travel."""
    if amount_yen < settled_yen:
        raise Conflict(
            *texts(Msg(BELOW_SETTLED, {"amount": f"{amount_yen:,}", "settled": f"{settled_yen:,}"})),
            code="budget_below_settled",
        )


OTHER_OFFICIAL = N_("The body names official %(body)s but the path names %(path)s")


def check_same_official(path_id: str, body_id: str) -> None:
    """422 when the body's official is not the one the path names."""
    if path_id != body_id:
        raise InvalidInput(*texts(Msg(OTHER_OFFICIAL, {"body": body_id, "path": path_id})), code="other_official")


def departure_follow_up(
    left: MemberLeft, left_event_id: str, municipality_code: str, appointment: AppointmentState | None
) -> AppointmentChanged | AppointmentEnded | None:
    """What a member leaving a team means for their 併任 in that period, as the programme does it.

    Nothing when they hold no active appointment covering this team. Still appointed for other teams: the
    appointment changes to those (from the day they left). Else it ends that day: 人事異動 when they left
    for a transfer, a team change otherwise (the reason and the MemberLeft event are recorded with it).
    """
    if appointment is None or not appointment.active or municipality_code not in appointment.team_codes:
        return None
    others = [c for c in appointment.team_codes if c != municipality_code]
    if others:
        return AppointmentChanged(
            official_id=left.official_id,
            team_codes=others,
            changed_on=left.left_on,
            reason=f"チーム離脱 {municipality_code} (MemberLeft {left_event_id})",
        )
    reason = (
        AppointmentEndReason.PERSONNEL_TRANSFER
        if left.reason is LeaveReason.TRANSFER
        else AppointmentEndReason.TEAM_CHANGE
    )
    return AppointmentEnded(
        official_id=left.official_id,
        ended_on=left.left_on,
        reason=reason,
        member_left_event_id=left_event_id,
    )


def follow_up_key(left_event_id: str) -> str:
    """The Idempotency-Key of the appointment's follow-up: derived from the MemberLeft event, so it is sent once."""
    return f"member-left-{left_event_id}"
