"""Who a data-subject request is about: one e-mail, phone or document, normalized as Rastro stores them."""

import re
from dataclasses import dataclass
from typing import Any

from integrations.preimages import google_email, sha256_hex
from resolvers.checkout.apply import document_of
from resolvers.personal_data import MAX_EMAIL_LENGTH, InvalidPersonalData, normalize_phone

# Characters of a CPF given without the leading zeros a platform may have dropped (11 with them).
MIN_DOCUMENT = 9


class SubjectError(ValueError):
    """The request does not name one person; `argument` is the argument at fault."""

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(problem)
        self.argument = argument
        self.problem = problem


@dataclass(frozen=True)
class Subject:
    emails: tuple[str, ...] = ()
    phone_digits: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """Which identifier names the person: email, phone or document."""
        return "email" if self.emails else "phone" if self.phone_digits else "document"

    def params(self) -> dict[str, Any]:
        """The bound arrays the declaration's conditions start from."""
        return {
            "emails": list(self.emails),
            "email_hashes": [sha256_hex(email) for email in self.emails],
            "phone_digits": list(self.phone_digits),
            "phone_hashes": [sha256_hex(digits) for digits in self.phone_digits],
            "documents": list(self.documents),
            "names": [],
        }


def subject_of(email: str | None, phone: str | None, document: str | None) -> Subject:
    """Exactly one identifier: e-mails trimmed and lowercased, phones as E.164 digits, documents as digits."""
    given = [(name, value) for name, value in (("email", email), ("phone", phone), ("document", document))]
    present = [(name, value) for name, value in given if value is not None]
    if len(present) != 1:
        raise SubjectError("email", "give exactly one of email, phone or document")
    ((argument, value),) = present
    if not value.strip():
        raise SubjectError(argument, "is empty")
    if argument == "email":
        normalized = value.strip().lower()
        if len(normalized) > MAX_EMAIL_LENGTH or "@" not in normalized:
            raise SubjectError(
                argument, f"is not an e-mail address (name@domain, at most {MAX_EMAIL_LENGTH})"
            )
        return Subject(emails=(normalized,))
    if argument == "phone":
        try:
            return Subject(phone_digits=(normalize_phone(value),))
        except InvalidPersonalData as error:
            raise SubjectError(argument, str(error)) from None
    found, kind, _ = document_of(value)
    if found is None or kind is None or len(re.sub(r"[^0-9A-Za-z]", "", value)) < MIN_DOCUMENT:
        raise SubjectError(argument, "is not a CPF or CNPJ (11 or 14 digits, punctuation allowed)")
    return Subject(documents=(found,))


def email_variants(email: str) -> set[str]:
    """An address as the platforms may have hashed it: as stored, and Google's Gmail form."""
    return {email, google_email(email)}
