"""The base of every event payload and the small value types events share."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from schemas.rules import broken
from schemas.text import Name, compared
from schemas.upcasters import upcast

OFFICIAL_NAMESPACE = uuid.UUID("6f1c3f0e-8a57-4d0b-9a43-0d7e3f4b6a11")

# 支援官ID as an event names a person who took part (`official-<uuid5>` for officials the programme knows).
OfficialId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
MAX_PEOPLE = 20


def check_people(ids: list[str], lead: str | None = None) -> None:
    """Officials named by one event: each once, and whoever led it among them (a rule error otherwise)."""
    seen: set[str] = set()
    for official_id in ids:
        if official_id in seen:
            raise broken("official_twice", "{official_id} is named twice", official_id=official_id)
        seen.add(official_id)
    if lead is not None and lead not in seen:
        raise broken(
            "lead_not_participant", "led_by {official_id} must also be one of the participant_ids", official_id=lead
        )


class Payload(BaseModel):
    """Base of every event payload: frozen, strict about unknown fields, versioned and upcast on read."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    schema_version: int = 1
    _stored_form: dict[str, Any] | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _upcast(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        if not isinstance(data, dict):
            return handler(data)
        event_type = cls.model_fields["event_type"].default if "event_type" in cls.model_fields else cls.__name__
        current = upcast(event_type, data, cls.model_fields["schema_version"].default)
        model = handler(current)
        if current is not data:
            # Keep the form it came in: an event is recorded (and hashed) exactly as it was produced,
            # so replaying an older workflow history rebuilds the very same event.
            model._stored_form = dict(data)
        return model

    def stored_form(self) -> dict[str, Any]:
        """The payload as it is recorded: the fields it was given, in the version it came in.

        Fields added to a model later are left out unless they were given, so a workflow history
        recorded by older code rebuilds byte-identical events (and hashes) on replay.
        """
        if self._stored_form is not None:
            return dict(self._stored_form)
        given = self.model_dump(mode="json", exclude_unset=True)
        return given | {
            "event_type": self.model_dump(include={"event_type"})["event_type"],
            "schema_version": self.schema_version,
        }

    @property
    def stored_version(self) -> int:
        """The schema_version the payload is recorded under."""
        return int(self.stored_form().get("schema_version", self.schema_version))


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
            # from the names as compared, so 古田　匠 typed with a 全角 space is the same official as 古田 匠
            derived = uuid.uuid5(OFFICIAL_NAMESPACE, f"{compared(self.ministry)}/{compared(self.name)}")
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
