"""Admins register domains, landing pages and ingest keys; an ingest key tracks its own domain only."""

import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import KeyMaker
from tests.ingest.tracking import CAPTURE_LEAD, TRACK_EVENTS, counts, visit
from tests.live import LiveServer
from tests.mutations.graphql import ERRORS, Mutation, body, only_error, send
from tests.sql import execute, fetch, fetch_one

DOMAIN = "domain { domainId domainName domainUrl isActive allowedOrigins metadata { analytics { googleAnalyticsId facebookPixelId } settings { timezone language currency } } }"
CREATE_DOMAIN = Mutation(
    "createDomain",
    f"mutation($input: CreateDomainInput!) {{ createDomain(input: $input) {{ {DOMAIN} {ERRORS} }} }}",
)
UPDATE_DOMAIN = Mutation(
    "updateDomain",
    f"mutation($input: UpdateDomainInput!) {{ updateDomain(input: $input) {{ {DOMAIN} {ERRORS} }} }}",
)
UPSERT_PAGE = Mutation(
    "upsertLandingPage",
    f"""mutation($input: UpsertLandingPageInput!) {{ upsertLandingPage(input: $input) {{
      created landingPage {{ pageId pageUrl pageName pageVariant isControl abTestId isActive }} {ERRORS} }} }}""",
)
CREATE_KEY = Mutation(
    "createIngestKey",
    f"mutation($input: CreateIngestKeyInput!) {{ createIngestKey(input: $input) {{ key keyPrefix domain {{ domainName }} {ERRORS} }} }}",
)


@pytest.fixture
def admin(server: LiveServer, make_key: KeyMaker) -> Any:
    with server.client(make_key("admin")) as client:
        yield client


def create(admin: httpx.Client, **input: Any) -> dict[str, Any]:
    return send(admin, CREATE_DOMAIN, {"domainName": "meusite.com.br", **input})


def test_create_domain_with_defaults_and_typed_metadata(admin: httpx.Client, db_url: str) -> None:
    metadata = {"analytics": {"googleAnalyticsId": "G-ABC"}, "settings": {"timezone": "America/Sao_Paulo"}}
    result = create(admin, domainName=" MeuSite.com.br ", metadata=metadata)

    domain = result["domain"]
    assert result["errors"] == []
    assert (domain["domainName"], domain["domainUrl"], domain["isActive"]) == (
        "meusite.com.br",
        "https://meusite.com.br",
        True,
    )
    assert domain["allowedOrigins"] == ["https://meusite.com.br", "https://www.meusite.com.br"]
    assert domain["metadata"]["analytics"] == {"googleAnalyticsId": "G-ABC", "facebookPixelId": None}
    assert domain["metadata"]["settings"]["timezone"] == "America/Sao_Paulo"
    stored = fetch_one(db_url, "SELECT metadata::text, allowed_origins FROM domains")
    assert stored["allowed_origins"] == domain["allowedOrigins"]


def test_update_domain_changes_only_what_is_given(admin: httpx.Client) -> None:
    metadata = {"analytics": {"googleAnalyticsId": "G-ABC", "facebookPixelId": "123"}}
    domain_id = create(admin, metadata=metadata)["domain"]["domainId"]

    result = send(admin, UPDATE_DOMAIN, {
        "domainId": domain_id, "isActive": False,
        "allowedOrigins": ["HTTPS://LP.MeuSite.com.br:443/", "http://localhost:5173"],
        "metadata": {"analytics": {"facebookPixelId": None}, "settings": {"currency": "BRL"}},
    })  # fmt: skip

    domain = result["domain"]
    assert (domain["domainName"], domain["isActive"]) == ("meusite.com.br", False)
    assert domain["allowedOrigins"] == ["https://lp.meusite.com.br", "http://localhost:5173"]
    assert domain["metadata"]["analytics"] == {"googleAnalyticsId": "G-ABC", "facebookPixelId": None}
    assert domain["metadata"]["settings"]["currency"] == "BRL"


@pytest.mark.parametrize(
    ("input", "field", "code"),
    [
        ({"domainName": "https://meusite.com.br"}, ["input", "domainName"], "INVALID"),
        ({"domainName": "meusite"}, ["input", "domainName"], "INVALID"),
        ({"domainUrl": "meusite.com.br"}, ["input", "domainUrl"], "INVALID"),
        (
            {"allowedOrigins": ["https://ok.com.br", "https://meusite.com.br/path"]},
            ["input", "allowedOrigins", "1"],
            "INVALID",
        ),
        ({"allowedOrigins": ["*"]}, ["input", "allowedOrigins", "0"], "INVALID"),
    ],
)
def test_bad_domain_fields_are_named(
    admin: httpx.Client, db_url: str, input: dict[str, Any], field: list[str], code: str
) -> None:
    result = create(admin, **input)
    assert result["domain"] is None
    assert only_error(result) == (code, field)
    assert counts_domains(db_url) == 0


def counts_domains(url: str) -> int:
    return int(fetch_one(url, "SELECT count(*) AS n FROM domains")["n"])


def test_a_domain_name_is_registered_once(admin: httpx.Client, db_url: str) -> None:
    create(admin)
    assert only_error(create(admin)) == ("CONFLICT", ["input", "domainName"])
    other = create(admin, domainName="outro.com.br")["domain"]["domainId"]
    renamed = send(admin, UPDATE_DOMAIN, {"domainId": other, "domainName": "meusite.com.br"})
    assert only_error(renamed) == ("CONFLICT", ["input", "domainName"])
    assert counts_domains(db_url) == 2


