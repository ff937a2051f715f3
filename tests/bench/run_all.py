"""Run the speed benchmarks one after another, keep their figures, and compare them with an earlier run.

    .venv/bin/python -m tests.bench.run_all [--out DIR] [--only graph,ingest,...] [--compare OLD.json]

Each benchmark writes its flat JSON (`--json`); this merges them into `<out>/figures.json` (one flat
object, keys as the benchmarks name them: `search_p99_ms@10x`, `ingest_ratio@16`, `matching_s@300x100`, …)
with the machine's load average before each benchmark (`load_before@graph`, …). With `--compare`, every
figure both runs have is printed side by side with new/old, so a script or a person can follow them.
Run it on a quiet machine: the benchmarks compare with the raw server side by side, but latencies are absolute.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

console = Console(width=160)
ROOT = Path(__file__).resolve().parents[2]

# name → the module and its arguments (the sizes the goals are stated at)
BENCHMARKS: dict[str, list[str]] = {
    "matching": ["tests.bench.bench_matching", "--sizes", "300x100,3000x1000"],
    "graph": ["tests.bench.bench_graph", "--scales", "1,10", "--queries", "200"],
    "ingest": ["tests.bench.bench_ingest", "--updates", "200", "--levels", "1,4,16"],
    "startup": ["tests.bench.bench_startup"],
    "feed": ["tests.bench.bench_feed", "--scale", "1"],
    "codec": ["tests.bench.bench_codec"],
}


def run(name: str, out: Path) -> dict[str, float]:
    """One benchmark as its own process (its output shown as it runs); its figures."""
    target = out / f"{name}.json"
    module, *args = BENCHMARKS[name]
    load = os.getloadavg()[0]
    console.rule(f"{name} (load average {load:.2f})")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", module, *args, "--json", str(target)], cwd=ROOT, check=True)
    console.print(f"✓ {name} in {time.perf_counter() - started:.0f} s")
    figures: dict[str, float] = json.loads(target.read_text(encoding="utf-8"))
    return figures | {f"load_before@{name}": round(load, 2)}


def compare(new: dict[str, float], old: dict[str, float]) -> Table:
    """Every figure both runs have, side by side."""
    table = Table(title="figures, this run vs the earlier one")
    for column in ("figure", "earlier", "now", "now / earlier"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for key in sorted(new.keys() & old.keys()):
        ratio = f"{new[key] / old[key]:.2f}" if old[key] else "-"
        table.add_row(key, f"{old[key]:,.3f}", f"{new[key]:,.3f}", ratio)
    return table


def main() -> None:
    """Run, merge, compare."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "test-output" / "bench" / time.strftime("%Y%m%d-%H%M"))
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated, of {', '.join(BENCHMARKS)}")
    parser.add_argument("--compare", type=Path, help="an earlier figures.json")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, float] = {}
    for name in names:
        figures |= run(name, args.out)
    merged = args.out / "figures.json"
    merged.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    console.print(f"figures: {merged}")
    if args.compare is not None:
        console.print(compare(figures, json.loads(args.compare.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
