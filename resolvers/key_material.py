"""API key material: `rst_` + 32 random bytes; only the SHA-256 is stored."""

import hashlib
import secrets

KEY_PREFIX = "rst_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
