"""The import template: its sheets (案件, チーム, 活動, 成果), their Japanese headers, and the words of its cells.

docs/import-template.md describes it for people; `template_file.py` writes it as a workbook.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.events import ActivityKind, BodyKind, LeaveReason, OutcomeKind, OutcomeStatus

MAX_FILE_BYTES = 5 * 1024 * 1024  # an upload larger than this is refused before it is read
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an .xlsx that inflates beyond this is refused (zip bombs)
MAX_ROWS = 20_000  # data rows over every sheet


@dataclass(frozen=True)
class Column:
    """One column: its header (Japanese, as in the file), its key, whether a row must fill it, an example."""

    header: str
    key: str
    required: bool = False
    example: str = ""
    note: str = ""


@dataclass(frozen=True)
class SheetSpec:
    """One sheet (or CSV section): its name and columns."""

    name: str
    key: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        """The column with `key`."""
        return next(c for c in self.columns if c.key == key)


def _where(period: str = "2", code: str = "032034", name: str = "大船渡市") -> tuple[Column, ...]:
    return (
        Column("期", "period", True, period, "第N期のN (1〜99)"),
        Column("市町村コード", "municipality_code", False, code, "全国地方公共団体コード6桁。空なら市町村名で探す"),
        Column("市町村", "municipality", False, name, "市町村名 (コードがあれば照合のみ)"),
    )


ENGAGEMENTS = SheetSpec(
    "案件",
    "engagements",
    (
        *_where(),
        Column("応募日", "applied_on", False, "令和7年4月1日"),
        Column("課題", "challenges", False, "全国的な人口減少\n被災木の活用", "改行または；で区切る"),
        Column("希望テーマ", "desired_themes", False, "産業振興、子育て支援", "、 , ；で区切る"),
        Column("チーム編成日", "assigned_on", True, "2025-04-30"),
        Column("キックオフ日", "kickoff_on", True, "R7.4.30"),
        Column("題目", "title", True, "サーキュラーエコノミーポートを目指した産業振興"),
        Column("支援テーマ", "themes", True, "産業振興、子育て支援、環境", "1〜5件"),
        Column("最終報告期限", "final_report_due", False, "2026/3/31"),
        Column("終了日", "closed_on", False, "", "記入すると成果の後に終了を記録する"),
    ),
)
TEAM = SheetSpec(
    "チーム",
    "team",
    (
        *_where(),
        Column("支援官ID", "official_id", False, "official-…", "支援官IDか氏名のどちらか"),
        Column("氏名", "name", False, "石川 亨", "登録済みの支援官の氏名 (同名が複数なら支援官IDで)"),
        Column("参加日", "joined_on", False, "", "空ならチーム編成日 (編成時のメンバー)"),
        Column("離脱日", "left_on", False, ""),
        Column("離脱理由", "leave_reason", False, "", "人事異動 / 本務多忙 / その他"),
    ),
)
ACTIVITIES = SheetSpec(
    "活動",
    "activities",
    (
        *_where(),
        Column("種類", "kind", True, "現地訪問", "オンライン会議 / 現地訪問 / 企業訪問 / 調整"),
        Column("日付", "start_date", True, "令和7年5月29日"),
        Column("終了日", "end_date", False, "令和7年5月30日", "複数日のとき"),
        Column(
            "参加者", "participants", False, "石川 亨、古田 匠", "支援官IDか氏名を 、 , ；で区切る。空ならチーム単位"
        ),
        Column("主担当", "led_by", False, "", "参加者のうちの1名"),
        Column("訪問先", "place", False, "大船渡港", "現地訪問・企業訪問の場所・地域"),
        Column("企業数", "company_count", False, "", "企業訪問のとき (1以上)"),
        Column("連携先", "body", False, "", "調整のとき: 機関・制度の名称"),
        Column("連携先種別", "body_kind", False, "", "府省庁 / 地方支分部局 / 都道府県の部局 / 団体 / 制度"),
        Column("内容", "notes", False, "港湾施設の視察", "調整では必須 (協議の内容)"),
    ),
)
OUTCOMES = SheetSpec(
    "成果",
    "outcomes",
    (
        *_where(),
        Column("種類", "kind", True, "選定", "条例改正 / 指針策定 / 企業誘致 / 交付金採択 / 選定 / 連携協定 / その他"),
        Column("状況", "status", True, "進行中", "達成 / 進行中 / 予定"),
        Column("内容", "description", True, "サーキュラーエコノミーポートへの選定を目指す"),
        Column("テーマ", "theme", False, "産業振興"),
        Column("達成日", "achieved_on", False, "2026-03-31"),
        Column("記録日", "recorded_on", False, ""),
        Column("貢献者", "contributors", False, "石川 亨", "支援官IDか氏名を 、 , ；で区切る"),
    ),
)
SHEETS: tuple[SheetSpec, ...] = (ENGAGEMENTS, TEAM, ACTIVITIES, OUTCOMES)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
IGNORED_SHEET_PREFIXES = ("説明", "#")  # the template's own instructions; a user's notes

ACTIVITY_KINDS: dict[str, str] = {
    "オンライン会議": ActivityKind.ONLINE_MEETING.value,
    "現地訪問": ActivityKind.SITE_VISIT.value,
    "企業訪問": ActivityKind.COMPANY_VISIT.value,
    "調整": "coordination",
}
BODY_KINDS: dict[str, BodyKind] = {
    "府省庁": BodyKind.MINISTRY,
    "地方支分部局": BodyKind.REGIONAL_BUREAU,
    "都道府県の部局": BodyKind.PREFECTURAL_DEPARTMENT,
    "団体": BodyKind.ORGANIZATION,
    "制度": BodyKind.FUNDING_PROGRAM,
}
LEAVE_REASONS: dict[str, LeaveReason] = {
    "人事異動": LeaveReason.TRANSFER,
    "本務多忙": LeaveReason.WORKLOAD,
    "その他": LeaveReason.OTHER,
}
OUTCOME_KINDS: dict[str, OutcomeKind] = {
    "条例改正": OutcomeKind.ORDINANCE_REVISION,
    "指針策定": OutcomeKind.GUIDELINE,
    "企業誘致": OutcomeKind.COMPANY_ATTRACTION,
    "交付金採択": OutcomeKind.GRANT_ADOPTED,
    "選定": OutcomeKind.SELECTION,
    "連携協定": OutcomeKind.PARTNERSHIP_AGREEMENT,
    "その他": OutcomeKind.OTHER,
}
OUTCOME_STATUSES: dict[str, OutcomeStatus] = {
    "達成": OutcomeStatus.ACHIEVED,
    "進行中": OutcomeStatus.IN_PROGRESS,
    "予定": OutcomeStatus.PLANNED,
}
