"""`rastro checkout-events replay`: apply again the kept webhook events whose sale could not be applied."""

import sys
from typing import Annotated

import typer

from resolvers.checkout.replay import replay_failed
from server.cli_database import DataDir, database, with_sessions
from server.settings import Settings


def register(app: typer.Typer) -> None:
    """Attach `rastro checkout-events` to the CLI."""
    events_app = typer.Typer(help="Checkout webhook events kept by Rastro.", no_args_is_help=True)
    app.add_typer(events_app, name="checkout-events")

    @events_app.command("replay")
    def replay(
        event: Annotated[
            list[int] | None,
            typer.Option("--event", help="Only this event id (repeatable); every failed one when omitted."),
        ] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Parse and apply each failed event again, oldest first; prints what became of each."""
        with database(Settings(), data_dir, migrate=True) as url:
            done = with_sessions(url, lambda sessions: replay_failed(sessions, event or ()))
        for each in done:
            detail = f" transaction {each.transaction}" if each.transaction else ""
            reason = f": {each.error}" if each.error else ""
            sys.stdout.write(f"event {each.event_id}: {each.status.value}{detail}{reason}\n")
        applied = sum(each.status.value == "applied" for each in done)
        left = len(done) - applied
        sys.stdout.write(f"Replayed {len(done)} failed events: {applied} applied, {left} not.\n")
