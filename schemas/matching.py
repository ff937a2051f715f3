"""Matching: who volunteered, who applied, the rules, and the proposed teams with their explanations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.seniority import Seniority
from schemas.text import Key, MunicipalityCode, Name, Text


class Volunteer(BaseModel):
    """An official who volunteered for the period (OfficialVolunteered); what the solver compares (ministry,
    regions, themes) in the compared form (`Key`: NFKC), so a 全角 spelling is the same ministry."""

    model_config = ConfigDict(frozen=True)
    official_id: str = Field(min_length=1, max_length=100)
    name: Name
    ministry: Key
    seniority: Seniority = Seniority.MID
    hometown: Key | None = Field(default=None, description="出身の都道府県")
    preferred_regions: list[Key] = Field(default_factory=list, max_length=47, description="希望する都道府県")
    expertise: list[Key] = Field(default_factory=list, max_length=30, description="専門・経験")
    preferred_themes: list[Key] = Field(default_factory=list, max_length=10)
    past_evidence: list[Text] = Field(default_factory=list, max_length=50, description="グラフ上の実績 (テーマ・課題)")
    capacity: int = Field(default=1, ge=1, le=3, description="担当できるチーム数")


class Application(BaseModel):
    """A municipality's application for the period (MunicipalityApplied)."""

    model_config = ConfigDict(frozen=True)
    municipality_code: MunicipalityCode
    municipality_name: Name
    prefecture: Key
    challenges: list[Text] = Field(default_factory=list, max_length=20)
    desired_themes: list[Key] = Field(default_factory=list, max_length=10)


class Weights(BaseModel):
    """How much each term of the objective counts (settings)."""

    model_config = ConfigDict(frozen=True)
    fit: int = Field(default=10, ge=0, le=1000, description="課題・テーマと専門の一致")
    region: int = Field(default=4, ge=0, le=1000, description="出身地・希望地域")
    seniority_mix: int = Field(default=6, ge=0, le=1000, description="シニアと若手・中堅の組合せ")
    ministry_diversity: int = Field(default=3, ge=0, le=1000, description="期全体での府省庁の多様性")


class Pairing(BaseModel):
    """An official fixed to a municipality by a person."""

    model_config = ConfigDict(frozen=True)
    official_id: str
    municipality_code: MunicipalityCode


class MatchingInput(BaseModel):
    """Everything the optimiser needs; the same input always gives the same proposal."""

    model_config = ConfigDict(frozen=True)
    volunteers: list[Volunteer]
    applications: list[Application]
    min_team_size: int = Field(default=2, ge=1, le=5)
    max_team_size: int = Field(default=3, ge=1, le=5)
    weights: Weights = Weights()
    locked: list[Pairing] = Field(default_factory=list)
    excluded: list[str] = Field(default_factory=list, description="使わない支援官ID")
    candidates_per_municipality: int = Field(default=40, ge=3, le=1000, description="各市町村で検討する候補数")
    max_deterministic_time: float = Field(default=30.0, gt=0, le=3600, description="CP-SAT の決定的時間の上限")
    relative_gap_limit: float = Field(
        default=0.005, ge=0, le=1, description="証明された上限との差がこの割合以下になれば探索を終える"
    )
    max_wall_seconds: float | None = Field(
        default=None, gt=0, le=3600, description="実時間の上限 (指定すると結果の再現性は保証されない)"
    )
    hint: list[Pairing] = Field(default_factory=list, description="再実行の出発点: 前回の提案 (修正後) の組合せ")

    @model_validator(mode="after")
    def _sizes(self) -> MatchingInput:
        if self.min_team_size > self.max_team_size:
            raise ValueError("min_team_size must not exceed max_team_size")
        ids = [v.official_id for v in self.volunteers]
        if len(set(ids)) != len(ids):
            raise ValueError("official ids must be unique")
        codes = [a.municipality_code for a in self.applications]
        if len(set(codes)) != len(codes):
            raise ValueError("municipality codes must be unique")
        return self


class MemberReason(BaseModel):
    """Why one official is on one team."""

    official_id: str
    name: str
    ministry: str
    seniority: Seniority
    matched: list[str] = Field(description="課題・テーマのうち専門・実績と一致したもの")
    regional_tie: str | None = Field(default=None, description="hometown / preferred_region")
    locked: bool = False


class ProposedTeam(BaseModel):
    """One team of the proposal with its score and explanation."""

    municipality_code: str
    municipality_name: str
    members: list[MemberReason]
    score: int
    explanation_ja: str
    explanation_en: str


class Proposal(BaseModel):
    """The optimiser's answer: teams, the objective, how sure it is, and the greedy baseline's objective."""

    status: str = Field(description="optimal, feasible or infeasible")
    objective: int
    best_bound: float
    gap: float = Field(description="(bound − objective) / bound; 0 when proven optimal")
    teams: list[ProposedTeam]
    reasons_ja: list[str] = Field(default_factory=list, description="infeasible のときの理由")
    reasons_en: list[str] = Field(default_factory=list)
    wall_seconds: float
