"""Signed audit bundles through the API: download as the auditor, verify offline with the published key, tamper."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from banso.audit_cli import audit_app
from schemas.audit_bundle import HEADS, MANIFEST, SigningKey, stream_file
from schemas.audit_bundle_verify import Failure, verify_bundle
from services.graph.store.audit_signing import audit_signing_key_path
from services.settings import Settings
from tests.auth import NO_TOKEN, auth_for
from tests.conftest import next_period
from tests.integration.flows import MEETING, advance, application, command, post

pytestmark = pytest.mark.servers


@pytest.fixture
def auditor(clean: Settings) -> httpx.Auth:
    """The demo auditor's token (監査)."""
    return auth_for("kansa")


async def published_key(api: httpx.AsyncClient) -> bytes:
    """The public key as the API publishes it (no token needed)."""
    response = await api.get("/api/v1/audit/public-key", auth=NO_TOKEN)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["algorithm"] == "Ed25519"
    assert len(body["key_id"]) == 16
    return str(body["public_key_pem"]).encode("ascii")


def flip_in_event(bundle: bytes, subject: str, sequence: int) -> bytes:
    """The bundle with one byte of one event's data changed, in place in the zip file."""
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        line = archive.read(stream_file(subject)).splitlines()[sequence - 1]
    at = bundle.index(line) + line.index(b'"data":{') + len(b'"data":{"') + 1
    return bundle[:at] + bytes([bundle[at] ^ 0x01]) + bundle[at + 1 :]


def run_verify(tmp_path: Path, bundle: bytes, key: bytes, lang: str = "en") -> tuple[int, str]:
    """`banso audit verify` on the bundle with the key from the endpoint, as an auditor runs it."""
    (tmp_path / "bundle.zip").write_bytes(bundle)
    (tmp_path / "key.pem").write_bytes(key)
    args = ["verify", str(tmp_path / "bundle.zip"), "--public-key", str(tmp_path / "key.pem"), "--lang", lang]
    result = CliRunner().invoke(audit_app, args, env={"COLUMNS": "400"})
    return result.exit_code, result.output


async def test_an_engagement_bundle_verifies_offline_and_names_the_altered_event(
    api: httpx.AsyncClient, auditor: httpx.Auth, clean: Settings, municipality_code: str, tmp_path: Path
) -> None:
    eid = await advance(api, municipality_code, "kickoff")
    for _ in range(2):
        assert (await command(api, eid, "activities", MEETING)).status_code == 200
    log = (await api.get(f"/api/v1/engagements/{eid}/events")).json()
    key = await published_key(api)

    response = await api.get(f"/api/v1/audit/engagements/{eid}/bundle.zip", auth=auditor)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert f'filename="{eid}-audit.zip"' in response.headers["content-disposition"]
    bundle = response.content
    verdict = verify_bundle(bundle, key)
    assert verdict.valid, verdict.problems
    assert (verdict.streams, verdict.events) == (1, len(log["events"]))
    assert verdict.key_id == response.headers["x-audit-key-id"]
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        heads = json.loads(archive.read(HEADS))
        names = set(archive.namelist())
    assert manifest["covers"] == {"kind": "engagement", "engagement_id": eid}
    assert manifest["created_by"] == "user:kansa"
    entry = manifest["streams"][eid]
    assert entry["server_check"]["seals_valid"] is True
    assert entry["server_check"]["seals_verified"] == len(log["events"])
    assert len(entry["positions"]) == len(log["events"])
    assert entry["positions"] == sorted(entry["positions"])
    count = len(log["events"])
    assert heads[eid] == {"last_sequence": count, "last_hash": log["chain"]["head_hash"], "count": count}
    assert not any(name.endswith(".key") for name in names)
    assert b'"seal":' not in bundle  # the seals (keyed with the secret chain key) stay on the server

    code, output = run_verify(tmp_path, bundle, key)
    assert code == 0, output
    assert f"Verified: 1 streams, {len(log['events'])} events" in output

    code, output = run_verify(tmp_path, flip_in_event(bundle, eid, 4), key, lang="ja")
    assert code == 1
    assert f"ストリーム {eid} のイベント #4 がハッシュと一致しません" in output
    assert "Stream" not in output  # one language at a time


async def test_the_key_is_made_once_kept_private_and_the_wrong_key_fails(
    api: httpx.AsyncClient, auditor: httpx.Auth, clean: Settings, municipality_code: str, tmp_path: Path
) -> None:
    eid = await advance(api, municipality_code, "application")
    key = await published_key(api)
    path = audit_signing_key_path(clean)
    assert path.stat().st_mode & 0o777 == 0o600
    bundle = (await api.get(f"/api/v1/audit/engagements/{eid}/bundle.zip", auth=auditor)).content

    assert await published_key(api) == key
    code, output = run_verify(tmp_path, bundle, SigningKey.generate().public_pem)
    assert code == 1
    assert "The signature does not match the manifest with this public key" in output
    code, output = run_verify(tmp_path, bundle[:-100], key)
    assert code == 1
    assert "The bundle cannot be read as a zip file" in output


async def test_a_period_bundle_holds_the_period_and_its_engagements(
    api: httpx.AsyncClient, auditor: httpx.Auth, clean: Settings, municipality_code: str
) -> None:
    period = next_period()
    call = {"period": period, "opens_on": "2026-02-02", "closes_on": "2026-02-27"}
    assert (await api.post("/api/v1/periods", json=call)).status_code == 201
    eid = f"engagement-{period}-{municipality_code}"
    assert (await post(api, "/api/v1/applications", application(municipality_code, period))).status_code == 201
    key = await published_key(api)

    response = await api.get(f"/api/v1/audit/periods/{period}/bundle.zip", auth=auditor)

    assert response.status_code == 200, response.text
    verdict = verify_bundle(response.content, key)
    assert verdict.valid, verdict.problems
    assert verdict.manifest is not None
    assert verdict.manifest.covers.period == period
    assert sorted(verdict.manifest.streams) == [eid, f"period-{period}"]
    tampered = verify_bundle(flip_in_event(response.content, eid, 1), key)
    assert tampered.first is not None
    assert (tampered.first.failure, tampered.first.stream, tampered.first.sequence) == (
        Failure.HASH_MISMATCH,
        eid,
        1,
    )


async def test_unknown_streams_are_404_problems_and_only_auditors_staff_and_admin_download(
    api: httpx.AsyncClient, auditor: httpx.Auth, clean: Settings, municipality_code: str
) -> None:
    missing = await api.get(f"/api/v1/audit/engagements/engagement-2-{municipality_code}/bundle.zip", auth=auditor)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"
    period = await api.get(f"/api/v1/audit/periods/{next_period()}/bundle.zip", auth=auditor)
    assert period.status_code == 404
    assert period.json()["code"] == "period_not_found"
    assert (await api.get("/api/v1/audit/periods/0/bundle.zip", auth=auditor)).status_code == 422

    eid = await advance(api, municipality_code, "application")
    official = await api.get(f"/api/v1/audit/engagements/{eid}/bundle.zip", auth=auth_for("shienkan"))
    assert official.status_code == 403
    url = f"/api/v1/audit/engagements/{eid}/bundle.zip"
    assert (await api.get(url, auth=auth_for("bunseki"))).status_code == 403
    assert (await api.get(url, auth=NO_TOKEN)).status_code == 401
    for user in ("jimukyoku", "kanri"):
        assert (await api.get(url, auth=auth_for(user))).status_code == 200, user
