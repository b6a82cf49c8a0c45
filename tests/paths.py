"""Where the shared reference material lives (beside the repository, as in CI)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE_SCHEMA = SHARED / "reference" / "schema.sql"
SEED_QUERIES = SHARED / "reference" / "seed_queries.py"
