"""Group-by totals: transactions and sessions counted (and valued) by UTM keys, affiliate, day/week/month."""

import datetime as dt
from decimal import Decimal

import strawberry

from resolvers.analytics.materialized import SESSION_CAPTURES
from resolvers.analytics.session_captures import over_captures, stored_session_totals
from resolvers.analytics.statement import ReportQuery
from resolvers.analytics.totals import GroupKey, session_totals, transaction_totals
from resolvers.context import Info
from schema.analytics.inputs import ReportPeriod, period_of
from schema.analytics.report import Live, Report, answer, compiled
from schema.queries.tracking import SESSIONS, UTM_OF_SESSION, SessionFilter, session_filters
from schema.queries.transaction_filters import TransactionFilter, refuse_email_filter, transaction_filters

strawberry.enum(
    GroupKey,
    name="GroupKey",
    description="What totals are grouped by: UTM values, the affiliate paid (transactions only), and one of "
    "the local day, week (from Monday) or month.",
)


@strawberry.type(description="One group: its keys (null when not grouped by), how many, and their value.")
class Total:
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    utm_content: str | None
    affiliate: str | None = strawberry.field(description="Recipient of the sale's affiliate commission.")
    bucket: dt.date | None = strawberry.field(description="First day of the day, week or month grouped by.")
    count: int = strawberry.field(description="Transactions or sessions in the group.")
    value: Decimal | None = strawberry.field(
        description="Sum of the transactions' offer price; null for sessions."
    )


# sessions(filter:) over analytics_session_captures.
CAPTURED_SESSIONS = over_captures(SESSIONS, UTM_OF_SESSION)


def transaction_totals_report(
    group_by: list[GroupKey], filter: TransactionFilter | None = None, period: ReportPeriod | None = None
) -> ReportQuery:
    span = period_of(period)
    return ReportQuery(transaction_totals(group_by, transaction_filters(filter), span), span)


def session_totals_report(
    group_by: list[GroupKey],
    filter: SessionFilter | None = None,
    period: ReportPeriod | None = None,
    live: bool = False,
) -> ReportQuery:
    span = period_of(period)
    if live:
        return ReportQuery(session_totals(group_by, session_filters(filter), span), span)
    view_filters = CAPTURED_SESSIONS.where(filter)
    query = stored_session_totals(group_by, session_filters(filter), view_filters, span)
    return ReportQuery(query, span, [SESSION_CAPTURES], live)


@strawberry.type
class TotalsReports:
    @strawberry.field(
        description="Transactions matching `filter` and ordered in the period, counted and summed per group.",
        metadata=compiled(transaction_totals_report),
    )
    async def transaction_totals(
        self,
        info: Info,
        group_by: list[GroupKey],
        filter: TransactionFilter | None = None,
        period: ReportPeriod | None = None,
    ) -> Report[Total]:
        refuse_email_filter(info, filter)
        return await answer(info, transaction_totals_report(group_by, filter, period))

    @strawberry.field(
        description="Sessions matching `filter` and started in the period, counted per group.",
        metadata=compiled(session_totals_report),
    )
    async def session_totals(
        self,
        info: Info,
        group_by: list[GroupKey],
        filter: SessionFilter | None = None,
        period: ReportPeriod | None = None,
        live: Live = False,
    ) -> Report[Total]:
        return await answer(info, session_totals_report(group_by, filter, period, live))
