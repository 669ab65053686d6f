"""``kcextract evaluate``: score the extractor (and optionally the verifier) on a gold corpus."""
from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

import kcextract
from kcextract.evaluate import CorpusEvaluation, evaluate_corpus, micro
from kcextract.exceptions import KcextractError
from kcextract.gold import load_gold


def _score_table(title: str, scores: dict) -> Table:
    table = Table(title=title, title_justify="left")
    for name, justify in (("kind", "left"), ("tp", "right"), ("fp", "right"), ("fn", "right"),
                          ("precision", "right"), ("recall", "right"), ("F1", "right")):
        table.add_column(name, justify=justify)
    rows = list(scores.items()) + [("all", micro(scores))]
    for kind, s in rows:
        style = "bold" if kind == "all" else None
        table.add_row(kind, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}",
                      f"{s.f1:.3f}", style=style)
    return table


def _print_report(console: Console, result: CorpusEvaluation, details: bool) -> None:
    console.print(f"{result.documents} gold document(s)")
    console.print(_score_table("Figures: kind + overlapping span + same value", result.value))
    console.print(_score_table("Spans only: kind + overlapping span (values ignored)", result.span))
    if result.checks is not None:
        c = result.checks
        table = Table(title="Checks: kind + overlapping claim (unverifiable ones left out)", title_justify="left")
        for name in ("tp", "fp", "fn", "precision", "recall", "F1", "agree", "disagree", "alarms", "missed"):
            table.add_column(name, justify="right")
        d = c.detection
        table.add_row(str(d.tp), str(d.fp), str(d.fn), f"{d.precision:.3f}", f"{d.recall:.3f}", f"{d.f1:.3f}",
                      str(c.agree), str(c.disagree), str(len(c.false_alarms)), str(len(c.missed_errors)))
        console.print(table)
    if not details:
        return
    if result.errors:
        table = Table(title="Figure errors (fp: predicted, not in gold; fn: gold, not found)", title_justify="left")
        for name in ("doc", "type", "kind", "text", "value", "sentence"):
            table.add_column(name, overflow="fold")
        for e in result.errors:
            value = str(e["value"]) + (f" (gold {e['gold_value']})" if "gold_value" in e else "")
            table.add_row(e["doc"], e["type"], e["kind"], e["text"], value, e["sentence"])
        console.print(table)
    else:
        console.print("No figure errors.")
    if result.checks is not None:
        for title, items in (("False alarms", result.checks.false_alarms),
                             ("Missed errors", result.checks.missed_errors)):
            for item in items:
                record = item if isinstance(item, dict) else item.to_dict()
                why = record.get("explanation") or record.get("note") or ""
                console.print(f"{title}: {record.get('source') or ''} {record.get('kind')} "
                              f"{record.get('claim_text')!r} at {record.get('claim_start')}: {why}")


@click.command("evaluate")
@click.argument("path", type=click.Path(exists=True), default="corpus")
@click.option("--details", is_flag=True, help="List false positives and negatives with their sentence.")
@click.option("--checks", "with_checks", is_flag=True, help="Also score the verifier's arithmetic checks.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Readable tables or one JSON object.")
def evaluate(path, details, with_checks, fmt):
    """Score extracted figures against the gold annotations under PATH (default: corpus/).

    A figure is a hit when kind, overlapping span and value agree with a gold
    mention; scores are micro-averaged over the documents.
    """
    try:
        docs = load_gold(path)
    except KcextractError as exc:
        raise click.ClickException(str(exc)) from None
    # Looked up at call time (not imported by name) so the verbs stay swappable.
    try:
        result = evaluate_corpus(docs, kcextract.extract, kcextract.verify if with_checks else None)
    except ImportError as exc:  # the extractor or verifier module is missing or broken
        raise click.ClickException(f"cannot run the extractor/verifier: {exc}") from exc
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(details=details), ensure_ascii=False, indent=2))
    else:
        _print_report(Console(), result, details)


COMMANDS = [evaluate]
