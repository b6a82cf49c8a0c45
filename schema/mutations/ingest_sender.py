"""What the tracking mutations share: the visitor's client as a server-side sender reports it."""

import strawberry

from resolvers.context import Info
from resolvers.ingest.ingestion import Ingestion
from resolvers.ingest.requests import Sender


@strawberry.input(description="The visitor's client, as the sending server saw it.")
class VisitorClientInput:
    client_ip: str | None = strawberry.field(
        default=None, description="The visitor's IP (v4 or v6); kept on the UTM capture, never in ids."
    )
    user_agent: str | None = strawberry.field(default=None, description="The visitor's User-Agent header.")


def sender_of(info: Info, client: VisitorClientInput | None) -> Sender:
    principal = info.context.principal
    return Sender(
        domain_id=None if principal is None else principal.domain_id,
        client_ip=None if client is None else client.client_ip,
        user_agent=None if client is None else client.user_agent,
    )


def ingestion_of(info: Info) -> Ingestion:
    ingestion = info.context.ingestion
    assert ingestion is not None, "the app sets up ingestion at startup"
    return ingestion
