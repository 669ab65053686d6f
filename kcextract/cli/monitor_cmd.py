"""``kcextract monitor``, ``kcextract alerts`` and ``kcextract runs``: watching sites for news.

A thin shell over :mod:`kcextract.monitor`: it picks the sites and notifiers, runs one
pass (or one every ``--every``), shows progress on a terminal and a summary at the end.
"""
from __future__ import annotations

import json
import signal
import sys
import time

import click

from kcextract import store
from kcextract.cli.options import db_option, parse_date
from kcextract.exceptions import CorpusBusy, CorpusError, KcextractError, SiteConfigError

SHORT_TYPES = {"new_article": "new", "changed_article": "changed", "failed_check": "✗ check"}
DB_HELP = f"corpus database (SQLite; default ./{store.DEFAULT_DB}); the monitor keeps its tables there too"


def _duration(ctx, param, value):
    from kcextract.monitor.durations import parse_duration

    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _since(ctx, param, value):
    from kcextract.monitor.durations import since_time

    if value is None:
        return None
    try:
        return since_time(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither a duration (7d, 12h) nor a date (2026-12-01)") from None


def _choose_sites(site_names, all_sites, site_files, sites_dir) -> list:
    from kcextract.sites import select_sites

    try:
        chosen = select_sites(site_names, all_sites, site_files, sites_dir)
    except SiteConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if not chosen:
        raise click.UsageError("say what to watch: --site NAME, --all or --site-file FILE")
    return chosen


def _notifiers(specs) -> list:
    from kcextract.monitor.notifiers import NotifierError, make_notifier

    try:
        return [make_notifier(spec) for spec in specs]
    except NotifierError as exc:
        raise click.UsageError(str(exc)) from exc


class _Stop(KeyboardInterrupt):
    """SIGTERM (systemd stop, kill) ends the loop like Ctrl-C does."""


def _on_sigterm(signum, frame):
    raise _Stop()


def _one_pass(options: dict, console, quiet: bool) -> int:
    """Run a pass with a progress display (terminal only); print the summary; the exit status."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from kcextract.monitor import MonitorPass
    from kcextract.monitor.summary import error_lines, plain_lines, print_table

    show = console.is_terminal and not quiet
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TextColumn("{task.fields[detail]}"),
                  TimeElapsedColumn(), console=console, transient=True, disable=not show) as progress:
        task = progress.add_task("monitor", detail="starting")

        def on_progress(site, stage, detail):
            progress.update(task, description=f"{site} · {stage}", detail=detail)

        report = MonitorPass(on_progress=on_progress, **options).run()
    if show:
        print_table(report, console, options["db_path"])
    else:
        for line in error_lines(report) if quiet else plain_lines(report, options["db_path"]):
            click.echo(line, err=True)
    return 0 if report.ok else 1


@click.command("monitor")
@click.option("--site", "site_names", multiple=True, metavar="NAME", help="a known site (repeatable)")
@click.option("--all", "all_sites", is_flag=True, help="every known site")
@click.option("--site-file", "site_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="a site described in your own TOML file (repeatable)")
@click.option("--notify", "notify", multiple=True, metavar="SCHEME:TARGET",
              help="where alerts go, besides the database (repeatable): stdout, feed:PATH.xml (Atom), "
                   "webhook:URL (one JSON POST per alert)")
@click.option("--every", callback=_duration, metavar="DURATION",
              help="keep running, one pass every DURATION (30m, 6h, 1d) until stopped (Ctrl-C ends cleanly)")
@click.option("--recheck", callback=_duration, default="1d", show_default=True, metavar="DURATION",
              help="re-check stored articles for silent corrections this often (0: every pass)")
@click.option("--delay", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="seconds between two requests to one host (default: the site's, else 1)")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="seconds to wait for a server")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="fetch at most this many pages per site in a pass (the rest waits for the next)")
@click.option("--since", "since", callback=parse_date, metavar="YYYY-MM-DD",
              help="leave out articles published before this date (and stop paging past them)")
@click.option("--baseline", is_flag=True,
              help="record what is there now without alerting (first pass over a corpus you already know)")
@click.option("-q", "--quiet", is_flag=True, help="print nothing but errors (alerts still go to --notify)")
@click.option("--sites-dir", type=click.Path(file_okay=False, exists=True), default=None,
              help="directory of site TOML files (default: the repository's scrapers/)")
@db_option(help=DB_HELP)
def monitor_cmd(site_names, all_sites, site_files, notify, every, recheck, delay, timeout, max_pages,
                since, baseline, quiet, sites_dir, db):
    """Watch sites: after each pass, what is new, what changed, what does not add up.

    A pass crawls only what is new or changed (feeds, sitemaps and list pages first,
    conditional GET; stored articles re-checked every --recheck), extracts and verifies
    those articles, records alerts in the database (new_article, changed_article with
    the figures that differ, failed_check) and hands them to each --notify outlet.
    An alert is made once: the same failed check is not repeated at the next pass.
    Alerts stay in the database until each outlet has taken them, so a webhook that is
    down loses nothing.  A killed pass is completed by the next one; a second pass on
    the same database refuses to start while one runs.

    The summary goes to standard error: a table on a terminal; off a terminal (cron)
    a few plain lines, and nothing when nothing happened.  Exit status: 0 when the pass
    completed, 1 when a site, page or delivery failed, 2 on bad input.

    \b
    Example:

    \b
        kcextract monitor --all
        kcextract monitor --site binhduong --every 6h
        kcextract monitor --all --notify feed:alerts.xml --notify webhook:http://127.0.0.1:9000/hook
    """
    from rich.console import Console

    sites = _choose_sites(site_names, all_sites, site_files, sites_dir)
    options = dict(db_path=db, sites=sites, notifiers=_notifiers(notify), delay=delay, timeout=timeout,
                   max_pages=max_pages, since=since, recheck=recheck, baseline=baseline)
    console = Console(stderr=True)
    if every is None:
        try:
            sys.exit(_one_pass(options, console, quiet))
        except CorpusError as exc:
            if isinstance(exc, CorpusBusy):
                raise
            raise click.UsageError(str(exc)) from exc     # --db names something that is not a corpus
        except KeyboardInterrupt:
            click.echo("stopped: the next pass completes this one's work", err=True)
            sys.exit(130)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    status = 0
    try:
        while True:
            started = time.monotonic()
            try:
                status = _one_pass(options, console, quiet)
            except KcextractError as exc:       # another pass holds the lock, the corpus is busy …
                click.echo(f"Error: {exc}", err=True)   # … the loop goes on: the next pass may succeed
                status = 1
            options["baseline"] = False     # only the first pass of a loop is a baseline
            time.sleep(max(0.0, started + every - time.monotonic()))
    except KeyboardInterrupt:
        if not quiet:
            click.echo("stopped", err=True)
        status = 0
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.exit(status)


@click.command("alerts")
@click.option("--since", callback=_since, default="7d", show_default=True, metavar="DURATION|DATE",
              help="only alerts found since then: 12h, 7d, 2w, or a date 2026-12-01")
@click.option("--site", default=None, help="only this site")
@click.option("--type", "alert_type", type=click.Choice(["new_article", "changed_article", "failed_check"]),
              default=None, help="only this type")
@click.option("--undelivered", is_flag=True, help="only alerts some --notify outlet has not taken yet")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@db_option(help=DB_HELP)
def alerts_cmd(since, site, alert_type, undelivered, fmt, db):
    """What the monitor found lately: one alert per line (table) or JSON object (jsonl).

    The JSON objects are those the webhook receives: id, run, type, site, url, title,
    published, detected_at, and figures (new_article), changes (changed_article) or
    the check's fields (failed_check).

    \b
    Example:

    \b
        kcextract alerts --since 7d
        kcextract alerts --type failed_check --format jsonl > failures.jsonl
    """
    found = _ledger_rows(db, "alerts", fmt, since=since, site=site, type=alert_type, undelivered=undelivered)
    if found is None:
        return
    from rich.console import Console
    from rich.table import Table

    from kcextract.monitor.alerts import headline

    table = Table(title=f"{len(found)} alert(s)", title_justify="left")
    table.add_column("found UTC", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("site", no_wrap=True)
    table.add_column("what", ratio=3, overflow="fold")
    table.add_column("url", ratio=2, overflow="fold")
    for alert in found:
        table.add_row(alert["detected_at"][5:16].replace("T", " "), SHORT_TYPES.get(alert["type"], alert["type"]),
                      alert["site"], headline(alert), alert["url"])
    Console(width=None if sys.stdout.isatty() else 200).print(table)


def _ledger_rows(db, what: str, fmt: str, **query):
    """The monitor's ``alerts`` or ``runs`` rows; printed here as JSON lines (None returned) when
    ``fmt`` is jsonl, else returned for a table.  A missing database is a usage error."""
    from kcextract.monitor import ledger

    try:
        rows = ledger.read(db, what, **query)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc
    if fmt != "jsonl":
        return rows
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))
    return None


@click.command("runs")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="the latest N passes")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@db_option(help=DB_HELP)
def runs_cmd(limit, fmt, db):
    """The monitor's passes: when, status, and per site new / changed / unchanged / failed.

    \b
    Example:

    \b
        kcextract runs --db kc.db
    """
    runs = _ledger_rows(db, "runs", fmt, limit=limit)
    if runs is None:
        return
    from rich.console import Console
    from rich.table import Table

    from rich import box

    table = Table(title=f"{len(runs)} pass(es), newest first", title_justify="left", box=box.SIMPLE_HEAD,
                  pad_edge=False, collapse_padding=True, show_edge=False)
    for name in ("pass", "started UTC", "status", "site"):
        table.add_column(name, no_wrap=name != "site", overflow="fold", justify="right" if name == "pass" else "left")
    for name in ("new", "changed", "unchanged", "failed", "✗ checks"):
        table.add_column(name, no_wrap=True, justify="right")
    for run in runs:
        for i, site in enumerate(run["sites"] or [{}]):
            first = i == 0
            table.add_row(str(run["id"]) if first else "",
                          (run["started_at"] or "")[5:16].replace("T", " ") if first else "",
                          run["status"] if first else "", site.get("site", ""),
                          *(str(site.get(k, "")) for k in ("new", "changed", "unchanged", "failed",
                                                           "failed_checks")))
    Console(width=None if sys.stdout.isatty() else 200).print(table)


COMMANDS = [monitor_cmd, alerts_cmd, runs_cmd]
