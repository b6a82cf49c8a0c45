"""`rastro import FILE.csv` as a process: past sales through ingestTransaction's code, once."""

from pathlib import Path

from tests.checkout.conftest import make_domain
from tests.delivery.processes import environment, rastro
from tests.paths import REPO
from tests.sql import fetch, fetch_one

SAMPLE = REPO / "docs" / "imports" / "sales.csv"
STATES = """
SELECT t.transaction_id, s.code, t.parent_transaction_id, t.charge_number, t.domain_id
  FROM transactions t JOIN transaction_statuses s ON s.id = t.status_id ORDER BY 1
"""
HEADER = "platform,transaction_id,status,occurred_at,amount,buyer_email,product_id,product_name"


def test_the_sample_export_loads_once(db_url: str) -> None:
    domain = make_domain(db_url)
    env = environment(db_url)
    first = rastro("import", str(SAMPLE), "--domain", str(domain), env=env)
    assert first.returncode == 0, first.stderr
    assert "6 rows from" in first.stdout and "5 transactions, 5 new" in first.stdout
    states = [tuple(row.values()) for row in fetch(db_url, STATES)]
    assert states == [
        ("EDZ-2001", "refunded", None, None, domain),
        ("EDZ-2002", "approved", "EDZ-2001", None, domain),
        ("EDZ-2003", "approved", None, 1, domain),
        ("EDZ-2004", "approved", None, 2, domain),
        ("EDZ-2005", "waiting_payment", None, None, domain),
    ]
    subscription = fetch_one(db_url, "SELECT count(DISTINCT subscription_id) AS n FROM transactions "
                                     "WHERE subscription_id IS NOT NULL")  # fmt: skip
    assert subscription["n"] == 1
    utm = fetch_one(db_url, "SELECT utm_campaign, src FROM platform_utm_history h JOIN transactions t "
                            "ON t.id = h.transaction_id WHERE t.transaction_id = 'EDZ-2001'")  # fmt: skip
    assert utm == {"utm_campaign": "curso-trafego", "src": "ads"}
    history = fetch(db_url, "SELECT status_detail FROM transaction_status_history ORDER BY id")
    assert len(history) == 6

    again = rastro("import", str(SAMPLE), "--domain", str(domain), env=env)
    assert again.returncode == 0, again.stderr
    assert "5 transactions, 0 new" in again.stdout
    assert [tuple(row.values()) for row in fetch(db_url, STATES)] == states
    assert len(fetch(db_url, "SELECT id FROM transaction_status_history")) == 6


def test_bad_lines_are_named_by_line_and_column_and_nothing_is_written(tmp_path: Path, db_url: str) -> None:
    bad = tmp_path / "sales.csv"
    bad.write_text(f"{HEADER},card_brand\n", encoding="utf-8")
    result = rastro("import", str(bad), env=environment(db_url))
    assert result.returncode == 2
    assert "sales.csv: unknown columns card_brand" in result.stderr

    bad.write_text(
        f"{HEADER},installments\n"
        "eduzz,E-1,approved,2025-03-10T14:05:00-03:00,10.00,a@example.com,P,Curso,1\n"
        "eduzz,E-2,paid,2025-03-10T14:05:00-03:00,10.00,a@example.com,P,Curso,1\n"
        "eduzz,E-3,approved,2025-03-10 14:05,10.00,a@example.com,P,Curso,1\n"
        "eduzz,E-4,approved,2025-03-10T14:05:00-03:00,10.00001,a@example.com,P,Curso,0\n"
        "eduzz,,approved,2025-03-10T14:05:00-03:00,1,a@example.com,P,Curso,1\n",
        encoding="utf-8",
    )
    result = rastro("import", str(bad), env=environment(db_url))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert "sales.csv line 3, column status: 'paid' is not one of waiting_payment, refused" in lines[0]
    assert "sales.csv line 4, column occurred_at: '2025-03-10 14:05' has no UTC offset (add one, or pass " \
           "--timezone)" in lines  # fmt: skip
    assert "sales.csv line 5, column amount: may have at most 4 decimal places" in lines
    assert "sales.csv line 5, column installments: must be 1 or more" in lines
    assert "sales.csv line 6, column transaction_id: is empty" in lines
    assert lines[-1] == "Nothing was imported."
    assert fetch(db_url, "SELECT id FROM transactions") == []


def test_local_times_take_the_given_zone(tmp_path: Path, db_url: str) -> None:
    local = tmp_path / "local.csv"
    local.write_text(f"{HEADER}\neduzz,E-1,approved,2025-03-10 14:05,10.00,a@example.com,P,Curso\n", "utf-8")
    result = rastro("import", str(local), "--timezone", "America/Sao_Paulo", env=environment(db_url))
    assert result.returncode == 0, result.stderr
    row = fetch_one(
        db_url, "SELECT to_char(order_date AT TIME ZONE 'UTC', 'HH24:MI') AS utc FROM transactions"
    )
    assert row == {"utc": "17:05"}


def test_an_unknown_domain_writes_nothing(tmp_path: Path, db_url: str) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    result = rastro("import", str(SAMPLE), "--domain", missing, env=environment(db_url))
    assert result.returncode == 2
    assert f"no domain {missing}" in result.stderr
    assert fetch(db_url, "SELECT id FROM transactions") == []
