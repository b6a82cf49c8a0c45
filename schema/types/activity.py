"""What visitors do in a session: page views and events."""

import datetime as dt
import uuid

from strawberry.scalars import JSON

import models
from schema.node import Node, node_type
from schema.relations import lazy, to_one

TRACKING = "schema.types.tracking"


@node_type(models.PageView, models.PageView.view_id, "One page shown in a session.")
class PageView(Node):
    view_id: uuid.UUID
    session_id: str
    page_id: uuid.UUID | None
    view_order: int
    time_on_page: int | None
    exit_page: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    session = to_one(models.Session.session_id, "session_id", lazy("Session", TRACKING), "The session.")
    landing_page = to_one(
        models.LandingPage.page_id, "page_id", lazy("LandingPage", TRACKING), "The page viewed."
    )


@node_type(
    models.Event, models.Event.event_id, "An interaction: click, scroll, form start, video play, download..."
)
class Event(Node):
    event_id: uuid.UUID
    session_id: str
    page_id: uuid.UUID | None
    event_type: str
    event_category: str | None
    event_action: str | None
    event_label: str | None
    element_id: str | None
    element_class: str | None
    event_data: JSON
    created_at: dt.datetime
    updated_at: dt.datetime

    session = to_one(models.Session.session_id, "session_id", lazy("Session", TRACKING), "The session.")
    landing_page = to_one(models.LandingPage.page_id, "page_id", lazy("LandingPage", TRACKING), "The page.")
