"""``kcextract report``: a static HTML report of the dataset, readable offline."""
from __future__ import annotations

import sys

import click

from kcextract.cli.options import db_option, out_option
from kcextract.output import EXIT_BAD_INPUT, nothing_found


@click.command()
@db_option()
@out_option("report", "Folder to write the report into (created if needed).")
def report(db, out):
    """Write a static HTML report: overview, one page per document, all figures.

    The overview shows documents, figures and failed checks per site and year, a
    chart of khuyến công money by province and year, and every failed check with
    the reported and recomputed value. Each document page shows its text with
    every figure highlighted (hover for the parsed value, unit, qualifier, label
    and period) and its checks marked ✓ / ✗. Open OUT/index.html in any browser;
    it needs no network. Run 'kcextract dataset' first.

    Example:

    \b
        kcextract dataset --db kcextract.db
        kcextract report --db kcextract.db --out report/
    """
    from kcextract.exceptions import KcextractError
    from kcextract.report import write_report

    try:
        index = write_report(db, out)
    except (FileNotFoundError, LookupError, KcextractError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if not (index.parent / "documents").exists() or not any((index.parent / "documents").iterdir()):
        click.echo(nothing_found("documents", db), err=True)
    click.echo(str(index))


COMMANDS = [report]
