"""``kcextract verify``: recompute every arithmetic claim of the given documents."""
from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from kcextract.cli.options import db_option, format_option, jobs_option
from kcextract.inputs import iter_documents
from kcextract.output import (EXIT_BAD_INPUT, EXIT_FINDING, EXIT_OK, RecordWriter, TableLayout, location,
                              nothing_found)
from kcextract.verifier.check import CHECK_FIELDS

SYMBOL = {"ok": "✓", "fail": "✗", "unverifiable": "?"}


def _warn_unread(messages) -> None:
    for message in messages:          # a number that matched but could not be read
        click.echo(f"Warning: {message}", err=True)


def _checks_only(analysis) -> tuple:
    """What a worker sends back for one document: its unread numbers and its checks (the
    figures stay in the worker: this command prints only checks)."""
    return analysis.problems, analysis.checks


COLUMNS = (("", "center"), ("kind", "left"), ("reported", "left"), ("expected", "right"),
           ("explanation", "left"), ("found by", "left"), ("where", "left"))


@dataclass(frozen=True)
class _DocumentTable:
    """What a worker sends back for one document with ``--format table``: its unread numbers,
    whether a claim failed, the statuses of the rows shown, and its table already laid out
    (one table a document, titled with its source)."""

    only_failures: bool
    show_all: bool
    layout: TableLayout

    def __call__(self, analysis, text: str, source) -> tuple:
        from rich.markup import escape

        shown = [c for c in analysis.checks if _shown(c, self.only_failures, self.show_all)]
        failed = any(c.status == "fail" for c in analysis.checks)
        laid_out = self.layout.render(f"Checks: {escape(str(source))}", COLUMNS,
                                      [_row(c, text, source) for c in shown]) if shown else ""
        return analysis.problems, failed, tuple(c.status for c in shown), laid_out


def _row(check, text: str, source) -> list[str]:
    """A check's cells; report text is printed as text, never as markup ('[/b]' stays as written)."""
    from rich.markup import escape

    r = check.to_dict()
    style = {"fail": "red", "ok": "green"}.get(r["status"], "yellow")
    expected = check.expected_text or ("" if r["expected"] is None else str(r["expected"]))
    found_by = f"{r['resolved_by']} ({r['binding']})" if r["resolved_by"] else ""
    return [f"[{style}]{SYMBOL[r['status']]}[/]", r["kind"], escape(r["claim_text"]), escape(expected),
            escape(r["explanation"]), found_by, escape(location(source, text, check.claim_start))]


def _shown(check, only_failures: bool, show_all: bool) -> bool:
    if only_failures and check.status != "fail":
        return False
    return show_all or check.status != "unverifiable"


@click.command()
@click.argument("inputs", nargs=-1)
@db_option(default=None, help="Also verify every article of a crawled corpus database (see 'kcextract crawl').")
@format_option(default="table",
               help="table: ✓/✗ with reported and recomputed values; jsonl: one check per line; csv: same columns.")
@click.option("--only-failures", is_flag=True, help="Only the claims that do not add up.")
@click.option("--all", "show_all", is_flag=True,
              help="Also list claims that cannot be checked (an operand is missing or ambiguous).")
@jobs_option()
def verify(inputs, db, fmt, only_failures, show_all, jobs):
    """Recompute the arithmetic claims of Vietnamese reports and say whether they hold.

    Every claim that can be recomputed from other figures of the same document
    is checked: ratios to plan (đạt P% kế hoạch), shares (chiếm P%), growth
    (tăng/giảm P%, gấp N lần), differences (nhiều hơn N), totals and their
    parts (trong đó …) and counted lists (gồm: …). A claim is reported as
    failing only when its operands are unambiguous.

    INPUTS are .txt or .html files, directories (read recursively) or '-' for
    standard input. Exit status: 0 when every checked claim holds, 1 when a
    claim fails, 2 when an input could not be read (the others are still checked).

    Example:

    \b
        kcextract verify corpus/ --format table
        kcextract verify article.txt --only-failures
        kcextract verify corpus/ --format jsonl > checks.jsonl
    """
    from kcextract.batch import analyse_stream

    if not inputs and db is None:
        raise click.UsageError("give at least one file, directory or '-', or --db PATH")
    problems, failed, documents_read = [], False, 0

    def report(problem):
        problems.append(problem)
        click.echo(f"Error: {problem}", err=True)

    documents = iter_documents(inputs, db=db, on_problem=report)
    if fmt == "table":
        # Each document's table is laid out where it was verified and printed as it comes.
        shown = {status: 0 for status in SYMBOL}
        render = _DocumentTable(only_failures, show_all, TableLayout.for_stream(sys.stdout))
        for doc, (numbers_unread, doc_failed, statuses, laid_out) in analyse_stream(
                documents, lambda d: (d.text, d.source, d.source), jobs=jobs, verify=True, render=render):
            documents_read += 1
            _warn_unread(numbers_unread)
            failed = failed or doc_failed
            for status in statuses:
                shown[status] += 1
            sys.stdout.write(laid_out)
        if documents_read:
            click.echo(f"{shown['ok']} ✓  {shown['fail']} ✗  {shown['unverifiable']} ?")
    else:
        writer = RecordWriter(fmt, CHECK_FIELDS)
        for doc, (numbers_unread, checks) in analyse_stream(documents, lambda d: (d.text, d.source), jobs=jobs,
                                                            verify=True, render=_checks_only):
            documents_read += 1
            _warn_unread(numbers_unread)
            for check in checks:
                failed = failed or check.status == "fail"
                if _shown(check, only_failures, show_all):
                    writer.write(check.to_dict())
        writer.close()
    if not documents_read and not problems:
        click.echo(nothing_found("documents", " ".join(inputs) or db), err=True)
    if problems:
        click.echo(f"{len(problems)} document(s) could not be read.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_FINDING if failed else EXIT_OK)


COMMANDS = [verify]
