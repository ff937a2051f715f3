"""Reference data as events: officials and the bodies and programmes engagements work with.

Each official and each body is its own stream, written only by its ReferenceStreamWorkflow.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.events.base import BodyKind, OfficialRef, Payload
from schemas.money import Rates, Yen
from schemas.rules import broken
from schemas.seniority import Seniority
from schemas.text import MunicipalityCode, Name, Text

__all__ = ["Seniority"]


class OfficialRegistered(Payload):
    """支援官の登録 — an official volunteered and was registered."""

    event_type: Literal["OfficialRegistered"] = "OfficialRegistered"
    official: OfficialRef
    seniority: Seniority | None = Field(default=None, description="若手 / 中堅 / シニア")
    hometown: Name | None = Field(default=None, description="出身地")
    registered_on: date | None = None


class OfficialPostChanged(Payload):
    """異動 — an official's ministry, bureau, division or post changed (人事異動)."""

    event_type: Literal["OfficialPostChanged"] = "OfficialPostChanged"
    changed_on: date = Field(description="発令日")
    ministry: Name = Field(description="新しい府省庁")
    bureau: Name | None = Field(default=None, description="局・部")
    division: Name | None = Field(default=None, description="課・室")
    post: Name | None = Field(default=None, description="役職")
    note: Text | None = None


class BodyDefined(Payload):
    """機関・制度の定義 — a ministry, regional bureau, prefectural department, organisation or programme."""

    event_type: Literal["BodyDefined"] = "BodyDefined"
    kind: BodyKind
    name: Name = Field(description="名称")
    parent_ministry: Name | None = Field(default=None, description="所管府省庁 (地方支分部局・制度)")
    covers_prefectures: list[Name] = Field(default_factory=list, max_length=47, description="管轄する都道府県")
    description: Text | None = None


class MunicipalityKind(StrEnum):
    """市 / 町 / 村 / 特別区."""

    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    SPECIAL_WARD = "special_ward"


class ListedMunicipality(BaseModel):
    """One 市町村 of a prefecture's list."""

    model_config = ConfigDict(frozen=True)
    code: MunicipalityCode = Field(description="全国地方公共団体コード (6桁)")
    name: Name = Field(description="市町村名")
    kana: Name | None = Field(default=None, description="よみ")
    kind: MunicipalityKind


class MunicipalitiesListed(Payload):
    """都道府県と市町村の一覧 — a prefecture and every 市町村 in it, from a named reference data set.

    A later listing of the same prefecture (a merger, a new 市) replaces the earlier one's names.
    """

    event_type: Literal["MunicipalitiesListed"] = "MunicipalitiesListed"
    prefecture_code: str = Field(pattern=r"^(0[1-9]|[1-3][0-9]|4[0-7])$", description="都道府県コード (JIS X 0401)")
    prefecture: Name = Field(description="都道府県名")
    prefecture_kana: Name | None = None
    prefecture_en: Name | None = None
    municipalities: list[ListedMunicipality] = Field(min_length=1, max_length=400)
    source: Text = Field(description="出典 (データセットと版)")


class TravelRatesDefined(Payload):
    """旅費の基準額 — the nightly 宿泊 and daily 日当 used to estimate travel, valid for a span of days.

    Each rate table is its own stream (`travel-rates-<rates_id>`); defining it again revises it. A trip is
    estimated with the table valid on its first day (of several, the one that started latest).
    """

    event_type: Literal["TravelRatesDefined"] = "TravelRatesDefined"
    rates_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="基準額のID (例: r7)")
    name: Name = Field(description="名称 (例: 令和7年度 支援旅費 基準額)")
    valid_from: date = Field(description="適用開始日")
    valid_to: date | None = Field(default=None, description="適用終了日 (この日まで)")
    lodging_yen_per_night: Yen = Field(description="宿泊 (円/泊)")
    daily_allowance_yen_per_day: Yen = Field(description="日当 (円/日)")
    source: Text = Field(description="出典・根拠")

    @model_validator(mode="after")
    def _ordered(self) -> TravelRatesDefined:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise broken("valid_to_before_from", "valid_to is before valid_from")
        return self

    def rates(self) -> Rates:
        """The amounts as `schemas.money.estimate` uses them."""
        return Rates.taken_from(self)
