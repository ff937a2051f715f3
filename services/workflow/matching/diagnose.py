"""Why an instance cannot be solved, as messages (pure), checked before the solver runs.

Each reason is a msgid of services/i18n's catalogue with its values; the matching activity reads them in
Japanese and English for the proposal the period's event stores.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from schemas.matching import MatchingInput
from services.i18n.message import N_, Msg

Reason = Msg


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
            Msg(
                N_("volunteers can take %(capacity)s places but %(teams)s teams of at least %(size)s need %(needed)s"),
                {"capacity": capacity, "teams": apps, "size": inp.min_team_size, "needed": needed},
            )
        )
    ministries = {v.ministry for v in available}
    if len(ministries) < inp.min_team_size:
        names = sorted(ministries) or Msg(N_("none"))
        reasons.append(
            Msg(
                N_("volunteers come from only %(count)s ministries (%(names)s); a team needs %(size)s different ones"),
                {"count": len(ministries), "names": names, "size": inp.min_team_size},
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
                Msg(N_("locked official %(official)s did not volunteer or is excluded"), {"official": lock.official_id})
            )
            continue
        if lock.municipality_code not in codes:
            reasons.append(Msg(N_("no application from %(code)s to lock to"), {"code": lock.municipality_code}))
            continue
        per_team[lock.municipality_code].append(lock.official_id)
    for code, officials in sorted(per_team.items()):
        if len(officials) > inp.max_team_size:
            reasons.append(
                Msg(
                    N_("%(count)s officials locked to %(code)s, more than %(max)s"),
                    {"count": len(officials), "code": code, "max": inp.max_team_size},
                )
            )
        repeated = [m for m, n in Counter(by_id[o].ministry for o in officials).items() if n > 1]
        for ministry in repeated:
            reasons.append(
                Msg(N_("two officials of %(ministry)s are locked to %(code)s"), {"ministry": ministry, "code": code})
            )
    load = Counter(lock.official_id for lock in inp.locked if lock.official_id in by_id)
    for official, n in sorted(load.items()):
        if n > by_id[official].capacity:
            reasons.append(
                Msg(
                    N_("%(name)s is locked to %(count)s teams, beyond their capacity %(capacity)s"),
                    {"name": by_id[official].name, "count": n, "capacity": by_id[official].capacity},
                )
            )
    return reasons
