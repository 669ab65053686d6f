"""``kcextract extract``: every figure of the given documents, with provenance."""
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

import click

from kcextract.cli.options import db_option, format_option, jobs_option
from kcextract.figure import OUTPUT_FIELDS
from kcextract.inputs import iter_documents
from kcextract.output import (EXIT_BAD_INPUT, EXIT_FINDING, EXIT_OK, RecordWriter, TableLayout, cell_text,
                              encode_records, nothing_found)

# A document's table: its title names the source; these are its columns.
TABLE_COLUMNS = ("kind", "text", "value", "unit", "qualifier", "label", "scope", "period_years", "role")


def _flat(record: dict) -> dict:
    """A figure record for CSV and tables: the years as '2021;2023' (one cell, no brackets)."""
    return {**record, "period_years": ";".join(str(y) for y in record["period_years"])}


def _records(analysis, kinds: tuple, flat: bool) -> list[dict]:
    records = [figure.to_dict() for figure in analysis.figures if not kinds or figure.kind in kinds]
    return [_flat(record) for record in records] if flat else records


def _written(analysis, fmt: str, kinds: tuple) -> tuple:
    """One document's number problems and its figures as the output text; run in the worker
    process that made the analysis (``analyse_stream``'s render)."""
    return analysis.problems, encode_records(fmt, OUTPUT_FIELDS, _records(analysis, kinds, fmt != "jsonl"))


@dataclass(frozen=True)
class _FigureTable:
    """``--format table``: one document's number problems, how many figures it shows and its
    table, laid out in the worker that extracted it (titled with its source)."""

    kinds: tuple
    layout: TableLayout

    def __call__(self, analysis, text: str, source) -> tuple:
        from rich.markup import escape

        records = _records(analysis, self.kinds, flat=True)
        rows = [[escape(cell_text(record.get(column))) for column in TABLE_COLUMNS] for record in records]
        laid_out = self.layout.render(f"Figures: {escape(str(source))}", [(c, "left") for c in TABLE_COLUMNS],
                                      rows) if rows else ""
        return analysis.problems, len(rows), laid_out


@click.command()
@click.argument("inputs", nargs=-1)
@db_option(default=None, help="Also read every article of a crawled corpus database (see 'kcextract crawl').")
@click.option("--site", default=None, help="With --db: only this site's articles.")
@format_option(default="jsonl", help="jsonl: one figure per line; csv: same columns; table: readable in a terminal.")
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
    (print it with --text). Exit status: 0 when everything was read, 1 when a
    number could not be parsed, 2 when a document could not be read; everything
    else is still processed.

    Example:

    \b
        kcextract extract corpus/ --format jsonl > figures.jsonl
    """
    from kcextract.batch import analyse_stream

    if not inputs and db is None:
        raise click.UsageError("give at least one file, directory or '-', or --db PATH")
    unreadable, unparsed, read = [], [], 0

    def report(problem):
        unreadable.append(problem)
        click.echo(f"Error: {problem}", err=True)

    def report_number(message):
        unparsed.append(message)
        click.echo(f"Error: {message}", err=True)

    if show_text:
        docs = list(iter_documents(inputs, db=db, on_problem=report, site=site))
        read = len(docs)
        for doc in docs:
            if len(docs) > 1:             # one document: its text alone, ready to pipe
                click.echo(f"==> {doc.source} <==")
            click.echo(doc.text)
    elif fmt == "table":
        # Each document's table is laid out where it was extracted and printed as it comes.
        documents = iter_documents(inputs, db=db, on_problem=report, site=site)
        render, shown = _FigureTable(tuple(kinds), TableLayout.for_stream(sys.stdout)), 0
        for doc, (problems, rows, laid_out) in analyse_stream(documents, lambda d: (d.text, d.source, d.source),
                                                              jobs=jobs, render=render):
            read += 1
            for message in problems:
                report_number(message)
            shown += rows
            sys.stdout.write(laid_out)
        if read:
            click.echo(f"{shown} figure(s)")
    else:
        writer = RecordWriter(fmt, OUTPUT_FIELDS)
        documents = iter_documents(inputs, db=db, on_problem=report, site=site)
        written = functools.partial(_written, fmt=fmt, kinds=tuple(kinds))
        for doc, (problems, text) in analyse_stream(documents, lambda d: (d.text, d.source), jobs=jobs,
                                                    render=written):
            read += 1
            for message in problems:
                report_number(message)
            writer.write_encoded(text)
        if read or unreadable:
            writer.close()
    if not read and not unreadable:
        click.echo(nothing_found("documents", " ".join(inputs) or db), err=True)
    if unreadable or unparsed:
        click.echo(f"{len(unreadable) + len(unparsed)} problem(s): see the messages above; everything else was "
                   "extracted.", err=True)
    sys.exit(EXIT_BAD_INPUT if unreadable else EXIT_FINDING if unparsed else EXIT_OK)


COMMANDS = [extract]
