"""The example operations GraphiQL opens with: the journey, then one per main use (schema/examples/)."""

from pathlib import Path

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.graphql"))
DEFAULT_TABS = [path.read_text(encoding="utf-8") for path in EXAMPLES]
JOURNEY_QUERY = DEFAULT_TABS[0]
