"""The `rastro` command line: serve, migrate, seed, demo, keys, export-schema, imports and more."""

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated

import asyncpg  # type: ignore[import-untyped]  # no stubs: connections are Any
import typer
from rich.console import Console
from rich.progress import Progress

from integrations.secret_box import SecretBox
from resolvers.context import Role
from server import (
    accounts_cli,
    checkout_accounts_cli,
    checkout_events_cli,
    costs_cli,
    data_subject_cli,
    documents_cli,
    keys_cli,
    partitions_cli,
    sales_cli,
)
from server.analytics_refresh import Refreshed, refresh_views
from server.cli_database import DataDir, database, err, fail, run_migrations
from server.database import libpq_url
from server.dbcheck import is_empty
from server.serving import run_server
from server.settings import Settings

app = typer.Typer(
    help="Rastro: GraphQL API for marketing attribution.", no_args_is_help=True, add_completion=False
)
app.add_typer(keys_cli.app, name="keys")
app.add_typer(documents_cli.app, name="documents")
out = Console()


@app.command()
def migrate(data_dir: DataDir = None) -> None:
    """Upgrade the database schema to the latest migration."""
    settings = Settings()
    with database(settings, data_dir) as url:
        run_migrations(url)
    out.print("Database migrated to head.")


def run_seed(url: str, scale: float) -> dict[str, int]:
    from server.seed import seed_database

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(f"Seeding at scale {scale}", total=None)

        def advance(part: str, index: int, total: int) -> None:
            progress.update(task, total=total, completed=index, description=f"Seeding: {part}")

        return asyncio.run(seed_database(libpq_url(url), scale, advance))


@app.command()
def seed(
    scale: Annotated[
        float, typer.Option(help="1 ≈ 1,000 sessions; volumes grow linearly.", min=0.01, max=1000)
    ] = 1.0,
    data_dir: DataDir = None,
) -> None:
    """Replace the tracking and checkout data with realistic demo data (API keys are kept)."""
    settings = Settings()
    with database(settings, data_dir) as url:
        run_migrations(url)
        started = dt.datetime.now()
        counts = run_seed(url, scale)
    seconds = (dt.datetime.now() - started).total_seconds()
    out.print(f"Seeded {sum(counts.values()):,} rows in {len(counts)} tables in {seconds:.1f} s.")


HostOpt = Annotated[str | None, typer.Option(help="Interface to listen on [default: RASTRO_HOST].")]
PortOpt = Annotated[int | None, typer.Option(help="Port to listen on [default: RASTRO_PORT].")]


@app.command()
def serve(
    host: HostOpt = None,
    port: PortOpt = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes [default: RASTRO_WORKERS, else 1 per CPU; 1 when embedded]."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Serve the GraphQL API (migrates the embedded database first)."""
    settings = Settings()
    with database(settings, data_dir) as url:
        if not settings.database_url:
            run_migrations(url)
        # The work is Python's: use every core, unless the embedded PostgreSQL shares them.
        default = (os.cpu_count() or 1) if settings.database_url else 1
        workers = workers or settings.workers or default
        run_server(settings, url, host or settings.host, port or settings.port, workers)


@app.command()
def demo(
    host: HostOpt = None,
    port: PortOpt = None,
    scale: Annotated[float, typer.Option(help="Seed scale when the database is empty.", min=0.01)] = 1.0,
    data_dir: DataDir = None,
) -> None:
    """Migrate, seed if empty, create an admin key and serve: the quickstart."""
    settings = Settings()
    with database(settings, data_dir) as url:
        run_migrations(url)
        if asyncio.run(is_empty(url)):
            run_seed(url, scale)
        key = keys_cli.create_key(url, f"demo-admin-{dt.datetime.now():%Y%m%d-%H%M%S-%f}", Role.ADMIN)
        host, port = host or settings.host, port or settings.port
        out.print(f"GraphQL: http://{host}:{port}/graphql", markup=False, highlight=False)
        out.print(f"GraphiQL: http://{host}:{port}/graphiql/", markup=False, highlight=False)
        out.print(f"Admin API key: {key}", markup=False, highlight=False)
        out.print("Send it as 'Authorization: Bearer <key>'. Ctrl-C stops the server.", markup=False)
        sys.stdout.flush()
        run_server(settings, url, host, port, 1)


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Deliver what is due, then exit.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Deliver conversions to the ad platforms and new leads to CRM webhooks (SIGTERM stops it cleanly)."""
    from server.worker import NotMigrated, configure_logging, run_worker

    settings = Settings()
    with database(settings, data_dir, migrate=not settings.database_url) as url:
        settings = Settings()  # the embedded database's secret key is in the environment now
        if settings.secret_key is None:
            raise fail("RASTRO_SECRET_KEY is not set: the worker cannot open the delivery credentials")
        configure_logging(settings.log_level)
        try:
            counts = asyncio.run(run_worker(settings, url, once))
        except NotMigrated as error:
            raise fail(str(error)) from None
    summary = ", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "nothing was due"
    out.print(f"Delivery worker stopped: {summary}.", markup=False, highlight=False)


@app.command("refresh-analytics")
def refresh_analytics(data_dir: DataDir = None) -> None:
    """Refresh the analytics reports' materialized views (readers keep the old rows meanwhile)."""
    settings = Settings()
    with database(settings, data_dir, migrate=not settings.database_url) as url:
        done = asyncio.run(_refresh(libpq_url(url)))
    for view in done:
        out.print(f"{view.view}: {view.rows:,} rows in {view.seconds:.2f} s", markup=False, highlight=False)
    total = sum(view.seconds for view in done)
    out.print(f"Refreshed {len(done)} views in {total:.2f} s.", markup=False, highlight=False)


async def _refresh(url: str) -> list[Refreshed]:
    connection = await asyncpg.connect(url, server_settings={"application_name": "rastro-refresh"})
    try:
        return await refresh_views(connection)
    finally:
        await connection.close()


@app.command("secret-key")
def secret_key() -> None:
    """Print a new key for RASTRO_SECRET_KEY (seals delivery and checkout credentials)."""
    out.print(SecretBox.generate_key(), markup=False, highlight=False)


@app.command("export-schema")
def export_schema(
    output: Annotated[
        Path | None, typer.Option(help="File to write; '-' for stdout [default: schema/schema.graphql].")
    ] = None,
) -> None:
    """Write the GraphQL SDL."""
    from schema.schema import SDL_PATH, sdl

    text = sdl()
    if output == Path("-"):
        sys.stdout.write(text)
        return
    target = output or SDL_PATH
    target.write_text(text, encoding="utf-8")
    out.print(f"Wrote {target}", markup=False)


accounts_cli.register(app)
checkout_accounts_cli.register(app)
checkout_events_cli.register(app)
costs_cli.register(app)
sales_cli.register(app)
data_subject_cli.register(app)
partitions_cli.register(app)


def main() -> None:
    app()
