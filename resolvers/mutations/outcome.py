"""Expected failures of a mutation: a code, the input field path at fault, and a message for the connector."""

import enum
from dataclasses import dataclass

FieldPath = tuple[str, ...]


class ErrorCode(enum.Enum):
    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"


@dataclass(frozen=True)
class Failure:
    code: ErrorCode
    field: FieldPath | None
    message: str


def invalid(field: FieldPath, message: str) -> Failure:
    return Failure(ErrorCode.INVALID, field, message)


def conflict(field: FieldPath, message: str) -> Failure:
    return Failure(ErrorCode.CONFLICT, field, message)
