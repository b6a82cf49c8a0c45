"""Every tracking and CRM row carries its session's domain, whichever path wrote it (the Citus plan's key)."""

import datetime as dt
from pathlib import Path

import asyncpg
import pytest

from models.enums import Destination
from tests.checkout.conftest import Shop, make_domain
from tests.checkout.test_closing_the_loop import ADS, purchase, tracked_lead
from tests.conftest import KeyMaker
from tests.delivery.arrange import Site, set_account
from tests.delivery.conftest import drain_until_settled
from tests.delivery.fakes_fixture import Fakes, running_fakes
from tests.delivery.processes import environment, rastro
from tests.ingest.test_collect import beacon
from tests.ingest.tracking import CAPTURE_LEAD, TRACK_EVENTS, visit
from tests.mutations.graphql import CHANGE_LEAD_STAGE, REGISTER_OFFLINE_CONVERSION, send
from tests.sql import execute, fetch, fetch_one

# Each table, and the key that leads to its session: directly, or through its lead or its conversion.
KEYS = {"page_views": "session_id", "events": "session_id", "utm_tracking": "session_id", "leads": "session_id",
        "lead_stages": "lead_id", "offline_conversions": "lead_id", "integrations_log": "lead_id",
        "platform_sync_log": "conversion_id", "conversion_outbox": "conversion_id"}  # fmt: skip
TABLES = tuple(KEYS)
SESSION_DOMAIN = """
WITH session_id AS (SELECT session_id, domain_id FROM sessions),
lead_id AS (SELECT l.lead_id, s.domain_id FROM leads l JOIN sessions s USING (session_id)),
conversion_id AS (SELECT c.conversion_id, d.domain_id FROM offline_conversions c JOIN lead_id d USING (lead_id))
"""
# Per table: its rows, and those whose domain_id is not their session's.
ROWS_OFF_THEIR_SESSION = SESSION_DOMAIN + " UNION ALL ".join(
    f"SELECT '{table}' AS t, count(*) AS n, count(*) FILTER (WHERE x.domain_id IS DISTINCT FROM d.domain_id) AS off"
    f" FROM {table} x JOIN {key} d USING ({key})\n"
    for table, key in KEYS.items()
)
OTHER = "outra.example.com.br"
CSV_HEADER = (
    "platform,transaction_id,status,occurred_at,approved_at,amount,buyer_email,product_id,product_name"
)


def rows_per_table(url: str) -> dict[str, tuple[int, int]]:
    """{table: (rows, rows whose domain is not their session's)}."""
    return {row["t"]: (row["n"], row["off"]) for row in fetch(url, ROWS_OFF_THEIR_SESSION)}


def other_domain_visitor(shop: Shop, make_key: KeyMaker) -> str:
    """The script's path (/collect) on a second domain: a visit from an ad, events, and a lead."""
    site = fetch_one(shop.url, "SELECT domain_id FROM domains WHERE domain_name = $1", OTHER)["domain_id"]
    key = make_key("ingest")
    execute(shop.url, "UPDATE api_keys SET domain_id = $1 WHERE role = 'ingest'", site)
    execute(
        shop.url, "UPDATE domains SET allowed_origins = $1 WHERE domain_id = $2", [f"https://{OTHER}"], site
    )
    page = f"https://{OTHER}/curso"
    with shop.server.client() as client:
        beacons = [
            {"type": "visit", "url": f"{page}?{ADS}", "visitorId": "v-other"},
            {"type": "visit", "url": f"https://{OTHER}/checkout", "visitorId": "v-other"},
            {
                "type": "events",
                "url": page,
                "visitorId": "v-other",
                "events": [{"type": "click"}, {"type": "scroll"}],
            },
            {
                "type": "lead",
                "url": page,
                "visitorId": "v-other",
                "email": "outra@example.com",
                "adConsent": True,
            },
        ]
        for body in beacons:
            assert beacon(client, key, body, origin=f"https://{OTHER}").status_code == 204
    return str(fetch_one(shop.url, "SELECT lead_id FROM leads WHERE email = 'outra@example.com'")["lead_id"])


