"""The `rastro` command line: serve, migrate, seed, demo, keys, export-schema, imports and more."""

import asyncio
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated, TypeVar

import asyncpg  # type: ignore[import-untyped]  # no stubs: connections are Any
import typer
from rich.console import Console
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from integrations.secret_box import SecretBox
from models import ApiKey
from resolvers.context import Role
from server import (
    accounts_cli,
    checkout_accounts_cli,
    checkout_events_cli,
    costs_cli,
    data_subject_cli,
    partitions_cli,
    sales_cli,
)
from server import keys as key_admin
from server import trusted_documents as trusted
from server.analytics_refresh import Refreshed, refresh_views
from server.database import create_engine, create_sessionmaker, describe_host, libpq_url
from server.dbcheck import DatabaseUnreachable, check_reachable, is_empty
from server.embedded import embedded_postgres
from server.lifecycle import sigterm_unwinds
from server.migrate import upgrade
from server.serving import run_server
from server.settings import Settings

app = typer.Typer(
    help="Rastro: GraphQL API for marketing attribution.", no_args_is_help=True, add_completion=False
)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
documents_app = typer.Typer(
    help="Trusted documents: make a key run only the operations of a manifest.", no_args_is_help=True
)
app.add_typer(documents_app, name="documents")
T = TypeVar("T")
out = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Embedded PostgreSQL data directory (when DATABASE_URL is not set)."),
]


def fail(message: str) -> typer.Exit:
    err.print(f"rastro: {message}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


@contextlib.contextmanager
def database(settings: Settings, data_dir: Path | None, migrate: bool = False) -> Iterator[str]:
    """DATABASE_URL when set, else the embedded server (started here, stopped on exit); checked reachable."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(sigterm_unwinds())  # so the embedded server below is stopped on SIGTERM too
        url = settings.database_url
        if not url:
            embedded_dir = data_dir or settings.data_dir
            url = stack.enter_context(embedded_postgres(embedded_dir))
            keep_secret_key(embedded_dir)
        try:
            asyncio.run(check_reachable(url))
        except DatabaseUnreachable as error:
            raise fail(f"cannot reach PostgreSQL at {describe_host(url)}: {error}") from None
        if migrate:
            run_migrations(url)
        yield url


def keep_secret_key(data_dir: Path) -> None:
    """The embedded database's secrets key lives beside its data, made on first use, unless one is set."""
    if os.environ.get("RASTRO_SECRET_KEY"):
        return
    path = data_dir.parent / f"{data_dir.name}.secret-key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(SecretBox.generate_key(), encoding="ascii")
    os.environ["RASTRO_SECRET_KEY"] = path.read_text(encoding="ascii").strip()


def run_migrations(url: str) -> None:
    asyncio.run(upgrade(url))


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
        key = asyncio.run(_create_key(url, f"demo-admin-{dt.datetime.now():%Y%m%d-%H%M%S-%f}", Role.ADMIN))
        host, port = host or settings.host, port or settings.port
        out.print(f"GraphQL: http://{host}:{port}/graphql", markup=False, highlight=False)
        out.print(f"GraphiQL: http://{host}:{port}/graphiql/", markup=False, highlight=False)
        out.print(f"Admin API key: {key}", markup=False, highlight=False)
        out.print("Send it as 'Authorization: Bearer <key>'. Ctrl-C stops the server.", markup=False)
        sys.stdout.flush()
        run_server(settings, url, host, port, 1)


async def _create_key(url: str, name: str, role: Role) -> str:
    engine = create_engine(url, Settings())
    try:
        return await key_admin.create_key(create_sessionmaker(engine), name, role)
    finally:
        await engine.dispose()


@keys_app.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="What the key may do.")],
    name: Annotated[str, typer.Option(help="A unique name, e.g. the client that uses it.")],
    data_dir: DataDir = None,
) -> None:
    """Create a key and print it (it is stored hashed and cannot be shown again)."""
    if not 1 <= len(name) <= 100:
        raise fail("--name must be 1 to 100 characters")
    with database(Settings(), data_dir, migrate=True) as url:
        try:
            key = asyncio.run(_create_key(url, name, role))
        except key_admin.KeyAdminError as error:
            raise fail(str(error)) from None
    out.print(key, markup=False, highlight=False)


