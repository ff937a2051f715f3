"""Relevance benchmark: the expertise ranking before issue 14 and the current one, side by side, in one run.

    .venv/bin/python -m tests.bench.bench_relevance [--scale 1] [--rounds 3] [--json FILE]

Starts a private Neo4j (and Temporal, unused here) with the project's launcher, loads the synthetic programme
(`--scale` × the real programme) through the batch path, and runs every query of the synthetic judged set
(tests/relevance/synthetic.json, judged from the generator's planted expertise) through
- old: tests/bench/legacy_ranking.py — the query and hand-written synonym list of commit f8527d9, verbatim;
- new: services/graph/search/experts.ExpertSearch as it is in this tree.
Prints nDCG@5 and MRR (all queries, Japanese, English) and search latency p50/p99 for both. `--json` writes
one flat object (`ndcg5_old@synthetic`, `mrr_new@synthetic_en`, `p99_ms_new@synthetic`, …).

The demo's judged set (tests/relevance/demo.json) needs the demo loaded through the API and its workflows
(Keycloak, a worker); it is measured by tests/integration/test_relevance.py, which prints its figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from banso.stack.servers import prepare_graph
from banso.synthetic.generate import load_synthetic, scale_for
from services.graph.driver import neo4j_driver
from services.graph.store.chain_key import load_or_create_chain_key
from services.settings import Settings
from tests.relevance.evaluate import Scores, new_ranker, old_ranker, score
from tests.relevance.judged import JudgedSet, synthetic_set
from tests.relevance.metrics import mean
from tests.servers import running_servers, test_settings

console = Console()


def pct(samples: list[float], q: int) -> float:
    """q-th percentile in milliseconds."""
    return statistics.quantiles(samples, n=100)[q - 1] * 1000 if len(samples) > 1 else samples[0] * 1000


async def run(settings: Settings, factor: float, rounds: int) -> tuple[JudgedSet, dict[str, Scores]]:
    await prepare_graph(settings)
    driver = neo4j_driver(settings)
    db = settings.neo4j_database
    try:
        with Progress(console=console) as progress:
            task = progress.add_task(f"{factor:g}× synthetic programme ({scale_for(factor).engagements} engagements)")
            await load_synthetic(
                driver,
                db,
                factor,
                chain_key=load_or_create_chain_key(settings),
                progress=lambda d, t: progress.update(task, completed=d, total=t),
            )
        judged = synthetic_set(factor)
        scores = {}
        for name, make in (("old", old_ranker), ("new", new_ranker)):
            rank = make(driver, db, settings.expertise_half_life_days)
            await rank("港")  # warm-up
            with Progress(console=console) as progress:
                total = len(judged.queries) * rounds
                task = progress.add_task(f"{name} ranking, {len(judged.queries)} queries × {rounds}", total=total)
                scores[name] = await score(judged, rank, rounds=rounds, step=partial(progress.advance, task, rounds))
        return judged, scores
    finally:
        await driver.close()


def figures(judged: JudgedSet, scores: dict[str, Scores]) -> dict[str, float]:
    """The flat result: per ranking, nDCG@5 and MRR over all / ja / en queries, and latency."""
    out: dict[str, float] = {"queries@synthetic": len(judged.queries)}
    for name, s in scores.items():
        for label, lang in (("synthetic", None), ("synthetic_ja", "ja"), ("synthetic_en", "en")):
            picked = [i for i, q in enumerate(judged.queries) if lang is None or q.lang == lang]
            out[f"ndcg5_{name}@{label}"] = round(mean([s.ndcg5[i] for i in picked]), 4)
            out[f"mrr_{name}@{label}"] = round(mean([s.rr[i] for i in picked]), 4)
        out[f"p50_ms_{name}@synthetic"] = round(pct(s.seconds, 50), 2)
        out[f"p99_ms_{name}@synthetic"] = round(pct(s.seconds, 99), 2)
    return out


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3, help="times each query is run for the latency figures")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--per-query", action="store_true", help="also print each query's nDCG@5 old | new")
    args = parser.parse_args()
    base = test_settings(Path(tempfile.mkdtemp(prefix="banso-bench-relevance-")))
    settings = base.model_copy(update={"neo4j_heap_mb": 1024, "neo4j_pagecache_mb": 256})
    with running_servers(settings) as started:
        judged, scores = asyncio.run(run(started, args.scale, args.rounds))
    result = figures(judged, scores)
    if args.per_query:
        detail = Table(title="nDCG@5 per query (old | new)")
        for column in ("query", "lang", "themes", "old", "new"):
            detail.add_column(column)
        for q in judged.queries:
            old, new = scores["old"].per_query[q.query][0], scores["new"].per_query[q.query][0]
            detail.add_row(q.query, q.lang, "・".join(q.about), f"{old:.3f}", f"{new:.3f}")
        console.print(detail)
    table = Table(title=f"expertise relevance, {args.scale:g}× synthetic programme (old | new, one run)")
    for column in ("set", "queries", "nDCG@5 old", "nDCG@5 new", "MRR old", "MRR new"):
        table.add_column(column, justify="right")
    for label, lang in (("synthetic", None), ("synthetic_ja", "ja"), ("synthetic_en", "en")):
        count = sum(1 for q in judged.queries if lang is None or q.lang == lang)
        table.add_row(
            label,
            str(count),
            f"{result[f'ndcg5_old@{label}']:.3f}",
            f"{result[f'ndcg5_new@{label}']:.3f}",
            f"{result[f'mrr_old@{label}']:.3f}",
            f"{result[f'mrr_new@{label}']:.3f}",
        )
    console.print(table)
    console.print(
        f"search latency over {len(scores['old'].seconds)} searches each: "
        f"old p50 {result['p50_ms_old@synthetic']:.1f} ms, p99 {result['p99_ms_old@synthetic']:.1f} ms | "
        f"new p50 {result['p50_ms_new@synthetic']:.1f} ms, p99 {result['p99_ms_new@synthetic']:.1f} ms"
    )
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