def test_ingest_keys_cannot_even_send_site_mutations(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("ingest")) as client:
        for mutation, input in ((CREATE_DOMAIN, {"domainName": "x.com.br"}), (CREATE_KEY, {"domainId": "x"})):
            response = client.post("/graphql", json=body(mutation, input))
            assert response.status_code == 403
            assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("role", ["viewer", "connector", "analyst"])
def test_only_admins_set_up_sites(server: LiveServer, make_key: KeyMaker, role: str) -> None:
    with server.client(make_key(role)) as client:
        assert only_error(send(client, CREATE_DOMAIN, {"domainName": "x.com.br"})) == ("FORBIDDEN", None)
        key = send(client, CREATE_KEY, {"domainId": str(uuid.uuid4())})
        assert only_error(key) == ("FORBIDDEN", None)


def test_upsert_landing_page_creates_then_updates_and_keeps_one_control(
    admin: httpx.Client, db_url: str
) -> None:
    domain_id = create(admin)["domain"]["domainId"]
    test_id = str(uuid.uuid4())
    a = send(admin, UPSERT_PAGE, {"domainId": domain_id, "pageUrl": "https://meusite.com.br/lp/?x=1",
                                  "pageVariant": "A", "isControl": True, "abTestId": test_id, "pageName": "LP A"})  # fmt: skip
    b = send(
        admin, UPSERT_PAGE, {"domainId": domain_id, "pageUrl": "/lp", "pageVariant": "B", "abTestId": test_id}
    )
    renamed = send(admin, UPSERT_PAGE, {"domainId": domain_id, "pageUrl": "/lp", "pageVariant": "B",
                                        "abTestId": test_id, "pageName": "LP B"})  # fmt: skip
    second_control = send(admin, UPSERT_PAGE, {"domainId": domain_id, "pageUrl": "/lp", "pageVariant": "C",
                                               "abTestId": test_id, "isControl": True})  # fmt: skip

    assert (a["created"], a["landingPage"]["pageUrl"], a["landingPage"]["isControl"]) == (True, "/lp", True)
    assert renamed["created"] is False
    assert renamed["landingPage"] == {**b["landingPage"], "pageName": "LP B"}
    assert only_error(second_control) == ("CONFLICT", ["input", "abTestId"])
    assert [
        r["page_variant"] for r in fetch(db_url, "SELECT page_variant FROM landing_pages ORDER BY 1")
    ] == ["A", "B"]


def test_an_ingest_key_tracks_its_own_domain_only(
    admin: httpx.Client, server: LiveServer, db_url: str
) -> None:
    mine = create(admin)["domain"]["domainId"]
    create(admin, domainName="outro.com.br")
    created = send(admin, CREATE_KEY, {"domainId": mine})
    assert created["key"].startswith("rst_") and created["domain"] == {"domainName": "meusite.com.br"}
    assert created["keyPrefix"] == created["key"][:12]
    other_session = visit(admin, {"url": "https://outro.com.br/", "visitorId": "v-9"})["session"]["sessionId"]
    before = counts(db_url)

    with server.client(created["key"]) as client:
        assert visit(client, {"url": "https://www.meusite.com.br/oferta"})["pageView"]["viewOrder"] == 1
        refused = visit(client, {"url": "https://outro.com.br/oferta"})
        events = send(client, TRACK_EVENTS, {"sessionId": other_session, "events": [{"type": "click"}]})
        lead = send(client, CAPTURE_LEAD, {"sessionId": other_session, "email": "a@b.com.br"})

    assert only_error(refused) == ("INVALID", ["input", "url"])
    assert "not the domain of this ingest key" in refused["errors"][0]["message"]
    assert only_error(events) == ("NOT_FOUND", ["input", "sessionId"])
    assert only_error(lead) == ("NOT_FOUND", ["input", "sessionId"])
    after = counts(db_url)
    assert (after["sessions"], after["events"], after["leads"]) == (before["sessions"] + 1, 0, 0)


def test_a_key_of_a_deleted_domain_is_refused(admin: httpx.Client, server: LiveServer, db_url: str) -> None:
    domain_id = create(admin)["domain"]["domainId"]
    key = send(admin, CREATE_KEY, {"domainId": domain_id, "name": "landing"})["key"]
    execute(db_url, "DELETE FROM domains")
    with server.client(key) as client:
        response = client.post("/graphql", json={"query": "mutation { __typename }"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Unknown or revoked API key"  # nothing about its past


def test_a_deactivated_domain_stops_being_tracked(admin: httpx.Client, db_url: str) -> None:
    domain_id = create(admin)["domain"]["domainId"]
    first = visit(admin, {"url": "https://meusite.com.br/", "visitorId": "v-1"})
    send(admin, UPDATE_DOMAIN, {"domainId": domain_id, "isActive": False})
    before = counts(db_url)

    again = visit(admin, {"url": "https://meusite.com.br/", "visitorId": "v-1"})
    events = send(
        admin, TRACK_EVENTS, {"sessionId": first["session"]["sessionId"], "events": [{"type": "click"}]}
    )

    assert only_error(again) == ("INVALID", ["input", "url"])
    assert only_error(events) == ("INVALID", ["input", "sessionId"])
    assert counts(db_url) == before