@keys_app.command("list")
def keys_list(data_dir: DataDir = None) -> None:
    """List keys: name, role, prefix, created, last used, revoked."""

    async def fetch(url: str) -> list[ApiKey]:
        engine = create_engine(url, Settings())
        try:
            return list(await key_admin.list_keys(create_sessionmaker(engine)))
        finally:
            await engine.dispose()

    with database(Settings(), data_dir, migrate=True) as url:
        rows = asyncio.run(fetch(url))

    def when(value: dt.datetime | None) -> str:
        return f"{value:%Y-%m-%d %H:%M}" if value else "-"

    lines = [("NAME", "ROLE", "PREFIX", "CREATED", "LAST USED", "REVOKED")]
    lines += [
        (r.name, r.role, r.key_prefix, when(r.created_at), when(r.last_used_at), when(r.revoked_at))
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(6)]
    for line in lines:
        sys.stdout.write(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() + "\n"
        )


@keys_app.command("revoke")
def keys_revoke(
    name: Annotated[str, typer.Argument(help="Name of the key to revoke.")], data_dir: DataDir = None
) -> None:
    """Revoke a key: requests with it get 401 from now on."""

    async def revoke(url: str) -> None:
        engine = create_engine(url, Settings())
        try:
            await key_admin.revoke_key(create_sessionmaker(engine), name)
        finally:
            await engine.dispose()

    with database(Settings(), data_dir, migrate=True) as url:
        try:
            asyncio.run(revoke(url))
        except key_admin.KeyAdminError as error:
            raise fail(str(error)) from None
    out.print(f"Revoked {name}.", markup=False)


KeyName = Annotated[str, typer.Argument(help="Name of the API key.")]


def _with_sessions(url: str, action: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(url, Settings())
        try:
            return await action(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except trusted.TrustedDocumentsError as error:
        raise fail(str(error)) from None


@documents_app.command("load")
def documents_load(
    name: KeyName,
    manifest: Annotated[
        Path, typer.Argument(help="Apollo's persisted query manifest, or {sha256: document}.")
    ],
    data_dir: DataDir = None,
) -> None:
    """Make the key run only the manifest's operations (replacing its list); each is checked first."""
    from schema.schema import schema

    try:
        entries = trusted.parse_manifest(manifest.read_text(encoding="utf-8"), schema._schema)
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"cannot read {manifest}: {error}") from None
    except trusted.TrustedDocumentsError as error:
        raise fail(f"{manifest}: {error}") from None
    with database(Settings(), data_dir, migrate=True) as url:
        _with_sessions(url, lambda sessions: trusted.load(sessions, name, entries, str(manifest)))
    out.print(
        f"{name} now runs only the {len(entries)} operations of {manifest}.", markup=False, soft_wrap=True
    )


@documents_app.command("list")
def documents_list(name: KeyName, data_dir: DataDir = None) -> None:
    """The key's trusted documents: name and SHA-256 of each."""
    with database(Settings(), data_dir, migrate=True) as url:
        found = _with_sessions(url, lambda sessions: trusted.listing(sessions, name))
    if found is None:
        out.print(f"{name} has no list: it runs any operation its role allows.", markup=False, soft_wrap=True)
        return
    header, documents = found
    loaded = f"{header.loaded_at:%Y-%m-%d %H:%M}"
    sys.stdout.write(f"{name}: {len(documents)} operations from {header.source}, loaded {loaded}\n")
    for document in documents:
        sys.stdout.write(f"{document.sha256}  {document.name or '-'}\n")


@documents_app.command("clear")
def documents_clear(name: KeyName, data_dir: DataDir = None) -> None:
    """Drop the key's list: it runs any operation its role allows again."""
    with database(Settings(), data_dir, migrate=True) as url:
        _with_sessions(url, lambda sessions: trusted.clear(sessions, name))
    out.print(f"{name} runs any operation its role allows again.", markup=False, soft_wrap=True)


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


accounts_cli.register(app, database, fail, DataDir)
checkout_accounts_cli.register(app, database, fail, DataDir)
checkout_events_cli.register(app, database, DataDir, _with_sessions)
costs_cli.register(app, database, fail, DataDir)
sales_cli.register(app, database, fail, DataDir)
data_subject_cli.register(app, database, fail, DataDir, _with_sessions)
partitions_cli.register(app, database, DataDir, _with_sessions)


def main() -> None:
    app()
