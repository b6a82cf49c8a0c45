"""Fake CRM webhook receiver: checks the HMAC signature, records each delivery."""

import hashlib
import hmac
from dataclasses import dataclass

from tests.fakes.http_server import Answer, Received
from tests.fakes.platform import FakePlatform, Invalid

SECRET = "crm-signing-secret-0123456789"


@dataclass
class FakeCrm(FakePlatform):
    def process(self, request: Received) -> tuple[Answer, list[str]]:
        timestamp = request.headers.get("x-rastro-timestamp", "")
        signed = f"{timestamp}.".encode() + request.body
        expected = "sha256=" + hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("x-rastro-signature", "")):
            raise Invalid(Answer(401, {"error": "bad signature"}))
        return Answer(200, {"id": "crm-contact-1"}), [request.headers.get("x-rastro-delivery", "")]
