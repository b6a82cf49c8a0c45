"""The delivery worker: lanes that claim due rows, send them, and record every attempt.

Each destination gets `concurrency` lanes; a lane claims a batch with FOR UPDATE SKIP LOCKED, so any
number of workers on any number of machines share the work, and sends one request at a time. A claim
is a lease the lane renews while it works: a worker that dies stops renewing and its rows are claimed
again (and re-sent with the same dedup id, which the platform deduplicates). On stop, lanes finish
what they hold, or release it when the grace period runs out.
"""

import asyncio
import contextlib
import datetime as dt
import json
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from integrations.delivery import outbox_store, webhook_store
from integrations.delivery.account_settings import CrmWebhookSecrets, CrmWebhookSettings
from integrations.delivery.adapter import Adapter
from integrations.delivery.backoff import retry_delay
from integrations.delivery.batch import adapter_for, deliver_group
from integrations.delivery.config import DeliveryConfig
from integrations.delivery.crm_webhook import webhook_outcome, webhook_request
from integrations.delivery.google_oauth import GoogleTokens
from integrations.delivery.open_accounts import OpenAccount, Unusable, active_accounts, open_account
from integrations.delivery.outbox_store import Claimed
from integrations.delivery.outcomes import Outcome, RowResult, Verdict, not_configured
from integrations.delivery.settle import retraction_blocker, settle
from integrations.delivery.transport import post
from integrations.secret_box import SecretBox
from models.enums import Destination, OutboxKind, Platform

log = logging.getLogger("rastro.worker")
DB_ERRORS = (SQLAlchemyError, OSError)
WEBHOOK_CLAIM = 10


