"""An erasure racing lead captures of the same e-mail over real concurrent HTTP: each lead ends either wholly
erased or wholly kept, the erasure counts exactly the leads it erased, and the kept ones are what an export
then finds."""

import asyncio
import hashlib
from typing import Any

from tests.conftest import KeyMaker
from tests.ingest.tracking import CAPTURE_LEAD, Site, make_domain, visit_async
from tests.lgpd.test_erase import ERASE
from tests.lgpd.test_export import export
from tests.live import LiveServer
from tests.mutations.graphql import send_async
from tests.sql import fetch

EMAIL = "corrida@exemplo-lgpd.com.br"
CAPTURES = 12
PERSONAL = ("name", "email", "hashed_email", "phone", "hashed_phone")


async def race(server: LiveServer, ingest_key: str, admin_key: str, site: Site) -> list[Any]:
    async with server.async_client(ingest_key) as ingest, server.async_client(admin_key) as admin:
        visits = [
            visit_async(ingest, {"url": site.url(), "visitorId": f"v-{n}"}) for n in range(CAPTURES + 1)
        ]
        sessions = [v["session"]["sessionId"] for v in await asyncio.gather(*visits)]
        lead = {"email": EMAIL, "phone": "(11) 98765-0099", "name": "Corrida Teste"}
        first = await send_async(ingest, CAPTURE_LEAD, {"sessionId": sessions[0], **lead})
        assert first["errors"] == []
        captures = [send_async(ingest, CAPTURE_LEAD, {"sessionId": s, **lead}) for s in sessions[1:]]
        request = {"query": ERASE, "variables": {"input": {"email": EMAIL, "reason": "race"}}}
        erasing = admin.post("/graphql", json=request)
        return list(await asyncio.gather(erasing, *captures))


def test_an_erasure_racing_captures_of_the_same_email_ends_consistent(
    server: LiveServer, db_url: str, make_key: KeyMaker
) -> None:
    admin = make_key("admin")
    erased, *captured = asyncio.run(race(server, make_key("ingest"), admin, make_domain(db_url)))
    assert all(result["errors"] == [] for result in captured), captured
    erasure = erased.json()["data"]["eraseDataSubject"]
    assert erasure["errors"] == [], erasure

    leads = fetch(db_url, f"SELECT lead_id, {', '.join(PERSONAL)} FROM leads")
    assert len(leads) == CAPTURES + 1
    gone = [lead for lead in leads if all(lead[column] is None for column in PERSONAL)]
    kept = [lead for lead in leads if lead not in gone]
    assert all(lead["hashed_email"] == hashlib.sha256(EMAIL.encode()).hexdigest() for lead in kept)
    assert all(None not in (lead[column] for column in PERSONAL) for lead in kept)
    counts = {row["table"]: row["rows"] for row in erasure["erasure"]["tables"]}
    assert counts["leads"] == len(gone) >= 1
    exported = export(server, admin, email=EMAIL)["data"]["leads"]
    assert sorted(row["lead_id"] for row in exported) == sorted(str(lead["lead_id"]) for lead in kept)
