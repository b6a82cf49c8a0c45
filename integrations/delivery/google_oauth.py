"""Google access tokens: given as is, or minted from a refresh token and kept until they expire."""

import time

import httpx

from integrations.delivery.account_settings import GoogleAdsSecrets

# A token this close to its expiry is renewed before use.
EXPIRY_MARGIN = 60.0


class TokenRefused(Exception):
    """Google would not mint a token: the account's OAuth client or refresh token is wrong or revoked."""


class GoogleTokens:
    """One per worker: minted tokens by account, shared by the account's lanes."""

    def __init__(self, client: httpx.AsyncClient, token_url: str) -> None:
        self.client = client
        self.token_url = token_url
        self._minted: dict[int, tuple[str, float]] = {}

    async def bearer(self, account_id: int, secrets: GoogleAdsSecrets) -> str:
        if not secrets.refresh_token:
            return secrets.access_token or ""
        cached = self._minted.get(account_id)
        if cached and cached[1] - EXPIRY_MARGIN > time.monotonic():
            return cached[0]
        return await self._mint(account_id, secrets)

    def forget(self, account_id: int) -> None:
        self._minted.pop(account_id, None)

    async def _mint(self, account_id: int, secrets: GoogleAdsSecrets) -> str:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": secrets.refresh_token or "",
            "client_id": secrets.client_id or "",
            "client_secret": secrets.client_secret or "",
        }
        try:
            response = await self.client.post(self.token_url, data=form)
        except httpx.HTTPError as error:
            raise ConnectionError(
                f"Google's token endpoint did not answer: {type(error).__name__}"
            ) from error
        body = (
            response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        )
        if response.status_code >= 500:
            raise ConnectionError(f"Google's token endpoint failed ({response.status_code})")
        if response.status_code != 200 or "access_token" not in body:
            reason = body.get("error_description") or body.get("error") or response.status_code
            raise TokenRefused(f"Google refused to mint an access token: {reason}")
        token = str(body["access_token"])
        self._minted[account_id] = (token, time.monotonic() + float(body.get("expires_in", 3600)))
        return token
