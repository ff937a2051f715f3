"""Webhooks end to end: the real worker delivers to a real HTTP receiver on a free port, which checks every
signature with a second implementation (the `standardwebhooks` package) and counts repeats by webhook-id."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver
from standardwebhooks import Webhook
from temporalio.client import Client
from temporalio.service import RPCError

from banso.stack.processes import free_port
from services.api.app import build_services, create_app
from services.settings import Settings
from services.workflow.webhooks.commands import WebhookCommands
from services.workflow.webhooks.models import webhook_workflow_id
from tests.auth import auth_for
from tests.conftest import api_client, new_municipality_code
from tests.integration.flows import SITE_VISIT, advance, command

pytestmark = pytest.mark.servers

FAST = {
    "webhook_max_attempts": 3,
    "webhook_backoff_s": 0.2,
    "webhook_backoff_max_s": 0.4,
    "webhook_timeout_s": 3.0,
}
WAIT_S = 60.0


@dataclass
class Received:
    """One POST as the receiver saw it."""

    webhook_id: str
    position: int
    verified: bool
    at: float
    event_time: str


@dataclass
class Receiver:
    """A real HTTP server in a thread: answers `status` (after `delay_s`), verifies signatures with `secret`."""

    port: int = field(default_factory=free_port)
    status: int = 204
    delay_s: float = 0.0
    secret: str | None = None
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """Where subscriptions send."""
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        """Listen (again) on the receiver's port."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
                time.sleep(receiver.delay_s)
                status = receiver.status
                if status < 300:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    try:
                        Webhook(receiver.secret or "").verify(body, headers)
                        verified = True
                    except Exception:  # any failure to verify is recorded as such
                        verified = False
                    event = json.loads(body)
                    receiver.received.append(
                        Received(self.headers["webhook-id"], event["position"], verified, time.time(), event["time"])
                    )
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening (connections are refused)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def positions(self) -> list[int]:
        """The positions received, in arrival order."""
        return [r.position for r in self.received]

    def repeats(self) -> int:
        """How many deliveries repeated a webhook-id already received."""
        ids = [r.webhook_id for r in self.received]
        return len(ids) - len(set(ids))


@pytest.fixture
def receivers() -> Iterator[Callable[[], Receiver]]:
    """Receivers started on free ports, stopped after the test."""
    made: list[Receiver] = []

    def make() -> Receiver:
        receiver = Receiver()
        receiver.start()
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.stop()


@pytest.fixture
async def hooks(clean: Settings, temporal: Client, driver: AsyncDriver) -> AsyncIterator[httpx.AsyncClient]:
    """The API with short delivery backoff; every subscription's workflow is ended after the test."""
    async with api_client(clean.model_copy(update=FAST), temporal, driver) as client:
        yield client
    rows, _, _ = await driver.execute_query("MATCH (s:WebhookSubscription) RETURN s.id AS id")
    for row in rows:
        with suppress(RPCError):
            await temporal.get_workflow_handle(webhook_workflow_id(row["id"])).terminate("test over")


async def register(api: httpx.AsyncClient, receiver: Receiver, **body: Any) -> dict[str, Any]:
    """Register a subscription for `receiver` and give the receiver its secret."""
    answer = await api.post("/api/v1/webhooks", json={"url": receiver.url, **body})
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    receiver.secret = created["secret"]
    return created


async def until(check: Callable[[], Awaitable[bool]], within: float = WAIT_S) -> None:
    """Wait (bounded) until `check` holds."""
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.1)


async def got(receiver: Receiver, count: int) -> bool:
    """Whether `receiver` has received at least `count` deliveries."""
    return len(receiver.received) >= count


async def head(driver: AsyncDriver) -> int:
    """The feed's newest position."""
    rows, _, _ = await driver.execute_query("MATCH (e:Event) RETURN coalesce(max(e.position), 0) AS head")
    return int(rows[0]["head"])


