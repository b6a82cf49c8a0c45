"""The mutations as a connector sends them, over real HTTP, and their payloads."""

from dataclasses import dataclass
from typing import Any

import httpx

ERRORS = "errors { code field message }"


@dataclass(frozen=True)
class Mutation:
    field: str
    document: str


CHANGE_LEAD_STAGE = Mutation(
    "changeLeadStage",
    f"""mutation Change($input: ChangeLeadStageInput!) {{
      changeLeadStage(input: $input) {{ changed lead {{ leadId }} stage {{ stageId }} {ERRORS} }}
    }}""",
)
REGISTER_OFFLINE_CONVERSION = Mutation(
    "registerOfflineConversion",
    f"""mutation Register($input: RegisterOfflineConversionInput!) {{
      registerOfflineConversion(input: $input) {{ created conversion {{ conversionId }} {ERRORS} }}
    }}""",
)
UPDATE_LEAD = Mutation(
    "updateLead",
    f"""mutation Update($input: UpdateLeadInput!) {{
      updateLead(input: $input) {{ lead {{ leadId }} {ERRORS} }}
    }}""",
)


def body(mutation: Mutation, input: dict[str, Any]) -> dict[str, Any]:
    return {"query": mutation.document, "variables": {"input": input}}


def payload(response: httpx.Response, mutation: Mutation) -> dict[str, Any]:
    """The mutation's payload; fails the test on any GraphQL-level error."""
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer, answer["errors"]
    result: dict[str, Any] = answer["data"][mutation.field]
    return result


def send(client: httpx.Client, mutation: Mutation, input: dict[str, Any]) -> dict[str, Any]:
    return payload(client.post("/graphql", json=body(mutation, input)), mutation)


async def send_async(client: httpx.AsyncClient, mutation: Mutation, input: dict[str, Any]) -> dict[str, Any]:
    return payload(await client.post("/graphql", json=body(mutation, input)), mutation)


def only_error(result: dict[str, Any]) -> tuple[str, list[str] | None]:
    """(code, field path) of the single error of a payload, whose message must say something."""
    assert len(result["errors"]) == 1, result["errors"]
    error = result["errors"][0]
    assert error["message"]
    return error["code"], error["field"]
