"""A live server with a secret key, a domain with Hotmart and Kiwify accounts set by the admin mutation."""

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from integrations.secret_box import SecretBox
from tests.conftest import KeyMaker
from tests.delivery.arrange import make_site
from tests.live import LiveServer, live_server

SECRET_KEY = SecretBox.generate_key()
HOTTOK = "hottok-7f3a9c2e51d84b6aa0c4"
KIWIFY_TOKEN = "kiwify-token-4b1e8d0c9a7f"

SET_ACCOUNT = """
mutation($input: SetCheckoutAccountInput!) {
  setCheckoutAccount(input: $input) {
    account { domainId platform name active webhookPath }
    errors { code field message }
  }
}
"""


def body_of(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def kiwify_signature(body: bytes, token: str = KIWIFY_TOKEN) -> str:
    return hmac.new(token.encode(), body, hashlib.sha1).hexdigest()


@dataclass
class Shop:
    """A domain whose checkout accounts are set; posts to the real webhook endpoints."""

    server: LiveServer
    url: str
    domain_id: uuid.UUID
    admin_key: str

    def set_account(self, platform: str, token: str, domain_id: uuid.UUID | None = None, **extra: Any) -> Any:
        variables = {"input": {"domainId": str(domain_id or self.domain_id), "platform": platform,
                               "name": f"{platform} main", "token": token, **extra}}  # fmt: skip
        with self.server.client(self.admin_key) as client:
            answer = client.post("/graphql", json={"query": SET_ACCOUNT, "variables": variables}).json()
        return answer["data"]["setCheckoutAccount"]

    def hotmart(self, payload: Any, token: str | None = HOTTOK, header: bool = True) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else body_of(payload)
        headers = {"X-HOTMART-HOTTOK": token} if header and token is not None else {}
        with self.server.client() as client:
            return client.post("/webhooks/hotmart", content=body, headers=headers)

    def kiwify(self, payload: Any, token: str = KIWIFY_TOKEN, signature: str | None = None) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else body_of(payload)
        params = {"signature": signature if signature is not None else kiwify_signature(body, token)}
        with self.server.client() as client:
            return client.post("/webhooks/kiwify", content=body, params=params)


def make_domain(url: str, name: str = "loja.example.com.br") -> uuid.UUID:
    return make_site(url, name).domain_id


@pytest.fixture
def shop(db_url: str, make_key: KeyMaker) -> Iterator[Shop]:
    with live_server(db_url, secret_key=SECRET_KEY) as server:
        shop = Shop(server, db_url, make_domain(db_url), make_key("admin"))
        assert shop.set_account("HOTMART", HOTTOK)["errors"] == []
        assert shop.set_account("KIWIFY", KIWIFY_TOKEN)["errors"] == []
        yield shop
