"""Each platform's pre-image of a lead's e-mail and phone, derived from the one normalized form Rastro keeps.

Leads store the e-mail as given and the phone in E.164 ('+5511987654321'), normalized once at capture.
E-mail: trimmed and lowercased for everyone; Google also drops the dots of a Gmail local part.
Phone: Meta hashes the digits without '+', Google and TikTok the E.164 form with it (research §2.6).
"""

import hashlib
import re

from models.enums import Platform

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
PHONE_WITH_PLUS = frozenset({Platform.GOOGLE_ADS, Platform.TIKTOK})


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def google_email(email: str) -> str:
    local, _, domain = email.rpartition("@")
    return f"{local.replace('.', '')}@{domain}" if domain in GMAIL_DOMAINS else email


def hashed_email(platform: Platform, email: str | None, stored_hash: str | None) -> str | None:
    """The platform's hash of the e-mail; the stored hash when the address itself is gone."""
    if not email:
        return stored_hash
    normalized = email.strip().lower()
    return sha256_hex(google_email(normalized) if platform is Platform.GOOGLE_ADS else normalized)


def hashed_phone(platform: Platform, phone: str | None, stored_hash: str | None) -> str | None:
    """The platform's hash of the phone; the stored hash (Meta's pre-image) when the number is gone."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return stored_hash if platform not in PHONE_WITH_PLUS else None
    return sha256_hex(f"+{digits}" if platform in PHONE_WITH_PLUS else digits)
