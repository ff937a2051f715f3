"""Matching benchmark: the CP-SAT optimiser against the greedy baseline on period-sized instances.

    .venv/bin/python -m tests.bench.bench_matching [--sizes 300x100,3000x1000] [--time 60]

Instances are generated deterministically from the synthetic vocabulary (real ministries, themes and
prefectures). For each: wall time, status, proven gap, objective of both, and optimiser/greedy.
"""

from __future__ import annotations

import argparse
import random
import time

from rich.console import Console
from rich.table import Table

from banso.synthetic import vocabulary as v
from schemas.events.reference import Seniority
from schemas.matching import Application, MatchingInput, Volunteer
from schemas.text import municipality_check_digit
from services.i18n.catalogue import both
from services.workflow.matching.greedy import greedy
from services.workflow.matching.objective import objective
from services.workflow.matching.optimiser import pair_scores, propose

PREFECTURES = ["北海道", "岩手県", "宮城県", "長野県", "新潟県", "静岡県", "兵庫県", "広島県", "高知県", "熊本県"]


def instance(officials: int, municipalities: int, time_limit: float, seed: int = 1) -> MatchingInput:
    """A period: `officials` volunteers (capacity 1–2) and `municipalities` applications."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data
    themes = sorted(v.THEMES)
    volunteers = []
    for i in range(officials):
        theme = rng.choice(themes)
        volunteers.append(
            Volunteer(
                official_id=f"o{i:05d}",
                name=f"{rng.choice(v.SURNAMES)} {rng.choice(v.GIVEN_NAMES)}",
                ministry=rng.choice(sorted(v.BUREAUS)),
                seniority=rng.choice(list(Seniority)),
                hometown=rng.choice(PREFECTURES),
                preferred_regions=rng.sample(PREFECTURES, 2),
                expertise=[rng.choice(v.THEMES[theme][0])],
                preferred_themes=[theme],
                capacity=rng.choice((1, 1, 2)),
            )
        )
    applications = []
    for j in range(municipalities):
        first_five = f"{10 + j // 1000:02d}{j % 1000:03d}"
        picked = rng.sample(themes, 2)
        applications.append(
            Application(
                municipality_code=first_five + municipality_check_digit(first_five),
                municipality_name=f"町{j}",
                prefecture=rng.choice(PREFECTURES),
                challenges=[rng.choice(v.THEMES[t][0]) for t in picked],
                desired_themes=picked,
            )
        )
    return MatchingInput(
        volunteers=volunteers,
        applications=applications,
        candidates_per_municipality=30,
        max_deterministic_time=time_limit,
    )


def main() -> None:
    """Run both on each size and print one table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300x100,3000x1000")
    parser.add_argument("--time", type=float, default=60.0, help="CP-SAT deterministic time limit")
    args = parser.parse_args()
    console = Console(width=160)
    table = Table(title="matching: CP-SAT vs greedy (one run)")
    for column in (
        "officials×municipalities",
        "CP-SAT s",
        "status",
        "gap",
        "CP-SAT objective",
        "greedy s",
        "greedy objective",
        "CP-SAT / greedy",
    ):
        table.add_column(column, justify="right")
    for size in args.sizes.split(","):
        officials, municipalities = (int(n) for n in size.split("x"))
        inp = instance(officials, municipalities, args.time)
        console.print(f"solving {size} (deterministic limit {args.time:g}) …")

        def progress(seconds: float, value: float, bound: float) -> None:
            console.print(f"  {seconds:7.1f} s  objective {value:,.0f}  bound {bound:,.0f}")

        proposal = propose(inp, both, progress)
        started = time.perf_counter()
        scores = pair_scores(inp)
        baseline = greedy(inp, scores)
        greedy_s = time.perf_counter() - started
        greedy_value = objective(inp, baseline, scores) if baseline is not None else None
        table.add_row(
            size,
            f"{proposal.wall_seconds:.1f}",
            proposal.status,
            f"{proposal.gap:.2%}",
            str(proposal.objective),
            f"{greedy_s:.2f}",
            str(greedy_value) if greedy_value is not None else "stuck",
            f"{proposal.objective / greedy_value:.3f}" if greedy_value else "-",
        )
    console.print(table)


if __name__ == "__main__":
    main()
