"""`rastro accounts`: set and list the delivery accounts of a domain (secrets go in, never come out)."""

import json
import sys
import uuid
from typing import Annotated, Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from integrations.delivery.account_settings import AccountError
from integrations.delivery.account_setup import set_account
from integrations.secret_box import SecretBox
from models import DeliveryAccount
from models.enums import Destination
from server.cli_database import DataDir, database, fail, with_sessions
from server.settings import Settings

accounts_app = typer.Typer(
    help="Delivery accounts: ad-platform credentials and CRM webhooks.", no_args_is_help=True
)


def pairs(items: list[str], option: str) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint=option)
        parsed[key.strip()] = value
    return parsed


def json_object(raw: str | None, option: str) -> dict[str, Any]:
    if raw is None:
        return {}
    text = sys.stdin.read() if raw == "-" else raw
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise typer.BadParameter(f"not JSON: {error}", param_hint=option) from None
    if not isinstance(value, dict):
        raise typer.BadParameter("must be a JSON object", param_hint=option)
    return value


async def store(
    sessions: async_sessionmaker[AsyncSession], config: Settings, **fields: Any
) -> tuple[DeliveryAccount, int]:
    box = None if config.secret_key is None else SecretBox(config.secret_key.get_secret_value())
    async with sessions.begin() as session:
        return await set_account(session, box, **fields)


async def listing(
    sessions: async_sessionmaker[AsyncSession], domain: uuid.UUID | None
) -> list[DeliveryAccount]:
    from sqlalchemy import select

    async with sessions() as session:
        query = select(DeliveryAccount).order_by(DeliveryAccount.domain_id, DeliveryAccount.destination)
        if domain is not None:
            query = query.where(DeliveryAccount.domain_id == domain)
        return list(await session.scalars(query))


def register(app: typer.Typer) -> None:
    """Attach `rastro accounts` to the CLI."""

    @accounts_app.command("set")
    def set_command(
        domain: Annotated[uuid.UUID, typer.Option(help="The domain's id.")],
        destination: Annotated[Destination, typer.Option(help="Where deliveries go.")],
        name: Annotated[str, typer.Option(help="A name, e.g. 'hubspot' for a CRM webhook.")],
        setting: Annotated[list[str], typer.Option("--setting", help="KEY=VALUE (repeat).")] = [],  # noqa: B006
        settings_json: Annotated[str | None, typer.Option(help="Settings as a JSON object.")] = None,
        secret: Annotated[list[str], typer.Option("--secret", help="KEY=VALUE (repeat).")] = [],  # noqa: B006
        secrets_json: Annotated[
            str | None, typer.Option(help="Secrets as a JSON object; '-' reads it from stdin.")
        ] = None,
        inactive: Annotated[bool, typer.Option("--inactive", help="Store it switched off.")] = False,
        data_dir: DataDir = None,
    ) -> None:
        """Create or replace a domain's account for a destination; waiting deliveries are sent again."""
        config = Settings()
        values = {**json_object(settings_json, "--settings-json"), **pairs(setting, "--setting")}
        given = {**json_object(secrets_json, "--secrets-json"), **pairs(secret, "--secret")}
        with database(config, data_dir, migrate=True) as url:
            config = Settings()  # the embedded database's secret key is in the environment now
            try:
                account, woken = with_sessions(
                    url,
                    lambda sessions: store(
                        sessions,
                        config,
                        domain_id=domain,
                        destination=destination,
                        name=name,
                        settings=values,
                        secrets=given or None,
                        active=not inactive,
                    ),
                )
            except AccountError as error:
                raise fail(str(error)) from None
        state = "active" if account.active else "inactive"
        sys.stdout.write(
            f"{destination.value} account '{account.name}' saved ({state}); {woken} deliveries due again.\n"
        )

    @accounts_app.command("list")
    def list_command(
        domain: Annotated[uuid.UUID | None, typer.Option(help="Only this domain.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Domain, destination, name, settings, active; secrets only as set or not."""
        config = Settings()
        with database(config, data_dir, migrate=True) as url:
            rows = with_sessions(url, lambda sessions: listing(sessions, domain))
        for row in rows:
            secrets = "secrets set" if row.secrets else "no secrets"
            state = "active" if row.active else "inactive"
            settings = json.dumps(row.settings, sort_keys=True)
            sys.stdout.write(
                f"{row.domain_id}  {row.destination}  {row.name}  {state}  {secrets}  {settings}\n"
            )

    app.add_typer(accounts_app, name="accounts")
