"""One monitor pass: crawl what is new, extract and verify it, record alerts, deliver them.

Per site, in order:

1. **crawl** (:func:`kcextract.crawl.crawler.crawl_site`): feeds, sitemaps and list pages
   first, conditional GET, content hash; the site's stored articles are re-checked
   (``refresh``) when the re-check interval has passed;
2. **process** every document of the site whose current version the monitor has not
   processed (new, or changed since its snapshot): extract, verify, diff the figures
   against the snapshot, and record alerts + snapshot + counts in one transaction;
3. **deliver** the pending alerts to each notifier, recording each outcome at once.

Everything a pass learns is committed as it goes, so a pass killed at any point is
completed by the next one: unprocessed documents are still "not processed", pending
deliveries still pending, and alert ids are stable, so nothing is alerted twice.
One pass at a time per database (:class:`~kcextract.monitor.lock.PassLock`).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable, Optional, Sequence

import kcextract
from kcextract.monitor import alerts as alert_types
from kcextract.monitor import documents
from kcextract.monitor.durations import parse_duration
from kcextract.monitor.figure_diff import diff_figures, snapshot
from kcextract.monitor.highlights import worth_a_look
from kcextract.monitor.ledger import Ledger
from kcextract.monitor.lock import PassLock
from kcextract.store import parse_iso, utcnow

DEFAULT_RECHECK = 86400.0        # seconds between two re-checks of a site's stored articles


@dataclass
class SiteResult:
    """What a pass found on one site."""

    site: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed_checks: int = 0
    rechecked: bool = False
    alerts: list = field(default_factory=list)       # alert dicts created by this pass
    failures: list = field(default_factory=list)     # (url, reason)

    @property
    def failed(self) -> int:
        return len(self.failures)


@dataclass
class DeliveryResult:
    """What one notifier took in this pass."""

    notifier: str
    delivered: int = 0
    pending: int = 0
    error: Optional[str] = None


@dataclass
class PassReport:
    """The outcome of one pass (also recorded in ``monitor_runs``)."""

    run_id: int
    sites: list = field(default_factory=list)
    deliveries: dict = field(default_factory=dict)
    interrupted_runs: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No site, page or delivery failed."""
        return not any(s.failures for s in self.sites) and not any(d.error for d in self.deliveries.values())

    @property
    def alerts(self) -> list:
        return [a for s in self.sites for a in s.alerts]


def site_recheck(site, default: float) -> float:
    """The site's own re-check interval when its file sets one, else ``default`` (seconds).

    >>> from types import SimpleNamespace
    >>> site_recheck(SimpleNamespace(recheck="6h"), 86400), site_recheck(SimpleNamespace(), 86400)
    (21600.0, 86400)
    """
    value = getattr(site, "recheck", None)
    if value is None:
        return default
    try:
        return parse_duration(value)
    except ValueError:
        return default


