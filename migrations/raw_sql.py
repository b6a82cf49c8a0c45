"""Run a multi-statement SQL script inside an Alembic migration (asyncpg's simple query protocol)."""

from pathlib import Path

from alembic import op
from sqlalchemy.util import await_only


def run_script(text: str) -> None:
    # SQLAlchemy prepares statements; a script of many statements needs the driver's own execute.
    driver_connection = op.get_bind().connection.driver_connection
    assert driver_connection is not None
    await_only(driver_connection.execute(text))


def run_file(path: Path) -> None:
    run_script(path.read_text(encoding="utf-8"))
