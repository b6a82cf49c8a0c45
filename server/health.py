"""/healthz (the process answers) and /readyz (the database answers and migrations are at head)."""

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.migrate import current_revision, head_revision

# How far the delivery workers are behind: rows due now, and how long the oldest has been due.
OUTBOX_DUE = text("""
    SELECT count(*) AS due, coalesce(extract(epoch FROM now() - min(next_attempt_at)), 0) AS lag
    FROM conversion_outbox
    WHERE status IN ('pending', 'failed') AND next_attempt_at <= now()
""")


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    if request.app.state.drain.draining:
        return JSONResponse({"status": "draining"}, status_code=503)
    engine = request.app.state.engine
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        revision = await current_revision(engine)
        outbox = None
        if revision is not None and revision == head_revision():
            async with engine.connect() as connection:
                outbox = (await connection.execute(OUTBOX_DUE)).one()
    except Exception as error:  # any database failure means not ready
        return JSONResponse({"status": "unavailable", "database": type(error).__name__}, status_code=503)
    head = head_revision()
    if revision != head:
        return JSONResponse(
            {"status": "migrations pending", "database_revision": revision, "head_revision": head},
            status_code=503,
        )
    lag = {"due": outbox.due, "lag_seconds": round(float(outbox.lag), 3)} if outbox else None
    return JSONResponse({"status": "ready", "revision": revision, "outbox": lag})
