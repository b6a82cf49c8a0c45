"""Fake Meta Conversions API: one bad event (an old event_time, a plain e-mail) fails the whole request."""

import re
import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.http_server import Answer, Received
from tests.fakes.platform import TOKEN, FakePlatform, Invalid, age_days, hashed

ACTION_SOURCES = {
    "email",
    "website",
    "app",
    "phone_call",
    "chat",
    "physical_store",
    "system_generated",
    "other",
}
FBC = re.compile(r"fb\.1\.\d{13}\.\S+")
MAX_EVENTS = 1000


def graph_error(message: str, code: int = 100, subcode: int | None = None, title: str = "") -> Answer:
    error = {"message": message, "type": "OAuthException", "code": code, "error_subcode": subcode,
             "is_transient": False, "error_user_title": title, "error_user_msg": message, "fbtrace_id": "AbC"}  # fmt: skip
    return Answer(400, {"error": error})


@dataclass
class FakeMeta(FakePlatform):
    def process(self, request: Received) -> tuple[Answer, list[str]]:
        if not re.fullmatch(r"/v\d+\.\d+/\d+/events", request.path):
            raise Invalid(Answer(404, {"error": {"message": "Unknown path", "code": 803}}))
        body = request.json()
        if body.get("access_token") != TOKEN:
            raise Invalid(graph_error("Invalid OAuth access token - Cannot parse access token", code=190))
        events = body.get("data") or []
        if not 1 <= len(events) <= MAX_EVENTS:
            raise Invalid(graph_error(f"data must hold 1 to {MAX_EVENTS} events"))
        for event in events:
            self.check(event)
        received = {"events_received": len(events), "messages": [], "fbtrace_id": "AbC"}
        return Answer(200, received), [event["event_id"] for event in events]

    def check(self, event: dict[str, Any]) -> None:
        for key in ("event_name", "event_time", "event_id", "action_source", "user_data"):
            if key not in event:
                raise Invalid(graph_error(f"The parameter {key} is required"))
        event_time = event["event_time"]
        if not isinstance(event_time, int) or event_time > time.time() + 600:
            raise Invalid(graph_error("event_time must be Unix seconds, not in the future", subcode=2804004))
        if age_days(event_time) > 7:
            raise Invalid(graph_error(
                "The timestamp for this event is too far in the past. Events need to be sent within 7 days.",
                subcode=2804003, title="Event Timestamp Too Old"))  # fmt: skip
        if event["action_source"] not in ACTION_SOURCES:
            raise Invalid(graph_error("Invalid action_source"))
        user = event["user_data"]
        if not all(hashed(value) for key in ("em", "ph") for value in user.get(key, [])):
            raise Invalid(graph_error("user_data em and ph must be SHA-256 hex", subcode=2804007))
        if "fbc" in user and not FBC.fullmatch(user["fbc"]):
            raise Invalid(graph_error("fbc must be fb.1.<ms>.<fbclid>"))
        custom = event.get("custom_data") or {}
        if not isinstance(custom.get("value"), int | float) or len(str(custom.get("currency", ""))) != 3:
            raise Invalid(graph_error("custom_data needs a numeric value and a currency"))
