"""Why an instance cannot be solved, in words, checked before the solver runs (pure)."""

from __future__ import annotations

from collections import Counter, defaultdict

from schemas.matching import MatchingInput

Reason = tuple[str, str]


def infeasibility(inp: MatchingInput) -> list[Reason]:
    """Every reason found that no proposal can satisfy the rules (empty when none is found)."""
    reasons: list[Reason] = []
    excluded = set(inp.excluded)
    available = [v for v in inp.volunteers if v.official_id not in excluded]
    apps = len(inp.applications)
    if not apps:
        return reasons
    capacity = sum(v.capacity for v in available)
    needed = inp.min_team_size * apps
    if capacity < needed:
        reasons.append(
            (
                f"支援官の担当可能数の合計 {capacity} が必要数 {inp.min_team_size}×{apps}={needed} に足りません",
                f"volunteers can take {capacity} places but {apps} teams of at least {inp.min_team_size} need "
                f"{inp.min_team_size * apps}",
            )
        )
    ministries = {v.ministry for v in available}
    if len(ministries) < inp.min_team_size:
        names = "・".join(sorted(ministries)) or "なし"
        reasons.append(
            (
                f"志願者の府省庁が {len(ministries)} つ（{names}）しかなく、"
                f"{inp.min_team_size} 府省庁のチームを作れません",
                f"volunteers come from only {len(ministries)} ministries ({names}); a team needs "
                f"{inp.min_team_size} different ones",
            )
        )
    reasons += _lock_reasons(inp)
    return reasons


def _lock_reasons(inp: MatchingInput) -> list[Reason]:
    reasons: list[Reason] = []
    by_id = {v.official_id: v for v in inp.volunteers}
    codes = {a.municipality_code for a in inp.applications}
    per_team: dict[str, list[str]] = defaultdict(list)
    for lock in inp.locked:
        if lock.official_id not in by_id or lock.official_id in inp.excluded:
            reasons.append(
                (
                    f"固定された支援官 {lock.official_id} は志願者にいないか除外されています",
                    f"locked official {lock.official_id} did not volunteer or is excluded",
                )
            )
            continue
        if lock.municipality_code not in codes:
            reasons.append(
                (
                    f"固定先 {lock.municipality_code} の応募がありません",
                    f"no application from {lock.municipality_code} to lock to",
                )
            )
            continue
        per_team[lock.municipality_code].append(lock.official_id)
    for code, officials in sorted(per_team.items()):
        if len(officials) > inp.max_team_size:
            reasons.append(
                (
                    f"{code} に {len(officials)} 名が固定され上限 {inp.max_team_size} 名を超えます",
                    f"{len(officials)} officials locked to {code}, more than {inp.max_team_size}",
                )
            )
        repeated = [m for m, n in Counter(by_id[o].ministry for o in officials).items() if n > 1]
        for ministry in repeated:
            reasons.append(
                (
                    f"{code} に同じ府省庁（{ministry}）の支援官が2名以上固定されています",
                    f"two officials of {ministry} are locked to {code}",
                )
            )
    load = Counter(lock.official_id for lock in inp.locked if lock.official_id in by_id)
    for official, n in sorted(load.items()):
        if n > by_id[official].capacity:
            reasons.append(
                (
                    f"{by_id[official].name} は {n} チームに固定され担当可能数 {by_id[official].capacity} を超えます",
                    f"{by_id[official].name} is locked to {n} teams, beyond their capacity {by_id[official].capacity}",
                )
            )
    return reasons
