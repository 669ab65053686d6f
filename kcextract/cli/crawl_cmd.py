"""``kcextract sites``, ``kcextract crawl`` and ``kcextract corpus stats|list``: collecting the corpus."""
from __future__ import annotations

import json
import threading
from datetime import datetime

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kcextract import store
from kcextract.cli.options import db_option, parse_date
from kcextract.exceptions import SiteConfigError

DB_HELP = f"corpus database (SQLite; default ./{store.DEFAULT_DB})"


def _sites_dir_option(func):
    return click.option("--sites-dir", type=click.Path(file_okay=False, exists=True), default=None,
                        help="directory of site TOML files (default: the repository's scrapers/)")(func)


def _cells(*values) -> list:
    """Table cells as plain text: a title or site name with "[/b]" in it is text, never markup."""
    return [Text("" if value is None else str(value)) for value in values]


def _load_sites(sites_dir):
    from kcextract.sites import load_sites

    try:
        return load_sites(sites_dir)
    except SiteConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("sites")
@_sites_dir_option
@db_option(help=DB_HELP)
def sites_cmd(sites_dir, db):
    """List the known sites: name, province, CMS family, verified, last crawl.

    \b
    Example:

    \b
        kcextract sites
    """
    sites = _load_sites(sites_dir)
    last = store.last_crawls(db)
    table = Table(title=f"{len(sites)} site(s)", title_justify="left")
    for name in ("name", "province", "cms", "verified", "base URL", "last crawl"):
        table.add_column(name)
    for name, site in sorted(sites.items()):
        table.add_row(*_cells(name, site.province or "", site.cms, "yes" if site.verified else "no",
                              site.base_url, last.get(name, "never")))
    Console(width=160).print(table)


@click.command("crawl")
@click.option("--site", "site_names", multiple=True, metavar="NAME", help="a known site (repeatable)")
@click.option("--all", "all_sites", is_flag=True, help="every known site (hosts crawled in parallel)")
@click.option("--site-file", "site_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="a site described in your own TOML file (repeatable)")
@click.option("--since", callback=parse_date, metavar="YYYY-MM-DD",
              help="skip articles published before this date and stop paging past them")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="fetch at most this many pages per site in this run (the rest stays queued)")
@click.option("--delay", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="seconds between two requests to one host (default: the site's, else 1; "
                   "robots.txt Crawl-delay wins when longer)")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="seconds to wait for a server to connect or send the next bytes")
@click.option("--deadline", type=click.FloatRange(min=1), default=60.0, show_default=True, metavar="SECONDS",
              help="seconds one request may take in all (connect + headers + body), robots.txt included")
@click.option("--refresh", is_flag=True,
              help="re-check stored articles with a conditional GET and update the ones that changed")
@click.option("--parallel", type=click.IntRange(min=1), default=4, show_default=True, metavar="N",
              help="crawl up to N hosts at the same time (still one request at a time per host)")
@_sites_dir_option
@db_option(help=DB_HELP)
def crawl_cmd(site_names, all_sites, site_files, since, max_pages, delay, timeout, deadline, refresh, parallel,
              sites_dir, db):
    """Crawl sites into the corpus database, politely and resumably.

    robots.txt is obeyed, one request at a time per host, several hosts at once
    (--parallel); 429/503 answers are backed off (Retry-After honoured); seeds are re-read
    with conditional GET; a crawl that was interrupted continues where it stopped.  Failures are listed with URL and reason,
    the crawl goes on, and the exit status is 1 when anything failed.

    \b
    Example:

    \b
        kcextract crawl --site daklak --since 2017-01-01
        kcextract crawl --all --max-pages 200
        kcextract crawl --site-file my-site.toml --db corpus.db
    """
    from kcextract.crawl.fetcher import DEFAULT_DELAY, Fetcher
    from kcextract.crawl.parallel import crawl_sites
    from kcextract.crawl.urls import host_of
    from kcextract.sites import select_sites

    try:
        chosen = select_sites(site_names, all_sites, site_files, sites_dir)
    except SiteConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if not chosen:
        raise click.UsageError("say what to crawl: --site NAME, --all or --site-file FILE")

    console = Console(stderr=True)
    store.Corpus(db).close()         # create or check the corpus once, before any worker starts
    failed = 0
    print_lock = threading.Lock()

    def make_fetcher(group):
        # one fetcher per host group: its per-host clock keeps the delay between sites sharing a host
        fetcher = Fetcher(delay=delay if delay is not None else DEFAULT_DELAY, timeout=timeout, deadline=deadline)
        for site in group:
            if delay is None and site.delay is not None:
                fetcher.host_delays[host_of(site.base_url)] = site.delay
        return fetcher

    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.completed} pages · {task.fields[status]}"), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        tasks = {id(site): progress.add_task(escape(site.name), total=max_pages, status="waiting")
                 for site in chosen}

        def on_progress(site, kind, url, report):
            progress.update(tasks[id(site)], completed=report.fetched,
                            status=f"{report.stored} stored, {report.failed} failed")

        def on_done(outcome):
            nonlocal failed
            site, report = outcome.site, outcome.report
            with print_lock:
                progress.update(tasks[id(site)], visible=False)
                if outcome.error is not None:
                    console.print(Text(f"{site.name}: {outcome.error}", style="red"))
                    failed += 1
                    return
                console.print(f"{site.name}: {report.summary()}", markup=False, highlight=False)
                for problem in report.problems:
                    console.print(Text(f"  problem: {problem}", style="red"))
                for url, reason in report.failures:
                    if reason not in report.problems:
                        console.print(f"  failed: {url}: {reason}", markup=False, highlight=False)
                failed += report.failed

        crawl_sites(db, chosen, make_fetcher, workers=parallel, on_done=on_done, on_progress=on_progress,
                    since=since, max_pages=max_pages, refresh=refresh)
    if failed:
        console.print(f"{failed} failure(s); they are recorded in {db} (see `kcextract corpus stats`)",
                      markup=False, highlight=False)
        raise SystemExit(1)


