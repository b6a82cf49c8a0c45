"""importMarketingCosts over HTTP and `rastro import-costs` as a process: one upsert per day and campaign."""

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.conftest import KeyMaker
from tests.delivery.processes import environment, rastro
from tests.live import LiveServer
from tests.sql import fetch

IMPORT = """
mutation($input: ImportMarketingCostsInput!) {
  importMarketingCosts(input: $input) { created updated unchanged errors { code field message } }
}
"""

ROWS = [
    {"date": "2026-11-01", "source": "google", "medium": "cpc", "campaign": "black-friday", "cost": "1234.5678"},
    {"date": "2026-11-01", "source": "facebook", "medium": "paid_social", "campaign": "black-friday",
     "cost": "800.10", "currency": "BRL"},
    {"date": "2026-11-02", "source": "google", "medium": "cpc", "campaign": "black-friday", "cost": "0"},
]  # fmt: skip

STORED = "SELECT cost_date::text, source, medium, campaign, cost, currency FROM marketing_costs ORDER BY 1, 2"


def post(server: LiveServer, key: str, rows: list[dict[str, Any]]) -> Any:
    with server.client(key) as client:
        answer = client.post("/graphql", json={"query": IMPORT, "variables": {"input": {"rows": rows}}})
    return answer.json()["data"]["importMarketingCosts"]


