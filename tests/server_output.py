"""Everything the servers of a test run log, as production writes it (the JSON formatter, the same
loggers dropped), kept for the test that greps it once the suite has run (tests/test_server_output.py)."""

import json
import logging

from pythonjsonlogger.json import JsonFormatter

from server.logs import log_config

# Silenced by the production logging configuration (server/logs.py): not part of the server's output.
DROPPED = tuple(
    name for name, config in log_config("info")["loggers"].items() if config["handlers"] == ["discard"]
)


class ServerOutput(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        options = {k: v for k, v in log_config("info")["formatters"]["json"].items() if k != "()"}
        self.setFormatter(JsonFormatter(**options))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(DROPPED):
            return
        self.lines.append(self.format(record))

    def records(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.lines]


OUTPUT = ServerOutput()
