"""rastro_erfc (migration 0027) returns the very double of Python's math.erfc, so the compiled abTests
answers the same p-values as the Python path: compared bit for bit over a dense grid, random points of each
of the algorithm's ranges, the edges of those ranges, and where erfc underflows to zero. And the compiled
path writes a double in JSON as the Python path's response does (1.0, not 1)."""

import math
import random
import struct
from collections.abc import Iterator

import orjson
import pytest

from loaders.json_sql import float_number
from tests import pg
from tests.sql import rows

# The ranges of fdlibm's erfc and their edges; 2^-56, below which it answers 1 - x.
EDGES = [0.0, 2.0**-56, 0.25, 0.84375, 1.25, 2.8571414947509766, 6.0, 28.0]
RANGES = [(-30.0, 30.0), (-1.3, 1.3), (0.2, 0.9), (1.2, 3.0), (2.8, 6.5), (-6.5, -1.2), (26.0, 28.5)]


def bits(value: float) -> bytes:
    return struct.pack("<d", value)


def points() -> list[float]:
    r = random.Random(20261129)
    grid = [k / 2048 for k in range(-31 * 2048, 31 * 2048)]
    spread = [r.uniform(low, high) for low, high in RANGES for _ in range(20_000)]
    tiny = [sign * 2.0**-k for k in range(1, 1075) for sign in (1, -1)]
    edges = [
        near
        for edge in EDGES
        for signed in (edge, -edge)
        for near in (math.nextafter(signed, -math.inf), signed, math.nextafter(signed, math.inf))
    ]
    # Where erfc(x) leaves the subnormals for 0, one step of x at a time.
    zero = 27.0
    while math.erfc(zero) > 0:
        zero += 1e-3
    underflow = [zero - k * 2e-7 for k in range(20_000)]
    near = list(underflow)
    for _ in range(200):
        near.append(math.nextafter(near[-1], math.inf))
    return [*grid, *spread, *tiny, *edges, *near, math.inf, -math.inf]


@pytest.fixture(scope="module")
def database(pg_url: str, migrated_template: str) -> Iterator[str]:
    name = pg.unique_name("rastro_erfc")
    yield pg.create_database(pg_url, name, template=migrated_template)
    pg.drop_database(pg_url, name)


def test_rastro_erfc_is_math_erfc_bit_for_bit(database: str) -> None:
    xs = points()
    answered = rows(
        database,
        "SELECT array_agg(rastro_erfc(x) ORDER BY i) AS erfc FROM unnest($1::float8[]) WITH ORDINALITY u(x, i)",
        xs,
    )[0]["erfc"]
    different = [
        (x, got, math.erfc(x)) for x, got in zip(xs, answered, strict=True) if bits(got) != bits(math.erfc(x))
    ]
    assert not different, f"{len(different)} of {len(xs)} differ, e.g. {different[:5]}"
    assert (
        0 < math.erfc(max(x for x in xs if x < 28 and math.erfc(x) > 0)) < 1e-320
    )  # the subnormals were met


def test_nan_and_null(database: str) -> None:
    found = rows(database, "SELECT rastro_erfc('NaN') AS nan, rastro_erfc(NULL) AS null")[0]
    assert math.isnan(found["nan"]) and found["null"] is None


def test_doubles_are_written_as_python_writes_them(database: str) -> None:
    r = random.Random(7)
    values = [0.0, -0.0, 1.0, -2.0, 1e14, 1e15, 1e16, 1e22, 5e-324, 1e-5, 0.1, 1.7976931348623157e308]
    values += [r.uniform(-1e6, 1e6) for _ in range(500)] + [
        float(r.randint(-(10**17), 10**17)) for _ in range(500)
    ]
    values += [2.0**k for k in range(-1074, 1024)]
    written = rows(
        database,
        f"SELECT json_agg({float_number('x')} ORDER BY i)::text AS json FROM unnest($1::float8[]) WITH ORDINALITY u(x, i)",
        values,
    )[0]["json"]
    # The response passes the compiled JSON through orjson, as it writes the Python path's floats.
    assert orjson.dumps(orjson.loads(written)) == orjson.dumps(values)
