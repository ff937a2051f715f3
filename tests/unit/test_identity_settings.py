"""Settings for sign-in and the engines' secrets: the embedded defaults, and what an explicit setting changes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from pydantic import SecretStr

from banso.stack.keycloak import credentials_path, load_or_create_credentials
from banso.stack.local import neo4j_password_path, with_neo4j_password
from services.settings import Settings


def test_the_embedded_issuer_follows_the_keycloak_port(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, keycloak_port=18180)
    assert s.oidc_issuer == "http://127.0.0.1:18180/realms/banso"
    assert s.keycloak_start is True
    assert s.oidc_audience == "banso-api"
    assert s.oidc_client_id == "banso-web"
    assert s.oidc_client_secret is None  # nothing generated yet


def test_another_issuer_starts_no_keycloak(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, oidc_issuer="https://login.example.jp/tenant/v2.0")
    assert s.keycloak_start is False
    assert s.oidc_issuer == "https://login.example.jp/tenant/v2.0"
    assert Settings(data_dir=tmp_path, oidc_issuer="https://idp.example/realms/b", keycloak_start=True).keycloak_start


def test_generated_secrets_are_private_and_read_back(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path)
    creds = load_or_create_credentials(s)
    assert stat.S_IMODE(credentials_path(s).stat().st_mode) == 0o600
    assert load_or_create_credentials(s) == creds  # generated once
    assert Settings(data_dir=tmp_path).oidc_client_secret == SecretStr(creds.clients["banso-web"])
    assert json.loads(credentials_path(s).read_text(encoding="utf-8"))["users"].keys() == creds.users.keys()

    with_password = with_neo4j_password(s)
    assert stat.S_IMODE(neo4j_password_path(s).stat().st_mode) == 0o600
    password = with_password.neo4j_password.get_secret_value()
    assert len(password) >= 8
    assert Settings(data_dir=tmp_path).neo4j_password.get_secret_value() == password  # read back
    assert with_neo4j_password(Settings(data_dir=tmp_path)).neo4j_password.get_secret_value() == password


def test_an_explicit_neo4j_password_wins_and_nothing_is_generated(tmp_path: Path) -> None:
    s = with_neo4j_password(Settings(data_dir=tmp_path, neo4j_password=SecretStr("given-password")))
    assert s.neo4j_password.get_secret_value() == "given-password"
    assert not neo4j_password_path(s).exists()
    remote = with_neo4j_password(Settings(data_dir=tmp_path, neo4j_uri="neo4j://db.example:7687"))
    assert not neo4j_password_path(remote).exists()
