"""``kcextract verify``: recompute every arithmetic claim of the given documents."""
from __future__ import annotations

import sys

import click

from kcextract.cli.options import db_option, format_option, jobs_option
from kcextract.inputs import iter_documents
from kcextract.output import EXIT_BAD_INPUT, EXIT_FINDING, EXIT_OK, RecordWriter, location, nothing_found
from kcextract.verifier.check import CHECK_FIELDS

SYMBOL = {"ok": "✓", "fail": "✗", "unverifiable": "?"}


def _checks_only(analysis) -> tuple:
    """What a worker sends back for one document: its unread numbers and its checks (the
    figures stay in the worker: this command prints only checks)."""
    return analysis.problems, analysis.checks


def _table(rows: list, stream) -> None:
    from rich.console import Console
    from rich.table import Table

    from rich.markup import escape

    table = Table(title="Checks", show_lines=False)
    for name, justify in (("", "center"), ("kind", "left"), ("reported", "left"),
                          ("expected", "right"), ("explanation", "left"), ("found by", "left"),
                          ("where", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for check, where in rows:
        r = check.to_dict()
        style = {"fail": "red", "ok": "green"}.get(r["status"], "yellow")
        expected = check.expected_text or ("" if r["expected"] is None else str(r["expected"]))
        found_by = f"{r['resolved_by']} ({r['binding']})" if r["resolved_by"] else ""
        # Report text is printed as text, never as markup ('[/b]' in a page stays as written).
        table.add_row(f"[{style}]{SYMBOL[r['status']]}[/]", r["kind"], escape(r["claim_text"]), escape(expected),
                      escape(r["explanation"]), found_by, escape(where))
    counts = {s: sum(1 for c, _ in rows if c.status == s) for s in SYMBOL}
    console = Console(file=stream)          # the terminal's width: columns fold to fit
    console.print(table)
    console.print(f"{counts['ok']} ✓  {counts['fail']} ✗  {counts['unverifiable']} ?")


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
    problems, failed, rows, documents_read = [], False, [], 0

    def report(problem):
        problems.append(problem)
        click.echo(f"Error: {problem}", err=True)

    writer = None if fmt == "table" else RecordWriter(fmt, CHECK_FIELDS)
    documents = iter_documents(inputs, db=db, on_problem=report)
    for doc, (numbers_unread, checks) in analyse_stream(documents, lambda d: (d.text, d.source), jobs=jobs,
                                                        verify=True, render=_checks_only):
        documents_read += 1
        for message in numbers_unread:          # a number that matched but could not be read
            click.echo(f"Warning: {message}", err=True)
        for check in checks:
            failed = failed or check.status == "fail"
            if only_failures and check.status != "fail":
                continue
            if check.status == "unverifiable" and not show_all:
                continue
            if writer is None:
                rows.append((check, location(doc.source, doc.text, check.claim_start)))
            else:
                writer.write(check.to_dict())
    if not documents_read and not problems:
        click.echo(nothing_found("documents", " ".join(inputs) or db), err=True)
    elif writer is None:
        _table(rows, sys.stdout)
    if writer is not None:
        writer.close()
    if problems:
        click.echo(f"{len(problems)} document(s) could not be read.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_FINDING if failed else EXIT_OK)


COMMANDS = [verify]
