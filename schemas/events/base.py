"""The base of every event payload and the small value types events share."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.text import Name
from schemas.upcasters import upcast

OFFICIAL_NAMESPACE = uuid.UUID("6f1c3f0e-8a57-4d0b-9a43-0d7e3f4b6a11")


class Payload(BaseModel):
    """Base of every event payload: frozen, strict about unknown fields, versioned and upcast on read."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    schema_version: int = 1

    @model_validator(mode="before")
    @classmethod
    def _upcast(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        event_type = cls.model_fields["event_type"].default if "event_type" in cls.model_fields else cls.__name__
        return upcast(event_type, data, cls.model_fields["schema_version"].default)


class OfficialRef(BaseModel):
    """地方創生支援官 — a national official as appointed to one team."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    official_id: str = Field(default="", description="支援官ID (省略時は府省庁と氏名から決まる)")
    name: Name = Field(description="氏名")
    ministry: Name = Field(description="所属府省庁 (チームで代表する府省庁)")
    bureau: Name | None = Field(default=None, description="局・部")
    division: Name | None = Field(default=None, description="課・室")
    post: Name | None = Field(default=None, description="役職")
    seconded_from: Name | None = Field(default=None, description="出向元省庁")

    @model_validator(mode="after")
    def _derive_id(self) -> OfficialRef:
        if not self.official_id:
            derived = uuid.uuid5(OFFICIAL_NAMESPACE, f"{self.ministry}/{self.name}")
            object.__setattr__(self, "official_id", f"official-{derived}")
        return self


class BodyKind(StrEnum):
    """Bodies and programmes an event can name; each maps to one graph label in code."""

    MINISTRY = "ministry"
    REGIONAL_BUREAU = "regional_bureau"
    PREFECTURAL_DEPARTMENT = "prefectural_department"
    ORGANIZATION = "organization"
    FUNDING_PROGRAM = "funding_program"


class BodyRef(BaseModel):
    """A body (機関) or programme (制度・事業) named by an event."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: BodyKind
    name: Name
