"""Generates the published JSON Schemas (`schemas/json/`) from the pydantic models.

Run `python -m schemas.publish` after changing a model; tests/unit/test_published_schemas.py fails
while the checked-in files and the models disagree.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from schemas.api_views import EngagementDetail, EngagementLog, EngagementStateView
from schemas.audit_bundle import Manifest, PublicKeyView
from schemas.envelope import EventEnvelope
from schemas.events import ALL_PAYLOADS, ActivityPayload
from schemas.feed import FeedEvent, FeedPage
from schemas.problem import Problem
from schemas.report import EngagementReport
from schemas.views import EventReceipt
from schemas.webhooks import DeliveryRecord, NewSubscription, SubscriptionView

OUT = Path(__file__).with_name("json")


def documents() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema: every event payload, the envelope and the feed's item (a webhook's body), the API's
    bodies and answers, and an audit bundle's manifest."""
    models: dict[str, type[BaseModel]] = {f"events/{cls.__name__}": cls for cls in ALL_PAYLOADS}
    models |= {
        "envelope/EventEnvelope": EventEnvelope,
        "envelope/FeedEvent": FeedEvent,
        "api/FeedPage": FeedPage,
        "api/NewWebhookSubscription": NewSubscription,
        "api/WebhookSubscription": SubscriptionView,
        "api/WebhookDelivery": DeliveryRecord,
        "api/AuditPublicKey": PublicKeyView,
        "audit/Manifest": Manifest,
        "api/EventReceipt": EventReceipt,
        "api/EngagementDetail": EngagementDetail,
        "api/EngagementLog": EngagementLog,
        "api/EngagementStateView": EngagementStateView,
        "api/EngagementReport": EngagementReport,
        "api/Problem": Problem,
    }
    docs = {name: model.model_json_schema() for name, model in models.items()}
    docs["api/ActivityBody"] = TypeAdapter(ActivityPayload).json_schema()
    for name, doc in docs.items():
        doc["$id"] = f"https://banso.example/schemas/{name}.json"
    return docs


def render(doc: dict[str, Any]) -> str:
    """The checked-in text of one schema (stable key order, UTF-8, trailing newline)."""
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    """Write every schema file and remove files no model produces any more."""
    docs = documents()
    wanted = {OUT / f"{name}.json" for name in docs}
    for name, doc in docs.items():
        path = OUT / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(doc), encoding="utf-8")
    for stale in set(OUT.rglob("*.json")) - wanted:
        stale.unlink()
    print(f"wrote {len(docs)} schemas under {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
