"""Write records (figures, checks) as JSON Lines, CSV or a readable table.

One writer for every command, so ``--format`` means the same everywhere.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from typing import IO, Iterable, Optional, Sequence

FORMATS = ("jsonl", "csv", "table")

# One exit-status rule for every command.
EXIT_OK = 0          # everything held / was written
EXIT_FINDING = 1     # a finding: a claim failed, an item could not be processed
EXIT_BAD_INPUT = 2   # bad input: a file, database or option that cannot be used


def nothing_found(what: str, where: str) -> str:
    """The line a command prints instead of nothing when its result is empty.

    >>> nothing_found("documents", "kc.db")
    'no documents found in kc.db'
    """
    return f"no {what} found in {where}"


def line_column(text: str, offset: int) -> tuple[int, int]:
    r"""1-based line and column of a character offset (columns count characters, not bytes).

    >>> line_column("một\nhai 56,7%", 8)
    (2, 5)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def location(source, text: str, offset: int) -> str:
    r"""``file:line:column`` of an offset, the form editors and terminals jump to.

    >>> location("a.txt", "một\nhai 56,7%", 8)
    'a.txt:2:5'
    """
    line, column = line_column(text, offset)
    return f"{source}:{line}:{column}"


class RecordWriter:
    """Stream records out; JSONL and CSV are written as they come, a table at the end."""

    def __init__(self, fmt: str, columns: Sequence[str], stream: Optional[IO[str]] = None,
                 table_columns: Optional[Sequence[str]] = None, title: Optional[str] = None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.fmt, self.columns = fmt, list(columns)
        self.table_columns = list(table_columns or columns)
        self.stream = stream or sys.stdout
        self.title = title
        self._rows: list[dict] = []
        self._csv = None
        if fmt == "csv":
            self._csv = csv.DictWriter(self.stream, fieldnames=self.columns, extrasaction="ignore")
            self._csv.writeheader()

    def write(self, record: dict) -> None:
        if self.fmt == "jsonl":
            self.stream.write(_json_line(record))
        elif self.fmt == "csv":
            self._csv.writerow(_csv_cells(record, self.columns))
        else:
            self._rows.append(record)

    def write_encoded(self, encoded) -> None:
        """Write what :func:`encode_records` made of some records (in a worker process)."""
        if self.fmt == "table":
            self._rows.extend(encoded)
        else:
            self.stream.write(encoded)

    def write_all(self, records: Iterable[dict]) -> None:
        for record in records:
            self.write(record)

    def close(self) -> None:
        if self.fmt != "table":
            self.stream.flush()
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=self.title, show_lines=False)
        for column in self.table_columns:
            table.add_column(column, overflow="fold")
        for row in self._rows:
            table.add_row(*(_cell(row.get(c)) for c in self.table_columns))
        # In a pipe or a file there is no terminal width to respect: keep rows on one line.
        width = None if getattr(self.stream, "isatty", lambda: False)() else 220
        Console(file=self.stream, width=width).print(table)


def encode_records(fmt: str, columns: Sequence[str], records: Sequence[dict]):
    """The text :class:`RecordWriter` writes for ``records`` (CSV rows without the header), or for a
    table the records themselves (a table is laid out at the end): made where the records are, in a
    ``--jobs`` worker, so that only text travels to the process that writes it.

    >>> encode_records("jsonl", ["kind"], [{"kind": "money", "value": 5}])
    '{"kind": "money", "value": 5}\\n'
    >>> encode_records("csv", ["kind", "value"], [{"kind": "money", "value": 5}, {"kind": "count"}])
    'money,5\\r\\ncount,\\r\\n'
    """
    if fmt == "jsonl":
        return "".join(map(_json_line, records))
    if fmt == "csv":
        buffer = io.StringIO()
        rows = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        rows.writerows(_csv_cells(record, columns) for record in records)
        return buffer.getvalue()
    if fmt == "table":
        return list(records)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, default=str) + "\n"


def _csv_cells(record: dict, columns: Sequence[str]) -> dict:
    return {k: _cell(record.get(k)) for k in columns}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
