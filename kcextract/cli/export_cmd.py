"""``kcextract export``: the dataset as CSV, JSON Lines, Parquet or Excel files."""
from __future__ import annotations

import sys

import click

from kcextract.cli.options import db_option, out_option
from kcextract.dataset.exports import FORMATS
from kcextract.output import EXIT_BAD_INPUT, nothing_found

TABLES = ("documents", "figures", "checks", "projects")


@click.command()
@db_option()
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="csv", show_default=True,
              help="; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()))
@out_option("dataset", "Folder to write the files into (created if needed).")
@click.option("--table", "tables", multiple=True, type=click.Choice(TABLES),
              help="Only this table (repeatable); default: all four.")
def export(db, fmt, out, tables):
    """Export the dataset (documents, figures, checks, projects) with source links.

    Every figure and check row carries its article's URL, site, province, title
    and date. A datapackage.json beside the files lists every column with its
    type and meaning. Run 'kcextract dataset' first to build or refresh the
    tables. Exit status: 0 when written, 2 when there is no dataset to export.

    Example:

    \b
        kcextract export --db kcextract.db --format parquet --out dataset/
        kcextract export --format xlsx --table figures --table checks
    """
    from kcextract.dataset import load
    from kcextract.dataset.exports import export as write_export
    from kcextract.exceptions import KcextractError

    try:
        data = load(db)
    except (FileNotFoundError, LookupError, KcextractError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if data.documents.empty:
        click.echo(nothing_found("documents", db), err=True)
    for path in write_export(data, fmt, out, tables=set(tables)):
        click.echo(str(path))


COMMANDS = [export]
