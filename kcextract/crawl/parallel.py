"""Several sites at once: hosts crawled concurrently, one request at a time per host.

Politeness is per host, so sites are first put in groups: sites that share a host (or a
``www.``-style mirror, or list each other's hosts in ``allowed_hosts``) form one group,
crawled one after the other by one fetcher, so a host still sees one request at a time
with its delay.  Groups run in threads, each with its own corpus connection: SQLite lets
one writer in at a time, and a crawler's transactions are short (never across a fetch),
so the others wait milliseconds.  ``crawl --all`` then takes about as long as its slowest
group instead of the sum of all sites.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable, Optional

from kcextract.crawl.crawler import CrawlReport, Crawler
from kcextract.crawl.urls import url_key
from kcextract.exceptions import KcextractError
from kcextract.store import Corpus

DEFAULT_WORKERS = 4          # groups of hosts crawled at the same time


@dataclass
class SiteOutcome:
    """One site's crawl: its report, or the error that stopped it (another crawl holds the site,
    or a bug: a worker never dies silently)."""

    site: object
    report: Optional[CrawlReport] = None
    error: Optional[Exception] = None


def _host_keys(site) -> set:
    """The hosts a site lives on, mirrors folded (``www.h.vn`` and ``h.vn`` are one host)."""
    return {url_key(f"http://{host}/").split("/", 1)[0] for host in site.hosts()}


def host_groups(sites) -> list:
    """Sites in groups that share no host with another group, each in the order given.

    >>> from kcextract.sites import Site
    >>> a, b, c = (Site(n, u, "generic", (u + "/",)) for n, u in
    ...            (("a", "http://h.vn"), ("b", "http://www.h.vn"), ("c", "http://k.vn")))
    >>> [[s.name for s in group] for group in host_groups([a, c, b])]
    [['a', 'b'], ['c']]
    """
    groups: list = []           # [set of hosts, [sites]]
    for site in sites:
        hosts = _host_keys(site)
        joined = [g for g in groups if g[0] & hosts]
        merged = [hosts, []]
        for group in joined:
            merged[0] |= group[0]
            merged[1] += group[1]
            groups.remove(group)
        merged[1].append(site)
        groups.append(merged)
    order = {id(site): i for i, site in enumerate(sites)}
    return sorted((sorted(g[1], key=lambda s: order[id(s)]) for g in groups), key=lambda g: order[id(g[0])])


def crawl_sites(db_path, sites, make_fetcher: Callable, workers: int = DEFAULT_WORKERS,
                stop: Optional[threading.Event] = None, on_done: Optional[Callable] = None,
                on_progress: Optional[Callable] = None, **crawl_options) -> list:
    """Crawl ``sites`` into the corpus at ``db_path``, host groups concurrently; returns a
    :class:`SiteOutcome` per site, in the order given.

    :param make_fetcher: ``make_fetcher(group) -> Fetcher``, called once per host group.
    :param workers: how many groups are crawled at the same time.
    :param stop: when set (Ctrl-C), each crawl ends after its current page; the rest stays queued.
    :param on_done: ``on_done(outcome)`` as each site finishes (from its worker thread).
    :param on_progress: ``on_progress(site, event, url, report)`` after every page.
    :param crawl_options: passed to :class:`Crawler` (``since``, ``max_pages``, ``refresh``).
    """
    stop = stop or threading.Event()
    pending = list(host_groups(sites))
    # Create (or migrate) the corpus once, here: worker threads opening a new file at the same
    # moment would race to switch it to WAL, and SQLite answers that race with 'locked' at once.
    Corpus(db_path).close()
    outcomes: dict = {}
    lock = threading.Lock()

    def work():
        corpus = None
        try:
            while not stop.is_set():
                with lock:
                    if not pending:
                        return
                    group = pending.pop(0)
                if corpus is None:
                    corpus = Corpus(db_path)
                fetcher = make_fetcher(group)
                for site in group:
                    if stop.is_set():
                        break
                    outcome = SiteOutcome(site)
                    progress = None
                    if on_progress is not None:
                        def progress(event, url, report, site=site):
                            on_progress(site, event, url, report)
                    try:
                        outcome.report = Crawler(corpus, fetcher, site, on_progress=progress,
                                                 stop=stop.is_set, **crawl_options).run()
                    except KcextractError as exc:
                        outcome.error = exc
                    except Exception as exc:  # a crawler bug ends this site, never the others
                        outcome.error = KcextractError(f"crawl stopped: {exc.__class__.__name__}: {exc}")
                    with lock:
                        outcomes[id(site)] = outcome
                    if on_done is not None:
                        on_done(outcome)
        finally:
            if corpus is not None:
                corpus.close()

    threads = [threading.Thread(target=work, name=f"crawl-{i}", daemon=True)
               for i in range(max(1, min(workers, len(pending))))]
    for thread in threads:
        thread.start()
    try:
        while any(thread.is_alive() for thread in threads):
            for thread in threads:
                thread.join(0.2)
    except KeyboardInterrupt:
        stop.set()
        for thread in threads:
            thread.join()
        raise
    return [outcomes[id(site)] for site in sites if id(site) in outcomes]
