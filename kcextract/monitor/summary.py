"""What a person reads at the end of a pass: per site new / changed / failed checks, then
the alerts themselves, one line each.

On a terminal it is a table; off a terminal (cron) it is plain lines, and nothing at
all when the pass found nothing and nothing failed, so cron mails only news.
"""
from __future__ import annotations

from kcextract.monitor.alerts import headline

MAX_LINES = 20          # alert lines shown under the table; the rest are in `kcextract alerts`
MARK = {"new_article": "+", "changed_article": "~", "failed_check": "✗"}


def has_news(report) -> bool:
    """True when the pass created alerts, or something failed."""
    return bool(report.alerts) or not report.ok or bool(report.interrupted_runs)


def plain_lines(report, db: str) -> list[str]:
    """The summary as plain text lines (empty when there is nothing to say)."""
    if not has_news(report):
        return []
    lines = [f"kcextract monitor, pass {report.run_id}: " + ", ".join(
        f"{s.site} {s.new} new, {s.changed} changed, {s.failed_checks} failed checks"
        + (f", {s.failed} failed" if s.failed else "") for s in report.sites)]
    lines += _detail_lines(report, db)
    return lines


def _detail_lines(report, db: str, url_below: bool = False) -> list[str]:
    lines = []
    if report.interrupted_runs:
        lines.append(f"completed the work of interrupted pass(es) {', '.join(map(str, report.interrupted_runs))}")
    shown = report.alerts[:MAX_LINES]
    for a in shown:
        line = f"  {MARK.get(a['type'], '!')} [{a['site']}] {headline(a)}"
        lines += [line, f"      {a['url']}"] if url_below else [f"{line}  {a['url']}"]
    if len(report.alerts) > len(shown):
        lines.append(f"  … {len(report.alerts) - len(shown)} more: kcextract alerts --db {db} --since 1d")
    return lines + error_lines(report)


def error_lines(report) -> list[str]:
    """Only what failed: pages or sites, and deliveries (all ``--quiet`` prints)."""
    lines = []
    for site in report.sites:
        for url, reason in site.failures:
            lines.append(f"  failed [{site.site}] {url}: {reason}")
    for result in report.deliveries.values():
        if result.error:
            lines.append(f"  {result.notifier}: not delivered ({result.error}); "
                         f"{result.pending} alert(s) kept for the next pass")
    return lines


def print_table(report, console, db: str) -> None:
    """The summary for a terminal: one row per site, then each alert with its URL below it."""
    from rich import box
    from rich.table import Table

    table = Table(title=f"Pass {report.run_id}", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True, show_edge=False)
    table.add_column("site", no_wrap=True, min_width=8)
    for name in ("new", "changed", "unchanged", "✗ checks", "✗ pages", "alerts"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in report.sites:
        table.add_row(s.site, str(s.new), str(s.changed), str(s.unchanged),
                      f"[red]{s.failed_checks}[/red]" if s.failed_checks else "0",
                      f"[red]{s.failed}[/red]" if s.failed else "0", str(len(s.alerts)))
    console.print(table)
    for line in _detail_lines(report, db, url_below=True):
        console.print(line, markup=False, highlight=False)
    for result in report.deliveries.values():
        if not result.error:
            console.print(f"  {result.notifier}: {result.delivered} delivered", markup=False, highlight=False)
