"""Checks of what senders send: each returns the failures it finds, naming the input field at fault."""

import ipaddress
from collections.abc import Mapping
from typing import Any

import orjson

from resolvers.ingest.requests import PARAM_FIELDS, UTM_KEYS, EventRequest, Sender
from resolvers.mutations.input_checks import text_failures
from resolvers.mutations.outcome import Failure, FieldPath, invalid

MAX_CLICK_ID_LENGTH = 512
MAX_USER_AGENT_LENGTH = 1000
MAX_EVENTS = 100
MAX_EVENT_DATA_BYTES = 8192
# Text columns of events: (attribute, input field, max length)
EVENT_TEXT = (
    ("category", "category", 100),
    ("action", "action", 100),
    ("label", "label", 255),
    ("element_id", "elementId", 255),
    ("element_class", "elementClass", 500),
)


def param_failures(params: Mapping[str, str], path: FieldPath) -> list[Failure]:
    """UTM values and click ids by URL parameter name; errors name their input field (utmSource...)."""
    failures: list[Failure] = []
    for key, value in params.items():
        limit = 255 if key in UTM_KEYS else MAX_CLICK_ID_LENGTH
        failures += text_failures(value, (*path, PARAM_FIELDS[key]), limit)
    return failures


def sender_failures(sender: Sender, path: FieldPath) -> list[Failure]:
    failures: list[Failure] = []
    if sender.client_ip is not None:
        try:
            ipaddress.ip_address(sender.client_ip)
        except ValueError:
            failures.append(invalid((*path, "clientIp"), "is not an IPv4 or IPv6 address"))
    if sender.user_agent is not None and len(sender.user_agent) > MAX_USER_AGENT_LENGTH:
        failures.append(invalid((*path, "userAgent"), f"may have at most {MAX_USER_AGENT_LENGTH} characters"))
    return failures


def event_failures(event: EventRequest, path: FieldPath) -> list[Failure]:
    failures = text_failures(event.event_type, (*path, "type"), 50)
    for attribute, field, max_length in EVENT_TEXT:
        failures += text_failures(getattr(event, attribute), (*path, field), max_length)
    if event.data is not None:
        failures += _data_failures(event.data, (*path, "data"))
    return failures


def _data_failures(data: Any, path: FieldPath) -> list[Failure]:
    if not isinstance(data, dict):
        return [invalid(path, "must be an object")]
    try:
        size = len(orjson.dumps(data))
    except (TypeError, orjson.JSONEncodeError):
        return [invalid(path, "must hold JSON values only")]
    if size > MAX_EVENT_DATA_BYTES:
        return [invalid(path, f"may have at most {MAX_EVENT_DATA_BYTES} bytes as JSON")]
    return []


def events_failures(events: list[EventRequest], path: FieldPath) -> list[Failure]:
    if not events:
        return [invalid(path, "must hold at least one event")]
    if len(events) > MAX_EVENTS:
        return [invalid(path, f"may hold at most {MAX_EVENTS} events per call; send the rest in another")]
    failures: list[Failure] = []
    for index, event in enumerate(events):
        failures += event_failures(event, (*path, str(index)))
    return failures
