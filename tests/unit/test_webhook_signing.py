"""Our Standard Webhooks signatures, checked by a second implementation (the `standardwebhooks` package)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from services.workflow.webhooks.signing import SECRET_PREFIX, new_secret, secret_bytes, signature, signed_headers

BODY = json.dumps(
    {"id": "evt-1", "type": "SiteVisitMade", "position": 7, "data": {"place": "釜石市"}}, ensure_ascii=False
)


def test_secret_is_whsec_base64_of_32_bytes() -> None:
    secret = new_secret()
    assert secret.startswith(SECRET_PREFIX)
    assert len(secret_bytes(secret)) == 32
    assert new_secret() != secret


def test_standardwebhooks_verifies_our_headers() -> None:
    secret = new_secret()
    headers = signed_headers(secret, "evt-1", int(time.time()), BODY)
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)


def test_signature_equals_the_reference_signature() -> None:
    secret = new_secret()
    now = int(time.time())
    expected = Webhook(secret).sign("evt-1", datetime.fromtimestamp(now, UTC), BODY)
    assert signature(secret, "evt-1", now, BODY) == expected


@pytest.mark.parametrize("field", ["body", "id", "timestamp"])
def test_a_changed_byte_fails_verification(field: str) -> None:
    secret = new_secret()
    now = int(time.time())
    headers = signed_headers(secret, "evt-1", now, BODY)
    body = BODY
    if field == "body":
        body = BODY.replace("7", "8")
    elif field == "id":
        headers["webhook-id"] = "evt-2"
    else:
        headers["webhook-timestamp"] = str(now - 1)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)


def test_another_secret_fails_verification() -> None:
    headers = signed_headers(new_secret(), "evt-1", int(time.time()), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, headers)
