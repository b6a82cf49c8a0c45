"""Fake TikTok Events API 2.0: HTTP 200 with a code in the body."""

import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.http_server import Answer, Received
from tests.fakes.platform import TOKEN, FakePlatform, Invalid, hashed

EVENT_SOURCES = {"web", "app", "offline", "crm"}
MAX_EVENTS = 1000


def tiktok_error(code: int, message: str) -> Answer:
    return Answer(200, {"code": code, "message": message, "request_id": "req", "data": {}})


@dataclass
class FakeTikTok(FakePlatform):
    def process(self, request: Received) -> tuple[Answer, list[str]]:
        if request.path != "/open_api/v1.3/event/track/":
            raise Invalid(Answer(404, {"code": 40404, "message": "not found"}))
        if request.headers.get("access-token") != TOKEN:
            raise Invalid(
                Answer(401, {"code": 40105, "message": "Access token is incorrect or has been revoked"})
            )
        body = request.json()
        if body.get("event_source") not in EVENT_SOURCES or not body.get("event_source_id"):
            raise Invalid(tiktok_error(40002, "event_source and event_source_id are required"))
        events = body.get("data") or []
        if not 1 <= len(events) <= MAX_EVENTS:
            raise Invalid(tiktok_error(40002, f"data must hold 1 to {MAX_EVENTS} events"))
        for event in events:
            self.check(event)
        return Answer(200, {"code": 0, "message": "OK", "request_id": "req", "data": {}}), [
            event["event_id"] for event in events
        ]

    def check(self, event: dict[str, Any]) -> None:
        event_time = event.get("event_time")
        if not isinstance(event_time, int) or not 1_500_000_000 < event_time < time.time() + 600:
            raise Invalid(tiktok_error(40002, "event_time must be Unix seconds"))
        if not isinstance(event.get("event_id"), str) or not event.get("event"):
            raise Invalid(tiktok_error(40002, "event and event_id (a string) are required"))
        user = event.get("user") or {}
        if not all(hashed(user[key]) for key in ("email", "phone") if key in user):
            raise Invalid(tiktok_error(40002, "email and phone must be SHA-256 hex"))
        properties = event.get("properties") or {}
        if not isinstance(properties.get("value"), int | float):
            raise Invalid(tiktok_error(40002, "properties.value must be a number"))
