"""GraphiQL for analysts: Strawberry's page, opening on the journey query and an Authorization header."""

import json
import re
from functools import cache
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

JOURNEY_QUERY = (Path(__file__).parent / "journey.graphql").read_text(encoding="utf-8")
HEADERS_TEMPLATE = json.dumps(
    {"Authorization": "Bearer <your API key: rastro keys create --role analyst>"}, indent=2
)


@cache
def graphiql_html() -> str:
    html = get_graphql_ide_html(graphql_ide="graphiql")
    html = re.sub(
        r"const EXAMPLE_QUERY = `.*?`;",
        lambda _: f"const EXAMPLE_QUERY = {json.dumps(JOURNEY_QUERY)};",
        html,
        count=1,
        flags=re.DOTALL,
    )
    return html.replace(
        "React.useState(parameters.headers)",
        f"React.useState(parameters.headers || {json.dumps(HEADERS_TEMPLATE)})",
    )
