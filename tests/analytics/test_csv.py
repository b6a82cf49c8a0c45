"""GET /analytics/REPORT.csv: every report's rows as the GraphQL field gives them, CSV-quoted, same key rules."""

import csv
import io
from typing import Any

import httpx
import pytest

from tests.analytics.examples import report
from tests.analytics.test_report_contract import REPORTS
from tests.conftest import KeyMaker
from tests.live import LiveServer
from tests.sql import execute

Params = list[tuple[str, str | int | float | bool | None]]
AWKWARD = 'Silva, "Zé"\nLtda;1'


def cells(value: Any) -> Any:
    """A GraphQL row value as the CSV writes it."""
    if isinstance(value, dict):
        return {k: cells(v) for k, v in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def flattened(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        if isinstance(value, dict):
            out.update(flattened(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


def parse(body: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(body, newline=""))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def query_params(args: dict[str, tuple[str, object]]) -> Params:
    params: Params = []
    for name, (_kind, value) in args.items():
        for item in value if isinstance(value, list) else [value]:
            params.append((name, str(item)))
    return params


def row_fields(client: httpx.Client, field: str) -> str:
    """Every field of the report's rows, nested objects' leaves included."""
    analytics = type_fields(client, "Analytics")
    report_type = unwrapped(next(f for f in analytics if f["name"] == field)["type"])
    rows = next(f for f in type_fields(client, report_type) if f["name"] == "rows")
    return selection(client, unwrapped(rows["type"]))


def unwrapped(kind: dict[str, Any]) -> str:
    while kind["name"] is None:
        kind = kind["ofType"]
    return str(kind["name"])


def type_fields(client: httpx.Client, name: str) -> list[dict[str, Any]]:
    query = """query ($name: String!) { __type(name: $name) { fields { name type {
      kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }"""
    answer = client.post("/graphql", json={"query": query, "variables": {"name": name}}).json()
    return list(answer["data"]["__type"]["fields"])


def selection(client: httpx.Client, type_name: str) -> str:
    parts = []
    for field in type_fields(client, type_name):
        kind = field["type"]["ofType"] or field["type"]
        if kind["kind"] == "OBJECT":
            parts.append(f"{field['name']} {{ {selection(client, kind['name'])} }}")
        else:
            parts.append(field["name"])
    return " ".join(parts)


@pytest.mark.parametrize(("field", "_selected", "args"), REPORTS, ids=[r[0] for r in REPORTS])
def test_csv_gives_the_fields_rows(
    report_server: LiveServer, analyst: str, field: str, _selected: str, args: dict[str, tuple[str, object]]
) -> None:
    with report_server.client(analyst) as client:
        fields = row_fields(client, field)
        answer = report(client, field, fields, **args)
        response = client.get(f"/analytics/{field}.csv", params=httpx.QueryParams(query_params(args)))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{field}.csv"'
    assert response.headers["x-materialized"] == str(answer["materialized"]).lower()
    header, rows = parse(response.text)
    assert answer["rows"]
    assert header == list(flattened(answer["rows"][0]))
    assert rows == [flattened(cells(row)) for row in answer["rows"]]


def test_csv_quotes_text_and_keeps_decimals_as_text(
    report_server: LiveServer, report_db: str, analyst: str
) -> None:
    execute(
        report_db,
        """UPDATE platform_commission SET recipient_name = $1
           WHERE id = (SELECT min(id) FROM platform_commission WHERE source = 'AFFILIATE')""",
        AWKWARD,
    )
    params: Params = [("groupBy", "AFFILIATE"), ("period.from", "2000-01-01"), ("period.timeZone", "UTC")]
    with report_server.client(analyst) as client:
        response = client.get("/analytics/transactionTotals.csv", params=httpx.QueryParams(params))
        period = ("ReportPeriod", {"from": "2000-01-01", "timeZone": "UTC"})
        answer = report(
            client,
            "transactionTotals",
            "affiliate count value",
            groupBy=("[GroupKey!]!", ["AFFILIATE"]),
            period=period,
        )
    assert response.status_code == 200, response.text
    assert response.headers["x-time-zone"] == "UTC"
    assert '"Silva, ""Zé""\nLtda;1"' in response.text
    header, rows = parse(response.text)
    awkward = next(row for row in rows if row["affiliate"] == AWKWARD)
    wanted = next(row for row in answer["rows"] if row["affiliate"] == AWKWARD)
    # The numeric(15,4) sum as PostgreSQL writes it, four decimals and all: never a float.
    assert awkward["value"] == wanted["value"]
    assert wanted["value"].count(".") == 1 and len(wanted["value"].split(".")[1]) == 4
    assert response.text.startswith(",".join(header) + "\r\n")


@pytest.mark.parametrize(
    ("path", "params", "status", "code", "names"),
    [
        ("/analytics/nosuch.csv", [], 404, "BAD_REQUEST", "'nosuch'"),
        ("/analytics/visitorTypes.csv", [("colour", "red")], 400, "BAD_USER_INPUT", "'colour'"),
        ("/analytics/visitorTypes.csv", [("period.fromm", "2026-01-01")], 400, "BAD_USER_INPUT", "'fromm'"),
        ("/analytics/visitorTypes.csv", [("period", "x")], 400, "BAD_USER_INPUT", "period.from"),
        (
            "/analytics/attribution.csv",
            [("model", "LINEAR"), ("lookbackDays", "a")],
            400,
            "BAD_USER_INPUT",
            "'lookbackDays'",
        ),
        ("/analytics/attribution.csv", [], 400, "BAD_USER_INPUT", "model"),
        ("/analytics/attribution.csv", [("model", "NEWEST")], 400, "BAD_USER_INPUT", "NEWEST"),
        ("/analytics/visitorTypes.csv", [("period.from", "2026-13-01")], 400, "BAD_USER_INPUT", "period"),
        (
            "/analytics/visitorTypes.csv",
            [("period.timeZone", "Mars/Base")],
            400,
            "BAD_USER_INPUT",
            "Mars/Base",
        ),
    ],
)
def test_csv_refuses_bad_arguments_naming_them(
    report_server: LiveServer,
    analyst: str,
    path: str,
    params: Params,
    status: int,
    code: str,
    names: str,
) -> None:
    with report_server.client(analyst) as client:
        response = client.get(path, params=httpx.QueryParams(params))
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code
    assert names in error["message"]


def test_csv_needs_a_reporting_key(report_server: LiveServer, report_keys: KeyMaker) -> None:
    with report_server.client() as client:
        missing = client.get("/analytics/visitorTypes.csv")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == 'Bearer realm="rastro"'
    assert missing.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    with report_server.client("not-a-key") as client:
        assert client.get("/analytics/visitorTypes.csv").status_code == 401
    for role in ("connector", "ingest"):
        with report_server.client(report_keys(role)) as client:
            refused = client.get("/analytics/visitorTypes.csv")
        assert refused.status_code == 403, (role, refused.text)
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_csv_masks_personal_data_for_viewers(report_server: LiveServer, viewer: str) -> None:
    with report_server.client(viewer) as client:
        fields = row_fields(client, "transaction360")
        answer = report(client, "transaction360", fields, transactionId=("String", "TX123456"))
        response = client.get("/analytics/transaction360.csv", params={"transactionId": "TX123456"})
    assert response.status_code == 200, response.text
    rows = parse(response.text)[1]
    assert rows == [flattened(cells(row)) for row in answer["rows"]]
    assert rows and all(row["customerName"] == row["email"] == "" for row in rows)
