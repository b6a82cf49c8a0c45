"""GraphQL over a live server's HTTP, as a client sends it: the whole answer, or its data when error-free."""

from typing import Any

import httpx

from tests.live import LiveServer


def post(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def data(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    body = post(client, query, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


def gql(server: LiveServer, key: str, query: str, **variables: Any) -> dict[str, Any]:
    with server.client(key) as client:
        return post(client, query, **variables)


def gql_data(server: LiveServer, key: str, query: str, **variables: Any) -> dict[str, Any]:
    with server.client(key) as client:
        return data(client, query, **variables)


def every_node(server: LiveServer, key: str, query: str, **variables: Any) -> list[dict[str, Any]]:
    """Pages through a root connection whose query takes $after and has one root field."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        (connection,) = gql_data(server, key, query, after=after, **variables).values()
        nodes += connection["nodes"]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]
