"""Who a visit is from: the sender's visitor id or a salted hash, and whether the client is a crawler."""

import hashlib
import re
from collections.abc import Iterable

from sqlalchemy import text

from resolvers.ingest.statements import Statements


class BotFilter:
    """Known crawler user agents (case-insensitive substrings): their requests are answered, not counted."""

    def __init__(self, patterns: Iterable[str]) -> None:
        words = [re.escape(p.strip()) for p in patterns if p.strip()]
        self._pattern = re.compile("|".join(words), re.IGNORECASE) if words else None

    def is_bot(self, user_agent: str | None) -> bool:
        return bool(user_agent and self._pattern and self._pattern.search(user_agent))


class VisitorSalt:
    """The install's random salt (rastro_instance), read once per process."""

    def __init__(self) -> None:
        self._salt: str | None = None

    async def get(self, session: Statements) -> str:
        if self._salt is None:
            self._salt = str(await session.scalar(text("SELECT visitor_salt FROM rastro_instance")))
        return self._salt


def fallback_visitor_id(salt: str, client_ip: str | None, user_agent: str | None, domain: str) -> str:
    """A stable id for senders without one; the IP cannot be read back from it (salted SHA-256)."""
    material = "\x1f".join((salt, client_ip or "", user_agent or "", domain))
    return "h_" + hashlib.sha256(material.encode()).hexdigest()[:40]
