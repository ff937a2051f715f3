"""One settings object for every Banso process, read from BANSO_* environment variables."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KEYCLOAK_REALM = "banso"
NEO4J_PASSWORD_FILE = "neo4j.password"  # noqa: S105 (a file name) in <data_dir>/keys, written by the local stack's first `banso up`
KEYCLOAK_CREDENTIALS_FILE = "keycloak.json"  # in <data_dir>/keys: demo users' passwords, client secrets


def _stored(path: Path) -> str | None:
    """A secret the local stack generated into its data directory, if it is there."""
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


class Settings(BaseSettings):
    """Where Banso's servers are and how the local stack runs them."""

    model_config = SettingsConfigDict(env_prefix="BANSO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".banso"), description="Local stack data (stores, logs, pids).")

    temporal_address: str | None = Field(
        default=None, description="host:port of an existing Temporal frontend; unset → start the dev server."
    )
    temporal_namespace: str = "banso"
    temporal_task_queue: str = "banso-engagements"
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    temporal_headless: bool = False

    neo4j_uri: str | None = Field(
        default=None, description="Bolt URI of an existing Neo4j; unset → start the embedded launcher."
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = Field(
        default=SecretStr(""),
        description="Password of neo4j_user; unset with the embedded Neo4j → <data_dir>/keys/neo4j.password "
        "(generated with mode 0600 by the first `banso up`).",
    )
    neo4j_database: str = "neo4j"
    neo4j_port: int = 7687
    neo4j_heap_mb: int = 512
    neo4j_pagecache_mb: int = 128

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    oidc_issuer: str | None = Field(
        default=None,
        description="OIDC issuer (Keycloak realm, Entra ID tenant…); unset → the embedded Keycloak's realm, "
        "http://127.0.0.1:<keycloak_port>/realms/banso, filled in when the settings are read.",
    )
    oidc_client_id: str = Field(default="banso-web", description="The web app's OIDC client.")
    oidc_client_secret: SecretStr | None = Field(
        default=None,
        description="The web app's client secret; unset with the embedded Keycloak → <data_dir>/keys/keycloak.json.",
    )
    oidc_audience: str = Field(default="banso-api", description="The audience access tokens must carry.")
    rate_limit_per_s: float = Field(
        default=50.0, gt=0, description="Requests a second each caller (user or client) may send, on average."
    )
    rate_limit_burst: int = Field(default=200, ge=1, description="Requests a caller may send at once (bucket size).")
    keycloak_start: bool = Field(
        default=True, description="Whether `banso up` starts the embedded Keycloak; false when oidc_issuer is set."
    )
    keycloak_port: int = 8180
    web_session_max_age_s: float = Field(
        default=8 * 3600.0, gt=0, description="The back office's sign-in lasts at most this long (then sign in again)."
    )
    web_session_idle_s: float = Field(
        default=1800.0, gt=0, description="A back-office session unused this long ends (the idle timeout)."
    )
    keycloak_heap_mb: int = 384
    cache_dir: Path = Field(
        default_factory=lambda: Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "banso",
        description="Downloads kept between data dirs (the unpacked Keycloak distribution).",
    )

    stall_after_days: float = Field(default=30.0, gt=0, description="No contact for this long → stalled alert.")
    report_reminder_days: float = Field(default=14.0, ge=0, description="Remind this long before the final report.")
    max_history_events: int = Field(default=10_000, ge=100, description="Continue-as-new beyond this history.")
    future_date_limit_days: int = Field(default=7, ge=0, description="How far in the future a date may lie.")

    expertise_half_life_days: float = Field(
        default=730.0, gt=0, description="Expertise evidence counts half as much after this many days."
    )

    chain_key_file: Path | None = Field(
        default=None,
        description="Key sealing every stored event (hex, kept outside the database); unset → "
        "<data_dir>/keys/chain.key, created by the local stack.",
    )
    payload_keys_file: Path | None = Field(
        default=None,
        description="AES-256 keys encrypting Temporal payloads (hex, one a line, the last encrypts); unset → "
        "<data_dir>/keys/payload.keys, created by the local stack.",
    )

    webhook_max_attempts: int = Field(
        default=8, ge=1, le=100, description="Delivery attempts of one event before its subscription is paused."
    )
    webhook_backoff_s: float = Field(default=2.0, gt=0, description="Wait before a webhook delivery's 2nd attempt.")
    webhook_backoff_max_s: float = Field(default=300.0, gt=0, description="Longest wait between delivery attempts.")
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=60, description="A subscriber's answer must come this fast."
    )
    webhook_poll_s: float = Field(
        default=25.0, gt=0, le=60, description="An idle subscription's feed read returns empty after this long."
    )
    webhook_poll_interval_s: float = Field(default=0.2, gt=0, description="How often that read looks for new events.")
    webhook_deliveries_per_run: int = Field(
        default=500, ge=1, description="A subscription's workflow continues as new after this many deliveries."
    )

    start_timeout_s: float = 120.0

    restart_backoff_s: float = Field(default=1.0, gt=0, description="First wait before restarting a crashed child.")
    restart_backoff_max_s: float = Field(default=30.0, gt=0, description="Longest wait between restarts.")
    restart_reset_after_s: float = Field(
        default=60.0, gt=0, description="A child up this long starts its backoff again from the first wait."
    )
    worker_poller_max_age_s: float = Field(
        default=60.0, gt=0, description="`banso status`: the worker is down without a poll seen this recently."
    )

    @property
    def temporal_target(self) -> str:
        """The Temporal frontend to connect to."""
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"

    @model_validator(mode="after")
    def _local_stack_defaults(self) -> Settings:
        """Fill in what the local stack generated, and the embedded issuer, unless given explicitly."""
        keys = self.data_dir / "keys"
        local_neo4j = "neo4j_password" not in self.model_fields_set and self.neo4j_uri is None
        if local_neo4j and (stored := _stored(keys / NEO4J_PASSWORD_FILE)):
            self.neo4j_password = SecretStr(stored)
        if self.oidc_issuer is None:
            self.oidc_issuer = f"http://127.0.0.1:{self.keycloak_port}/realms/{KEYCLOAK_REALM}"
            if self.oidc_client_secret is None and (stored := _stored(keys / KEYCLOAK_CREDENTIALS_FILE)):
                secret = json.loads(stored).get("clients", {}).get(self.oidc_client_id)
                self.oidc_client_secret = SecretStr(secret) if secret else None
        elif "keycloak_start" not in self.model_fields_set:
            self.keycloak_start = False
        return self

    @property
    def bolt_uri(self) -> str:
        """The Bolt URI to connect to."""
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_port}"

    @property
    def api_url(self) -> str:
        """Base URL of the API."""
        return f"http://{self.api_host}:{self.api_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