async def subscription(api: httpx.AsyncClient, sid: str) -> dict[str, Any]:
    """GET one subscription."""
    answer = await api.get(f"/api/v1/webhooks/{sid}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def events(api: httpx.AsyncClient, visits: int = 0) -> str:
    """An engagement through kickoff (3 events) and `visits` site visits more; its id."""
    eid = await advance(api, new_municipality_code(), "kickoff")
    for _ in range(visits):
        assert (await command(api, eid, "activities", SITE_VISIT)).status_code in (200, 201)
    return eid


async def test_every_event_arrives_once_in_order_signed(
    hooks: httpx.AsyncClient, driver: AsyncDriver, receivers: Callable[[], Receiver]
) -> None:
    receiver = receivers()
    created = await register(hooks, receiver, after=0)
    await events(hooks, visits=3)
    last = await head(driver)

    await until(lambda: got(receiver, last))

    assert receiver.positions() == list(range(1, last + 1))
    assert all(r.verified for r in receiver.received)
    assert receiver.repeats() == 0
    sub = await subscription(hooks, created["id"])
    assert "secret" not in sub
    assert sub["status"] == "active"
    await until(lambda: cursor_is(hooks, created["id"], last))
    log = (await hooks.get(f"/api/v1/webhooks/{created['id']}/deliveries")).json()["items"]
    assert [d["position"] for d in log] == list(range(last, 0, -1))
    assert {d["status"] for d in log} == {"delivered"}
    assert {d["attempts"] for d in log} == {1}
    stored, _, _ = await driver.execute_query(
        "MATCH (n) WHERE n:WebhookSubscription OR n:WebhookDelivery RETURN n {.*} AS n"
    )
    assert created["secret"] not in json.dumps([dict(r["n"]) for r in stored], default=str)


async def cursor_is(api: httpx.AsyncClient, sid: str, position: int) -> bool:
    """Whether the stored cursor reached `position`."""
    return bool((await subscription(api, sid))["cursor"] == position)


async def test_only_new_events_and_only_the_types_asked_for(
    hooks: httpx.AsyncClient, driver: AsyncDriver, receivers: Callable[[], Receiver]
) -> None:
    await events(hooks)
    before = await head(driver)
    receiver = receivers()
    await register(hooks, receiver, event_types=["ActivityRecorded", "SiteVisitMade"])
    eid = await events(hooks, visits=2)
    log = (await hooks.get(f"/api/v1/engagements/{eid}/events")).json()
    wanted = [e for e in log["events"] if e["type"] in {"ActivityRecorded", "SiteVisitMade"}]

    await until(lambda: got(receiver, len(wanted)))

    assert len(wanted) == 2
    assert all(p > before for p in receiver.positions())
    assert receiver.positions() == sorted(receiver.positions())
    assert [r.webhook_id for r in receiver.received] == [e["id"] for e in wanted]


async def test_receiver_down_for_a_while_then_up(
    clean: Settings, temporal: Client, driver: AsyncDriver, receivers: Callable[[], Receiver]
) -> None:
    patient = FAST | {"webhook_max_attempts": 100, "webhook_backoff_max_s": 0.5}
    receiver = receivers()
    async with api_client(clean.model_copy(update=patient), temporal, driver) as api:
        created = await register(api, receiver, after=0)
        receiver.stop()
        await events(api, visits=2)
        last = await head(driver)
        await until(lambda: retrying(api, created["id"]))
        await asyncio.sleep(1.5)  # several refused attempts
        receiver.start()

        await until(lambda: got(receiver, last))
        await until(lambda: cursor_is(api, created["id"], last))

        assert receiver.positions() == list(range(1, last + 1))
        assert receiver.repeats() == 0
        first = (await api.get(f"/api/v1/webhooks/{created['id']}/deliveries")).json()["items"][-1]
        assert first["position"] == 1
        assert first["attempts"] > 1
        await terminate(temporal, created["id"])


async def retrying(api: httpx.AsyncClient, sid: str) -> bool:
    """Whether the subscription shows a failed attempt being retried."""
    return bool((await subscription(api, sid))["failed_attempts"] >= 1)


async def terminate(temporal: Client, sid: str) -> None:
    """End a subscription's workflow (tests that build their own API client)."""
    with suppress(RPCError):
        await temporal.get_workflow_handle(webhook_workflow_id(sid)).terminate("test over")


async def test_repeated_failures_pause_it_until_resumed(
    hooks: httpx.AsyncClient, driver: AsyncDriver, receivers: Callable[[], Receiver]
) -> None:
    receiver = receivers()
    receiver.status = 500
    created = await register(hooks, receiver, after=0)
    sid = created["id"]
    await events(hooks)
    last = await head(driver)

    await until(lambda: status_is(hooks, sid, "paused"))

    sub = await subscription(hooks, sid)
    assert sub["paused_reason"] == "failures"
    assert sub["cursor"] == 0
    log = (await hooks.get(f"/api/v1/webhooks/{sid}/deliveries")).json()["items"]
    assert log[0]["status"] == "failed"
    assert log[0]["attempts"] == FAST["webhook_max_attempts"]
    assert log[0]["http_status"] == 500
    page = await hooks.get("/webhooks", headers={"Accept-Language": "ja"})
    assert page.status_code == 200
    assert "一時停止" in page.text
    assert sid in page.text

    receiver.status = 204
    resumed = await hooks.post(f"/api/v1/webhooks/{sid}/resume")
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "active"
    await until(lambda: got(receiver, last))
    assert receiver.positions() == list(range(1, last + 1))


async def status_is(api: httpx.AsyncClient, sid: str, status: str) -> bool:
    """Whether the subscription's stored status is `status`."""
    return bool((await subscription(api, sid))["status"] == status)


async def test_410_gone_disables_it_for_good(
    hooks: httpx.AsyncClient, driver: AsyncDriver, temporal: Client, receivers: Callable[[], Receiver]
) -> None:
    receiver = receivers()
    receiver.status = 410
    created = await register(hooks, receiver, after=0)
    sid = created["id"]
    await events(hooks)

    await until(lambda: status_is(hooks, sid, "disabled"))

    log = (await hooks.get(f"/api/v1/webhooks/{sid}/deliveries")).json()["items"]
    assert [(d["status"], d["http_status"], d["attempts"]) for d in log] == [("gone", 410, 1)]
    await temporal.get_workflow_handle(webhook_workflow_id(sid)).result()  # the workflow has ended
    refused = await hooks.post(f"/api/v1/webhooks/{sid}/resume")
    assert refused.status_code == 409
    assert refused.json()["code"] == "webhook_ended"


async def test_redeliver_from_a_position(
    hooks: httpx.AsyncClient, driver: AsyncDriver, receivers: Callable[[], Receiver]
) -> None:
    receiver = receivers()
    created = await register(hooks, receiver, after=0)
    sid = created["id"]
    await events(hooks, visits=2)
    last = await head(driver)
    await until(lambda: cursor_is(hooks, sid, last))

    again = await hooks.post(f"/api/v1/webhooks/{sid}/redeliveries", json={"from_position": 3})
    assert again.status_code == 200, again.text
    await until(lambda: got(receiver, last + last - 2))

    assert receiver.positions() == list(range(1, last + 1)) + list(range(3, last + 1))
    assert all(r.verified for r in receiver.received)
    ahead = await hooks.post(f"/api/v1/webhooks/{sid}/redeliveries", json={"from_position": last + 5})
    assert ahead.status_code == 409
    assert ahead.json()["code"] == "webhook_position_ahead"


async def test_a_slow_receiver_does_not_delay_another(
    hooks: httpx.AsyncClient, driver: AsyncDriver, receivers: Callable[[], Receiver]
) -> None:
    slow, fast = receivers(), receivers()
    slow.delay_s = 1.0
    await register(hooks, slow, after=0)
    await register(hooks, fast, after=0)
    await events(hooks, visits=3)
    last = await head(driver)

    await until(lambda: got(fast, last))

    assert len(slow.received) < last / 2 + 1
    assert fast.positions() == list(range(1, last + 1))


async def test_a_client_sees_only_its_own_subscriptions(
    hooks: httpx.AsyncClient, receivers: Callable[[], Receiver]
) -> None:
    mine = await register(hooks, receivers())
    async with httpx.AsyncClient(
        transport=hooks._transport, base_url=str(hooks.base_url), timeout=60, auth=auth_for(None)
    ) as client:
        theirs = await register(client, receivers())
        listed = (await client.get("/api/v1/webhooks")).json()["items"]
        assert [s["id"] for s in listed] == [theirs["id"]]
        assert listed[0]["owner"].startswith("client:")
        assert (await client.get(f"/api/v1/webhooks/{mine['id']}")).status_code == 404
        assert (await client.post(f"/api/v1/webhooks/{mine['id']}/pause")).status_code == 404
    everyone = (await hooks.get("/api/v1/webhooks")).json()["items"]
    assert {s["id"] for s in everyone} == {mine["id"], theirs["id"]}
    async with httpx.AsyncClient(
        transport=hooks._transport, base_url=str(hooks.base_url), timeout=60, auth=auth_for("bunseki")
    ) as analyst:
        assert (await analyst.get("/api/v1/webhooks")).status_code == 403


async def test_pause_by_hand_and_delete(
    hooks: httpx.AsyncClient, driver: AsyncDriver, receivers: Callable[[], Receiver]
) -> None:
    receiver = receivers()
    created = await register(hooks, receiver, after=0)
    sid = created["id"]
    paused = await hooks.post(f"/api/v1/webhooks/{sid}/pause")
    assert paused.json()["status"] == "paused"
    assert paused.json()["paused_reason"] == "manual"
    await events(hooks)
    await asyncio.sleep(1.0)
    assert receiver.received == []

    deleted = await hooks.delete(f"/api/v1/webhooks/{sid}")
    assert deleted.status_code == 204
    assert (await hooks.get(f"/api/v1/webhooks/{sid}")).status_code == 404
    rows, _, _ = await driver.execute_query("MATCH (n:WebhookSubscription {id: $id}) RETURN n", id=sid)
    assert rows == []


async def test_a_workflow_that_does_not_answer_in_time_is_a_504(
    clean: Settings, temporal: Client, driver: AsyncDriver
) -> None:
    """The commands wait a bounded time for the subscription's workflow; beyond it the answer is a 504 problem."""
    services = build_services(clean, temporal, driver)
    impatient = dataclasses.replace(services, webhooks=WebhookCommands(temporal, clean, timeout_s=0.001))
    app = create_app(clean, impatient)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://banso.test", auth=auth_for("kanri")
        ) as api,
    ):
        answer = await api.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/never"})
    assert answer.status_code == 504, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "timeout"
    assert "Retry-After" in answer.headers
