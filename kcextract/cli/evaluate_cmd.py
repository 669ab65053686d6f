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


def _fmt(accuracy) -> str:
    return f"{accuracy.ok}/{accuracy.n} = {accuracy.value:.3f}" if accuracy.n else "—"


def _frames_table(result: CorpusEvaluation) -> Table:
    """The reference scorer's headline line, one row per number."""
    f = result.frames
    table = Table(title="Real-text headline (as ../shared/tools/score.py)", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    n = result.numeric
    rows = [
        ("numeric F1 (money + percent + count)", f"{n.f1:.3f} (P {n.precision:.3f}, R {n.recall:.3f})"),
        ("count F1", f"{result.value['count'].f1:.3f}"),
        ("project F1", f"{result.value['project'].f1:.3f}"),
        ("qualifier accuracy", _fmt(f.qualifier_all)),
        ("count unit accuracy", _fmt(f.unit)),
        ("period_years right (money, percent)", _fmt(f.period)),
        ("money figures with a label", _fmt(f.label)),
    ]
    rows += [(f"frame {name} right ({kind})", _fmt(a)) for (name, kind), a in sorted(f.fields.items())]
    for name, value in rows:
        table.add_row(name, value)
    return table


def _checks_table(c) -> Table:
    table = Table(title="Checks (as ../shared/tools/score_checks.py)", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    d = c.detection
    for name, value in (
        ("inconsistency recall", f"{c.found}/{c.gold_inconsistent} = {c.inconsistency_recall:.3f}"),
        ("consistent coverage", f"{c.confirmed}/{c.gold_consistent} = {c.consistent_coverage:.3f}"),
        ("false alarms", str(len(c.false_alarms))),
        ("minor checks (neither required nor alarms)", str(c.minor)),
        ("claims detected, same kind: tp / fp / fn", f"{d.tp} / {d.fp} / {d.fn}"),
        ("verdict agrees / disagrees on those", f"{c.agree} / {c.disagree}"),
    ):
        table.add_row(name, value)
    return table


def _print_report(console: Console, result: CorpusEvaluation, details: bool) -> None:
    console.print(f"{result.documents} gold document(s)")
    console.print(_score_table("Figures: kind + overlapping span + same value", result.value))
    console.print(_score_table("Spans only: kind + overlapping span (values ignored)", result.span))
    console.print(_frames_table(result))
    if result.checks is not None:
        console.print(_checks_table(result.checks))
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
        for title, items in (("False alarm", result.checks.false_alarms),
                             ("Missed error", result.checks.missed_errors),
                             ("Unconfirmed", result.checks.unconfirmed)):
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
    mention; scores are micro-averaged over the documents. The numbers are
    those of the reference scorers in ../shared/tools (score.py, score_checks.py).
    A gold file that does not validate is named on standard error and left out
    (exit status 1); the others are still scored.
    """
    bad = []

    def skip(exc):
        bad.append(exc)
        click.echo(f"skipped: {exc}", err=True)

    try:
        docs = load_gold(path, on_error=skip)
    except KcextractError as exc:
        raise click.ClickException(str(exc)) from None
    if not docs:
        raise click.ClickException(f"{path}: no valid gold file")
    # Looked up at call time (not imported by name) so the verbs stay swappable.
    try:
        result = evaluate_corpus(docs, kcextract.extract, kcextract.verify if with_checks else None)
    except ImportError as exc:  # the extractor or verifier module is missing or broken
        raise click.ClickException(f"cannot run the extractor/verifier: {exc}") from exc
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(details=details), ensure_ascii=False, indent=2))
    else:
        _print_report(Console(), result, details)
    if bad:
        click.echo(f"{len(bad)} gold file(s) skipped", err=True)
        raise SystemExit(1)


COMMANDS = [evaluate]
