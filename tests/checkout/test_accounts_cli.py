"""`rastro checkout-accounts set` as a process: the token is read from stdin and works at once."""

import uuid

from tests.checkout import payloads
from tests.checkout.conftest import make_domain
from tests.delivery.arrange import SECRET_KEY
from tests.delivery.processes import environment, rastro
from tests.live import live_server
from tests.sql import fetch_one


def test_a_token_set_by_the_cli_is_accepted_by_the_endpoint(db_url: str) -> None:
    domain = make_domain(db_url)
    env = environment(db_url)
    saved = rastro(
        "checkout-accounts", "set", "--domain", str(domain), "--platform", "hotmart", "--name", "Hotmart",
        env=env, stdin="hottok-from-the-cli-123\n",
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    assert "/webhooks/hotmart" in saved.stdout
    stored = fetch_one(db_url, "SELECT token_hash FROM checkout_accounts")
    assert "hottok-from-the-cli" not in stored["token_hash"]
    with live_server(db_url, secret_key=SECRET_KEY) as server, server.client() as client:
        answer = client.post(
            "/webhooks/hotmart",
            json=payloads.hotmart(),
            headers={"X-HOTMART-HOTTOK": "hottok-from-the-cli-123"},
        )
    assert answer.status_code == 200
    assert fetch_one(db_url, "SELECT domain_id FROM transactions")["domain_id"] == domain


def test_an_unknown_domain_is_refused_by_name(db_url: str) -> None:
    missing = uuid.uuid4()
    result = rastro(
        "checkout-accounts", "set", "--domain", str(missing), "--platform", "kiwify", "--name", "Kiwify",
        "--token", "kiwify-token-123", env=environment(db_url),
    )  # fmt: skip
    assert result.returncode != 0
    assert f"no domain {missing}" in result.stderr
