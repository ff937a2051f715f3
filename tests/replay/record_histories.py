"""Records workflow histories of real paths for the replay tests: `python -m tests.replay.record_histories`.

Run it against the code whose behaviour you want to freeze; the JSON files it writes are committed
and replayed by tests/replay/test_replay.py with every later version of the workflow.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload
from temporalio.client import Client

from banso.demo.load import period_steps
from banso.repair import repair_stream
from banso.stack.servers import prepare_graph, register_search_attributes
from schemas.text import municipality_check_digit
from services.api.app import build_services, create_app
from services.graph.driver import neo4j_driver
from services.graph.store.chain_key import load_or_create_chain_key
from services.graph.store.event_store import EventStore
from services.settings import Settings
from services.workflow.clients import connect_temporal
from services.workflow.codec import EncryptionCodec, is_encrypted
from services.workflow.period.workflow import period_stream
from services.workflow.worker import build_worker
from tests.bench.tokens import RenewingToken, signed_in
from tests.faults.ledger import stray_meeting
from tests.integration.flows import MEETING, WITHDRAW, advance, command
from tests.integration.test_periods import swappable
from tests.servers import running_servers, test_settings

HISTORIES = Path(__file__).with_name("histories")


async def record(tag: str, settings: Settings, auth: httpx.Auth) -> None:
    """Drive each path through the API and save its workflow history as `<tag>-<path>.json`."""
    await register_search_attributes(settings)
    await prepare_graph(settings)
    temporal = await connect_temporal(settings)
    driver = neo4j_driver(settings)
    app = create_app(settings, build_services(settings, temporal, driver))
    transport = httpx.ASGITransport(app=app)
    async with (
        build_worker(temporal, driver, settings),
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://replay", timeout=60, auth=auth) as api,
    ):
        paths = await drive_paths(api)
        store = EventStore(driver, settings.neo4j_database, load_or_create_chain_key(settings))
        paths["adopted-and-repaired"] = await adopt_and_repair(api, temporal, store)
        for name, workflow_id in paths.items():
            async for wf in temporal.list_workflows(f"WorkflowId = '{workflow_id}'"):
                history = await temporal.get_workflow_handle(workflow_id, run_id=wf.run_id).fetch_history()
                suffix = "" if wf.status and wf.status.name != "CONTINUED_AS_NEW" else f"-run-{wf.run_id[:8]}"
                out = HISTORIES / f"{tag}-{name}{suffix}.json"
                out.write_text(plaintext_history(history.to_json(), temporal), encoding="utf-8")
                print(f"wrote {out}")
    await driver.close()


def plaintext_history(history_json: str, temporal: Client) -> str:
    """The history with every encrypted payload opened: the recorder's keyring dies with its data dir."""
    codec = temporal.data_converter.payload_codec
    assert isinstance(codec, EncryptionCodec)

    def opened(node: Any) -> Any:
        if isinstance(node, list):
            return [opened(n) for n in node]
        if not isinstance(node, dict):
            return node
        if set(node) <= {"metadata", "data", "externalPayloads"} and isinstance(node.get("metadata"), dict):
            payload = json_format.ParseDict(node, Payload())
            if is_encrypted(payload):
                return json_format.MessageToDict(codec.decode_one(payload))
        return {k: opened(v) for k, v in node.items()}

    return json.dumps(opened(json.loads(history_json)), ensure_ascii=False, indent=2)


def _code(n: int) -> str:
    first_five = f"139{n:02d}"
    return first_five + municipality_check_digit(first_five)


async def drive_paths(api: httpx.AsyncClient) -> dict[str, str]:
    """The real paths whose histories are frozen: happy, withdrawn, transferred, stalled, long, a period."""
    paths = {"happy-path": await advance(api, _code(90), "closed")}
    eid = await advance(api, _code(91), "visits")
    assert (await command(api, eid, "withdraw", WITHDRAW)).status_code == 200
    paths["withdrawal"] = eid

    eid = await advance(api, _code(92), "visits")
    joined = {"official": {"name": "古田 匠", "ministry": "文部科学省"}, "joined_on": "2025-07-01"}
    assert (await command(api, eid, "members", joined)).status_code == 200
    team = (await api.get(f"/api/v1/engagements/{eid}")).json()["team"]
    leaving = next(m["official_id"] for m in team if m["name"] == "石川 亨")
    left = {"official_id": leaving, "left_on": "2025-08-01", "reason": "transfer"}
    assert (await command(api, eid, "member-departures", left)).status_code == 200
    paths["member-transferred"] = eid

    eid = await advance(api, _code(93), "visits")
    for _ in range(120):
        state = (await api.get(f"/api/v1/engagements/{eid}/state")).json()["state"]
        if state["stalled"]:
            break
        await asyncio.sleep(0.25)
    assert (await command(api, eid, "activities", MEETING)).status_code == 200
    paths["stalled-and-resumed"] = eid

    eid = await advance(api, _code(94), "kickoff")
    for i in range(60):
        assert (await command(api, eid, "activities", MEETING | {"notes": f"会議 {i}"})).status_code == 200
    paths["continue-as-new"] = eid

    paths["travel"] = await travel(api)
    paths["period-review"] = await review_period(api)
    return paths