def text_hash(text: str) -> str:
    """The sha256 of an article's text: which version of it a snapshot holds."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class MonitorPass:
    """One pass over ``sites`` into the corpus at ``db_path``.

    :param notifiers: :class:`~kcextract.monitor.notifiers.Notifier` instances.
    :param fetcher: a shared :class:`~kcextract.crawl.fetcher.Fetcher` (default: one with ``delay``/``timeout``).
    :param since: leave out articles published before this date (passed to the crawler).
    :param recheck: seconds between two re-checks of a site's stored articles (0: every pass).
    :param baseline: record what is there without alerting (a first pass over a big corpus).
    :param on_progress: ``on_progress(site, stage, detail)``, stage in crawl / process / deliver.
    """

    def __init__(self, db_path, sites: Sequence, notifiers: Sequence = (), fetcher=None,
                 delay: Optional[float] = None, timeout: float = 20.0, max_pages: Optional[int] = None,
                 since: Optional[date] = None, recheck: float = DEFAULT_RECHECK, baseline: bool = False,
                 on_progress: Optional[Callable] = None):
        self.db_path = str(db_path)
        self.sites = list(sites)
        self.notifiers = list(notifiers)
        self.delay = delay
        self.timeout = timeout
        self.fetcher = fetcher
        self.max_pages = max_pages
        self.since = since
        self.recheck = recheck
        self.baseline = baseline
        self.on_progress = on_progress or (lambda *args: None)

    def run(self) -> PassReport:
        """Run the pass; :class:`~kcextract.monitor.lock.PassRunning` when another one holds the lock."""
        with PassLock(self.db_path):
            ledger = Ledger.open(self.db_path)
            try:
                return self._run(ledger)
            finally:
                ledger.close()

    def _run(self, ledger: Ledger) -> PassReport:
        keys = [n.key for n in self.notifiers]
        run_id, interrupted = ledger.start_run([s.name for s in self.sites], keys, os.getpid())
        report = PassReport(run_id, interrupted_runs=interrupted)
        report.deliveries = {k: DeliveryResult(k) for k in keys}
        status = "interrupted"
        try:
            self._deliver(ledger, report)           # what earlier passes could not deliver
            for site in self.sites:
                report.sites.append(self._site(ledger, run_id, site))
                self._deliver(ledger, report)
            status = "done" if report.ok else "failed"
        finally:
            for result in report.deliveries.values():
                result.pending = len(ledger.pending(result.notifier))
            ledger.finish_run(run_id, status)
        return report

    # -- one site -----------------------------------------------------------------------------
    def _fetcher(self):
        if self.fetcher is None:
            from kcextract.crawl.fetcher import DEFAULT_DELAY, Fetcher

            self.fetcher = Fetcher(delay=self.delay if self.delay is not None else DEFAULT_DELAY,
                                   timeout=self.timeout)
        return self.fetcher

    def _recheck_due(self, ledger: Ledger, site) -> bool:
        last = parse_iso(ledger.last_recheck(site.name))
        if last is None:
            return True
        elapsed = (datetime.now(timezone.utc) - last).total_seconds()
        return elapsed >= site_recheck(site, self.recheck)

    def _site(self, ledger: Ledger, run_id: int, site) -> SiteResult:
        from kcextract.crawl.crawler import crawl_site
        from kcextract.crawl.urls import host_of

        result = SiteResult(site.name, rechecked=self._recheck_due(ledger, site))
        fetcher = self._fetcher()
        if self.delay is None and getattr(site, "delay", None) is not None:
            fetcher.host_delays[host_of(site.base_url)] = site.delay

        def crawled(kind, url, crawl_report):
            self.on_progress(site.name, "crawl", f"{getattr(crawl_report, 'fetched', 0)} pages")

        self.on_progress(site.name, "crawl", "starting")
        try:
            crawl_report = crawl_site(self.db_path, site, fetcher=fetcher, since=self.since,
                                      max_pages=self.max_pages, refresh=result.rechecked, on_progress=crawled)
        except Exception as exc:  # one site's trouble (or a crawler bug) must not stop the others
            result.failures.append((site.base_url, f"crawl stopped: {exc.__class__.__name__}: {exc}"))
        else:
            result.failures += [tuple(f) for f in getattr(crawl_report, "failures", [])]
            if result.rechecked:
                ledger.rechecked(site.name)
        ledger.count(run_id, site.name, rechecked=int(result.rechecked))
        todo = documents.candidates(ledger.conn, site.name)
        for done, document_id in enumerate(todo, 1):
            self.on_progress(site.name, "process", f"{done}/{len(todo)} new or changed articles")
            self._document(ledger, run_id, document_id, result)
        result.unchanged = max(0, documents.unchanged_count(ledger.conn, site.name) - result.new - result.changed)
        ledger.set_site_result(run_id, site.name, result.unchanged, [list(f) for f in result.failures])
        return result

    def _document(self, ledger: Ledger, run_id: int, document_id: int, result: SiteResult) -> None:
        doc = documents.load(ledger.conn, document_id)
        if doc is None:
            return
        keys = [n.key for n in self.notifiers]
        old = ledger.snapshot(doc.id)
        new_hash = text_hash(doc.text)
        if old is not None and old["text_hash"] == new_hash:
            # the crawler's hash moved but the text did not: nothing to say
            ledger.record_document(doc, new_hash, old["figures"], [], keys, run_id, {})
            return
        try:
            figures = snapshot(kcextract.extract(doc.text, source=doc.url))
            failing = [c.to_dict() for c in kcextract.verify(doc.text, source=doc.url)
                       if getattr(c, "status", None) == "fail"]
            changes = None if old is None else diff_figures(self._old_figures(old, doc.url), figures)
        except Exception as exc:  # an extractor/verifier bug on one page: report it, keep going
            result.failures.append((doc.url, f"cannot extract or verify: {exc.__class__.__name__}: {exc}"))
            return
        now = utcnow()
        found = []
        if old is None:
            counts = {"new": 1}
            found.append(alert_types.new_article(doc, worth_a_look(figures), run_id, now))
        else:
            counts = {"changed": 1}
            if changes:
                found.append(alert_types.changed_article(doc, changes, old["text_hash"], new_hash, run_id, now))
        found += [alert_types.failed_check(doc, check, run_id, now) for check in failing]
        counts["failed_checks"] = len(failing)
        if self.baseline or doc.duplicate_of is not None:
            found = []      # a baseline records silently; a syndicated copy was alerted as its original
        created = ledger.record_document(doc, new_hash, figures, found, keys, run_id, counts)
        result.new += counts.get("new", 0)
        result.changed += counts.get("changed", 0)
        result.failed_checks += len(failing)
        result.alerts += [a.to_dict() for a in created]

    @staticmethod
    def _old_figures(old: dict, url: str) -> list[dict]:
        """The stored version's figures, read again by today's extractor when its text is kept,
        so an extractor upgrade between two passes is not mistaken for a correction on the page."""
        if old.get("text") is None:
            return old["figures"]
        return snapshot(kcextract.extract(old["text"], source=url))

    # -- delivery --------------------------------------------------------------------------------
    def _deliver(self, ledger: Ledger, report: PassReport) -> None:
        for notifier in self.notifiers:
            outcome = report.deliveries[notifier.key]
            if outcome.error is not None:
                continue            # it failed earlier in this pass: the next pass tries again
            pending = ledger.pending(notifier.key)
            if not pending and notifier.up_to_date():
                continue
            self.on_progress(notifier.key, "deliver", f"{len(pending)} alert(s)")
            for alert_id, error in notifier.deliver(pending, lambda n: ledger.recent_for(notifier.key, n)):
                if error is None:
                    ledger.delivered(alert_id, notifier.key)
                    outcome.delivered += 1
                else:
                    ledger.delivery_failed(alert_id, notifier.key, error)
                    outcome.error = error
