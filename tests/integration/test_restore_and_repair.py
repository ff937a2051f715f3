"""The runbook: restore an older Neo4j backup under running engagements, then `banso repair`: nothing lost.

Between the backup and the restore, engagements and a reference stream keep being written; the restored
graph lacks those events, while each workflow's Temporal history holds them byte for byte. Repair stores
them again, checks every one extends the log, and records a StreamRepaired event in each stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from neo4j import GraphDatabase

from schemas.envelope import EventEnvelope, verify_chain
from services.graph.store.event_store import envelope_from_node
from tests.conftest import Keycloak
from tests.integration.flows import KICKOFF, TEAM, application, engagement_id
from tests.integration.stack_cli import banso, bearer, neo4j_auth, private_stack_env
from tests.integration.test_backup_restore import backup_path

pytestmark = pytest.mark.servers
OFFICIAL = {
    "official": {"name": "修復 花子", "ministry": "総務省", "bureau": "自治行政局", "post": "課長補佐"},
    "seniority": "mid",
}


@pytest.fixture
def env(tmp_path: Path, keycloak: Keycloak) -> Iterator[dict[str, str]]:
    with private_stack_env(tmp_path / "data") as settings:
        yield settings


def stream(env: dict[str, str], subject: str) -> list[EventEnvelope]:
    with GraphDatabase.driver(f"bolt://127.0.0.1:{env['BANSO_NEO4J_PORT']}", auth=neo4j_auth(env)) as d:
        records, _, _ = d.execute_query(
            "MATCH (e:Event {subject: $s}) RETURN e {.*} AS e ORDER BY e.sequence", s=subject
        )
    return [envelope_from_node(r["e"]) for r in records]


def post(env: dict[str, str], api: str, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
    response = httpx.post(f"{api}{path}", json=body, headers={**bearer(env), "Idempotency-Key": key}, timeout=90)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_an_older_graph_restored_under_running_engagements_is_repaired_from_their_histories(
    env: dict[str, str], tmp_path: Path
) -> None:
    up = banso(env, "up", "--detach", "--no-demo")
    assert up.returncode == 0, up.stdout + up.stderr
    api = f"http://127.0.0.1:{env['BANSO_API_PORT']}"
    codes = ["131075", "131083"]
    for code in codes:
        eid = engagement_id(code)
        post(env, api, "/api/v1/applications", application(code), f"apply-{code}")
        post(env, api, f"/api/v1/engagements/{eid}/team", TEAM, f"team-{code}")
        post(env, api, f"/api/v1/engagements/{eid}/kickoff", KICKOFF, f"kickoff-{code}")

    backed_up = banso(env, "backup", "--to", str(tmp_path / "backups"))
    assert backed_up.returncode == 0, backed_up.stdout + backed_up.stderr

    acked: list[dict[str, Any]] = []
    for i in range(3):
        for code in codes:
            meeting = {"kind": "online_meeting", "start_date": f"2025-06-0{i + 1}"}
            acked.append(
                post(env, api, f"/api/v1/engagements/{engagement_id(code)}/activities", meeting, f"m{i}-{code}")
            )
    official = post(env, api, "/api/v1/officials", OFFICIAL, "official-repair")
    before = {engagement_id(c): stream(env, engagement_id(c)) for c in codes}

    restored = banso(env, "restore", str(backup_path(backed_up.stdout)), "--only", "neo4j")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert all(len(stream(env, eid)) == 3 for eid in before), "the restored graph is the older one"

    dry = banso(env, "repair", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would repair" in dry.stdout
    assert all(len(stream(env, eid)) == 3 for eid in before), "a dry run changes nothing"

    repaired = banso(env, "repair")
    print(repaired.stdout)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert len(re.findall(r"repaired, recorded as #", repaired.stdout)) == 3  # two engagements, one official

    for eid, events in before.items():
        now = stream(env, eid)
        assert [e.hash for e in now[: len(events)]] == [e.hash for e in events], "restored byte for byte"
        assert now[-1].type == "StreamRepaired"
        assert now[-1].data["restored"] == [4, 5, 6]
        assert verify_chain(now).valid
    stored_ids = {e.id for events in (stream(env, eid) for eid in before) for e in events}
    assert {a["event_id"] for a in acked} <= stored_ids, "every acknowledged event is back"
    assert stream(env, official["subject"])[0].id == official["event_id"]

    for eid in before:
        verified = banso(env, "verify", eid)
        assert verified.returncode == 0, verified.stdout
        visit = {"kind": "site_visit", "start_date": "2025-07-01"}
        after = post(env, api, f"/api/v1/engagements/{eid}/activities", visit, f"after-{eid}")
        assert after["sequence"] == 8, "the engagement writes on after the repair"
    again = banso(env, "repair")
    assert again.returncode == 0, again.stdout
    assert "repaired" not in again.stdout, "a second repair finds everything in line"
