"""CSV files of the import commands: a header row, UTF-8, every problem named by line and column."""

import csv
from pathlib import Path

SHOWN_PROBLEMS = 20

Record = dict[str, str | None]


class ImportFileError(ValueError):
    """The file's problems, one per line; nothing was written."""


def read_table(path: Path) -> tuple[list[str], list[tuple[int, Record]], list[str]]:
    """(header, [(line number, trimmed cells, empty ones None)], problems of rows that cannot be read)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [column.strip() for column in reader.fieldnames or []]
            reader.fieldnames = header
            records = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(f"cannot read {path}: {error}") from None
    rows: list[tuple[int, Record]] = []
    problems: list[str] = []
    for index, record in enumerate(records):
        line = index + 2  # after the header, counting from 1
        if None in record:  # more cells than the header has columns
            problems.append(f"{path.name} line {line}: more cells than the header's {len(header)} columns")
            continue
        rows.append((line, {k: (v or "").strip() or None for k, v in record.items()}))
    return header, rows, problems


def refuse_if_any(problems: list[str]) -> None:
    """Raise ImportFileError listing the first problems, when there are any."""
    if not problems:
        return
    shown = problems[:SHOWN_PROBLEMS]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"... and {len(problems) - SHOWN_PROBLEMS} more")
    raise ImportFileError("\n".join([*shown, "Nothing was imported."]))
