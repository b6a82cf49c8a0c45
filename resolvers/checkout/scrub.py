"""Card numbers never reach the database: Luhn-valid runs of 13-19 digits are cut from raw payloads."""

import re
from typing import Any

SCRUBBED = "[card number removed]"
# Digit groups joined by single spaces or hyphens, as card numbers are written ("4111 1111 1111 1111").
GROUPED_DIGITS = re.compile(r"(?<![0-9])[0-9]+(?:[ -][0-9]+)*(?![0-9])")
DIGITS = re.compile(r"[0-9]+")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_card(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _scrub_group(match: re.Match[str]) -> str:
    group = match.group(0)
    if _is_card(re.sub(r"[ -]", "", group)):
        return SCRUBBED
    return DIGITS.sub(lambda run: SCRUBBED if _is_card(run.group(0)) else run.group(0), group)


def scrub_text(text: str) -> str:
    return GROUPED_DIGITS.sub(_scrub_group, text)


def scrub(value: Any) -> Any:
    """The JSON value with every card-like number in its strings replaced; numbers (times, ids) stay."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value
