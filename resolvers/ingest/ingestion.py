"""The one entry of tracking writes, shared by the GraphQL mutations and POST /collect: one transaction each,
crawlers answered without being counted."""

from dataclasses import dataclass
from typing import Any

from resolvers.access import MUTATIONS
from resolvers.context import Principal
from resolvers.ingest.events import EventsOutcome, record_events
from resolvers.ingest.leads import LeadOutcome, capture_lead
from resolvers.ingest.places import Places
from resolvers.ingest.requests import EventRequest, LeadRequest, Sender, SessionRef, VisitRequest
from resolvers.ingest.statements import OnDemand, tracking_transaction
from resolvers.ingest.visitors import BotFilter, VisitorSalt
from resolvers.ingest.visits import VisitOutcome, record_visit
from resolvers.mutations.outcome import Failure
from resolvers.mutations.permissions import refuse_unless

INGEST_ROLES = MUTATIONS["captureLead"]


def refuse_non_ingest(principal: Principal | None) -> list[Failure]:
    return refuse_unless(principal, INGEST_ROLES, "Tracking writes")


@dataclass
class Ingestion:
    pool: Any  # asyncpg pool of Row records (server.database.create_tracking_pool)
    bots: BotFilter
    salt: VisitorSalt
    places: Places
    wait: float | None = None  # seconds a beacon waits for a pooled connection

    def lookups(self, purpose: str) -> OnDemand:
        """Statements for reads the places cache usually answers: no connection is taken when it does."""
        return OnDemand(self.pool, purpose, self.wait)

    async def visit(self, request: VisitRequest, sender: Sender) -> VisitOutcome:
        if self.bots.is_bot(sender.user_agent):
            return VisitOutcome(counted=False)
        # One statement writes the visit (rastro_record_visit): no BEGIN and COMMIT around it.
        async with tracking_transaction(self.pool, "trackVisit", atomic=False, wait=self.wait) as session:
            # Every failure is found before the first write.
            return await record_visit(session, self.places, request, sender, await self.salt.get(session))

    async def events(self, ref: SessionRef, events: list[EventRequest], sender: Sender) -> EventsOutcome:
        if self.bots.is_bot(sender.user_agent):
            return EventsOutcome(counted=False)
        # One write, one statement: all events or none without a transaction around it.
        async with tracking_transaction(self.pool, "trackEvents", atomic=False, wait=self.wait) as session:
            return await record_events(session, self.places, ref, events, sender)

    async def lead(self, request: LeadRequest, sender: Sender) -> LeadOutcome:
        if self.bots.is_bot(sender.user_agent):
            return LeadOutcome(counted=False)
        async with tracking_transaction(self.pool, "captureLead", wait=self.wait) as session:
            return await capture_lead(session, self.places, request, sender)
