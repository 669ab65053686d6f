"""``kcextract dataset``: (re)build the dataset tables inside the corpus database."""
from __future__ import annotations

import sys

import click

from kcextract.cli.options import db_option, jobs_option
from kcextract.output import EXIT_BAD_INPUT, EXIT_OK, nothing_found


@click.command()
@db_option()
@click.option("--force", is_flag=True, help="Re-extract every document, even those that did not change.")
@jobs_option()
def dataset(db, force, jobs):
    """Build the dataset tables (documents, figures, checks, projects) in the corpus database.

    Figures and checks get stable ids, so a rebuild updates rows instead of adding
    copies; only documents whose text or extractor version changed are extracted
    again. Provinces are normalised to the 34 provinces of the 2025 merger, with the
    pre-merger name beside them. Exit status: 0 when built, 2 when the database
    cannot be read.

    Example:

    \b
        kcextract dataset --db kcextract.db
        kcextract export --db kcextract.db --format xlsx --out dataset/
    """
    from kcextract.dataset import build
    from kcextract.exceptions import KcextractError

    try:
        summary = build(db, force=force, jobs=jobs)
    except FileNotFoundError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except KcextractError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if not summary.documents:
        click.echo(nothing_found("documents", db), err=True)
        sys.exit(EXIT_OK)
    click.echo(f"{db}: {summary.documents} documents ({summary.extracted} extracted, {summary.unchanged} unchanged,"
               f" {summary.removed} removed), {summary.figures} figures, {summary.checks} checks"
               f" ({summary.failed_checks} failed); extractor {summary.extractor_version}")


COMMANDS = [dataset]
