"""Fake Google: the Data Manager API, the Google Ads API (click uploads, adjustments) and OAuth tokens."""

import datetime as dt
import itertools
import re
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http_server import Answer, Received
from tests.fakes.platform import TOKEN, FakePlatform, Invalid, hashed

GOOGLE_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d")
ACTION = re.compile(r"customers/(\d+)/conversionActions/\d+")
MAX_EVENTS = 2000


def rpc_error(status: int, code: str, message: str, reason: str | None = None) -> Answer:
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason}] if reason else []
    return Answer(status, {"error": {"code": status, "message": message, "status": code, "details": details}})


def ads_failure(errors: list[tuple[int, str, str, str, str]]) -> dict[str, Any]:
    """A GoogleAdsFailure: (row index, error family, code, message, field) per error."""
    return {
        "code": 3,
        "message": "Partial failure",
        "details": [
            {
                "@type": "type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure",
                "errors": [
                    {
                        "errorCode": {family: code},
                        "message": message,
                        "location": {"fieldPathElements": [{"fieldName": field, "index": index}]},
                    }
                    for index, family, code, message, field in errors
                ],
            }
        ],
    }


@dataclass
class FakeGoogle(FakePlatform):
    tokens: set[str] = field(default_factory=lambda: {TOKEN})
    refresh_token: str = "refresh-me"
    retracted: set[str] = field(default_factory=set)
    minted: itertools.count = field(default_factory=itertools.count)

    def process(self, request: Received) -> tuple[Answer, list[str]]:
        if request.path == "/token":
            return self.token(request), []
        if request.headers.get("authorization", "").removeprefix("Bearer ") not in self.tokens:
            raise Invalid(
                rpc_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
            )
        if request.path == "/v1/events:ingest":
            return self.ingest(request.json())
        if not request.headers.get("developer-token"):
            raise Invalid(rpc_error(401, "UNAUTHENTICATED", "The developer token is missing."))
        if request.path.endswith(":uploadClickConversions"):
            return self.clicks(request.json())
        if request.path.endswith(":uploadConversionAdjustments"):
            return self.adjustments(request.json())
        raise Invalid(Answer(404, {"error": {"code": 404, "message": "no such method"}}))

    def token(self, request: Received) -> Answer:
        form = urllib.parse.parse_qs(request.body.decode())
        if form.get("refresh_token") != [self.refresh_token] or form.get("grant_type") != ["refresh_token"]:
            return Answer(400, {"error": "invalid_grant", "error_description": "Token has been revoked."})
        token = f"minted-{next(self.minted)}"
        self.tokens.add(token)
        return Answer(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def ingest(self, body: dict[str, Any]) -> tuple[Answer, list[str]]:
        destination = (body.get("destinations") or [{}])[0]
        account = destination.get("operatingAccount") or {}
        if account.get("accountType") != "GOOGLE_ADS" or not str(account.get("accountId", "")).isdigit():
            raise Invalid(rpc_error(400, "INVALID_ARGUMENT", "Bad destination.", "INVALID_DESTINATION"))
        if not str(destination.get("productDestinationId", "")).isdigit():
            raise Invalid(
                rpc_error(400, "INVALID_ARGUMENT", "Bad conversion action.", "INVALID_CONVERSION_ACTION_ID")
            )
        if body.get("encoding") != "HEX":
            raise Invalid(
                rpc_error(400, "INVALID_ARGUMENT", "encoding is required.", "REQUIRED_FIELD_MISSING")
            )
        events = body.get("events") or []
        if not 1 <= len(events) <= MAX_EVENTS:
            raise Invalid(rpc_error(400, "INVALID_ARGUMENT", "Too many events.", "TOO_MANY_EVENTS"))
        for event in events:  # any invalid event rejects the request: no partial failure
            self.check_event(event)
        ids = [event["transactionId"] for event in events]
        return Answer(200, {"requestId": str(uuid.uuid4())}), ids

    def check_event(self, event: dict[str, Any]) -> None:
        def refuse(reason: str, message: str) -> Invalid:
            return Invalid(rpc_error(400, "INVALID_ARGUMENT", message, reason))

        if not event.get("transactionId"):
            raise refuse("REQUIRED_FIELD_MISSING", "transactionId is required.")
        try:
            stamp = dt.datetime.fromisoformat(str(event.get("eventTimestamp")).replace("Z", "+00:00"))
        except ValueError:
            raise refuse("INVALID_FORMAT", "eventTimestamp must be RFC 3339.") from None
        if stamp.tzinfo is None:
            raise refuse("INVALID_FORMAT", "eventTimestamp needs a zone.")
        if not isinstance(event.get("conversionValue"), int | float):
            raise refuse("INVALID_NUMBER_FORMAT", "conversionValue must be a number.")
        identifiers = (event.get("userData") or {}).get("userIdentifiers") or []
        if not identifiers and not event.get("adIdentifiers"):
            raise refuse("NO_IDENTIFIERS_PROVIDED", "Events data contains no identifiers.")
        for identifier in identifiers:
            if not all(hashed(value) for value in identifier.values()):
                raise refuse("INVALID_SHA256_FORMAT", "The SHA256 encoded value is malformed.")

    def clicks(self, body: dict[str, Any]) -> tuple[Answer, list[str]]:
        if body.get("partialFailure") is not True:
            raise Invalid(rpc_error(400, "INVALID_ARGUMENT", "partial_failure must be true."))
        conversions = body.get("conversions") or []
        if len(conversions) > MAX_EVENTS:
            raise Invalid(rpc_error(400, "INVALID_ARGUMENT", "TOO_MANY_CONVERSIONS_IN_REQUEST"))
        errors: list[tuple[int, str, str, str, str]] = []
        accepted = []
        seen = self.ids()
        for index, conversion in enumerate(conversions):
            problem = self.click_problem(conversion)
            if problem:
                errors.append((index, problem[0], problem[1], problem[2], "conversions"))
            elif seen[conversion["orderId"]]:
                errors.append(
                    (
                        index,
                        "conversionUploadError",
                        "ORDER_ID_ALREADY_IN_USE",
                        "Order id used.",
                        "conversions",
                    )
                )
            else:
                accepted.append(conversion["orderId"])
        results = [
            {} if any(e[0] == i for e in errors) else {"orderId": c.get("orderId")}
            for i, c in enumerate(conversions)
        ]
        answer: dict[str, Any] = {"results": results}
        if errors:
            answer["partialFailureError"] = ads_failure(errors)
        return Answer(200, answer), accepted

    def click_problem(self, conversion: dict[str, Any]) -> tuple[str, str, str] | None:
        if not ACTION.fullmatch(str(conversion.get("conversionAction", ""))):
            return ("conversionUploadError", "NO_CONVERSION_ACTION_FOUND", "Bad conversion action.")
        if not GOOGLE_DATETIME.fullmatch(str(conversion.get("conversionDateTime", ""))):
            return ("dateError", "INVALID_FIELD_VALUES_IN_DATE_TIME", "Bad date time.")
        clicks = [key for key in ("gclid", "gbraid", "wbraid") if conversion.get(key)]
        identifiers = conversion.get("userIdentifiers") or []
        if len(clicks) > 1:
            return ("conversionUploadError", "GBRAID_WBRAID_BOTH_SET", "One click id only.")
        if len(identifiers) > 5 or not all(hashed(v) for i in identifiers for v in i.values()):
            return ("conversionUploadError", "INVALID_USER_IDENTIFIER", "Bad user identifier.")
        if not clicks and not identifiers:
            return ("conversionUploadError", "CLICK_NOT_FOUND", "No click and no identifier.")
        if not conversion.get("orderId"):
            return ("conversionUploadError", "MISSING_ORDER_ID", "orderId is required.")
        return None

    def adjustments(self, body: dict[str, Any]) -> tuple[Answer, list[str]]:
        uploaded = self.ids()
        errors: list[tuple[int, str, str, str, str]] = []
        accepted = []
        for index, adjustment in enumerate(body.get("conversionAdjustments") or []):
            order = adjustment.get("orderId", "")
            family = "conversionAdjustmentUploadError"
            if adjustment.get("adjustmentType") != "RETRACTION" or not GOOGLE_DATETIME.fullmatch(
                str(adjustment.get("adjustmentDateTime", ""))
            ):
                errors.append(
                    (index, "fieldError", "INVALID_VALUE", "Bad adjustment.", "conversionAdjustments")
                )
            elif not uploaded[order]:
                errors.append(
                    (index, family, "CONVERSION_NOT_FOUND", "No such conversion.", "conversionAdjustments")
                )
            elif order in self.retracted:
                errors.append(
                    (index, family, "CONVERSION_ALREADY_RETRACTED", "Retracted.", "conversionAdjustments")
                )
            else:
                self.retracted.add(order)
                accepted.append(f"{order}:retraction")
        answer: dict[str, Any] = {"results": [{}] * len(body.get("conversionAdjustments") or [])}
        if errors:
            answer["partialFailureError"] = ads_failure(errors)
        return Answer(200, answer), accepted