@click.group("corpus")
def corpus_cmd():
    """Look at the crawled corpus: counts, failures, documents."""


@corpus_cmd.command("stats")
@db_option(help=DB_HELP)
def corpus_stats_cmd(db):
    """Documents per site and year, attachments, and the URLs that failed with their reason.

    \b
    Example:

    \b
        kcextract corpus stats --db kcextract.db
    """
    try:
        stats = store.corpus_stats(db)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    console = Console(width=200)
    table = Table(title="Documents per site and year", title_justify="left")
    for name in ("site", "year", "documents", "near-duplicates"):
        table.add_column(name, justify="left" if name in ("site", "year") else "right")
    total = 0
    for row in stats["per_year"]:
        table.add_row(*_cells(row["site"], row["year"], row["documents"], row["duplicates"]))
        total += row["documents"]
    table.add_row("all", "", str(total), str(sum(r["duplicates"] for r in stats["per_year"])), style="bold")
    console.print(table)
    if stats["attachments"]:
        att = Table(title="Attachments", title_justify="left")
        for name in ("site", "status", "files", "bytes"):
            att.add_column(name)
        for row in stats["attachments"]:
            att.add_row(*_cells(row["site"], row["status"], row["n"], row["bytes"]))
        console.print(att)
    if stats["last_runs"]:
        runs = Table(title="Last crawl of each site", title_justify="left")
        for name in ("site", "ended", "outcome", "problems"):
            runs.add_column(name)
        for run in stats["last_runs"]:
            outcome = "running or died" if run["ended_at"] is None else ("ok" if run["ok"] else "failures")
            runs.add_row(*_cells(run["site"], run["ended_at"] or run["started_at"], outcome,
                                 "; ".join(run["problems"]) or ""))
        console.print(runs)
    console.print(f"{stats['pending']} URL(s) still queued")
    console.print(f"{len(stats['failures'])} failure(s)")
    for row in stats["failures"]:
        console.print(f"  {row['site']} {row['kind']} {row['url']}: {row['last_error']} (tries: {row['tries']})",
                      markup=False, highlight=False)


@corpus_cmd.command("list")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--site", default=None, help="only this site")
@click.option("--since", callback=parse_date, metavar="YYYY-MM-DD", help="only documents published since")
@click.option("--include-duplicates", is_flag=True, help="also list near-duplicate (syndicated) copies")
@db_option(help=DB_HELP)
def corpus_list_cmd(fmt, site, since, include_duplicates, db):
    """One line per stored document: url, site, title, published, text, attachments.

    \b
    Example:

    \b
        kcextract corpus list --format jsonl > corpus.jsonl
    """
    try:
        documents = store.iter_documents(db, site=site, include_duplicates=include_duplicates,
                                         since=since, with_attachments=True)
        if fmt == "jsonl":
            for doc in documents:
                record = {
                    "url": doc.url, "canonical_url": doc.canonical_url, "site": doc.site, "title": doc.title,
                    "published": store.iso(doc.published), "text": doc.text,
                    "attachments": [{k: a[k] for k in ("url", "kind", "size", "status")} for a in doc.attachments],
                    "duplicate_of": doc.duplicate_of,
                }
                click.echo(json.dumps(record, ensure_ascii=False))
        else:
            table = Table()
            for name in ("id", "site", "published", "title", "url"):
                table.add_column(name)
            for doc in documents:
                table.add_row(*_cells(doc.id, doc.site, doc.published.strftime("%Y-%m-%d") if isinstance(
                    doc.published, datetime) else "", doc.title or "", doc.url))
            Console(width=200).print(table)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc


COMMANDS = [sites_cmd, crawl_cmd, corpus_cmd]
