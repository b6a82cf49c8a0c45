"""`rastro documents load|list|clear`: make a key run only the operations of a manifest."""

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from server import trusted_documents as trusted
from server.cli_database import DataDir, database, fail, with_sessions
from server.settings import Settings

app = typer.Typer(
    help="Trusted documents: make a key run only the operations of a manifest.", no_args_is_help=True
)
out = Console()
KeyName = Annotated[str, typer.Argument(help="Name of the API key.")]


@app.command("load")
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
        with_sessions(url, lambda sessions: trusted.load(sessions, name, entries, str(manifest)))
    out.print(
        f"{name} now runs only the {len(entries)} operations of {manifest}.", markup=False, soft_wrap=True
    )


@app.command("list")
def documents_list(name: KeyName, data_dir: DataDir = None) -> None:
    """The key's trusted documents: name and SHA-256 of each."""
    with database(Settings(), data_dir, migrate=True) as url:
        found = with_sessions(url, lambda sessions: trusted.listing(sessions, name))
    if found is None:
        out.print(f"{name} has no list: it runs any operation its role allows.", markup=False, soft_wrap=True)
        return
    header, documents = found
    loaded = f"{header.loaded_at:%Y-%m-%d %H:%M}"
    sys.stdout.write(f"{name}: {len(documents)} operations from {header.source}, loaded {loaded}\n")
    for document in documents:
        sys.stdout.write(f"{document.sha256}  {document.name or '-'}\n")


@app.command("clear")
def documents_clear(name: KeyName, data_dir: DataDir = None) -> None:
    """Drop the key's list: it runs any operation its role allows again."""
    with database(Settings(), data_dir, migrate=True) as url:
        with_sessions(url, lambda sessions: trusted.clear(sessions, name))
    out.print(f"{name} runs any operation its role allows again.", markup=False, soft_wrap=True)
