"""Reference data as events: officials and the bodies and programmes engagements work with.

Each official and each body is its own stream, written only by its ReferenceStreamWorkflow.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.events.base import BodyKind, OfficialRef, Payload
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
