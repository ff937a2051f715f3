"""Read models of the programme's own paperwork: 併任 appointments, the roster, 支援旅費 lines and budgets.

Answered by the graph's paperwork reads and the API to staff, admin and auditors only (amounts and
appointment details are money and personnel data: every read is in the access log). Amounts are whole yen.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class AppointmentTermView(BaseModel):
    """One span of an appointment covering one team."""

    model_config = ConfigDict(frozen=True)
    municipality_code: str
    municipality_name: str | None = None
    from_date: date = Field(description="この日から")
    to_date: date | None = Field(default=None, description="この日から対象外 (変更日・解除日)")


class AppointmentView(BaseModel):
    """併任 — one appointment as it stands, with the spans of the teams it covered."""

    model_config = ConfigDict(frozen=True)
    event_id: str = Field(description="発令 (AppointmentIssued) のイベントID")
    period: int
    official_id: str
    name: str
    ministry: str = Field(description="本務の府省庁")
    bureau: str | None = None
    division: str | None = None
    post: str | None = Field(default=None, description="本務の役職")
    appointed_on: date = Field(description="発令日")
    term_ends_on: date | None = Field(default=None, description="任期の末日 (予定)")
    ended_on: date | None = Field(default=None, description="解除日")
    end_reason: str | None = None
    notice: str | None = None
    team_codes: list[str] = Field(default_factory=list, description="いま担当するチーム (解除後は空)")
    terms: list[AppointmentTermView] = Field(default_factory=list)

    def valid_on(self, day: date, municipality_code: str | None = None) -> bool:
        """Appointed on `day` (for that team, when given): 発令日 ≤ day < 解除日, and within the term."""
        if day < self.appointed_on or (self.ended_on is not None and day >= self.ended_on):
            return False
        if self.term_ends_on is not None and day > self.term_ends_on:
            return False
        if municipality_code is None:
            return True
        return any(
            t.municipality_code == municipality_code and t.from_date <= day and (t.to_date is None or day < t.to_date)
            for t in self.terms
        )


class AppointmentGap(BaseModel):
    """A member of a team on `on` without a valid appointment for that team that day, or the reverse."""

    model_config = ConfigDict(frozen=True)
    kind: str = Field(description="unappointed (チームにいるが併任なし) / not_on_team (併任中だがチームにいない)")
    on: date
    engagement_id: str
    municipality_code: str
    municipality_name: str | None = None
    official_id: str
    name: str
    ministry: str
    appointment_event_id: str | None = None
    reason: str = Field(description="before_appointment / after_end / after_term / team_not_covered / none / left_team")


class RosterRow(BaseModel):
    """名簿 — one official of the period with their appointment and teams (the roster export's row)."""

    model_config = ConfigDict(frozen=True)
    official_id: str
    name: str
    ministry: str
    bureau: str | None = None
    division: str | None = None
    post: str | None = None
    teams: list[str] = Field(default_factory=list, description="担当チーム (市町村名)")
    team_codes: list[str] = Field(default_factory=list)
    appointed_on: date | None = None
    term_ends_on: date | None = None
    ended_on: date | None = None
    end_reason: str | None = None
    appointment_event_id: str | None = None


class Amounts(BaseModel):
    """交通費, 宿泊 and 日当 of one trip, and their sum."""

    model_config = ConfigDict(frozen=True)
    transport_yen: int = 0
    lodging_yen: int = 0
    daily_allowance_yen: int = 0

    @property
    def total_yen(self) -> int:
        """交通費 + 宿泊 + 日当."""
        return self.transport_yen + self.lodging_yen + self.daily_allowance_yen


class TravelLineView(BaseModel):
    """One official's travel for one visit: planned, and settled once paid (the ledger's row)."""

    model_config = ConfigDict(frozen=True)
    key: str
    engagement_id: str
    period: int
    municipality_code: str
    municipality_name: str | None = None
    visit_event_id: str
    visit_kind: str | None = Field(default=None, description="SiteVisitMade / CompanyVisitMade")
    visit_date: date | None = None
    official_id: str
    name: str | None = None
    ministry: str | None = None
    departs_on: date
    returns_on: date
    nights: int
    origin: str | None = None
    rates_id: str | None = None
    planned_on: date
    planned: Amounts
    plan_event_id: str
    settled_on: date | None = None
    settled: Amounts | None = None
    settlement_event_id: str | None = None
    note: str | None = None


class BudgetLine(BaseModel):
    """Planned, settled and left of one team, one ministry or the whole period.

    `committed` = settled lines at their actual amounts + lines not yet settled at their planned amounts;
    `left` = share − committed (None where there is no share, e.g. a ministry).
    """

    model_config = ConfigDict(frozen=True)
    key: str = Field(description="団体コード / 府省庁名 / 'period'")
    label: str
    share_yen: int | None = None
    planned_yen: int = Field(default=0, description="見込みの合計 (精算済みを含む)")
    settled_yen: int = Field(default=0, description="精算額の合計")
    committed_yen: int = 0
    left_yen: int | None = None
    lines: int = 0
    over_share: bool = Field(default=False, description="見込みが配分を超えた")


class BudgetPoint(BaseModel):
    """The budget picture at the end of one month (the cockpit's chart)."""

    model_config = ConfigDict(frozen=True)
    month: str = Field(description="YYYY-MM")
    budget_yen: int
    planned_yen: int = Field(description="その月末までの見込み (累計)")
    settled_yen: int = Field(description="その月末までの精算 (累計)")
    left_yen: int


class TravelSummary(BaseModel):
    """支援旅費 of one period: the budget, per team and per ministry, the alerts and the year's curve."""

    model_config = ConfigDict(frozen=True)
    period: int
    budget_yen: int | None = None
    allocated_on: date | None = None
    budget_event_id: str | None = None
    total: BudgetLine
    teams: list[BudgetLine] = Field(default_factory=list)
    ministries: list[BudgetLine] = Field(default_factory=list)
    over_share: list[str] = Field(default_factory=list, description="見込みが配分を超えたチームの団体コード")
    series: list[BudgetPoint] = Field(default_factory=list)


class RatesView(BaseModel):
    """旅費の基準額 as the reference data hold it."""

    model_config = ConfigDict(frozen=True)
    rates_id: str
    name: str
    valid_from: date
    valid_to: date | None = None
    lodging_yen_per_night: int
    daily_allowance_yen_per_day: int
    source: str
    event_id: str
