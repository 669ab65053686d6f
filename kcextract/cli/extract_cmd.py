"""``kcextract extract``: every figure of the given documents, with provenance."""
from __future__ import annotations

import sys

import click

from kcextract.cli.options import jobs_option
from kcextract.figure import OUTPUT_FIELDS
from kcextract.inputs import iter_documents
from kcextract.output import FORMATS, RecordWriter

TABLE_COLUMNS = ("source", "kind", "text", "value", "unit", "qualifier", "label", "scope", "period_years", "role")


def _flat(record: dict) -> dict:
    """A figure record for CSV and tables: the years as '2021;2023' (one cell, no brackets)."""
    return {**record, "period_years": ";".join(str(y) for y in record["period_years"])}


@click.command()
@click.argument("inputs", nargs=-1)
@click.option("--db", "db", default=None, metavar="PATH",
              help="Also read every article of a crawled corpus database (see 'kcextract crawl').")
@click.option("--site", default=None, help="With --db: only this site's articles.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl: one figure per line; csv: same columns; table: readable in a terminal.")
@click.option("--text", "show_text", is_flag=True,
              help="Print the text that offsets point into (for HTML: the extracted article text) instead of figures.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["money", "percent", "count", "project"]),
              help="Only figures of this kind (repeatable).")
@jobs_option()
def extract(inputs, db, site, fmt, show_text, kinds, jobs):
    """Extract money, percent, count and project figures from Vietnamese text.

    INPUTS are .txt or .html files, directories (read recursively) or '-' for
    standard input. Offsets (start, end) point into the original text of a
    .txt file, or into the extracted article text of an HTML page
    (print it with --text). Exit status is 1 when a document could not be
    read or a number in it could not be parsed; everything else is still
    processed.

    Example:

    \b
        kcextract extract corpus/ --format jsonl > figures.jsonl
    """
    from kcextract.batch import analyse_stream

    if not inputs and db is None:
        raise click.UsageError("give at least one file, directory or '-', or --db PATH")
    problems = []

    def report(problem):
        problems.append(problem)
        click.echo(f"Error: {problem}", err=True)

    def report_number(message):
        problems.append(message)
        click.echo(f"Error: {message}", err=True)

    if show_text:
        for doc in iter_documents(inputs, db=db, on_problem=report, site=site):
            click.echo(f"==> {doc.source} <==")
            click.echo(doc.text)
    else:
        writer = RecordWriter(fmt, OUTPUT_FIELDS, table_columns=TABLE_COLUMNS, title="Figures")
        documents = iter_documents(inputs, db=db, on_problem=report, site=site)
        for doc, analysis in analyse_stream(documents, lambda d: (d.text, d.source), jobs=jobs):
            for message in analysis.problems:
                report_number(message)
            for figure in analysis.figures:
                if not kinds or figure.kind in kinds:
                    record = figure.to_dict()
                    writer.write(record if fmt == "jsonl" else _flat(record))
        writer.close()
    if problems:
        click.echo(f"{len(problems)} problem(s): see the messages above; everything else was extracted.", err=True)
        sys.exit(1)


COMMANDS = [extract]