def test_rows_are_stored_and_a_reimport_changes_nothing(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    key = make_key("connector")
    assert post(server, key, ROWS) == {"created": 3, "updated": 0, "unchanged": 0, "errors": []}
    first = fetch(db_url, STORED + ", updated_at")
    assert [(r["source"], r["cost"], r["currency"]) for r in first] == [
        ("facebook", Decimal("800.1000"), "BRL"),
        ("google", Decimal("1234.5678"), "BRL"),
        ("google", Decimal("0.0000"), "BRL"),
    ]
    assert post(server, key, ROWS) == {"created": 0, "updated": 0, "unchanged": 3, "errors": []}
    assert fetch(db_url, STORED + ", updated_at") == first


def test_a_new_cost_replaces_the_day_and_campaign(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    key = make_key("admin")
    post(server, key, ROWS)
    changed = [{**ROWS[0], "cost": "99.99", "currency": "usd"}, ROWS[1]]
    assert post(server, key, changed) == {"created": 0, "updated": 1, "unchanged": 1, "errors": []}
    google = fetch(db_url, STORED + " LIMIT 2")[1]
    assert (google["cost"], google["currency"]) == (Decimal("99.9900"), "USD")
    assert len(fetch(db_url, STORED)) == 3


def test_bad_rows_are_named_by_index_and_field_and_nothing_is_written(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    rows = [
        ROWS[0],
        {**ROWS[1], "cost": "-5"},
        {**ROWS[2], "campaign": "  "},
        {**ROWS[2], "cost": "1.23456", "currency": "R$1"},
        {**ROWS[0], "cost": "7"},
    ]
    errors = post(server, make_key("connector"), rows)["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("INVALID", ["input", "rows", "1", "cost"]),
        ("INVALID", ["input", "rows", "2", "campaign"]),
        ("INVALID", ["input", "rows", "3", "cost"]),
        ("INVALID", ["input", "rows", "3", "currency"]),
        ("INVALID", ["input", "rows", "4"]),
    ]
    assert [e["message"] for e in errors][2] == "may have at most 4 decimal places"
    assert "repeats row 0" in errors[4]["message"]
    assert fetch(db_url, STORED) == []


def test_a_cost_that_is_not_a_number_is_refused_where_it_is(server: LiveServer, make_key: KeyMaker) -> None:
    with server.client(make_key("connector")) as client:
        answer = client.post(
            "/graphql",
            json={"query": IMPORT, "variables": {"input": {"rows": [{**ROWS[0], "cost": "12,50"}]}}},
        ).json()
    assert answer.get("data") is None
    message = answer["errors"][0]["message"]
    assert "input" in message and "cost" in message, message


def test_only_connectors_and_admins_import(server: LiveServer, make_key: KeyMaker, db_url: str) -> None:
    for role in ("viewer", "analyst"):
        errors = post(server, make_key(role), ROWS)["errors"]
        assert [(e["code"], e["field"]) for e in errors] == [("FORBIDDEN", None)], role
    assert fetch(db_url, STORED) == []


def test_twenty_concurrent_identical_imports_make_one_set_of_rows(
    server: LiveServer, make_key: KeyMaker, db_url: str
) -> None:
    key = make_key("connector")
    rows = [{**row, "campaign": f"{row['campaign']}-{n}"} for n in range(30) for row in ROWS]

    async def everyone() -> list[Any]:
        async with server.async_client(key) as client:
            variables = {"input": {"rows": rows}}
            answers = await asyncio.gather(
                *(client.post("/graphql", json={"query": IMPORT, "variables": variables}) for _ in range(20))
            )
        return [answer.json()["data"]["importMarketingCosts"] for answer in answers]

    results = asyncio.run(everyone())
    assert all(result["errors"] == [] for result in results), results
    assert sum(result["created"] for result in results) == len(rows)
    assert sum(result["unchanged"] for result in results) == 19 * len(rows)
    assert len(fetch(db_url, STORED)) == len(rows)


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_cli_imports_a_csv_through_the_same_upsert(tmp_path: Path, db_url: str) -> None:
    costs = write_csv(
        tmp_path / "costs.csv",
        "date,source,medium,campaign,cost,currency\n"
        "2026-11-01,google,cpc,black-friday,1234.5678,BRL\n"
        "2026-11-01,facebook,paid_social,black-friday,800.10,\n"
        "2026-11-02,google,cpc,black-friday,0,brl\n",
    )
    env = environment(db_url)
    first = rastro("import-costs", str(costs), env=env)
    assert first.returncode == 0, first.stderr
    assert "3 created, 0 updated, 0 unchanged" in first.stdout
    stored = fetch(db_url, STORED)
    assert [(r["source"], r["cost"], r["currency"]) for r in stored] == [
        ("facebook", Decimal("800.1000"), "BRL"),
        ("google", Decimal("1234.5678"), "BRL"),
        ("google", Decimal("0.0000"), "BRL"),
    ]
    again = rastro("import-costs", str(costs), env=env)
    assert again.returncode == 0, again.stderr
    assert "0 created, 0 updated, 3 unchanged" in again.stdout
    assert fetch(db_url, STORED) == stored


def test_the_cli_names_bad_lines_and_columns_and_writes_nothing(tmp_path: Path, db_url: str) -> None:
    costs = write_csv(
        tmp_path / "bad.csv",
        "date,source,medium,campaign,cost\n"
        "2026-11-01,google,cpc,black-friday,10\n"
        "2026-11-01,facebook,paid_social,black-friday,-1\n"
        "2026-11-02,google,cpc,,5\n",
    )
    result = rastro("import-costs", str(costs), env=environment(db_url))
    assert result.returncode == 2
    assert "bad.csv line 3, column cost: must be a number >= 0" in result.stderr
    assert "bad.csv line 4, column campaign: is blank" in result.stderr
    assert "Nothing was imported." in result.stderr
    assert fetch(db_url, STORED) == []

    unparsable = write_csv(
        tmp_path / "dates.csv", "date,source,medium,campaign,cost\n01/11/2026,google,cpc,bf,10\n"
    )
    result = rastro("import-costs", str(unparsable), env=environment(db_url))
    assert result.returncode == 2
    assert "dates.csv line 2, column date: '01/11/2026' is not a date as YYYY-MM-DD" in result.stderr

    headless = write_csv(tmp_path / "header.csv", "day,source,medium,campaign,cost\n2026-11-01,g,cpc,bf,1\n")
    result = rastro("import-costs", str(headless), env=environment(db_url))
    assert result.returncode == 2
    assert "header.csv: the header lacks date" in result.stderr
