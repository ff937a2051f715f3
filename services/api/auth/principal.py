"""Who is calling: the roles of the realm and the authenticated principal every route and event sees."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from services.i18n.catalogue import both
from services.i18n.message import N_, Msg


class Role(StrEnum):
    """The realm roles Banso knows (Keycloak realm roles; the same names with any other provider)."""

    STAFF = "staff"
    OFFICIAL = "official"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    INTEGRATION = "integration"
    ADMIN = "admin"

    @property
    def label(self) -> Msg:
        """The role's name in the UI, as a msgid (事務局, 支援官…)."""
        return ROLE_LABELS[self]

    @property
    def label_ja(self) -> str:
        """The role's Japanese name."""
        return both(self.label)[0]

    @property
    def label_en(self) -> str:
        """The role's English name."""
        return both(self.label)[1]


ROLE_LABELS: dict[Role, Msg] = {
    Role.STAFF: Msg(N_("Secretariat staff")),
    Role.OFFICIAL: Msg(N_("Support official")),
    Role.ANALYST: Msg(N_("Analyst")),
    Role.AUDITOR: Msg(N_("Auditor")),
    Role.INTEGRATION: Msg(N_("Integration system")),
    Role.ADMIN: Msg(N_("Administrator")),
}


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a person (`user:`) or another system (`client:`), from a validated token."""

    subject: str
    username: str | None = None
    display_name: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    official_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    client_id: str | None = None

    @property
    def actor(self) -> str:
        """What events record as their actor: `user:<preferred_username>`, or `client:<client_id>` for a
        service account (a token without a username), or `subject:<sub>` when neither is given."""
        if self.username and not self.is_client:
            return f"user:{self.username}"
        if self.client_id:
            return f"client:{self.client_id}"
        return f"subject:{self.subject}"

    @property
    def is_client(self) -> bool:
        """A service account (client credentials): Keycloak names these users `service-account-<client>`."""
        return self.username is None or self.username.startswith("service-account-")

    def has(self, *roles: Role) -> bool:
        """Whether the principal holds any of `roles`."""
        return not self.roles.isdisjoint(roles)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        """The principal a validated access token names (roles: the flat `roles` claim and
        `realm_access.roles`; unknown roles are ignored, so a provider's own roles grant nothing)."""
        names: set[str] = set(_strings(claims.get("roles")))
        realm_access = claims.get("realm_access")
        if isinstance(realm_access, Mapping):
            names.update(_strings(realm_access.get("roles")))
        roles = frozenset(Role(n) for n in names if n in Role.__members__.values())
        scope = claims.get("scope")
        scopes = frozenset(scope.split()) if isinstance(scope, str) else frozenset(_strings(scope))
        client = claims.get("azp") or claims.get("client_id")
        official = claims.get("official_id")
        return cls(
            subject=str(claims.get("sub") or ""),
            username=_text(claims.get("preferred_username")),
            display_name=_text(claims.get("name")),
            roles=roles,
            official_id=_text(official),
            scopes=scopes,
            client_id=_text(client),
        )


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []
