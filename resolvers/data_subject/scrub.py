"""The person's values inside raw payloads and free text: every string that mentions them is replaced."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from integrations.preimages import sha256_hex
from resolvers.data_subject.find import Found
from resolvers.data_subject.subject import Subject, email_variants

PLACEHOLDER = "[erased]"
# Names shorter than this are too common as parts of other words to be looked for inside text.
MIN_NAME = 4
NON_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class Markers:
    """What gives the person away: text (lowercase) and digit runs (phones, documents)."""

    texts: frozenset[str]
    digits: frozenset[str]

    def mention(self, value: str) -> bool:
        lowered = value.lower()
        if any(text in lowered for text in self.texts):
            return True
        digits = NON_DIGITS.sub("", value)
        return bool(digits) and any(run in digits for run in self.digits)


def scrubbed(value: Any, markers: Markers, depth: int = 0) -> Any:
    """The value with every string that mentions the person replaced; below the top level, an object with
    such a string among its own values is the person's record (a buyer with an address), erased whole."""
    if isinstance(value, str):
        return PLACEHOLDER if markers.mention(value) else value
    if isinstance(value, dict):
        if depth > 0 and any(names_them(item, markers) for item in value.values()):
            return erased(value)
        return {key: scrubbed(item, markers, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [scrubbed(item, markers, depth + 1) for item in value]
    return value


def names_them(value: Any, markers: Markers) -> bool:
    """A string that mentions the person, or a list of such (Meta's em: [hash])."""
    if isinstance(value, list):
        return any(isinstance(item, str) and markers.mention(item) for item in value)
    return isinstance(value, str) and markers.mention(value)


def erased(value: Any) -> Any:
    """Every string inside replaced; numbers, booleans and the shape kept."""
    if isinstance(value, str):
        return PLACEHOLDER
    if isinstance(value, dict):
        return {key: erased(item) for key, item in value.items()}
    if isinstance(value, list):
        return [erased(item) for item in value]
    return value


def column_values(found: Found, table: str, *columns: str) -> Iterable[str]:
    for row in found.rows[table]:
        for column in columns:
            if isinstance(value := row.get(column), str) and value.strip():
                yield value.strip()


def phone_forms(digits: str) -> set[str]:
    """E.164 digits and, for Brazilian numbers, the national number (area code and number)."""
    return {digits, digits[2:]} if digits.startswith("55") and len(digits) >= 12 else {digits}


def markers_of(subject: Subject, found: Found) -> Markers:
    """The identifier given and what the person's leads, customers and UTM captures hold about them."""
    emails = {*subject.emails, *(e.lower() for e in column_values(found, "leads", "email"))}
    emails |= {e.lower() for e in column_values(found, "customers", "email")}
    phones = {*subject.phone_digits}
    phones |= {NON_DIGITS.sub("", p) for p in column_values(found, "leads", "phone")}
    phones |= {NON_DIGITS.sub("", p) for p in column_values(found, "customers", "phone")}
    phones = {p for p in phones if len(p) >= 8}
    documents = {*subject.documents, *column_values(found, "customers", "document")}
    texts = {variant for email in emails for variant in email_variants(email)}
    texts |= {sha256_hex(text) for text in texts}
    texts |= {sha256_hex(p) for p in phones} | {sha256_hex(f"+{p}") for p in phones}
    texts |= {
        h.lower() for table in ("leads", "customers") for h in column_values(found, table, "hashed_email")
    }
    texts |= {h.lower() for h in column_values(found, "leads", "hashed_phone")}
    texts |= {
        n.lower()
        for t in ("leads", "customers")
        for n in column_values(found, t, "name")
        if len(n) >= MIN_NAME
    }
    texts |= {v.lower() for v in column_values(found, "utm_tracking", "client_ip", "user_agent")}
    digits = {form for p in phones for form in phone_forms(p)}
    digits |= {d for d in documents if d.isdigit()}
    texts |= {d.lower() for d in documents if not d.isdigit()}
    return Markers(frozenset(texts), frozenset(digits))
