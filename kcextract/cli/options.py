"""Options shared by every command, so ``--db`` and ``--format`` mean the same everywhere.

Use them as decorators::

    @click.command()
    @db_option()                          # --db PATH, default ./kcextract.db
    @format_option(default="table")       # --format jsonl|csv|table
    def corpus_list(db, fmt): ...
"""
from __future__ import annotations

import click

from kcextract.output import FORMATS
from kcextract.store import DEFAULT_DB

DEFAULT_DB_PATH = f"./{DEFAULT_DB}"


def db_option(default=DEFAULT_DB_PATH, help="The corpus database (SQLite), made by 'kcextract crawl'."):
    """``--db PATH`` (default ``./kcextract.db``); ``default=None`` makes it optional, as in
    ``extract``/``verify`` where files can be given instead."""
    return click.option("--db", "db", default=default, metavar="PATH", show_default=default is not None,
                        type=click.Path(dir_okay=False), help=help)


def format_option(default="jsonl", choices=FORMATS, help=None):
    """``--format`` with the same choices wherever rows are printed (``jsonl``, ``csv``, ``table``)."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                        show_default=True,
                        help=help or "jsonl: one record per line; csv: same columns; table: readable in a terminal.")


def out_option(default, help):
    """``--out PATH``: where a command writes its files."""
    return click.option("--out", "out", default=default, show_default=True, metavar="PATH",
                        type=click.Path(file_okay=False), help=help)


def jobs_option(help="Worker processes (default: all cores). The output is the same, in the same order, for any N."):
    """``--jobs N``: how many processes extract and verify (:mod:`kcextract.batch`); default all cores."""
    return click.option("--jobs", "-j", "jobs", type=click.IntRange(min=1), default=None, metavar="N", help=help)


def parse_date(ctx, param, value):
    """A click callback: ``YYYY-MM-DD`` as a date (None stays None), or a clear usage error."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-01-01") from None
