"""/healthz (the process answers) and /readyz (the database answers and migrations are at head)."""

import asyncio

import asyncpg
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.database import libpq_url
from server.migrate import VERSION_TABLE, head_revision

# How far the delivery workers are behind: rows due now, and how long the oldest has been due.
OUTBOX_DUE = """
    SELECT count(*) AS due, coalesce(extract(epoch FROM now() - min(next_attempt_at)), 0) AS lag
    FROM conversion_outbox
    WHERE status IN ('pending', 'failed') AND next_attempt_at <= now()
"""
REVISION = f"SELECT version_num FROM {VERSION_TABLE}"
# Probes time out after a second or more: /readyz answers within this, whatever the database does.
READY_SECONDS = 1.5


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    if request.app.state.drain.draining:
        return JSONResponse({"status": "draining"}, status_code=503)
    try:
        async with asyncio.timeout(READY_SECONDS):
            revision, outbox = await _database_state(libpq_url(request.app.state.database_url))
    except Exception as error:  # any database failure means not ready
        return JSONResponse({"status": "unavailable", "database": type(error).__name__}, status_code=503)
    head = head_revision()
    if revision != head:
        return JSONResponse(
            {"status": "migrations pending", "database_revision": revision, "head_revision": head},
            status_code=503,
        )
    lag = {"due": outbox["due"], "lag_seconds": round(float(outbox["lag"]), 3)} if outbox else None
    return JSONResponse({"status": "ready", "revision": revision, "outbox": lag})


async def _database_state(url: str) -> tuple[str | None, asyncpg.Record | None]:
    """On a connection of its own (a saturated pool is no reason to be unready), dropped without waiting."""
    connection = await asyncpg.connect(url, timeout=READY_SECONDS)
    try:
        try:
            revision = await connection.fetchval(REVISION)
        except asyncpg.UndefinedTableError:
            return None, None
        outbox = await connection.fetchrow(OUTBOX_DUE) if revision == head_revision() else None
        return revision, outbox
    finally:
        # close() waits for the server, which may be the thing that hangs.
        connection.terminate()