async def travel(api: httpx.AsyncClient) -> str:
    """支援旅費: a site visit's travel planned twice (the second replaces the first), then settled."""
    eid = await advance(api, _code(96), "visits")
    log = (await api.get(f"/api/v1/engagements/{eid}/events")).json()["events"]
    visit = next(e for e in log if e["type"] == "SiteVisitMade")
    team = (await api.get(f"/api/v1/engagements/{eid}")).json()["team"]
    trip = {"visit_event_id": visit["id"], "official_id": team[0]["official_id"]}
    planned = trip | {"departs_on": "2025-05-29", "returns_on": "2025-05-30", "nights": 1, "planned_on": "2025-05-01"}
    amounts = {"lodging_yen": 11_800, "daily_allowance_yen": 4_800}
    for transport in (30_000, 28_540):
        body = planned | amounts | {"transport_yen": transport}
        assert (await command(api, eid, "travel-plans", body)).status_code == 200
    settled = trip | amounts | {"transport_yen": 28_540, "settled_on": "2025-06-20"}
    assert (await command(api, eid, "travel-settlements", settled)).status_code == 200
    return eid


async def adopt_and_repair(api: httpx.AsyncClient, temporal: Client, store: EventStore) -> str:
    """Events the workflow did not write: one adopted by the next command, one taken over by `banso repair`."""
    eid = await advance(api, _code(95), "kickoff")
    head = (await store.stream(eid))[-1]
    await store.append(stray_meeting(head, MEETING | {"notes": "応答が失われた会議"}))
    assert (await command(api, eid, "activities", MEETING)).status_code == 200
    head = (await store.stream(eid))[-1]
    await store.append(stray_meeting(head, MEETING | {"notes": "修復で取り込む会議"}))
    report = await repair_stream(temporal, store, eid)
    assert report.recorded is not None, report
    return eid


async def review_period(api: httpx.AsyncClient) -> str:
    """The demo period: intake, a matching run, a swap, an exclusion, a re-run and the approval."""
    period = 3
    for step in period_steps(period):
        response = await api.post(step["path"], json=step["body"], headers={"X-Banso-Actor": "recorder"})
        assert response.status_code in (200, 201), response.text
    proposal = (await api.get(f"/api/v1/periods/{period}/proposal")).json()
    a, b = swappable(proposal)
    headers = {"X-Banso-Actor": "recorder"}
    swap = {"action": "swap", "official_id": a["official_id"], "other_official_id": b["official_id"], "reason": "x"}
    assert (await api.post(f"/api/v1/periods/{period}/proposal/edits", json=swap, headers=headers)).status_code == 201
    approval = {"approved_on": "2026-03-16"}
    response = await api.post(f"/api/v1/periods/{period}/proposal/approval", json=approval, headers=headers)
    assert response.status_code == 200, response.text
    await appoint(api, period, proposal["teams"][0])
    return period_stream(period)


async def appoint(api: httpx.AsyncClient, period: int, team: dict[str, Any]) -> None:
    """併任 of one approved team's first member: issued, then ended; and the period's travel budget."""
    headers = {"X-Banso-Actor": "recorder"}
    member = {k: team["members"][0][k] for k in ("official_id", "name", "ministry")}
    issued = {"official": member, "team_codes": [team["municipality_code"]], "appointed_on": "2026-04-01"}
    base = f"/api/v1/periods/{period}"
    assert (await api.post(f"{base}/appointments", json=issued, headers=headers)).status_code == 201
    ended = {"official_id": member["official_id"], "ended_on": "2026-10-01", "reason": "personnel_transfer"}
    path = f"{base}/appointments/{member['official_id']}/end"
    assert (await api.post(path, json=ended, headers=headers)).status_code == 201
    budget = {"amount_yen": 3_000_000, "allocated_on": "2026-04-01"}
    assert (await api.post(f"{base}/travel-budget", json=budget, headers=headers)).status_code == 201


def main() -> None:
    """Start private servers, record the paths, write the histories."""
    root = Path(tempfile.mkdtemp(prefix="banso-replay-"))
    with running_servers(test_settings(root / "servers")) as servers, signed_in(servers, root / "keycloak") as signed:
        settings, keycloak = signed  # the API wants a signed-in caller: the demo administrator
        # Short stall and history limits so the stalled and continue-as-new paths happen in seconds.
        tuned = settings.model_copy(update={"stall_after_days": 2 / 86400, "max_history_events": 100})
        asyncio.run(record(sys.argv[1] if len(sys.argv) > 1 else "v1", tuned, RenewingToken(keycloak, "kanri")))


if __name__ == "__main__":
    main()
