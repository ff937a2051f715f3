"""Records workflow histories of real paths for the replay tests: `python -m tests.replay.record_histories`.

Run it against the code whose behaviour you want to freeze; the JSON files it writes are committed
and replayed by tests/replay/test_replay.py with every later version of the workflow.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import httpx

from banso.settings import Settings
from banso.stack.servers import prepare_graph, register_search_attributes
from schemas.text import municipality_check_digit
from services.api.app import build_services, create_app
from services.workflow.clients import connect_temporal, neo4j_driver
from services.workflow.worker import build_worker
from tests.integration.flows import WITHDRAW, advance, command
from tests.servers import running_servers, test_settings

HISTORIES = Path(__file__).with_name("histories")


async def record(tag: str, settings: Settings) -> None:
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
        httpx.AsyncClient(transport=transport, base_url="http://replay") as api,
    ):
        paths: dict[str, str] = {}
        code = "13990" + municipality_check_digit("13990")
        paths["happy-path"] = await advance(api, code, "closed")
        code = "13991" + municipality_check_digit("13991")
        eid = await advance(api, code, "visits")
        assert (await command(api, eid, "withdraw", WITHDRAW)).status_code == 200
        paths["withdrawal"] = eid
        for name, workflow_id in paths.items():
            history = await temporal.get_workflow_handle(workflow_id).fetch_history()
            out = HISTORIES / f"{tag}-{name}.json"
            out.write_text(history.to_json(), encoding="utf-8")
            print(f"wrote {out}")
    await driver.close()


def main() -> None:
    """Start private servers, record the paths, write the histories."""
    with running_servers(test_settings(Path(tempfile.mkdtemp(prefix="banso-replay-")))) as settings:
        asyncio.run(record(sys.argv[1] if len(sys.argv) > 1 else "v1", settings))


if __name__ == "__main__":
    main()