class Lease:
    """When a claim's lease runs out, as far as this lane knows (renewals push it back)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.renewed()

    def renewed(self) -> None:
        self.expires = asyncio.get_running_loop().time() + self.seconds


class Worker:
    def __init__(self, engine: AsyncEngine, config: DeliveryConfig, box: SecretBox) -> None:
        self.engine = engine
        self.config = config
        self.box = box
        self.stopping = asyncio.Event()
        self.counts: Counter[str] = Counter()
        self.client = httpx.AsyncClient(
            timeout=config.request_timeout,
            limits=httpx.Limits(max_connections=config.concurrency * len(Destination) + 4),
        )
        self.tokens = GoogleTokens(self.client, config.endpoints.google_oauth)

    def stop(self) -> None:
        self.stopping.set()

    async def run(self, once: bool = False) -> Counter[str]:
        """Deliver until stopped; with once, until nothing is due."""
        lanes = [
            asyncio.create_task(self._lane(destination, once), name=f"{destination.value}-{n}")
            for destination in self.config.destinations
            for n in range(self.config.concurrency)
        ]
        stop: asyncio.Task[Any] = asyncio.create_task(self.stopping.wait())
        try:
            pending: set[asyncio.Task[Any]] = set(lanes)
            while pending and not self.stopping.is_set():
                _, pending = await asyncio.wait(pending | {stop}, return_when=asyncio.FIRST_COMPLETED)
                pending.discard(stop)
            if pending:
                _, late = await asyncio.wait(pending, timeout=self.config.shutdown_grace)
                for task in late:
                    task.cancel()  # the lane releases what it holds
                await asyncio.gather(*late, return_exceptions=True)
        finally:
            stop.cancel()
            await self.client.aclose()
        return self.counts

    async def _lane(self, destination: Destination, once: bool) -> None:
        failures = 0
        while not self.stopping.is_set():
            try:
                busy = await self._turn(destination)
                failures = 0
            except DB_ERRORS as error:
                failures += 1
                pause = min(30.0, 0.5 * 2 ** min(failures, 6))
                log.warning(
                    "%s: database unavailable (%s), retrying in %.1f s", destination.value, error, pause
                )
                await self._pause(pause)
                continue
            if not busy:
                if once:
                    return
                await self._pause(self.config.poll_seconds)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    async def _turn(self, destination: Destination) -> bool:
        """Claim and deliver one batch; False when nothing was due."""
        token = uuid.uuid4()
        if destination is Destination.CRM_WEBHOOK:
            async with self.engine.begin() as connection:
                webhooks = await webhook_store.claim(
                    connection, WEBHOOK_CLAIM, token, self.config.lease_seconds
                )
            if webhooks:
                await self._holding(
                    token, webhook_store.renew, webhook_store.release, self._webhooks(token, webhooks)
                )
            return bool(webhooks)
        platform = Platform(destination.value)
        async with self.engine.begin() as connection:
            claimed = await outbox_store.claim(
                connection, platform, self.config.batch_size, token, self.config.lease_seconds
            )
        if claimed:
            await self._holding(
                token, outbox_store.renew, outbox_store.release, self._outbox(platform, token, claimed)
            )
        return bool(claimed)

    async def _holding(
        self,
        token: uuid.UUID,
        renew: Callable[[AsyncConnection, uuid.UUID, float], Awaitable[None]],
        release: Callable[[AsyncConnection, uuid.UUID], Awaitable[None]],
        work: Callable[[Lease], Awaitable[None]],
    ) -> None:
        """Run the work while renewing the claim's lease; release the claim if the work is cancelled."""
        lease = Lease(self.config.lease_seconds)
        heartbeat = asyncio.create_task(self._renew(token, renew, lease))
        try:
            await work(lease)
        except asyncio.CancelledError:
            with contextlib.suppress(*DB_ERRORS):
                await asyncio.shield(self._in_transaction(lambda c: release(c, token)))
            raise
        finally:
            heartbeat.cancel()

    async def _renew(
        self,
        token: uuid.UUID,
        renew: Callable[[AsyncConnection, uuid.UUID, float], Awaitable[None]],
        lease: Lease,
    ) -> None:
        while True:
            await asyncio.sleep(lease.seconds / 3)
            try:
                await self._in_transaction(lambda c: renew(c, token, lease.seconds))
                lease.renewed()
            except DB_ERRORS as error:
                log.warning("lease renewal failed (%s)", error)

    async def _in_transaction(self, action: Callable[[AsyncConnection], Awaitable[None]]) -> None:
        async with self.engine.begin() as connection:
            await action(connection)

    async def _record(self, action: Callable[[AsyncConnection], Awaitable[None]], lease: Lease) -> None:
        """Store outcomes, retrying through a database outage while the lease holds."""
        loop = asyncio.get_running_loop()
        pause = 0.2
        while True:
            try:
                await self._in_transaction(action)
                return
            except DB_ERRORS as error:
                if loop.time() + pause >= lease.expires:
                    log.error("outcomes not recorded (%s): the rows will be claimed and sent again", error)
                    return
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)

    async def _accounts(
        self, destination: Destination, domains: set[uuid.UUID]
    ) -> dict[uuid.UUID, OpenAccount | str]:
        """The usable account of each domain, or why there is none."""
        async with AsyncSession(self.engine) as session:
            stored = await active_accounts(session, destination, domains)
        opened: dict[uuid.UUID, OpenAccount | str] = {}
        for domain in domains:
            row = stored.get(domain)
            if row is None:
                opened[domain] = f"the domain has no active {destination.value} account"
                continue
            try:
                opened[domain] = open_account(row, self.box)
            except Unusable as error:
                opened[domain] = str(error)
        return opened

    def _outbox(
        self, platform: Platform, token: uuid.UUID, claimed: list[Claimed]
    ) -> Callable[[Lease], Awaitable[None]]:
        async def work(lease: Lease) -> None:
            results = await self._send(platform, claimed)
            rows = [c.row for c in claimed]
            settled = {row.id: settle(row, results[row.id], self.config) for row in rows}
            await self._record(
                lambda c: outbox_store.finish(c, platform, token, rows, settled, results), lease
            )
            self.counts.update(f"{platform.value}:{s.status.value}" for s in settled.values())

        return work

    async def _send(self, platform: Platform, claimed: list[Claimed]) -> dict[int, RowResult]:
        results: dict[int, RowResult] = {}
        sendable = []
        for item in claimed:
            blocked = retraction_blocker(item)
            if blocked is None:
                sendable.append(item.row)
            else:
                results[item.row.id] = RowResult(blocked)
        accounts = await self._accounts(Destination(platform.value), {row.domain_id for row in sendable})
        groups: dict[tuple[uuid.UUID, OutboxKind], list[Any]] = defaultdict(list)
        for row in sendable:
            groups[(row.domain_id, row.kind)].append(row)
        now = dt.datetime.now(dt.UTC)
        for (domain, kind), rows in groups.items():
            account = accounts[domain]
            adapter: Adapter | Outcome = (
                not_configured(account)
                if isinstance(account, str)
                else adapter_for(account, kind, self.config.endpoints, self.tokens)
            )
            if isinstance(adapter, Outcome):
                results.update({row.id: RowResult(adapter) for row in rows})
            else:
                results.update(await deliver_group(self.client, adapter, rows, now))
        return results

    def _webhooks(
        self, token: uuid.UUID, webhooks: list[webhook_store.ClaimedWebhook]
    ) -> Callable[[Lease], Awaitable[None]]:
        async def work(lease: Lease) -> None:
            accounts = await self._accounts(Destination.CRM_WEBHOOK, {w.domain_id for w in webhooks})
            for webhook in webhooks:
                account = accounts[webhook.domain_id]
                if isinstance(account, str):
                    await self._park(
                        token, webhook, f"not sent: {account}; it goes out once one is set", lease
                    )
                else:
                    await self._webhook(token, webhook, account, lease)

        return work

    async def _park(
        self, token: uuid.UUID, webhook: webhook_store.ClaimedWebhook, reason: str, lease: Lease
    ) -> None:
        await self._record(lambda c: webhook_store.parked(c, token, webhook.log_id, reason), lease)
        self.counts["crm_webhook:not_configured"] += 1

    async def _webhook(
        self, token: uuid.UUID, webhook: webhook_store.ClaimedWebhook, account: OpenAccount, lease: Lease
    ) -> None:
        assert isinstance(account.settings, CrmWebhookSettings)
        assert isinstance(account.secrets, CrmWebhookSecrets)
        request = webhook_request(
            account.settings.url, account.secrets.signing_secret, webhook.log_id, webhook.request_data
        )
        reply = await post(self.client, request)
        outcome = webhook_outcome(reply)
        response = json.dumps(
            {"statusCode": reply.status, "body": reply.logged(), "duration_ms": reply.duration_ms}
        )
        if outcome.verdict is Verdict.DELIVERED:
            await self._record(lambda c: webhook_store.succeeded(c, token, webhook.log_id, response), lease)
            self.counts["crm_webhook:success"] += 1
            return
        retries_left = outcome.verdict is Verdict.RETRY and webhook.retry_count < webhook_store.MAX_RETRIES
        delay = (
            retry_delay(self.config, webhook.retry_count + 1, outcome.retry_after) if retries_left else None
        )
        error = outcome.message or "failed"
        await self._record(
            lambda c: webhook_store.failed(c, token, webhook.log_id, response, error, delay), lease
        )
        self.counts["crm_webhook:failed"] += 1
