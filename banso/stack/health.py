"""`banso status`: ask each service whether it works, not whether a pid exists.

- Temporal: the gRPC health check and a real RPC (DescribeNamespace for Banso's namespace).
- Neo4j: Bolt connectivity and `RETURN 1`.
- worker: the local worker's pid must be alive (a killed worker is down at once) and Temporal must have
  seen a poll from that very process (identity `<pid>@<host>`) on Banso's task queue within
  BANSO_WORKER_POLLER_MAX_AGE_S (60 s; Temporal updates a poller's last access time lazily). With no
  local worker (servers and workers elsewhere) any recent poller counts.
- API: `/api/v1/health` answers 200 (it checks both servers itself).
- Keycloak (or the OIDC provider set by BANSO_OIDC_ISSUER): the realm's OpenID configuration answers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest, DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError

from banso.stack.processes import pid_alive, port_open, recorded_pid_any
from services.settings import KEYCLOAK_REALM, Settings

RPC_TIMEOUT_S = 5.0


def _reason(err: BaseException) -> str:
    """An exception as one short line."""
    return " ".join(f"{type(err).__name__}: {err}".split())[:120]


@dataclass(frozen=True)
class Health:
    """One service's answer: up or down, and a short reason."""

    name: str
    ok: bool
    detail: str
    pid: int | None = None


def run_dir_of(settings: Settings) -> Path:
    """The stack's run directory (logs, pids, supervisor state)."""
    return settings.data_dir.resolve() / "run"


async def _temporal_client(settings: Settings) -> Client:
    async with asyncio.timeout(RPC_TIMEOUT_S):
        return await Client.connect(settings.temporal_target, namespace=settings.temporal_namespace)


async def temporal_health(settings: Settings) -> Health:
    """Health check RPC plus DescribeNamespace."""
    pid = recorded_pid_any(run_dir_of(settings), "temporal")
    if settings.temporal_address is None and not port_open(settings.temporal_port):
        return Health("temporal", False, f"nothing listens on :{settings.temporal_port}", pid)
    try:
        client = await _temporal_client(settings)
        async with asyncio.timeout(RPC_TIMEOUT_S):
            await client.service_client.check_health()
            described = await client.workflow_service.describe_namespace(
                DescribeNamespaceRequest(namespace=settings.temporal_namespace)
            )
    except (RPCError, RuntimeError, OSError, TimeoutError) as err:
        return Health("temporal", False, _reason(err), pid)
    return Health("temporal", True, f"namespace {described.namespace_info.name} serving", pid)


def neo4j_health(settings: Settings) -> Health:
    """Bolt connectivity plus a trivial query."""
    pid = recorded_pid_any(run_dir_of(settings), "neo4j")
    if settings.neo4j_uri is None and not port_open(settings.neo4j_port):
        return Health("neo4j", False, f"nothing listens on :{settings.neo4j_port}", pid)
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    try:
        with (
            GraphDatabase.driver(settings.bolt_uri, auth=auth, connection_timeout=RPC_TIMEOUT_S) as driver,
            driver.session(database=settings.neo4j_database) as session,
        ):
            # An auto-commit query: not retried (execute_query would retry for 30 s against a dead server).
            record = session.run("RETURN 1 AS one").single()
    except (ServiceUnavailable, Neo4jError, OSError, ValueError) as err:
        return Health("neo4j", False, _reason(err), pid)
    return Health("neo4j", record is not None and record["one"] == 1, "bolt: RETURN 1", pid)


async def worker_health(settings: Settings, now: datetime | None = None) -> Health:
    """The worker's pid is alive and Temporal saw it poll Banso's task queue recently."""
    pid = recorded_pid_any(run_dir_of(settings), "worker")
    if pid is not None and not pid_alive(pid):
        return Health("worker", False, f"pid {pid} is not running", pid)
    try:
        client = await _temporal_client(settings)
        async with asyncio.timeout(RPC_TIMEOUT_S):
            described = await client.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace=settings.temporal_namespace,
                    task_queue=TaskQueue(name=settings.temporal_task_queue),
                    task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
                )
            )
    except (RPCError, RuntimeError, OSError, TimeoutError) as err:
        return Health("worker", False, f"cannot ask Temporal: {type(err).__name__}"[:120], pid)
    at = now or datetime.now(UTC)
    ages = {
        p.identity: (at - p.last_access_time.ToDatetime(tzinfo=UTC)).total_seconds()
        for p in described.pollers
        if p.HasField("last_access_time")
    }
    return worker_verdict(pid, ages, settings.worker_poller_max_age_s, settings.temporal_task_queue)


def worker_verdict(pid: int | None, poller_ages: dict[str, float], max_age_s: float, queue: str) -> Health:
    """Up when a poller of this pid (or, without a local worker, any poller) was seen within max_age_s."""
    mine = {i: a for i, a in poller_ages.items() if pid is None or i.split("@", 1)[0] == str(pid)}
    recent = [a for a in mine.values() if a <= max_age_s]
    if recent:
        return Health("worker", True, f"polled {queue} {min(recent):.0f} s ago", pid)
    if mine:
        return Health("worker", False, f"last poll on {queue} {min(mine.values()):.0f} s ago", pid)
    return Health("worker", False, f"no poller on {queue}" + (f" from pid {pid}" if pid else ""), pid)


def api_health(settings: Settings) -> Health:
    """`/api/v1/health` answers 200."""
    pid = recorded_pid_any(run_dir_of(settings), "api")
    try:
        response = httpx.get(f"{settings.api_url}/api/v1/health", timeout=RPC_TIMEOUT_S)
    except httpx.HTTPError as err:
        return Health("api", False, f"{type(err).__name__} at {settings.api_url}", pid)
    if response.status_code == 200:
        return Health("api", True, f"{settings.api_url}/api/v1/health 200", pid)
    return Health("api", False, f"/api/v1/health {response.status_code} {response.text[:80]}", pid)


def identity_health(settings: Settings) -> Health:
    """The issuer's `/.well-known/openid-configuration` answers with that issuer."""
    name = "keycloak" if settings.keycloak_start else "oidc"
    pid = recorded_pid_any(run_dir_of(settings), "keycloak") if settings.keycloak_start else None
    if settings.keycloak_start and not port_open(settings.keycloak_port):
        return Health(name, False, f"nothing listens on :{settings.keycloak_port}", pid)
    url = f"{settings.oidc_issuer}/.well-known/openid-configuration"
    try:
        response = httpx.get(url, timeout=RPC_TIMEOUT_S)
        issuer = response.json().get("issuer") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as err:
        return Health(name, False, _reason(err), pid)
    if issuer != settings.oidc_issuer:
        return Health(name, False, f"{url} {response.status_code}", pid)
    return Health(name, True, f"issuer {issuer}", pid)


def check_all(settings: Settings) -> list[Health]:
    """Every service's answer, Temporal first."""

    async def temporal_and_worker() -> tuple[Health, Health]:
        return await asyncio.gather(temporal_health(settings), worker_health(settings))

    temporal, worker = asyncio.run(temporal_and_worker())
    answers = [temporal, neo4j_health(settings), worker, api_health(settings)]
    embedded = f"http://127.0.0.1:{settings.keycloak_port}/realms/{KEYCLOAK_REALM}"
    if settings.keycloak_start or settings.oidc_issuer != embedded:  # not when sign-in is off altogether
        answers.append(identity_health(settings))
    return answers