def write_through_every_path(shop: Shop, make_key: KeyMaker, tmp_path: Path, fakes: Fakes) -> str:
    """Rows of two domains by every writer; the lead who bought by webhook."""
    make_domain(shop.url, OTHER)
    for domain in (shop.domain_id, fetch_one(shop.url, "SELECT domain_id FROM domains WHERE domain_name = $1",
                                             OTHER)["domain_id"]):  # fmt: skip
        set_account(shop.url, Site(domain, ""), Destination.CRM_WEBHOOK, settings={"url": fakes.urls["crm"]})
        set_account(shop.url, Site(domain, ""), Destination.META)
    # GraphQL ingest on the shop's domain: visits, events, leads (one buys by webhook, one by CSV import).
    buyer = tracked_lead(shop, make_key)
    with shop.server.client(make_key("ingest")) as client:
        session = visit(client, {"url": f"https://loja.example.com.br/oferta?{ADS}", "visitorId": "v-csv"})
        session_id = session["session"]["sessionId"]
        events = send(client, TRACK_EVENTS, {"sessionId": session_id, "events": [{"type": "click"}]})
        assert events["errors"] == [], events
        csv_lead = send(client, CAPTURE_LEAD, {"sessionId": session_id, "email": "csv@example.com"})
        assert csv_lead["errors"] == [], csv_lead
    other_lead = other_domain_visitor(shop, make_key)
    sold_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()  # Meta takes sales up to 7 days old

    with shop.server.client(make_key("connector")) as client:
        stage = send(client, CHANGE_LEAD_STAGE, {"leadId": other_lead, "stage": "qualified"})
        assert stage["errors"] == [], stage
        sale = {"leadId": other_lead, "value": "900.00", "conversionDate": sold_at}
        assert send(client, REGISTER_OFFLINE_CONVERSION, sale)["errors"] == []
    for payload in (purchase(), purchase("PURCHASE_REFUNDED", day=3)):  # a conversion, then its retraction
        assert shop.hotmart(payload).status_code == 200
    sales = tmp_path / "sales.csv"
    sales.write_text(
        f"{CSV_HEADER}\neduzz,CSV-1,approved,{sold_at},{sold_at},97.00,csv@example.com,P-1,Curso\n", "utf-8"
    )
    imported = rastro("import", str(sales), "--domain", str(shop.domain_id), env=environment(shop.url))
    assert imported.returncode == 0, imported.stderr
    drain_until_settled(shop.url, fakes.config())  # the worker logs each attempt in platform_sync_log
    return buyer


def test_every_write_path_stores_the_domain_of_the_rows_session(
    shop: Shop, make_key: KeyMaker, tmp_path: Path
) -> None:
    with running_fakes() as fakes:
        buyer = write_through_every_path(shop, make_key, tmp_path, fakes)

    counts = rows_per_table(shop.url)
    assert {table: rows > 0 for table, (rows, _) in counts.items()} == dict.fromkeys(TABLES, True), counts
    assert {table: off for table, (_, off) in counts.items()} == dict.fromkeys(TABLES, 0)
    conversions = fetch(shop.url, "SELECT DISTINCT domain_id FROM offline_conversions")
    assert len(conversions) == 2, "the sales of both domains were registered"
    assert str(fetch_one(shop.url, "SELECT lead_id FROM offline_conversions o JOIN transactions t "
                                   "ON t.offline_conversion_id = o.conversion_id "
                                   "WHERE t.transaction_id <> 'CSV-1'")["lead_id"]) == buyer  # fmt: skip


def test_the_seed_writes_every_rows_domain(seeded_db_url: str) -> None:
    counts = rows_per_table(seeded_db_url)
    seeded = {table: rows > 0 for table, (rows, _) in counts.items()}
    assert seeded == {**dict.fromkeys(TABLES, True), "conversion_outbox": False}  # the seed queues nothing
    assert {table: off for table, (_, off) in counts.items()} == dict.fromkeys(TABLES, 0)


def test_a_row_whose_domain_is_not_its_sessions_is_refused(shop: Shop) -> None:
    other = make_domain(shop.url, OTHER)
    session_id = fetch_one(shop.url, "SELECT session_id FROM sessions WHERE domain_id = $1", shop.domain_id)
    with pytest.raises(asyncpg.ForeignKeyViolationError, match="page_views_session_id_fkey"):
        execute(shop.url, "INSERT INTO page_views (session_id, domain_id, view_order) VALUES ($1, $2, 1)",
                session_id["session_id"], other)  # fmt: skip
    assert fetch(shop.url, "SELECT view_id FROM page_views") == []
