"""Fake LinkedIn Conversions API: BATCH_CREATE answered with one status per element."""

import re
from dataclasses import dataclass
from typing import Any

from tests.fakes.http_server import Answer, Received
from tests.fakes.platform import TOKEN, FakePlatform, Invalid, age_days, hashed

CONVERSION = re.compile(r"urn:lla:llaPartnerConversion:\d+")
MAX_EVENTS = 5000


def li_error(status: int, message: str, code: str = "INVALID") -> dict[str, Any]:
    return {"status": status, "code": code, "message": message}


@dataclass
class FakeLinkedIn(FakePlatform):
    def process(self, request: Received) -> tuple[Answer, list[str]]:
        headers = request.headers
        if headers.get("authorization") != f"Bearer {TOKEN}":
            raise Invalid(Answer(401, li_error(401, "Invalid access token", "INVALID_ACCESS_TOKEN")))
        if not re.fullmatch(r"\d{6}", headers.get("linkedin-version", "")):
            raise Invalid(Answer(400, li_error(400, "A valid LinkedIn-Version header is required")))
        if (
            headers.get("x-restli-protocol-version") != "2.0.0"
            or headers.get("x-restli-method") != "BATCH_CREATE"
        ):
            raise Invalid(Answer(400, li_error(400, "BATCH_CREATE with Rest.li 2.0.0 is required")))
        elements = request.json().get("elements") or []
        if not 1 <= len(elements) <= MAX_EVENTS:
            raise Invalid(Answer(400, li_error(400, f"1 to {MAX_EVENTS} elements")))
        statuses = [self.element_status(element) for element in elements]
        ids = [e["eventId"] for e, s in zip(elements, statuses, strict=True) if s["status"] == 201]
        return Answer(200, {"elements": statuses}), ids

    def element_status(self, element: dict[str, Any]) -> dict[str, Any]:
        def refused(message: str) -> dict[str, Any]:
            return {"status": 400, "error": li_error(400, message)}

        if not CONVERSION.fullmatch(str(element.get("conversion", ""))):
            return refused("conversion must be urn:lla:llaPartnerConversion:<id>")
        happened = element.get("conversionHappenedAt")
        if not isinstance(happened, int) or happened < 10**12:
            return refused("conversionHappenedAt must be epoch milliseconds")
        if age_days(happened / 1000) > 90:
            return refused("conversionHappenedAt must be within the past 90 days")
        value = element.get("conversionValue") or {}
        if not isinstance(value.get("amount"), str) or len(value.get("currencyCode", "")) != 3:
            return refused("conversionValue needs amount as a string and a currencyCode")
        user_ids = (element.get("user") or {}).get("userIds")
        if not isinstance(user_ids, list):
            return {"status": 422, "error": li_error(422, "user.userIds is required, even if empty")}
        for user_id in user_ids:
            if user_id.get("idType") == "SHA256_EMAIL" and not hashed(user_id.get("idValue")):
                return refused("SHA256_EMAIL must be SHA-256 hex")
        if not element.get("eventId"):
            return refused("eventId is required")
        if self.ids()[element["eventId"]]:
            return {"status": 409, "error": li_error(409, "Duplicate eventId")}
        return {"status": 201}
