"""Delivering claimed rows of one account: checks first, then batches within the platform's limit."""

import datetime as dt
import json
from typing import Any

import httpx

from integrations.delivery.account_settings import GoogleAdsSettings
from integrations.delivery.adapter import Adapter
from integrations.delivery.config import Endpoints
from integrations.delivery.google_ads_api import GoogleAdsClicks, GoogleAdsRetractions
from integrations.delivery.google_data_manager import GoogleDataManager
from integrations.delivery.google_oauth import GoogleTokens, TokenRefused
from integrations.delivery.linkedin import LinkedIn
from integrations.delivery.meta import Meta
from integrations.delivery.open_accounts import OpenAccount
from integrations.delivery.outcomes import Attempt, Outcome, RowResult, Verdict, failed, not_configured, retry
from integrations.delivery.rows import OutboxRow
from integrations.delivery.tiktok import TikTok
from integrations.delivery.transport import Reply, post
from models.enums import OutboxKind, Platform

# A platform's answer is kept on each row's log only when small; otherwise its outcome says enough.
MAX_LOGGED_ANSWER = 1000


def adapter_for(
    account: OpenAccount, kind: OutboxKind, endpoints: Endpoints, tokens: GoogleTokens
) -> Adapter | Outcome:
    platform = Platform(account.destination.value)
    if platform is Platform.GOOGLE_ADS:
        if kind is OutboxKind.RETRACTION:
            return GoogleAdsRetractions(account, tokens, endpoints.google_ads)
        assert isinstance(account.settings, GoogleAdsSettings)
        if account.settings.api == "google_ads":
            return GoogleAdsClicks(account, tokens, endpoints.google_ads)
        return GoogleDataManager(account, tokens, endpoints.google_data_manager)
    if kind is OutboxKind.RETRACTION:
        return failed(f"{platform.value} cannot take a sale back: the refund is recorded, not sent")
    if platform is Platform.META:
        return Meta(account, endpoints.meta)
    if platform is Platform.LINKEDIN:
        return LinkedIn(account, endpoints.linkedin)
    return TikTok(account, endpoints.tiktok)


async def deliver_group(
    client: httpx.AsyncClient, adapter: Adapter, rows: list[OutboxRow], now: dt.datetime
) -> dict[int, RowResult]:
    results: dict[int, RowResult] = {}
    ready = []
    for row in rows:
        early = adapter.check(row, now)
        if early is None:
            ready.append(row)
        else:
            results[row.id] = RowResult(early)
    for start in range(0, len(ready), adapter.batch_limit):
        results.update(await _send(client, adapter, ready[start : start + adapter.batch_limit]))
    return results


def _answer(reply: Reply, outcome: Outcome) -> dict[str, Any]:
    answer = reply.logged()
    logged: dict[str, Any] = {"outcome": outcome.verdict.value, "message": outcome.message}
    if len(json.dumps(answer, default=str)) <= MAX_LOGGED_ANSWER:
        logged["answer"] = answer
    return logged


async def _send(
    client: httpx.AsyncClient, adapter: Adapter, rows: list[OutboxRow], renewed: bool = False
) -> dict[int, RowResult]:
    events = [adapter.event(row) for row in rows]
    try:
        request = await adapter.request(events)
    except TokenRefused as error:
        return {row.id: RowResult(not_configured(str(error))) for row in rows}
    except ConnectionError as error:
        return {row.id: RowResult(retry(str(error))) for row in rows}
    reply = await post(client, request)
    if reply.status == 401 and not renewed and await adapter.renew_credentials():
        return await _send(client, adapter, rows, renewed=True)
    outcomes = adapter.interpret(reply, events)
    attempts = [
        Attempt(event, _answer(reply, outcome), reply.status, reply.duration_ms, outcome)
        for event, outcome in zip(events, outcomes, strict=True)
    ]
    if adapter.all_or_nothing and len(rows) > 1 and all(o.verdict is Verdict.FAILED for o in outcomes):
        # One bad event fails the whole request: split it, so only the bad event ends failed.
        half = len(rows) // 2
        split = {
            **await _send(client, adapter, rows[:half], renewed),
            **await _send(client, adapter, rows[half:], renewed),
        }
        for row, attempt in zip(rows, attempts, strict=True):
            split[row.id].attempts.insert(0, attempt)
        return split
    return {
        row.id: RowResult(outcome, [attempt])
        for row, outcome, attempt in zip(rows, outcomes, attempts, strict=True)
    }
