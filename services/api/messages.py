"""The message catalogue for API problems: Japanese first, English second."""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    """One user-facing message in both languages."""

    ja: str
    en: str


MESSAGES: dict[str, Message] = {
    "validation_error": Message("入力内容に誤りがあります", "The request is invalid"),
    "not_found": Message("該当する伴走支援が見つかりません", "No such engagement"),
    "already_applied": Message(
        "この自治体はこの期に既に応募しています", "This municipality has already applied in this period"
    ),
    "engagement_ended": Message("この伴走支援は終了または取下げ済みです", "The engagement is closed or withdrawn"),
    "lifecycle_violation": Message(
        "現在の段階ではこの操作はできません", "This command is not allowed in the engagement's current stage"
    ),
    "unavailable": Message(
        "サーバーに接続できません。しばらくしてから再試行してください",
        "A server is unreachable; retry later with the same Idempotency-Key",
    ),
    "timeout": Message(
        "処理が時間内に完了しませんでした。同じ Idempotency-Key で再試行してください",
        "The command did not complete in time; retry with the same Idempotency-Key",
    ),
    "chain_conflict": Message(
        "監査ログがワークフローの記録と一致しないため書き込みを中止しました。運用担当者に連絡してください",
        "The stored event log no longer matches the engagement's chain; nothing was written. Call an operator",
    ),
    "busy": Message(
        "この伴走支援への同時の操作が多すぎます。少し待ってから同じ Idempotency-Key で再試行してください",
        "Too many concurrent commands for this workflow; retry shortly with the same Idempotency-Key",
    ),
    "idempotency_key_reused": Message(
        "この Idempotency-Key は別の内容の操作に使用済みです。新しいキーを指定してください",
        "This Idempotency-Key was already used with a different request body; use a new key",
    ),
    "invalid_json": Message("リクエスト本文を JSON として読み取れません", "The request body is not valid JSON"),
    "invalid_text": Message(
        "文字列に使用できない文字（対になっていないサロゲート）が含まれています",
        "A string contains a character that cannot be stored (a lone surrogate)",
    ),
    "invalid_number": Message("数値が大きすぎるか、有限の数ではありません", "A number is too large or not finite"),
    "invalid_schema_version": Message(
        "schema_version は 1 以上の整数で指定してください", "schema_version must be an integer of at least 1"
    ),
    "date_out_of_range": Message("日付が受け付けられる範囲外です", "A date lies outside the accepted range"),
    "internal_error": Message("内部エラーが発生しました", "Internal error"),
}


def message(code: str) -> Message:
    """The catalogue entry for `code`."""
    return MESSAGES[code]
