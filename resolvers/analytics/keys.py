"""Which customer or transaction a report is about, and the SQL condition that picks it."""

from dataclasses import dataclass

from resolvers.analytics.statement import Statement
from resolvers.errors import ArgumentError
from resolvers.personal_data import email_lookup_hash


@dataclass(frozen=True)
class TransactionKey:
    """The internal id, or the platform's transactionId (and, optionally, its platform)."""

    id: int | None = None
    transaction_id: str | None = None
    platform: str | None = None

    def __post_init__(self) -> None:
        if (self.id is None) == (self.transaction_id is None):
            raise ArgumentError("id", "or 'internalId' or 'transactionId': give exactly one")
        if self.id is not None and self.platform is not None:
            raise ArgumentError("platform", "goes with 'transactionId' only")


@dataclass(frozen=True)
class CustomerKey:
    """The customer's id, or e-mail (any case, surrounding spaces ignored)."""

    id: int | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        if (self.id is None) == (self.email is None):
            raise ArgumentError("customerId", "or 'customerEmail': give exactly one")


def transaction_condition(s: Statement, alias: str, key: TransactionKey) -> list[str]:
    if key.id is not None:
        return [f"{alias}.id = {s.bind(key.id)}"]
    return [
        f"{alias}.transaction_id = {s.bind(key.transaction_id)}",
        *s.equal(f"{alias}.platform", key.platform),
    ]


def customer_condition(s: Statement, alias: str, key: CustomerKey) -> list[str]:
    if key.id is not None:
        return [f"{alias}.id = {s.bind(key.id)}"]
    return [f"{alias}.hashed_email = {s.bind(email_lookup_hash(key.email or ''))}"]
