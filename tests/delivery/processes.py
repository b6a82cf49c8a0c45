"""`rastro worker` and `rastro accounts` as separate processes, the way an operator runs them."""

import os
import subprocess
import sys
from pathlib import Path

from tests.delivery.arrange import SECRET_KEY
from tests.delivery.fakes_fixture import Fakes

RASTRO = str(Path(sys.executable).with_name("rastro"))


def environment(database_url: str, fakes: Fakes | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASTRO_")}
    env.update(DATABASE_URL=database_url, RASTRO_SECRET_KEY=SECRET_KEY, RASTRO_LOG_LEVEL="warning")
    if fakes is not None:
        env.update(fakes.environment())
        env.update(RASTRO_DELIVERY_TIMEOUT_SECONDS="2", RASTRO_DELIVERY_BACKOFF_SECONDS="0.05",
                   RASTRO_DELIVERY_BACKOFF_CAP_SECONDS="0.2", RASTRO_DELIVERY_POLL_SECONDS="0.1")  # fmt: skip
    env.update(extra)
    return env


def rastro(
    *args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RASTRO, *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


def start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [RASTRO, "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
