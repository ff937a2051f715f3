"""Matching benchmark: the CP-SAT optimiser against the greedy baseline on period-sized instances.

    .venv/bin/python -m tests.bench.bench_matching [--sizes 300x100,3000x1000] [--time 60] [--gap 0.005]
        [--wall SECONDS] [--json FILE]

Instances are generated deterministically from the synthetic vocabulary (real ministries, themes and
prefectures). For each: wall time and where it went (scores, greedy, LP relaxation, hint, model build,
CP-SAT search, explanations), status, proven gap, objective of both, and optimiser/greedy; each better
solution as the solver finds it. On the first size, a re-run after one reviewer edit (a member moved to
the next team and locked there, the edited proposal as the hint), as the period review does it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from banso.synthetic import vocabulary as v
from schemas.events.reference import Seniority
from schemas.matching import Application, MatchingInput, Pairing, Proposal, Volunteer
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


def edited(inp: MatchingInput, proposal: Proposal) -> MatchingInput:
    """The reviewer's edit before a re-run: the first member of the first team moved to the next team and locked
    there, and the previous proposal (so edited) handed in as the hint — what the period review does."""
    teams = {t.municipality_code: [m.official_id for m in t.members] for t in proposal.teams}
    codes = sorted(teams)
    source, target = codes[0], codes[1]
    official = teams[source][0]
    teams[source].remove(official)
    teams[target].append(official)
    return inp.model_copy(
        update={
            "locked": [Pairing(official_id=official, municipality_code=target)],
            "hint": [Pairing(official_id=o, municipality_code=code) for code, team in teams.items() for o in team],
        }
    )


def solve(console: Console, label: str, inp: MatchingInput) -> tuple[Proposal, dict[str, float]]:
    """One run, printing each better solution and where the time went."""
    phases: dict[str, float] = {}
    console.print(
        f"{label} (deterministic limit {inp.max_deterministic_time:g}, gap limit {inp.relative_gap_limit:.2%}) …"
    )

    def progress(seconds: float, value: float, bound: float) -> None:
        console.print(f"  {seconds:7.1f} s in search  objective {value:,.0f}  bound {bound:,.0f}")

    def phase(name: str, seconds: float) -> None:
        phases[name] = phases.get(name, 0.0) + seconds

    proposal = propose(inp, both, progress, phase)
    console.print("  time: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items()))
    return proposal, phases


def main() -> None:
    """Run both on each size, a re-run after one edit on the first size, print one table, write --json."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300x100,3000x1000")
    parser.add_argument("--time", type=float, default=60.0, help="CP-SAT deterministic time limit")
    parser.add_argument("--gap", type=float, default=0.005, help="stop once within this fraction of the bound")
    parser.add_argument("--wall", type=float, default=None, help="wall-clock limit of the search (s)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here as one flat object")
    args = parser.parse_args()
    console = Console(width=160)
    console.print(
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores"
    )
    figures: dict[str, float] = {}
    table = Table(title="matching: the optimiser (LP + CP-SAT) vs greedy (one run)")
    for column in (
        "officials×municipalities",
        "run",
        "optimiser s",
        "status",
        "gap",
        "optimiser objective",
        "bound",
        "greedy s",
        "greedy objective",
        "optimiser / greedy",
    ):
        table.add_column(column, justify="right")
    for n, size in enumerate(args.sizes.split(",")):
        officials, municipalities = (int(n) for n in size.split("x"))
        inp = instance(officials, municipalities, args.time).model_copy(
            update={"relative_gap_limit": args.gap, "max_wall_seconds": args.wall}
        )
        proposal, phases = solve(console, f"solving {size}", inp)
        started = time.perf_counter()
        scores = pair_scores(inp)
        baseline = greedy(inp, scores)
        greedy_s = time.perf_counter() - started
        greedy_value = objective(inp, baseline, scores) if baseline is not None else None
        runs = [("first", proposal)]
        figures[f"matching_s@{size}"] = round(proposal.wall_seconds, 3)
        figures[f"matching_gap_pct@{size}"] = round(100 * proposal.gap, 4)
        figures[f"matching_objective@{size}"] = proposal.objective
        figures[f"matching_bound@{size}"] = proposal.best_bound
        figures[f"greedy_s@{size}"] = round(greedy_s, 3)
        for name, seconds in phases.items():
            figures[f"matching_{name}_s@{size}"] = round(seconds, 3)
        if greedy_value is not None:
            figures[f"greedy_objective@{size}"] = greedy_value
            figures[f"matching_over_greedy@{size}"] = round(proposal.objective / greedy_value, 4)
        if n == 0 and len(proposal.teams) > 1:
            again, _ = solve(
                console, f"re-run of {size} after one edit (a member moved and locked, hinted)", edited(inp, proposal)
            )
            runs.append(("re-run, 1 edit", again))
            figures[f"matching_rerun_s@{size}"] = round(again.wall_seconds, 3)
            figures[f"matching_rerun_gap_pct@{size}"] = round(100 * again.gap, 4)
            figures[f"matching_rerun_objective@{size}"] = again.objective
        for run, p in runs:
            table.add_row(
                size,
                run,
                f"{p.wall_seconds:.1f}",
                p.status,
                f"{p.gap:.2%}",
                str(p.objective),
                f"{p.best_bound:,.0f}",
                f"{greedy_s:.2f}" if run == "first" else "",
                (str(greedy_value) if greedy_value is not None else "stuck") if run == "first" else "",
                f"{p.objective / greedy_value:.3f}" if greedy_value and run == "first" else "",
            )
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
        console.print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
