"""TikTok Events API 2.0 (event/track): HTTP 200 with a code in the body says what happened."""

import datetime as dt
from typing import Any

from integrations.delivery.account_settings import TikTokSettings, TokenSecrets
from integrations.delivery.adapter import Adapter, all_rows, outside_window, unix_seconds
from integrations.delivery.open_accounts import OpenAccount
from integrations.delivery.outcomes import Outcome, delivered, failed, not_configured, retry
from integrations.delivery.rows import OutboxRow
from integrations.delivery.transport import Reply, Request, transient

SUCCESS_CODES = frozenset({0, 20001})  # 20001: partial success
RETRY_CODES = frozenset({40100, 40700})  # throttled; server busy
EVENT_NAMES = {"purchase": "CompletePayment"}


class TikTok(Adapter):
    batch_limit = 1000
    all_or_nothing = True

    def __init__(self, account: OpenAccount, base_url: str) -> None:
        assert isinstance(account.settings, TikTokSettings)
        assert isinstance(account.secrets, TokenSecrets)
        self.settings: TikTokSettings = account.settings
        self.token = account.secrets.access_token
        self.base_url = base_url.rstrip("/")

    def check(self, row: OutboxRow, now: dt.datetime) -> Outcome | None:
        window = dt.timedelta(days=self.settings.window_days)
        return outside_window(row.conversion_time, now, window, "event_time", "TikTok")

    def event(self, row: OutboxRow) -> dict[str, Any]:
        ids = row.identifiers
        user = {
            key: value
            for key, value in (
                ("email", ids.get("hashed_email")),
                ("phone", ids.get("hashed_phone")),
                ("ttclid", ids.get("ttclid")),
            )
            if value
        }
        name = row.payload["conversion_name"]
        return {
            "event": self.settings.event_names.get(name) or EVENT_NAMES.get(name, name),
            "event_time": unix_seconds(row.conversion_time),
            "event_id": row.dedup_key,
            "user": user,
            "properties": {"value": float(row.value), "currency": row.payload["currency"]},
        }

    async def request(self, events: list[dict[str, Any]]) -> Request:
        body: dict[str, Any] = {
            "event_source": self.settings.event_source,
            "event_source_id": self.settings.event_source_id,
            "data": events,
        }
        if self.settings.test_event_code:
            body["test_event_code"] = self.settings.test_event_code
        headers = {"Access-Token": self.token}
        return Request(f"{self.base_url}/open_api/v1.3/event/track/", body, headers)

    def interpret(self, reply: Reply, events: list[dict[str, Any]]) -> list[Outcome]:
        count = len(events)
        body = reply.body if isinstance(reply.body, dict) else {}
        message = f"code {body.get('code')}: {body.get('message')}" if body else str(reply.body)[:500]
        if outcome := transient(reply, message):
            return all_rows(outcome, count)
        assert reply.status is not None
        if reply.status == 401:
            return all_rows(not_configured(f"TikTok rejected the access token: {message}"), count)
        if not 200 <= reply.status < 300:
            return all_rows(failed(f"TikTok refused the events ({reply.status}): {message}"), count)
        code = body.get("code")
        if code in SUCCESS_CODES:
            return all_rows(delivered(), count)
        if code in RETRY_CODES:
            return all_rows(retry(f"TikTok asked to retry: {message}", reply.retry_after), count)
        return all_rows(failed(f"TikTok refused the events: {message}"), count)
