"""Tracking as senders send it: the mutations over real HTTP, and the rows they leave in PostgreSQL."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.mutations.graphql import ERRORS, Mutation, send, send_async
from tests.sql import execute, fetch

TRACK_VISIT = Mutation(
    "trackVisit",
    f"""mutation Visit($input: TrackVisitInput!) {{
      trackVisit(input: $input) {{
        session {{ sessionId visitorId isNew }} pageView {{ viewId viewOrder pageId }} counted {ERRORS}
      }}
    }}""",
)
TRACK_EVENTS = Mutation(
    "trackEvents",
    f"""mutation Events($input: TrackEventsInput!) {{
      trackEvents(input: $input) {{ eventIds counted {ERRORS} }}
    }}""",
)
CAPTURE_LEAD = Mutation(
    "captureLead",
    f"""mutation Lead($input: CaptureLeadInput!) {{
      captureLead(input: $input) {{ lead {{ leadId created }} counted {ERRORS} }}
    }}""",
)

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PHONE_BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
CLIENT = {"clientIp": "203.0.113.7", "userAgent": BROWSER}


@dataclass(frozen=True)
class Site:
    domain_id: uuid.UUID
    name: str

    def url(self, path: str = "/oferta", query: str = "") -> str:
        return f"https://{self.name}{path}" + (f"?{query}" if query else "")


def make_domain(url: str, name: str = "meusite.com.br", active: bool = True) -> Site:
    domain_id = uuid.uuid4()
    execute(
        url,
        "INSERT INTO domains (domain_id, domain_name, domain_url, is_active) VALUES ($1, $2, $3, $4)",
        domain_id, name, f"https://{name}", active,
    )  # fmt: skip
    return Site(domain_id, name)


def visit(client: httpx.Client, input: dict[str, Any]) -> dict[str, Any]:
    return send(client, TRACK_VISIT, {"client": CLIENT, **input})


async def visit_async(client: httpx.AsyncClient, input: dict[str, Any]) -> dict[str, Any]:
    return await send_async(client, TRACK_VISIT, {"client": CLIENT, **input})


def counts(url: str) -> dict[str, int]:
    """Rows of every table tracking writes to."""
    tables = (
        "sessions",
        "page_views",
        "utm_tracking",
        "visitor_journeys",
        "landing_pages",
        "events",
        "leads",
    )
    query = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in tables)
    return {row["t"]: row["n"] for row in fetch(url, query)}
