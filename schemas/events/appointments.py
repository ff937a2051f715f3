"""併任 — the concurrent appointment of an official as 地方創生支援官 (内閣府に併任), on the period's stream.

An appointment names the official as they are (the ministry and post they keep), the team or teams it
covers (by 全国地方公共団体コード), its 発令日 and, when known, the last day of its term. A member moving
between teams changes it (`AppointmentChanged`), a member leaving ends it (`AppointmentEnded`, 解除):
never an edit of the issued record.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas.events.base import OfficialRef, Payload
from schemas.rules import broken
from schemas.text import MunicipalityCode, Name, Text

MAX_TEAMS = 3  # an official takes at most three teams (OfficialVolunteered.capacity)


def _distinct(codes: list[str]) -> None:
    if len(set(codes)) != len(codes):
        raise broken("team_twice", "a team is named twice")


class AppointmentIssued(Payload):
    """併任発令 — the official is appointed 地方創生支援官 for the named teams from `appointed_on`."""

    event_type: Literal["AppointmentIssued"] = "AppointmentIssued"
    official: OfficialRef = Field(description="支援官 (本務の府省庁・役職はそのまま)")
    team_codes: list[MunicipalityCode] = Field(
        min_length=1, max_length=MAX_TEAMS, description="担当するチーム (市町村の全国地方公共団体コード)"
    )
    appointed_on: date = Field(description="発令日")
    term_ends_on: date | None = Field(default=None, description="任期の末日 (予定)")
    notice: Name | None = Field(default=None, description="発令番号・文書番号")

    @model_validator(mode="after")
    def _sound(self) -> AppointmentIssued:
        _distinct(self.team_codes)
        if self.term_ends_on is not None and self.term_ends_on < self.appointed_on:
            raise broken("term_before_appointment", "term_ends_on is before appointed_on")
        return self


class AppointmentChanged(Payload):
    """併任内容の変更 — the teams an appointment covers change from `changed_on` (a team change)."""

    event_type: Literal["AppointmentChanged"] = "AppointmentChanged"
    official_id: str = Field(min_length=1, max_length=100, description="支援官ID")
    team_codes: list[MunicipalityCode] = Field(
        min_length=1, max_length=MAX_TEAMS, description="変更後に担当するチーム (全部)"
    )
    changed_on: date = Field(description="変更日")
    reason: Text = Field(description="理由")

    @model_validator(mode="after")
    def _sound(self) -> AppointmentChanged:
        _distinct(self.team_codes)
        return self


class AppointmentEndReason(StrEnum):
    """Why an appointment ends (解除の理由)."""

    TEAM_CHANGE = "team_change"  # チームを離れた (他のチームへ移った場合は変更)
    PERSONNEL_TRANSFER = "personnel_transfer"  # 人事異動
    PERIOD_END = "period_end"  # 期の終了
    OTHER = "other"  # その他 (note に記載)


class AppointmentEnded(Payload):
    """併任解除 — from `ended_on` the official is no longer appointed (解除日)."""

    event_type: Literal["AppointmentEnded"] = "AppointmentEnded"
    official_id: str = Field(min_length=1, max_length=100, description="支援官ID")
    ended_on: date = Field(description="解除日 (この日から併任ではない)")
    reason: AppointmentEndReason = Field(description="理由")
    note: Text | None = Field(default=None, description="メモ")
    member_left_event_id: str | None = Field(
        default=None, max_length=100, description="きっかけとなったチーム離脱 (MemberLeft) のイベントID"
    )

    @model_validator(mode="after")
    def _note_for_other(self) -> AppointmentEnded:
        if self.reason is AppointmentEndReason.OTHER and not self.note:
            raise broken("other_needs_note", "reason other needs a note")
        return self
