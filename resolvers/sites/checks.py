"""Checks of domain names, origins and domain metadata as admins give them."""

import re
from urllib.parse import urlsplit

from resolvers.mutations.lead_metadata import TEXT
from resolvers.mutations.outcome import Failure, FieldPath, invalid

HOST = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")

DOMAIN_METADATA_SHAPE = {
    "analytics": {"googleAnalyticsId": TEXT, "facebookPixelId": TEXT},
    "settings": {"timezone": TEXT, "language": TEXT, "currency": TEXT},
}


def domain_name_failures(name: str, field: FieldPath) -> list[Failure]:
    if not HOST.fullmatch(name):
        return [invalid(field, "must be a host name such as meusite.com.br (no scheme, path or port)")]
    return []


def origin_of(raw: str) -> str | None:
    """scheme://host[:port] in lower case, or None when `raw` is not an http(s) origin."""
    try:
        parts = urlsplit(raw.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{suffix}"


def origins_failures(origins: list[str], field: FieldPath) -> tuple[list[str], list[Failure]]:
    normalized: list[str] = []
    failures: list[Failure] = []
    for index, raw in enumerate(origins):
        origin = origin_of(raw)
        if origin is None:
            message = "must be an origin: scheme and host, e.g. https://meusite.com.br (no path)"
            failures.append(invalid((*field, str(index)), message))
        elif origin not in normalized:
            normalized.append(origin)
    return normalized, failures


def url_failures(url: str, field: FieldPath) -> list[Failure]:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2048:
        return [invalid(field, "must be an absolute http(s) URL of at most 2048 characters")]
    return []
