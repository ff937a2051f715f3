"""A deterministic synthetic programme at national scale, written through the rebuild's batch path.

`factor` 1 is the real programme's size so far: 2 periods of about 100 engagements, 3 officials per
team. Larger factors add engagements per period (up to all 1,741 municipalities) and then periods.
The same factor and seed always give the same events, hashes included.

Planted expertise: every official of the pool has one or two specialties (themes of vocabulary.THEMES),
known to the generator (`Generator.expertise()`). Teams stay mixed-ministry, but a ministry's seat goes
more often than not to an official whose specialty is one of the engagement's themes; a theme's visits and
coordinations are mostly led by the team's specialist of it (others join), online meetings are attended by
the whole team, and a theme's outcomes name its specialists as contributors (sometimes a teammate too).
Who personally took part in what is kept as well (`Generator.worked_on()`), so relevance can be judged
from the planted truth rather than from any search's output.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from neo4j import AsyncDriver

from banso.reference.load import BODIES_FILE, MUNICIPALITIES_FILE
from banso.synthetic import vocabulary as v
from schemas.envelope import GENESIS_HASH, EventEnvelope, format_time
from schemas.events import (
    BodyKind,
    BodyRef,
    CompanyVisitMade,
    CoordinationHeld,
    EngagementClosed,
    FundingApplicationStatus,
    FundingApplicationSupported,
    KickoffHeld,
    MunicipalityApplied,
    OfficialRef,
    OnlineMeetingHeld,
    OutcomeKind,
    OutcomeRecorded,
    OutcomeStatus,
    Payload,
    ReportKind,
    ReportSubmitted,
    SiteVisitMade,
    TeamAssigned,
)
from services.graph.store.batch_write import store_events
from services.graph.store.seal import ChainKey

SOURCE = "banso/synthetic"
ACTOR = "synthetic-generator"
FIRST_PERIOD = 11  # periods 1–10 are left to the real programme
REAL_ENGAGEMENTS = 200  # 第1期 + 第2期, about 100 each


@dataclass(frozen=True)
class Scale:
    """How many periods of how many engagements a factor means."""

    factor: float
    periods: int
    per_period: int

    @property
    def engagements(self) -> int:
        """Engagements in all."""
        return self.periods * self.per_period


def scale_for(factor: float, municipalities: int = 1741) -> Scale:
    """The periods and engagements per period for `factor` × the real programme."""
    total = max(2, round(REAL_ENGAGEMENTS * factor))
    per_period = min(municipalities, max(1, round(total / 2)))
    periods = max(1, math.ceil(total / per_period))
    if FIRST_PERIOD + periods - 1 > 99:
        raise ValueError(f"factor {factor} needs more than {99 - FIRST_PERIOD + 1} periods")
    return Scale(factor=factor, periods=periods, per_period=per_period)


SPECIALIST_SEAT = 0.6  # chance a ministry's seat goes to a specialist of one of the engagement's themes
SPECIALIST_LEAD = 0.7  # chance a theme's visit or coordination is led by the team's specialist of it
EXTRA_CONTRIBUTOR = 0.3  # chance an outcome also names a teammate who is not a specialist of its theme


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    prefecture: str


class Generator:
    """Events of synthetic engagements, period by period, each period's events in recording order."""

    def __init__(self, factor: float, seed: int = 2026) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        data = json.loads(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
        self.towns = [Town(m["code"], m["name"], p["name"]) for p in data["prefectures"] for m in p["municipalities"]]
        bodies = json.loads(BODIES_FILE.read_text(encoding="utf-8"))["bodies"]
        self.bureaus_by_prefecture: dict[str, list[str]] = {}
        for body in bodies:
            for prefecture in body["covers_prefectures"]:
                self.bureaus_by_prefecture.setdefault(prefecture, []).append(body["name"])
        self.programmes = [b["name"] for b in bodies if b["kind"] == "funding_program"]
        self.scale = scale_for(factor, len(self.towns))
        self.pool = self._officials()
        self._ids = {
            (ministry, name): OfficialRef(name=name, ministry=ministry).official_id
            for ministry, officials in self.pool.items()
            for name, _ in officials
        }
        self._expertise = self._plant_expertise(seed)
        self._worked: dict[str, set[str]] = {}

    def _officials(self) -> dict[str, list[tuple[str, str]]]:
        """Per ministry, (name, seniority) of the officials who may volunteer, reused across periods."""
        per_ministry = math.ceil(self.scale.per_period * 3 / len(v.BUREAUS) * 1.3) + 3
        names = [f"{s} {g}" for s in v.SURNAMES for g in v.GIVEN_NAMES]
        pool = {}
        for ministry in v.BUREAUS:
            chosen = self.rng.sample(names, min(per_ministry, len(names)))
            pool[ministry] = [(n, self.rng.choice(("junior", "mid", "mid", "senior"))) for n in chosen]
        return pool

    def _plant_expertise(self, seed: int) -> dict[str, frozenset[str]]:
        """One or two themes per official of the pool, from a random stream of its own."""
        rng = random.Random(f"expertise-{seed}")  # noqa: S311 - reproducible data, not secrets
        themes = sorted(v.THEMES)
        planted = {}
        for ministry in sorted(self.pool):
            for name, _ in self.pool[ministry]:
                planted[self._ids[ministry, name]] = frozenset(rng.sample(themes, rng.choice((1, 1, 2))))
        return planted

    def expertise(self) -> dict[str, frozenset[str]]:
        """Each pool official's id → the themes planted as their specialty."""
        return dict(self._expertise)

    def worked_on(self) -> dict[str, frozenset[str]]:
        """Official id → the themes of the activities and outcomes that named them, in the periods generated so
        far (complete once `periods()` has run to the end)."""
        return {official_id: frozenset(themes) for official_id, themes in self._worked.items()}

    def periods(self) -> Iterator[tuple[int, list[EventEnvelope]]]:
        """(period number, its events sorted by time, subject, sequence) for each period."""
        for index in range(self.scale.periods):
            period = FIRST_PERIOD + index
            fiscal_year = 2024 + index
            towns = self.rng.sample(self.towns, self.scale.per_period)
            events = [e for town in towns for e in self._engagement(period, fiscal_year, town)]
            events.sort(key=lambda e: (e.time, e.subject, e.sequence))
            yield period, events

    def _official(self, ministry: str, themes: list[str]) -> OfficialRef:
        """A ministry's official for a team: more often than not a specialist of one of `themes`."""
        candidates = self.pool[ministry]
        wanted = set(themes)
        specialists = [(n, s) for n, s in candidates if self._expertise[self._ids[ministry, n]] & wanted]
        if specialists and self.rng.random() < SPECIALIST_SEAT:
            candidates = specialists
        name, seniority = self.rng.choice(candidates)
        return OfficialRef(
            name=name,
            ministry=ministry,
            bureau=self.rng.choice(v.BUREAUS[ministry]),
            post=self.rng.choice(v.POSTS[seniority]),
        )

    def _engagement(self, period: int, fiscal_year: int, town: Town) -> list[EventEnvelope]:
        rng = self.rng
        start = date(fiscal_year, 4, 1)
        themes = rng.sample(sorted(v.THEMES), rng.randint(1, 3))
        challenges = sorted({rng.choice(v.THEMES[t][0]) for t in themes for _ in range(2)})
        ministries = rng.sample(sorted(v.BUREAUS), 3)
        bureaus = self.bureaus_by_prefecture.get(town.prefecture, ["東北地方整備局"])
        payloads: list[tuple[date, Payload]] = [
            (
                start + timedelta(days=rng.randint(5, 25)),
                MunicipalityApplied(
                    period=period,
                    municipality_code=town.code,
                    municipality_name=town.name,
                    prefecture=town.prefecture,
                    population=rng.randint(1_500, 250_000),
                    mayor=f"{rng.choice(v.SURNAMES)} {rng.choice(v.GIVEN_NAMES)}",
                    challenges=challenges,
                    desired_themes=themes,
                ),
            ),
        ]
        team = [self._official(m, themes) for m in ministries]
        members = [o.official_id for o in team]
        payloads.append((start + timedelta(days=45), TeamAssigned(officials=team)))
        kickoff = start + timedelta(days=rng.randint(55, 80))
        interim, final = date(fiscal_year, 10, 31), date(fiscal_year + 1, 3, 15)
        span = (final - kickoff).days - 1  # activities and outcomes fall before the final report
        title = f"{challenges[0]}に向けた{themes[0]}の推進"
        payloads.append((kickoff, KickoffHeld(held_on=kickoff, title=title, themes=themes)))
        for day in sorted(kickoff + timedelta(days=rng.randint(1, span)) for _ in range(rng.randint(8, 30))):
            payloads.append((day, self._activity(day, town, themes, bureaus, members)))
        if rng.random() < 0.5:
            day = kickoff + timedelta(days=rng.randint(60, span))
            status = rng.choice(list(FundingApplicationStatus))
            programme = rng.choice(self.programmes)
            payloads.append(
                (day, FundingApplicationSupported(supported_on=day, programme=programme, status=status, purpose=title))
            )
        for _ in range(rng.randint(1, 4)):
            day = kickoff + timedelta(days=rng.randint(120, span))
            achieved = day - timedelta(days=rng.randint(0, 30))  # recorded up to a month after it happened
            theme = rng.choice(themes)
            contributors = self._contributors(theme, members)
            related = [BodyRef(kind=BodyKind.REGIONAL_BUREAU, name=rng.choice(bureaus))]
            if rng.random() < 0.4:
                related.append(BodyRef(kind=BodyKind.FUNDING_PROGRAM, name=rng.choice(self.programmes)))
            payloads.append(
                (
                    day,
                    OutcomeRecorded(
                        recorded_on=day,
                        achieved_on=achieved,
                        contributor_ids=contributors,
                        theme=theme,
                        kind=rng.choice(list(OutcomeKind)),
                        description=f"{theme}: {rng.choice(v.THEMES[theme][2])}",
                        status=rng.choice(list(OutcomeStatus)),
                        related=related,
                    ),
                )
            )
        payloads.append((interim, ReportSubmitted(submitted_on=interim, report=ReportKind.INTERIM)))
        payloads.append((final, ReportSubmitted(submitted_on=final, report=ReportKind.FINAL)))
        closed = date(fiscal_year + 1, 3, 31)
        payloads.append((closed, EngagementClosed(closed_on=closed, summary=title)))
        payloads.sort(key=lambda item: item[0])
        return self._chain(f"engagement-{period}-{town.code}", payloads)

    def _specialists(self, theme: str, members: list[str]) -> list[str]:
        return [m for m in members if theme in self._expertise.get(m, frozenset())]

    def _note(self, theme: str, people: list[str]) -> list[str]:
        for official_id in people:
            self._worked.setdefault(official_id, set()).add(theme)
        return people

    def _lead_and_party(self, theme: str, members: list[str]) -> tuple[str, list[str]]:
        """Who leads a visit or coordination on `theme` (mostly its specialist) and who goes (lead first)."""
        rng = self.rng
        specialists = self._specialists(theme, members)
        lead = rng.choice(specialists) if specialists and rng.random() < SPECIALIST_LEAD else rng.choice(members)
        others = [m for m in members if m != lead]
        party = [lead, *rng.sample(others, rng.randint(0, len(others)))]
        return lead, self._note(theme, sorted(party))

    def _contributors(self, theme: str, members: list[str]) -> list[str]:
        """Who an outcome on `theme` names: its specialists on the team (or one member), sometimes another."""
        rng = self.rng
        named = self._specialists(theme, members) or [rng.choice(members)]
        others = [m for m in members if m not in named]
        if others and rng.random() < EXTRA_CONTRIBUTOR:
            named.append(rng.choice(others))
        return self._note(theme, sorted(named))

    def _activity(self, day: date, town: Town, themes: list[str], bureaus: list[str], members: list[str]) -> Payload:
        rng = self.rng
        theme = rng.choice(themes)
        roll = rng.random()
        if roll < 0.6:  # the whole team attends the regular online meeting
            everyone = self._note(theme, sorted(members))
            return OnlineMeetingHeld(start_date=day, notes=f"{theme}に関する打合せ", participant_ids=everyone)
        lead, party = self._lead_and_party(theme, members)
        if roll < 0.8:
            place = f"{town.name}{rng.choice(v.THEMES[theme][1])}"
            return SiteVisitMade(start_date=day, place=place, notes=theme, participant_ids=party, led_by=lead)
        if roll < 0.92:
            companies = sorted(
                {f"株式会社{rng.choice(v.COMPANY_PREFIXES)}{rng.choice(v.COMPANY_SUFFIXES)}" for _ in range(3)}
            )
            return CompanyVisitMade(
                start_date=day,
                company_count=len(companies),
                companies=companies,
                notes=theme,
                participant_ids=party,
                led_by=lead,
            )
        bureau = rng.choice(bureaus)
        body = BodyRef(kind=BodyKind.REGIONAL_BUREAU, name=bureau)
        topic = f"{theme}に関する{bureau}との調整"
        return CoordinationHeld(held_on=day, body=body, topic=topic, participant_ids=party, led_by=lead)

    def _chain(self, subject: str, payloads: list[tuple[date, Payload]]) -> list[EventEnvelope]:
        events = []
        prev = GENESIS_HASH
        for sequence, (day, payload) in enumerate(payloads, start=1):
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=sequence)
            event = EventEnvelope(
                id=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                type=type(payload).__name__,
                source=SOURCE,
                subject=subject,
                sequence=sequence,
                time=format_time(moment),
                actor=ACTOR,
                schema_version=payload.stored_version,
                data=payload.stored_form(),
                prev_hash=prev,
            ).sealed()
            prev = event.hash
            events.append(event)
        return events


Progress = Callable[[int, int], None]


async def load_synthetic(
    driver: AsyncDriver,
    database: str,
    factor: float,
    *,
    chain_key: ChainKey,
    seed: int = 2026,
    batch: int = 1000,
    progress: Progress | None = None,
) -> int:
    """Generate and store the synthetic programme (events and projection); returns the events written."""
    generator = Generator(factor, seed)
    written = 0
    for index, (_, events) in enumerate(generator.periods(), start=1):
        for start in range(0, len(events), batch):
            chunk = events[start : start + batch]
            await store_events(driver, database, chunk, chain_key)
            written += len(chunk)
            if progress is not None:
                left = generator.scale.periods - index
                progress(written, max(written, written + (len(events) - start - len(chunk)) + left * len(events)))
    if progress is not None:
        progress(written, written)
    return written
