"""exportDataSubject over HTTP: every table's rows of one person, by e-mail, phone or document; no one else's."""

from typing import Any

import pytest

from resolvers.data_subject.declaration import PERSONAL_TABLES
from tests.conftest import KeyMaker
from tests.lgpd.people import ANA, BIA, arrange
from tests.live import LiveServer

EXPORT = """
query($email: String, $phone: String, $document: String) {
  exportDataSubject(email: $email, phone: $phone, document: $document) {
    totalRows tables { table rows } data
  }
}"""


def export(server: LiveServer, key: str, **identifier: str) -> dict[str, Any]:
    with server.client(key) as client:
        body = client.post("/graphql", json={"query": EXPORT, "variables": identifier}).json()
    assert "errors" not in body, body
    return dict(body["data"]["exportDataSubject"])


PRIMARY_KEYS = {table.name: table.key for table in PERSONAL_TABLES}


def exported_keys(result: dict[str, Any]) -> dict[str, set[str]]:
    return {table: {str(row[PRIMARY_KEYS[table]]) for row in rows} for table, rows in result["data"].items()}


@pytest.mark.parametrize(
    "identifier",
    [
        {"email": "  Fulana.Ana@EXEMPLO-lgpd.com.br "},
        {"phone": "(11) 98765-0001"},
        {"document": "390.533.447-05"},
    ],
    ids=["email", "phone", "document"],
)
def test_export_holds_every_row_of_the_person_and_none_of_another(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker, identifier: dict[str, str]
) -> None:
    ana, bia = arrange(seeded_db_url, ANA), arrange(seeded_db_url, BIA)
    result = export(seeded_server, make_seeded_key("admin"), **identifier)
    found = exported_keys(result)
    assert list(found) == [table.name for table in PERSONAL_TABLES]
    for table, keys in ana.items():
        assert {str(key) for key in keys} <= found[table], table
        assert not {str(key) for key in bia[table]} & found[table], table
    assert set(ana) == set(found), "the arrangement covers every declared table"
    counts = {row["table"]: row["rows"] for row in result["tables"]}
    assert counts == {table: len(keys) for table, keys in found.items()}
    assert result["totalRows"] == sum(counts.values())
    (lead,) = result["data"]["leads"]
    assert (lead["email"], lead["phone"], lead["name"]) == (ANA.email, f"+{ANA.phone_digits}", ANA.name)


def test_export_is_the_same_twice_and_empty_for_a_stranger(
    seeded_server: LiveServer, seeded_db_url: str, make_seeded_key: KeyMaker
) -> None:
    arrange(seeded_db_url, ANA)
    key = make_seeded_key("admin")
    assert export(seeded_server, key, email=ANA.email) == export(seeded_server, key, email=ANA.email)
    nobody = export(seeded_server, key, email="ninguem@exemplo-lgpd.com.br")
    assert nobody["totalRows"] == 0
    assert all(rows == [] for rows in nobody["data"].values())


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({}, "email"),
        ({"email": ANA.email, "phone": "11987650001"}, "email"),
        ({"email": "   "}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "ramal 12"}, "phone"),
        ({"document": "abc"}, "document"),
    ],
)
def test_a_request_that_names_no_one_person_is_refused_naming_the_argument(
    seeded_server: LiveServer, make_seeded_key: KeyMaker, variables: dict[str, str], argument: str
) -> None:
    with seeded_server.client(make_seeded_key("admin")) as client:
        body = client.post("/graphql", json={"query": EXPORT, "variables": variables}).json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument


@pytest.mark.parametrize("role", ["viewer", "connector", "analyst", "ingest"])
def test_only_admins_export(seeded_server: LiveServer, make_seeded_key: KeyMaker, role: str) -> None:
    with seeded_server.client(make_seeded_key(role)) as client:
        response = client.post("/graphql", json={"query": EXPORT, "variables": {"email": ANA.email}})
    codes = [error["extensions"]["code"] for error in response.json()["errors"]]
    assert codes == ["FORBIDDEN"]
