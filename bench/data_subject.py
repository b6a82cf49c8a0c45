"""LGPD requests over HTTP, one at a time, p50/p99 at a seed scale (default 10): exportDataSubject by
e-mail, phone and document (after 3 warm-up requests), then eraseDataSubject of each person.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/data_subject.py [--scale 10]

Creates a scratch database on that server, seeds it, adds `--people` persons with a row in every table of
the data-subject declaration (tests/lgpd/people.py), runs `rastro serve` in its own process, drops it after.
"""

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from validate_docbr import CPF  # type: ignore[import-untyped]

from bench.loadgen import run
from bench.served import scratch_database, served
from tests.conftest import key_maker
from tests.lgpd.people import Person, arrange, person
from tests.lgpd.test_erase import ERASE
from tests.lgpd.test_export import EXPORT


def people(count: int) -> list[Person]:
    documents = CPF().generate_list(count)
    return [person(f"bench{n}", documents[n], f"55119{n:08d}", f"2001:db8:be::{n:x}") for n in range(count)]


def identifier(who: Person, kind: str) -> dict[str, str]:
    return {kind: {"email": who.email, "phone": who.phone_digits, "document": who.document}[kind]}


def row(base_url: str, key: str, name: str, body_for: Any, count: int, warm_up: int = 0) -> str:
    asyncio.run(run(base_url, key, 1, body_for, warm_up, 600))
    result = asyncio.run(run(base_url, key, 1, body_for, count, 600))
    p50, p99 = result.percentile(50), result.percentile(99)
    return f"| {name} | {result.requests} | {p50:.1f} | {p99:.1f} | {result.errors} |"


def bench(url: str, count: int) -> None:
    everyone = people(count)
    for who in everyone:
        arrange(url, who)
    key = key_maker(url)("admin")
    with served(url) as server:
        print("| request | requests | p50 ms | p99 ms | errors |\n|---|---|---|---|---|", flush=True)
        for kind in ("email", "phone", "document"):
            body = lambda n, kind=kind: {"query": EXPORT, "variables": identifier(everyone[n], kind)}  # noqa: E731
            print(row(server.base_url, key, f"exportDataSubject by {kind}", body, count, 3), flush=True)
        erase = lambda n: {  # noqa: E731
            "query": ERASE,
            "variables": {"input": {"email": everyone[n].email, "reason": "bench"}},
        }
        print(row(server.base_url, key, "eraseDataSubject by email", erase, count), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--people", type=int, default=50)
    args = parser.parse_args()
    with scratch_database("rastro_bench_lgpd", args.scale) as url:
        bench(url, args.people)


if __name__ == "__main__":
    main()
