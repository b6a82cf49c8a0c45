"""MutationError: what a connector gets back for an expected failure, with the input field path at fault."""

import strawberry

from resolvers.mutations.outcome import ErrorCode, Failure

# The same class as ErrorCode, registered under its GraphQL name.
MutationErrorCode = strawberry.enum(
    ErrorCode,
    name="MutationErrorCode",
    description="NOT_FOUND: no such lead. INVALID: a value is wrong. CONFLICT: it contradicts what is "
    "stored. FORBIDDEN: the key's role may not write.",
)


@strawberry.type(description="An expected failure: nothing was written.")
class MutationError:
    code: ErrorCode
    field: list[str] | None = strawberry.field(
        description='Path of the input field at fault, e.g. ["input", "metadata", "scoring", "total"]; '
        "null when no field is (FORBIDDEN)."
    )
    message: str


def mutation_errors(failures: list[Failure]) -> list[MutationError]:
    return [
        MutationError(
            code=failure.code,
            field=None if failure.field is None else list(failure.field),
            message=failure.message,
        )
        for failure in failures
    ]
