"""Domain, landing pages, sessions, visitor journeys and UTM captures."""

import datetime as dt
import uuid

import strawberry
from strawberry.scalars import JSON

import models
from schema.node import Node, node_type


@node_type(models.Domain, models.Domain.domain_id, "A tracked website.")
class Domain(Node):
    domain_id: uuid.UUID
    domain_name: str
    domain_url: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @strawberry.field(description="The raw metadata object.")
    def metadata_json(self, root: strawberry.Parent[models.Domain]) -> JSON:
        return root.metadata_
