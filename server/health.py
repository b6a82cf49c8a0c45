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
# A replica (DATABASE_READ_URL): still a standby, and how long ago the last transaction it replayed committed.
REPLICA = """
    SELECT pg_is_in_recovery() AS standby,
           extract(epoch FROM now() - pg_last_xact_replay_timestamp()) AS replayed_seconds_ago
"""
# Probes time out after a second or more: /readyz answers within this, whatever the database does.
READY_SECONDS = 1.5


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    if request.app.state.drain.draining:
        return JSONResponse({"status": "draining"}, status_code=503)
    state = request.app.state
    replicated = state.read_url != state.database_url
    try:
        async with asyncio.timeout(READY_SECONDS):
            revision, outbox = await _database_state(libpq_url(state.database_url))
            replica = await _replica_state(libpq_url(state.read_url)) if replicated else None
    except Exception as error:  # any database failure means not ready
        return JSONResponse({"status": "unavailable", "database": type(error).__name__}, status_code=503)
    head = head_revision()
    pending = _pending(revision, head) or (replica and _pending(replica["revision"], head, "replica"))
    if pending:
        return JSONResponse(pending, status_code=503)
    lag = {"due": outbox["due"], "lag_seconds": round(float(outbox["lag"]), 3)} if outbox else None
    ready = {"status": "ready", "revision": revision, "outbox": lag}
    return JSONResponse(ready if replica is None else {**ready, "replica": replica})


def _pending(revision: object, head: object, database: str = "database") -> dict[str, object] | None:
    """Migrations not at head: on the primary, or not yet replayed on the replica."""
    if revision == head:
        return None
    return {"status": "migrations pending", f"{database}_revision": revision, "head_revision": head}


async def _replica_state(url: str) -> dict[str, object]:
    connection = await asyncpg.connect(url, timeout=READY_SECONDS)
    try:
        row = await connection.fetchrow(REPLICA)
        try:
            revision = await connection.fetchval(REVISION)
        except asyncpg.UndefinedTableError:
            revision = None
    finally:
        connection.terminate()
    seconds = row["replayed_seconds_ago"]
    ago = None if seconds is None else round(float(seconds), 3)
    return {"revision": revision, "standby": row["standby"], "replayed_seconds_ago": ago}


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
