"""`rastro keys create|list|revoke`: API keys, stored hashed."""

import datetime as dt
import sys
from typing import Annotated

import typer
from rich.console import Console

from resolvers.context import Role
from server import keys as key_admin
from server.cli_database import DataDir, database, fail, with_sessions
from server.settings import Settings

app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
out = Console()


def create_key(url: str, name: str, role: Role) -> str:
    return with_sessions(url, lambda sessions: key_admin.create_key(sessions, name, role))


@app.command("create")
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
            key = create_key(url, name, role)
        except key_admin.KeyAdminError as error:
            raise fail(str(error)) from None
    out.print(key, markup=False, highlight=False)


@app.command("list")
def keys_list(data_dir: DataDir = None) -> None:
    """List keys: name, role, prefix, created, last used, revoked."""
    with database(Settings(), data_dir, migrate=True) as url:
        rows = with_sessions(url, key_admin.list_keys)

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


@app.command("revoke")
def keys_revoke(
    name: Annotated[str, typer.Argument(help="Name of the key to revoke.")], data_dir: DataDir = None
) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    with database(Settings(), data_dir, migrate=True) as url:
        try:
            with_sessions(url, lambda sessions: key_admin.revoke_key(sessions, name))
        except key_admin.KeyAdminError as error:
            raise fail(str(error)) from None
    out.print(f"Revoked {name}.", markup=False)
