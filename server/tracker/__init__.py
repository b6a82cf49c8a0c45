"""GET /t.js: the landing-page script (t.js beside this file), gzipped when the browser accepts it."""

import gzip
import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

SCRIPT = (Path(__file__).parent / "t.js").read_bytes()
GZIPPED = gzip.compress(SCRIPT, 9, mtime=0)
ETAG = '"' + hashlib.sha256(SCRIPT).hexdigest()[:16] + '"'
HEADERS = {
    "Cache-Control": "public, max-age=3600",
    "ETag": ETAG,
    "Vary": "Accept-Encoding",
    "X-Content-Type-Options": "nosniff",
}


async def tracker_script(request: Request) -> Response:
    if request.headers.get("if-none-match") == ETAG:
        return Response(status_code=304, headers=HEADERS)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers = {**HEADERS, "Content-Encoding": "gzip"}
        return Response(GZIPPED, headers=headers, media_type="text/javascript; charset=utf-8")
    return Response(SCRIPT, headers=HEADERS, media_type="text/javascript; charset=utf-8")
