"""Start-up benchmark: `banso up` to ready (reference data loaded) on built artefacts, fresh and restarted.

    .venv/bin/python -m tests.bench.bench_startup [--rounds 2] [--json FILE]

Side by side in one run, on free ports and a throw-away data dir:
- raw:     the Neo4j launcher's JVM alone to Bolt-ready, without and with the class archive
           (banso/stack/class_archive.py), on a fresh store and again on that store — the server's own floor;
- fresh:   `banso up --detach --no-demo` on an empty data dir until it returns: Keycloak (realm import),
           Temporal, Neo4j, schema, worker, API, and the national reference data (170 streams: municipalities,
           bodies, travel rates) loaded;
- demo:    `banso demo` on that stack (the two demo engagements, their paperwork and the 第3期 intake), for information;
- restart: `banso down`, then `banso up --detach --no-demo` again on the same data (the reference data
           load then finds every stream current).
Each phase's own line from `banso up` ("✓ … (12.3 s)") is printed under the table: where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from banso.stack.class_archive import archive_args
from banso.stack.java import find_java, launcher_classpath
from banso.stack.processes import free_port
from banso.stack.servers import neo4j_args
from services.settings import Settings

console = Console(width=160)
ROOT = Path(__file__).resolve().parents[2]
BANSO = str(Path(sys.executable).with_name("banso"))
PHASE = re.compile(r"^(?:✓|reference data|demo|ready in)")


def stack_env(data_dir: Path) -> dict[str, str]:
    """A private stack: its own data dir and free ports."""
    return {
        **os.environ,
        "BANSO_DATA_DIR": str(data_dir),
        "BANSO_API_PORT": str(free_port()),
        "BANSO_TEMPORAL_PORT": str(free_port()),
        "BANSO_TEMPORAL_UI_PORT": str(free_port()),
        "BANSO_NEO4J_PORT": str(free_port()),
        "BANSO_KEYCLOAK_PORT": str(free_port()),
    }


def timed(args: list[str], env: dict[str, str], label: str) -> tuple[float, list[str]]:
    """Run a banso command to completion; its wall seconds and its phase lines."""
    console.print(f"… {label}")
    started = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    lines = [line.strip() for line in done.stdout.splitlines() if PHASE.match(line.strip())]
    console.print(f"✓ {label}: {seconds:.1f} s")
    return seconds, lines


def neo4j_alone(store: Path, with_archive: bool) -> float:
    """Seconds from the launcher's exec to its ready line, then stopped."""
    java = find_java()
    classpath = launcher_classpath()
    if classpath is None:
        raise SystemExit("run scripts/setup first (the Neo4j launcher is not built)")
    settings = Settings(data_dir=store, neo4j_port=free_port(), neo4j_heap_mb=1024, neo4j_pagecache_mb=128)
    extra = archive_args(java, classpath, settings.cache_dir) if with_archive else []
    if with_archive and not extra:
        raise SystemExit("run scripts/setup first (no class archive)")
    args = neo4j_args(settings, java, classpath, extra)  # the same JVM and flags as `banso up`
    env = {**os.environ, "BANSO_NEO4J_PASSWORD": "bench-password-1"}
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "BANSO-NEO4J-READY" in line:
            break
    seconds = time.perf_counter() - started
    process.terminate()
    process.wait(timeout=120)
    return seconds


def raw_neo4j(rounds: int) -> dict[str, float]:
    """Median seconds of the launcher alone, alternating without/with the archive, fresh and existing store."""
    samples: dict[str, list[float]] = {k: [] for k in ("fresh_plain", "fresh_cds", "again_plain", "again_cds")}
    for i in range(rounds):
        for cds in (False, True):
            store = Path(tempfile.mkdtemp(prefix="banso-bench-neo4j-"))
            kind = "cds" if cds else "plain"
            samples[f"fresh_{kind}"].append(neo4j_alone(store, cds))
            samples[f"again_{kind}"].append(neo4j_alone(store, cds))
            shutil.rmtree(store, ignore_errors=True)
            console.print(
                f"  round {i + 1}, {kind}: fresh {samples[f'fresh_{kind}'][-1]:.1f} s, again "
                f"{samples[f'again_{kind}'][-1]:.1f} s"
            )
    return {k: statistics.median(v) for k, v in samples.items()}


def main() -> None:
    """Measure and print one table (and the JSON figures when asked)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the Neo4j-alone comparison")
    parser.add_argument("--json", type=Path, help="write the figures to this file as one flat JSON object")
    args = parser.parse_args()
    console.print("Neo4j alone (the launcher's JVM), without and with the class archive:")
    raw = raw_neo4j(args.rounds)
    data_dir = Path(tempfile.mkdtemp(prefix="banso-bench-up-"))
    env = stack_env(data_dir)
    try:
        fresh, fresh_lines = timed([BANSO, "up", "--detach", "--no-demo"], env, "banso up (fresh data dir)")
        demo, _ = timed([BANSO, "demo"], env, "banso demo")
        timed([BANSO, "down"], env, "banso down")
        again, again_lines = timed([BANSO, "up", "--detach", "--no-demo"], env, "banso up (restart, same data)")
    finally:
        subprocess.run([BANSO, "down"], env=env, cwd=ROOT, capture_output=True, timeout=300, check=False)
        shutil.rmtree(data_dir, ignore_errors=True)
    figures = {
        "up_fresh_s": fresh,
        "up_restart_s": again,
        "demo_load_s": demo,
        "neo4j_fresh_plain_s": raw["fresh_plain"],
        "neo4j_fresh_cds_s": raw["fresh_cds"],
        "neo4j_restart_plain_s": raw["again_plain"],
        "neo4j_restart_cds_s": raw["again_cds"],
        "neo4j_cds_ratio": raw["again_cds"] / raw["again_plain"],
    }
    table = Table(title="start-up (one run; seconds to ready, reference data included)")
    for column in ("what", "seconds", "note"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    table.add_row("Neo4j alone, fresh store, no archive", f"{raw['fresh_plain']:.1f}", "the server's own start")
    table.add_row("Neo4j alone, fresh store, archive", f"{raw['fresh_cds']:.1f}", "")
    table.add_row("Neo4j alone, restart, no archive", f"{raw['again_plain']:.1f}", "")
    table.add_row(
        "Neo4j alone, restart, archive", f"{raw['again_cds']:.1f}", f"{figures['neo4j_cds_ratio']:.2f} of no archive"
    )
    table.add_row("banso up, fresh data dir", f"{fresh:.1f}", "goal ≤ 30 s")
    table.add_row("banso up, restart", f"{again:.1f}", "goal ≤ 30 s")
    table.add_row("banso demo (after up)", f"{demo:.1f}", "69 steps through the API")
    console.print(table)
    for title, lines in (("fresh", fresh_lines), ("restart", again_lines)):
        console.print(f"where the time goes ({title}): " + " | ".join(lines))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
