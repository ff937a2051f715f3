"""The one-page engagement report (the seed's 伴走支援 report): the published shape of its facts.

Folded from an engagement's recorded events by services.workflow.engagement.report; served as JSON at
GET /api/v1/engagements/{id}/report and rendered as the back office's printable page.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from schemas.wareki import wareki

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class ReportOfficial(BaseModel):
    """①石川 亨 国土交通省水管理・国土保全局総務課長 (出向元)."""

    mark: str
    official_id: str
    name: str
    ministry: str
    post_line: str
    seconded_from: str | None = None


class ReportFlow(BaseModel):
    """○ area — description, and its concrete actions."""

    area: str
    description: str
    actions: list[str] = Field(default_factory=list)


class ReportOutcome(BaseModel):
    """One 成果・展望 line with its ○ heading (if recorded), its status and the event it came from."""

    description: str
    heading: str | None = Field(default=None, description="○ 見出し (同じ見出しの成果は続けて並ぶ)")
    status: str
    status_ja: str = Field(default="", description="the status in Japanese, from the message catalogue")
    event_id: str


class ReportPartner(BaseModel):
    """関係機関との連携: a body and what the team worked on with it."""

    mark: str
    body: str
    what: str


class ActivityLine(BaseModel):
    """活動実績: a count and the seed-style list of dates."""

    count: int
    visits: int
    dates: str


class EngagementReport(BaseModel):
    """Everything the one-page report shows, each fact from a recorded event."""

    engagement_id: str
    municipality_name: str = ""
    prefecture: str = ""
    nendo: str | None = None
    title: str | None = None
    themes: list[str] = Field(default_factory=list)
    ministries: list[str] = Field(default_factory=list)
    population: int | None = None
    population_as_of: str | None = None
    mayor: str | None = None
    site_visits: ActivityLine = ActivityLine(count=0, visits=0, dates="")
    company_visits: ActivityLine = ActivityLine(count=0, visits=0, dates="")
    online_meetings: ActivityLine = ActivityLine(count=0, visits=0, dates="")
    officials: list[ReportOfficial] = Field(default_factory=list)
    challenge_heading: str | None = Field(default=None, description="市の課題の ○ 見出し")
    challenges: list[str] = Field(default_factory=list)
    flows: list[ReportFlow] = Field(default_factory=list)
    outcomes: dict[str, list[ReportOutcome]] = Field(
        default_factory=dict, description="【区分】 → 成果 (区分の中では同じ ○ 見出しの成果が続けて並ぶ)"
    )
    partners: list[ReportPartner] = Field(default_factory=list)
    events: int = 0
    fiscal_year: int | None = Field(default=None, description="年度の始まる西暦年 (nendo の英語表記用)")
    generated_on: date | None = Field(default=None, description="作成日 (JST)")

    def outcome_runs(self, group: str) -> list[tuple[str | None, list[ReportOutcome]]]:
        """The group's outcomes as runs under one ○ heading each (None: outcomes recorded without one)."""
        runs: list[tuple[str | None, list[ReportOutcome]]] = []
        for o in self.outcomes.get(group, []):
            if runs and runs[-1][0] == o.heading:
                runs[-1][1].append(o)
            else:
                runs.append((o.heading, [o]))
        return runs

    def generated_text(self, lang: str) -> str:
        """The day the report was generated: 令和8年11月30日, or 30 Nov 2026."""
        if self.generated_on is None:
            return ""
        d = self.generated_on
        return wareki(d) if lang == "ja" else f"{d.day} {MONTHS[d.month - 1]} {d.year}"
