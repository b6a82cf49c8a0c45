"""`rastro checkout-accounts set`: a domain's Hotmart or Kiwify webhook token (it goes in, never out)."""

import sys
import uuid
from typing import Annotated, Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from integrations.secret_box import SecretBox
from models import CheckoutAccount
from models.enums import CheckoutPlatform
from resolvers.checkout.accounts import CheckoutAccountError, set_checkout_account
from server.cli_database import DataDir, database, fail, with_sessions
from server.settings import Settings

FROM_STDIN = "-"

checkout_accounts_app = typer.Typer(
    help="Checkout accounts: Hotmart and Kiwify webhook tokens.", no_args_is_help=True
)


async def store(
    sessions: async_sessionmaker[AsyncSession], config: Settings, **fields: Any
) -> CheckoutAccount:
    box = None if config.secret_key is None else SecretBox(config.secret_key.get_secret_value())
    async with sessions.begin() as session:
        return await set_checkout_account(session, box, **fields)


def register(app: typer.Typer) -> None:
    """Attach `rastro checkout-accounts` to the CLI."""

    @checkout_accounts_app.command("set")
    def set_command(
        domain: Annotated[uuid.UUID, typer.Option(help="The domain's id.")],
        platform: Annotated[CheckoutPlatform, typer.Option(help="The checkout platform.")],
        name: Annotated[str, typer.Option(help="A name, e.g. 'Hotmart - main'.")],
        given: Annotated[
            str,
            typer.Option(
                "--token",
                help="The platform's webhook token; '-' reads it from stdin (out of shell history).",
            ),
        ] = FROM_STDIN,
        inactive: Annotated[bool, typer.Option("--inactive", help="Store it switched off.")] = False,
        data_dir: DataDir = None,
    ) -> None:
        """Create or replace a domain's account for a checkout platform."""
        secret = sys.stdin.readline().strip() if given == FROM_STDIN else given
        config = Settings()
        with database(config, data_dir, migrate=True) as url:
            config = Settings()  # the embedded database's secret key is in the environment now
            try:
                account = with_sessions(
                    url,
                    lambda sessions: store(
                        sessions,
                        config,
                        domain_id=domain,
                        platform=platform,
                        name=name,
                        token=secret,
                        active=not inactive,
                    ),
                )
            except CheckoutAccountError as error:
                raise fail(str(error)) from None
        state = "active" if account.active else "inactive"
        sys.stdout.write(
            f"{platform.value} account '{account.name}' saved ({state}): point the platform at "
            f"https://<rastro host>/webhooks/{platform.value}\n"
        )

    app.add_typer(checkout_accounts_app, name="checkout-accounts")
