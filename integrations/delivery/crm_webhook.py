"""A domain's CRM webhook: each new lead POSTed as JSON, signed with HMAC-SHA256 of the account's secret.

Headers: X-Rastro-Event (e.g. lead.created), X-Rastro-Delivery (the integrations_log id: the same on
every retry, so the CRM can ignore repeats), X-Rastro-Timestamp (Unix seconds) and
X-Rastro-Signature: 'sha256=' + hex HMAC-SHA256(secret, '<timestamp>.<body>').
"""

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from integrations.delivery.outcomes import Outcome, delivered, failed
from integrations.delivery.transport import Reply, Request, transient


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def webhook_request(url: str, secret: str, log_id: uuid.UUID, data: dict[str, Any]) -> Request:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Rastro-Event": str(data.get("event", "lead.created")),
        "X-Rastro-Delivery": str(log_id),
        "X-Rastro-Timestamp": str(timestamp),
        "X-Rastro-Signature": signature(secret, timestamp, body),
    }
    return Request(url, None, headers, content=body)


def webhook_outcome(reply: Reply) -> Outcome:
    excerpt = str(reply.body)[:300]
    if outcome := transient(reply, excerpt):
        return outcome
    assert reply.status is not None
    if 200 <= reply.status < 300:
        return delivered()
    return failed(f"the CRM refused the lead ({reply.status}): {excerpt}")
