"""`rastro data-subject export|erase` as an operator runs them: the API's code, its answers as text."""

import json

from tests.lgpd.people import ANA, arrange
from tests.server.test_cli import rastro
from tests.sql import fetch_one


def test_export_then_erase_from_the_command_line(seeded_db_url: str) -> None:
    arranged = arrange(seeded_db_url, ANA)
    exported = rastro("data-subject", "export", "--phone", "11 98765-0001", database_url=seeded_db_url)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert document["tables"]["leads"] == 1
    assert [row["email"] for row in document["data"]["customers"]] == [ANA.email]

    erased = rastro(
        "data-subject", "erase", "--email", ANA.email, "--reason", "ticket 99", database_url=seeded_db_url
    )
    assert erased.returncode == 0, erased.stderr
    assert f"leads {len(arranged['leads'])}" in erased.stdout and "rows anonymized" in erased.stdout
    record = fetch_one(seeded_db_url, "SELECT actor_key_id, reason FROM data_subject_erasures")
    assert record == {"actor_key_id": None, "reason": "ticket 99"}
    after = rastro("data-subject", "export", "--email", ANA.email, database_url=seeded_db_url)
    assert set(json.loads(after.stdout)["tables"].values()) == {0}


def test_a_request_naming_no_one_is_refused_in_one_line(seeded_db_url: str) -> None:
    result = rastro("data-subject", "erase", "--reason", "x", database_url=seeded_db_url)
    assert result.returncode == 2
    assert result.stderr.strip() == "rastro: --email give exactly one of email, phone or document"
    result = rastro("data-subject", "export", "--document", "123", database_url=seeded_db_url)
    assert result.returncode == 2 and "--document is not a CPF or CNPJ" in result.stderr
