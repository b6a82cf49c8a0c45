"""Normalization before hashing: the research notes' Brazilian phone vectors (§4.4) and e-mail rules."""

import pytest

from resolvers.personal_data import InvalidPersonalData, is_business_email, normalize_email, normalize_phone


@pytest.mark.parametrize(
    ("raw", "e164_digits"),
    [
        ("(11) 98765-4321", "5511987654321"),
        ("011 98765-4321", "5511987654321"),
        ("11987654321", "5511987654321"),
        ("5511987654321", "5511987654321"),
        ("+55 11 98765-4321", "5511987654321"),
        ("0 15 11 98765-4321", "5511987654321"),  # carrier code
        ("0055 11 98765-4321", "5511987654321"),
        ("(11) 3456-7890", "551134567890"),  # landline
        ("11 8765-4321", "5511987654321"),  # mobile dialled before the ninth digit
        ("+50524703593", "50524703593"),  # not Brazilian: kept as sent
    ],
)
def test_phones_become_e164_digits(raw: str, e164_digits: str) -> None:
    assert normalize_phone(raw) == e164_digits


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("8765-4321", "area code"),
        ("(20) 98765-4321", "not a valid Brazilian"),
        ("(11) 1234-5678", "not a valid Brazilian"),
        ("(11) 98765-43210", "not a valid Brazilian"),
        ("ramal 12", "only digits"),
        ("+0 123", "international"),
    ],
)
def test_what_cannot_be_a_phone_is_refused_with_a_reason(raw: str, problem: str) -> None:
    with pytest.raises(InvalidPersonalData, match=problem):
        normalize_phone(raw)


def test_email_is_trimmed_and_lowercased_and_must_look_like_one() -> None:
    assert normalize_email("  Joao.Silva@Empresa.COM ") == "joao.silva@empresa.com"
    for raw in ("joao", "joao@empresa", "jo ao@empresa.com", "@empresa.com", "a@b@c.com"):
        with pytest.raises(InvalidPersonalData):
            normalize_email(raw)


def test_free_mail_domains_are_not_business_emails() -> None:
    assert is_business_email("ana@empresa.com.br")
    for domain in (
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "yahoo.com.br",
        "uol.com.br",
        "bol.com.br",
        "icloud.com",
    ):
        assert not is_business_email(f"ana@{domain}")
