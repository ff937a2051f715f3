"""Reference data as events: officials and the bodies and programmes engagements work with.

Each official and each body is its own stream, written only by its ReferenceStreamWorkflow.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from schemas.events.base import BodyKind, OfficialRef, Payload
from schemas.text import Name, Text


class Seniority(StrEnum):
    """若手〜シニア."""

    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"


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
