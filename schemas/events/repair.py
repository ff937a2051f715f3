"""The record a repair leaves in the stream it brought back in line."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.events.base import Payload


class StreamRepaired(Payload):
    """記録の修復 — Stream repaired: the log and its writer were brought back in line, nothing guessed."""

    event_type: Literal["StreamRepaired"] = "StreamRepaired"
    restored: list[int] = Field(
        default_factory=list,
        description="ログから失われ、ワークフローの履歴から同一の内容で書き戻した番号 (sequences re-stored from "
        "the workflow's history)",
    )
    adopted: list[int] = Field(
        default_factory=list,
        description="ログにあってワークフローが知らなかった番号、ワークフローが取り込んだもの (sequences the "
        "workflow took over from the log)",
    )
    reason: str = Field(default="banso repair", max_length=500, description="修復の理由・実行者のメモ")
