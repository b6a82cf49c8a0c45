"""The committed SDL (schema/schema.graphql) is what the code builds."""

from schema.schema import SDL_PATH, sdl


def test_committed_sdl_matches_the_code() -> None:
    assert SDL_PATH.read_text(encoding="utf-8") == sdl(), "SDL drift: run `rastro export-schema` and commit"
