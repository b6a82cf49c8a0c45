"""Secrets at rest: delivery and checkout credentials sealed with a key that lives outside the database."""

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class SecretKeyError(ValueError):
    """The key is missing or malformed, or a sealed value was made with another key."""


class SecretBox:
    """Fernet (AES-128-CBC + HMAC-SHA256) over a JSON object; the key is RASTRO_SECRET_KEY."""

    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as error:
            message = "RASTRO_SECRET_KEY must be a Fernet key ('rastro secret-key' prints a new one)"
            raise SecretKeyError(message) from error

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode("ascii")

    def seal(self, secrets: dict[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(secrets, separators=(",", ":")).encode())

    def unseal(self, token: bytes) -> dict[str, Any]:
        try:
            opened = json.loads(self._fernet.decrypt(token))
        except InvalidToken as error:
            raise SecretKeyError(
                "A stored secret cannot be opened: it was sealed with another key"
            ) from error
        if not isinstance(opened, dict):
            raise SecretKeyError("A stored secret is not a JSON object")
        return opened
