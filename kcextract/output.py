"""Write records (figures, checks) as JSON Lines, CSV or readable tables.

One writer for every command, so ``--format`` means the same everywhere.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from typing import IO, Iterable, Optional, Sequence

FORMATS = ("jsonl", "csv", "table")
STREAM_FORMATS = ("jsonl", "csv")       # written record by record; a table is laid out per document

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
    """Stream records out as JSON Lines or CSV, as they come (a ``table`` is laid out per
    document by :class:`TableLayout` instead)."""

    def __init__(self, fmt: str, columns: Sequence[str], stream: Optional[IO[str]] = None):
        if fmt not in STREAM_FORMATS:
            raise ValueError(f"a record stream is {' or '.join(STREAM_FORMATS)}, not {fmt!r}")
        self.fmt, self.columns = fmt, list(columns)
        self.stream = stream or sys.stdout
        self._csv = None
        if fmt == "csv":
            self._csv = csv.DictWriter(self.stream, fieldnames=self.columns, extrasaction="ignore")
            self._csv.writeheader()

    def write(self, record: dict) -> None:
        if self.fmt == "jsonl":
            self.stream.write(_json_line(record))
        else:
            self._csv.writerow(_csv_cells(record, self.columns))

    def write_encoded(self, encoded: str) -> None:
        """Write what :func:`encode_records` made of some records (in a worker process)."""
        self.stream.write(encoded)

    def close(self) -> None:
        self.stream.flush()


def encode_records(fmt: str, columns: Sequence[str], records: Sequence[dict]) -> str:
    """The text :class:`RecordWriter` writes for ``records`` (CSV rows without the header): made
    where the records are, in a ``--jobs`` worker, so that only text travels to the process that
    writes it.

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
    raise ValueError(f"a record stream is {' or '.join(STREAM_FORMATS)}, not {fmt!r}")


@dataclass(frozen=True)
class TableLayout:
    """How a table is laid out for the stream it will be printed on: the terminal's width and
    colours, or 220 columns and no styles in a pipe or a file (rows stay on one line).  Small
    and picklable, so that ``--jobs`` workers lay out each document's table where it was made
    and only its text travels (one table of a whole corpus, laid out at the end in one process,
    took 4.5 of 11 s on 5 MB, with every row held until then)."""

    width: int
    terminal: bool
    color_system: Optional[str]

    @classmethod
    def for_stream(cls, stream) -> "TableLayout":
        from rich.console import Console

        console = Console(file=stream)
        terminal = console.is_terminal
        return cls(console.width if terminal else 220, terminal, console.color_system)

    def render(self, title: str, columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]]) -> str:
        """The table as text: ``columns`` are (name, justify); cells are rich markup (escape text)."""
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, title_justify="left", show_lines=False)
        for name, justify in columns:
            table.add_column(name, justify=justify, overflow="fold")
        for row in rows:
            table.add_row(*row)
        buffer = io.StringIO()
        Console(file=buffer, width=self.width, force_terminal=self.terminal,
                color_system=self.color_system if self.terminal else None).print(table)
        return buffer.getvalue()


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, default=str) + "\n"


def _csv_cells(record: dict, columns: Sequence[str]) -> dict:
    return {k: cell_text(record.get(k)) for k in columns}


def cell_text(value) -> str:
    """A record's value as one CSV or table cell: lists and mappings as JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
