"""What Google's two APIs share: the account, its tokens, the click-through window, the identifiers."""

import datetime as dt
from typing import Any

from integrations.delivery.account_settings import GoogleAdsSecrets, GoogleAdsSettings
from integrations.delivery.adapter import Adapter, outside_window
from integrations.delivery.google_oauth import GoogleTokens
from integrations.delivery.open_accounts import OpenAccount
from integrations.delivery.outcomes import Outcome, defer
from integrations.delivery.rows import OutboxRow

CLICK_IDS = ("gclid", "gbraid", "wbraid")  # Google takes one: the first the lead has
# Google refuses clicks younger than this (TOO_RECENT_EVENT, "retry after 6 hours").
CLICK_SETTLING = dt.timedelta(hours=6)


class GoogleAdapter(Adapter):
    def __init__(self, account: OpenAccount, tokens: GoogleTokens, base_url: str) -> None:
        assert isinstance(account.settings, GoogleAdsSettings)
        assert isinstance(account.secrets, GoogleAdsSecrets)
        self.account = account
        self.settings: GoogleAdsSettings = account.settings
        self.secrets: GoogleAdsSecrets = account.secrets
        self.tokens = tokens
        self.base_url = base_url.rstrip("/")

    async def bearer(self) -> str:
        return await self.tokens.bearer(self.account.id, self.secrets)

    async def renew_credentials(self) -> bool:
        if not self.secrets.refresh_token:
            return False
        self.tokens.forget(self.account.id)
        return True

    def click_window(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        """The conversion action's click-through window, counted from the click (else the sale)."""
        clicked = row.click_time if click_id(row) else None
        window = dt.timedelta(days=self.settings.click_window_days)
        if clicked is None:
            return outside_window(row.conversion_time, now, window, "the sale", "Google Ads")
        if late := outside_window(clicked, now, window, "the click", "Google Ads"):
            return late
        settles = clicked + CLICK_SETTLING - now
        if settles > dt.timedelta(0):
            return defer("the click is less than 6 hours old (TOO_RECENT_EVENT)", settles.total_seconds())
        return None


def click_id(row: OutboxRow) -> tuple[str, str] | None:
    ids = row.identifiers
    return next(((key, ids[key]) for key in CLICK_IDS if ids.get(key)), None)


def hashed_ids(row: OutboxRow, email_key: str, phone_key: str) -> list[dict[str, Any]]:
    ids = row.identifiers
    found = [(email_key, ids.get("hashed_email")), (phone_key, ids.get("hashed_phone"))]
    return [{key: value} for key, value in found if value]
