"""The crawl loop: seeds -> frontier -> fetch -> parse -> store, one committed document at a time.

A crawl of one site works its ``frontier`` rows (kept in the corpus database) until the
queue is empty or ``max_pages`` pages were fetched.  Articles are worked before further
list pages, so each list page is followed by its own articles.  Every stored document
is committed together with its frontier row, so a crawl killed at any point restarts
where it stopped: stored URLs are never fetched again, pending ones are.

Stopping rules: a list page that adds no new article URL is the last one followed (an
endless "next page" chain repeating its links stops at once), and so is a list page
whose dated items are all older than ``since``, or the ``max_list_pages``-th page of a
chain.  Feed, sitemap and list seeds are re-read with a conditional GET at the start
of each pass (when the previous pass left nothing queued), so repeated small runs
(``--max-pages``) go on where the last one stopped instead of re-probing the seeds.

Unattended safety: a row's attempt is counted and committed before its fetch, so a
crash on a page is named by the next crawl and that page waits until the rest of the
site is done; a handler that raises marks its row failed and the crawl goes on; no
database transaction stays open across a fetch or a sleep; a second crawl of the same
site refuses at once (:class:`~kcextract.exceptions.CorpusBusy`).
"""
from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Optional

from kcextract.crawl import dedup
from kcextract.crawl.discovery import before, parse_feed, parse_list, parse_sitemap
from kcextract.crawl.fetcher import (DEFAULT_DELAY, DISCOVERY_MAX_BYTES, FILE_DEADLINE, FILE_MAX_BYTES, Fetcher,
                                     Response)
from kcextract.crawl.urls import canonical_url, host_of, same_site, url_key
from kcextract.exceptions import (BodyTooLarge, CorpusError, DisallowedByRobots, FetchError, RedirectRefused,
                                  SourceError)
from kcextract.sites import DEFAULT_MAX_LIST_PAGES
from kcextract.store import Corpus

MAX_TRIES = 3                 # a URL failing this many crawls in a row is left alone
# A page's markup is parsed into a tree of Python objects (about 2 kB each, and every CSS
# selector of a preset walks them all): 60,000 tags (about 30,000 elements; a long news
# article has 3,000-8,000) bound a parse to ~200 MB and seconds, whatever a site serves.
MAX_TAGS = 60_000
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
FILE_KINDS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/zip": "zip",
    "application/x-rar-compressed": "rar",
    "application/vnd.rar": "rar",
}


@dataclass(frozen=True)
class UrlOutcome:
    """What one crawl did with one URL: ``new`` (stored for the first time), ``changed`` (a
    stored article whose text differs; ``previous_hash`` is the text hash it had),
    ``unchanged`` (re-checked, same text or 304) or ``failed`` (``reason`` says why)."""

    url: str
    outcome: str
    kind: str = "article"
    document_id: Optional[int] = None
    content_hash: Optional[str] = None
    previous_hash: Optional[str] = None
    reason: Optional[str] = None


@dataclass
class CrawlReport:
    """What one crawl of one site did.

    ``failures`` lists (url, reason) of this run; ``problems`` the site-level ones (robots.txt
    unreachable, a start URL disallowed, nothing collected), each also in ``failures``;
    ``outcomes`` one :class:`UrlOutcome` per article stored, re-checked or failed (and per
    failed feed, sitemap or list page), in the order they happened.
    """

    site: str
    fetched: int = 0
    stored: int = 0
    aliases: int = 0
    near_duplicates: int = 0
    not_modified: int = 0
    skipped: int = 0
    failed: int = 0
    attachments: int = 0
    updated: int = 0
    repaired: int = 0
    interrupted: int = 0
    stopped_at_max_pages: bool = False
    stopped_on_request: bool = False
    failures: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return self.failed == 0

    def urls(self, outcome: str) -> list:
        """The URLs of one outcome (``new``, ``changed``, ``unchanged``, ``failed``), in order."""
        return [o.url for o in self.outcomes if o.outcome == outcome]

    @property
    def new_urls(self) -> list:
        return self.urls("new")

    @property
    def changed_urls(self) -> list:
        return self.urls("changed")

    @property
    def unchanged_urls(self) -> list:
        return self.urls("unchanged")

    @property
    def failed_urls(self) -> list:
        return self.urls("failed")

    def summary(self) -> str:
        """One line for the log and the CLI."""
        text = (f"{self.stored} stored, {self.aliases} already known under another URL, "
                f"{self.near_duplicates} near-duplicates, {self.not_modified} not modified, "
                f"{self.updated} updated, {self.skipped} skipped, {self.failed} failed, "
                f"{self.attachments} attachments, "
                f"{self.fetched} pages fetched")
        if self.repaired:
            text += f", {self.repaired} page(s) kept with undecodable bytes replaced"
        if self.interrupted:
            text += f", {self.interrupted} URL(s) interrupted by an earlier crawl (retried last)"
        if self.stopped_at_max_pages:
            text += " (stopped at --max-pages; the rest stays queued)"
        if self.stopped_on_request:
            text += " (stopped on request; the rest stays queued)"
        return text


def _file_kind(resp: Response) -> Optional[str]:
    """The attachment kind of a non-HTML response, None when it looks like a web page."""
    from kcextract.htmltext import attachment_kind

    if resp.content_type in FILE_KINDS:
        return FILE_KINDS[resp.content_type]
    if resp.content.startswith(b"%PDF"):
        return "pdf"
    if resp.content_type in HTML_TYPES or resp.content_type.endswith("+xml") or "xml" in resp.content_type:
        return None
    return attachment_kind(resp.final_url)


class _TooComplex(SourceError):
    """A page with more markup than a parse can afford (see :data:`MAX_TAGS`)."""

    def __str__(self) -> str:
        return self.reason


class _HookFailed(Exception):
    """A caller's hook (``on_stored``) raised: passed on as it is, not recorded as a page failure."""

    def __init__(self, original: Exception):
        super().__init__(str(original))
        self.original = original


class Crawler:
    """Crawls one site into the corpus.

    :param corpus: the open :class:`~kcextract.store.Corpus`.
    :param fetcher: a :class:`~kcextract.crawl.fetcher.Fetcher` (shared across sites: it keeps per-host clocks).
    :param site: a :class:`kcextract.sites.Site`.
    :param since: skip articles published before this date, and stop paging past them.
    :param max_pages: fetch at most this many pages (feeds, sitemaps, lists, articles) in this run.
    :param on_progress: ``on_progress(event, url, report)`` after every frontier row.
    :param on_stored: ``on_stored(document_id, url)`` after every committed document.
    :param refresh: first re-check every stored article of the site with a conditional GET
        (ETag / Last-Modified): a 304 costs nothing, a changed page is updated and its
        earlier text kept in ``document_versions``.
    :param stop: ``stop() -> bool``, asked before every page; True ends the crawl there (Ctrl-C
        during a parallel crawl), the rest staying queued.
    """

    def __init__(self, corpus: Corpus, fetcher: Fetcher, site, since: Optional[date] = None,
                 max_pages: Optional[int] = None, on_progress: Optional[Callable] = None,
                 on_stored: Optional[Callable] = None, refresh: bool = False,
                 stop: Optional[Callable[[], bool]] = None):
        self.corpus = corpus
        self.fetcher = fetcher
        self.site = site
        self.since = since
        self.max_pages = max_pages
        self.on_progress = on_progress or (lambda *args: None)
        self.on_stored = on_stored or (lambda *args: None)
        self.refresh = refresh
        self.stop = stop or (lambda: False)
        self.report = CrawlReport(site.name)
        self.owner = uuid.uuid4().hex
        self._found: set = set()          # URL keys first discovered during this run
        self._listed: dict = {}           # list chain (its seed's key) -> article keys its pages listed
        self._chain: dict = {}            # list page key -> its chain
        self._robots_failed: set = set()  # hosts whose robots.txt could not be read

    # -- the loop -----------------------------------------------------------------------
    def run(self) -> CrawlReport:
        """Crawl until the site's queue is empty or ``max_pages`` is reached; returns the report.

        :raises CorpusBusy: another live process is crawling the same site (nothing is fetched).
        """
        name = self.site.name
        self.corpus.lock_site(name, self.owner)
        previous = self.fetcher.on_event

        def on_fetch_event(event, url, status, reason):
            # retries, backoffs and robots.txt trouble go to the crawl log at once (committed:
            # the fetcher may sleep next, and no transaction may stay open across a wait)
            self.corpus.log(name, url, event, status, reason)
            self.corpus.commit()
            if event == "robots-unreachable" and host_of(url) not in self._robots_failed:
                self._robots_failed.add(host_of(url))
                self._problem(url, reason)
            previous(event, url, status, reason)

        self.fetcher.on_event = on_fetch_event
        run_id = None
        finished = False
        try:
            run_id = self.corpus.start_run(name)
            report = self._run()
            finished = True
            return report
        finally:
            self.fetcher.on_event = previous
            try:
                if not finished:
                    self.corpus.rollback()      # half a page's writes are not kept; its row says 'working'
                if run_id is not None:
                    summary = self.report.summary() if finished else "stopped by an error: " + self.report.summary()
                    self.corpus.end_run(run_id, finished and self.report.ok, summary, self.report.problems)
            finally:
                self.corpus.unlock_site(name, self.owner)

    def _run(self) -> CrawlReport:
        name = self.site.name
        self.corpus.log(name, self.site.base_url, "crawl-start",
                        reason=f"since={self.since} max_pages={self.max_pages}")
        for url, tries in self.corpus.recover_interrupted(name, MAX_TRIES):
            self.report.interrupted += 1
            self.corpus.log(name, url, "interrupted", None,
                            f"an earlier crawl stopped while handling this URL (attempt {tries}); retried last")
        new_pass = self.corpus.pending_count(name) == 0
        self.corpus.retry_failed(name, MAX_TRIES)
        self._seed(new_pass)
        self.corpus.commit()
        for attachment in self.corpus.pending_attachments(name):
            self._fetch_attachment(attachment)
        if self.refresh:
            self._refresh_documents()
        while True:
            row = self.corpus.next_pending(name)
            if row is None:
                break
            if self.max_pages is not None and self.report.fetched >= self.max_pages:
                self.report.stopped_at_max_pages = True
                break
            if self.stop():
                self.report.stopped_on_request = True
                break
            self.corpus.claim(row["id"])       # the attempt counts before anything can go wrong
            handler = {"article": self._article, "feed": self._feed,
                       "sitemap": self._sitemap, "list": self._list}.get(row["kind"], self._unknown)
            try:
                handler(row)
            except _HookFailed as exc:
                raise exc.original from None         # the caller's own hook: its error is the caller's
            except CorpusError:
                raise
            except Exception as exc:  # a page that breaks a parser (or worse) is recorded; the crawl goes on
                self.corpus.rollback()
                self._fail(row, f"crashed while handling it: {exc.__class__.__name__}: {str(exc)[:300]}",
                           None, "crashed")
            self.corpus.finish_claim(row["id"])
            self.corpus.commit()
            self.on_progress(row["kind"], row["url"], self.report)
        if not (self.report.stopped_at_max_pages or self.report.stopped_on_request) \
                and not self.corpus.document_count(name) and not self._robots_failed:
            self._problem(self.site.base_url, "nothing collected: no article was found or stored"
                                              " (check start_urls, article_url_pattern and selectors)")
        self.corpus.log(name, self.site.base_url, "crawl-end", reason=self.report.summary())
        self.corpus.commit()
        return self.report

    def _problem(self, url, reason) -> None:
        """A site-level problem: counted as a failure, shown on screen and in ``corpus stats``."""
        self.report.problems.append(reason)
        self._record_failure(url, reason, None, "site-problem")
        self.corpus.commit()

    def _seed(self, new_pass: bool) -> None:
        """Queue the site's feeds, sitemaps and start URLs; a new pass re-reads those already done."""
        name = self.site.name
        seeds = [(u, "feed") for u in self.site.feed_urls()]
        seeds += [(u, "sitemap") for u in self.site.sitemap_urls()]
        if self.fetcher.obey_robots:
            self.corpus.commit()
            robots = self.fetcher.robots_for(self.site.base_url)
            seeds += [(u, "sitemap") for u in robots.sitemaps]
            for start in self.site.start_urls:
                if host_of(start) not in self._robots_failed and not robots.allowed(start):
                    self._problem(start, f"start URL {start} is disallowed by robots.txt")
        seeds += [(u, "list") for u in self.site.start_urls]
        for url, kind in seeds:
            url = canonical_url(url, self.site.base_url + "/")
            if kind == "sitemap" and not self._in_scope(url):
                continue        # robots.txt may list sitemaps of other hosts
            self.corpus.enqueue(name, url, url_key(url), kind, refresh=new_pass)

    def _in_scope(self, url: str) -> bool:
        """On the site's hosts (or a www./beta./oldweb./amp. mirror of its host) and not denied."""
        if self.site.in_scope(url):
            return True
        return same_site(url, self.site.base_url) and not self.site.is_denied(url)

    def _unknown(self, row) -> None:
        self.corpus.mark(row["id"], "failed", f"unknown frontier kind {row['kind']!r}")

    # -- fetching with outcome bookkeeping ------------------------------------------------
    def _fetch(self, url, etag=None, last_modified=None, max_bytes=None, deadline=None) -> Response:
        """Fetch on the site's hosts only, with nothing of the corpus left uncommitted."""
        self.corpus.commit()
        return self.fetcher.fetch(url, etag=etag, last_modified=last_modified, max_bytes=max_bytes,
                                  allowed_hosts=self.site.hosts(), deadline=deadline)

    def _get(self, row, conditional: bool) -> Optional[Response]:
        """Fetch a frontier row's URL; on failure record why and return None."""
        etag = last_modified = None
        if conditional:
            etag, last_modified = self.corpus.validators(row["url_key"])
        self.report.fetched += 1
        cap = None if row["kind"] == "article" else DISCOVERY_MAX_BYTES
        try:
            resp = self._fetch(row["url"], etag=etag, last_modified=last_modified, max_bytes=cap)
        except DisallowedByRobots as exc:
            self._skip(row, exc.reason, "robots-disallowed")
            return None
        except RedirectRefused as exc:
            self._fail(row, exc.reason, exc.status, "redirect-refused", final=True)
            return None
        except BodyTooLarge as exc:
            self._fail(row, exc.reason, exc.status, "too-large", final=True)
            return None
        except FetchError as exc:
            if exc.status in (404, 410) and row["kind"] in ("feed", "sitemap"):
                # feed/sitemap URLs come from the family's templates: many sites have none
                self._skip(row, f"no {row['kind']} here ({exc.reason})", "no-" + row["kind"])
            else:
                self._fail(row, exc.reason, exc.status, "fetch-failed")
            return None
        if resp.not_modified:
            self.report.not_modified += 1
            self.corpus.log(self.site.name, row["url"], "not-modified", 304)
            self.corpus.mark(row["id"], "done")
            return None
        return resp

    def _fail(self, row, reason, status=None, event="failed", final=False) -> None:
        """Mark a row failed with its reason; ``final`` when trying again cannot help (too large,
        too complex, a redirect off the site): later crawls leave it alone."""
        self._record_failure(row["url"], reason, status, event, row["kind"])
        self.corpus.mark(row["id"], "failed", reason)
        if final:
            self.corpus.give_up(row["id"], MAX_TRIES)

    def _record_failure(self, url, reason, status, event, kind="site") -> None:
        """Count a failure, keep it for the summary and log it."""
        self.report.failed += 1
        self.report.failures.append((url, reason))
        self.report.outcomes.append(UrlOutcome(url, "failed", kind, reason=reason))
        self.corpus.log(self.site.name, url, event, status, reason)

    def _skip(self, row, reason, event="skipped") -> None:
        self.report.skipped += 1
        self.corpus.log(self.site.name, row["url"], event, None, reason)
        self.corpus.mark(row["id"], "skipped", reason)

    def _decode(self, row, resp: Response) -> Optional[tuple]:
        """``(text, repaired_bytes)`` of the page; on failure the row is marked failed and None returned."""
        try:
            return self._decode_or_raise(resp)
        except _TooComplex as exc:
            self._fail(row, str(exc), resp.status, "too-complex", final=True)
            return None
        except SourceError as exc:
            self._fail(row, f"cannot decode the page: {exc.reason}", resp.status, "decode-failed")
            return None

    def _decode_or_raise(self, resp: Response) -> tuple:
        from kcextract.encoding import decode_with_repairs

        text, replaced = decode_with_repairs(resp.content, source=resp.final_url,
                                             declared=resp.charset or getattr(self.site, "encoding", None))
        tags = text.count("<")
        if tags > MAX_TAGS:
            raise _TooComplex(resp.final_url, f"too complex to parse: {tags} tags (limit {MAX_TAGS})")
        if replaced:
            self.report.repaired += 1
            self.corpus.log(self.site.name, resp.final_url, "repaired", resp.status,
                            f"{replaced} undecodable byte sequence(s) replaced by U+FFFD; the rest is kept")
        return text, replaced

    # -- discovery rows ----------------------------------------------------------------------
    def _add_links(self, links, check_pattern: bool) -> dict:
        """Queue in-scope article links; returns counts by outcome, and their keys under ``keys``.

        ``queued``: new URLs; ``again``: already met earlier in this run (e.g. in the feed);
        ``known``: stored or queued by an earlier crawl; ``old``: dated before --since;
        ``dated``: links that carried a date at all.
        """
        counts = dict(queued=0, again=0, known=0, old=0, dated=0, total=0)
        fresh_keys, known_keys = [], []
        for link in links:
            url = canonical_url(link.url, self.site.base_url + "/")
            if not self._in_scope(url):
                continue
            if check_pattern and (self.site.article_url_pattern or self.site.family.article_url_pattern) \
                    and not self.site.is_article_url(url):
                continue
            counts["total"] += 1
            if link.date is not None:
                counts["dated"] += 1
            if before(link.date, self.since):
                counts["old"] += 1
                continue
            key = url_key(url)
            if key in self._found:
                counts["again"] += 1
                fresh_keys.append(key)
            elif self.corpus.known(self.site.name, key):
                counts["known"] += 1
                known_keys.append(key)
                # a URL skipped earlier (e.g. by an older --since) becomes pending again
                self.corpus.enqueue(self.site.name, url, key, "article", link.date)
            else:
                self.corpus.enqueue(self.site.name, url, key, "article", link.date)
                self._found.add(key)
                fresh_keys.append(key)
                counts["queued"] += 1
        counts["fresh_keys"], counts["known_keys"] = fresh_keys, known_keys
        return counts

    @staticmethod
    def _describe(counts: dict, what: str) -> str:
        return (f"{counts['total']} {what}: {counts['queued']} queued, {counts['again']} met earlier in this run, "
                f"{counts['known']} known from earlier crawls, {counts['old']} before --since")

    def _feed(self, row) -> None:
        resp = self._get(row, conditional=True)
        if resp is None:
            return
        try:
            links = parse_feed(resp.content, resp.final_url)
        except SourceError as exc:
            return self._fail(row, exc.reason, resp.status, "parse-failed")
        self.corpus.remember_validators(row["url_key"], resp.etag, resp.last_modified)
        counts = self._add_links(links, check_pattern=False)
        self.corpus.log(self.site.name, row["url"], "feed", resp.status, self._describe(counts, "entries"))
        self.corpus.mark(row["id"], "done")

    def _sitemap(self, row) -> None:
        resp = self._get(row, conditional=True)
        if resp is None:
            return
        try:
            kind, links = parse_sitemap(resp.content, resp.final_url, max_bytes=DISCOVERY_MAX_BYTES)
        except SourceError as exc:
            return self._fail(row, exc.reason, resp.status, "parse-failed")
        self.corpus.remember_validators(row["url_key"], resp.etag, resp.last_modified)
        if kind == "index":
            for link in links:
                if before(link.date, self.since):
                    continue
                url = canonical_url(link.url, resp.final_url)
                if self._in_scope(url):
                    self.corpus.enqueue(self.site.name, url, url_key(url), "sitemap", refresh=True)
            detail = f"sitemap index: {len(links)} sitemaps"
        else:
            detail = self._describe(self._add_links(links, check_pattern=True), "article URLs")
        self.corpus.log(self.site.name, row["url"], "sitemap", resp.status, detail)
        self.corpus.mark(row["id"], "done")

    def _list(self, row) -> None:
        resp = self._get(row, conditional=True)
        if resp is None:
            return
        decoded = self._decode(row, resp)
        if decoded is None:
            return
        html, _ = decoded
        try:
            links, next_url = parse_list(html, resp.final_url, self.site)
        except Exception as exc:  # a page parser bug must not stop the crawl; record it
            return self._fail(row, f"cannot parse the list page: {exc.__class__.__name__}: {exc}",
                              resp.status, "parse-failed")
        self.corpus.remember_validators(row["url_key"], resp.etag, resp.last_modified)
        chain = self._chain.get(row["url_key"], row["url_key"])
        listed = self._listed.setdefault(chain, set())
        counts = self._add_links(links, check_pattern=False)
        # new to this chain: not on one of its earlier pages, and not stored by an earlier crawl
        new_here = [k for k in counts["fresh_keys"] if k not in listed]
        listed.update(counts["fresh_keys"], counts["known_keys"])
        reason = self._describe(counts, "links")
        depth = row["depth"] or 0
        limit = getattr(self.site, "max_list_pages", DEFAULT_MAX_LIST_PAGES)
        if next_url:
            nxt = canonical_url(next_url, resp.final_url)
            if counts["dated"] and counts["old"] == counts["dated"]:
                reason += f"; not paging further: every dated item is before {self.since}"
            elif depth + 1 >= limit:
                reason += f"; not paging further: {limit} list pages followed (max_list_pages)"
            elif not self._in_scope(nxt):
                reason += f"; next page {nxt} is off the site"
            elif new_here:
                self.corpus.enqueue(self.site.name, nxt, url_key(nxt), "list", refresh=True, depth=depth + 1)
                self._chain[url_key(nxt)] = chain
                reason += f"; next page {nxt}"
            elif counts["known"] and not counts["again"] and \
                    self.corpus.enqueue(self.site.name, nxt, url_key(nxt), "list", depth=depth + 1):
                # Incremental stop: every link here is known from an earlier crawl; the next page
                # is read only if no crawl ever reached it (a first crawl interrupted before it).
                self._chain[url_key(nxt)] = chain
                reason += f"; next page {nxt} (never reached before)"
            else:
                reason += "; not paging further: this page adds no new article URL"
        self.corpus.log(self.site.name, row["url"], "list", resp.status, reason)
        self.corpus.mark(row["id"], "done")

    # -- articles --------------------------------------------------------------------------
    def _article(self, row) -> None:
        name = self.site.name
        key = row["url_key"]
        if self.corpus.document_for_key(key) is not None:
            self.corpus.mark(row["id"], "done")
            return
        if before(_listed(row), self.since):
            return self._skip(row, f"listed before --since {self.since}", "before-since")
        resp = self._get(row, conditional=False)
        if resp is None:
            return
        final_url = canonical_url(resp.final_url)
        final_key = url_key(final_url)
        existing = self.corpus.document_for_key(final_key)
        if existing is not None:
            return self._alias(row, existing, "redirects to a stored document")
        kind = _file_kind(resp)
        if kind is not None:
            self.corpus.add_loose_file(name, final_url, kind, resp.content_type, resp.content)
            self.report.attachments += 1
            return self._skip(row, f"not an HTML page ({resp.content_type or 'no type'}): kept as a {kind} file",
                              "not-html")
        decoded = self._decode(row, resp)
        if decoded is None:
            return
        html, replaced = decoded
        from kcextract.htmltext import parse_article

        try:
            article = parse_article(html, final_url, site=self.site)
        except Exception as exc:  # malformed beyond repair, or a parser bug: record, go on
            return self._fail(row, f"cannot parse the article: {exc.__class__.__name__}: {exc}",
                              resp.status, "parse-failed")
        if before(article.published, self.since):
            return self._skip(row, f"published {article.published:%Y-%m-%d}, before --since {self.since}",
                              "before-since")
        if not article.text.strip() and not article.attachments:
            return self._fail(row, "no article text found on the page", resp.status, "no-text")
        canonical = final_url
        if article.canonical_url:
            declared = canonical_url(article.canonical_url, final_url)
            if self._in_scope(declared):
                canonical = declared
        canonical_key = url_key(canonical)
        existing = self.corpus.document_for_key(canonical_key)
        if existing is not None:
            return self._alias(row, existing, f"rel=canonical {canonical} is stored", final_key)
        content_hash = dedup.content_hash(article.text)
        existing = self.corpus.document_with_hash(name, content_hash)
        if existing is not None and article.text.strip():
            self.corpus.add_alias(canonical_key, existing, canonical)
            return self._alias(row, existing, "same text as a stored document", final_key)
        warnings = list(article.warnings or [])
        if replaced:
            warnings.append(f"{replaced} undecodable byte sequence(s) replaced by U+FFFD")
        try:
            document_id = self.corpus.insert_document(
                url=final_url, canonical_url=canonical, url_key=canonical_key, site=name,
                title=article.title, published=article.published, http_status=resp.status,
                etag=resp.etag, last_modified=resp.last_modified, content_type=resp.content_type,
                content_hash=content_hash, raw_html=resp.content, text=article.text,
                family=article.family, warnings=warnings,
            )
        except sqlite3.IntegrityError:
            # another process (a crawl of a site sharing this host) stored it a moment ago
            self.corpus.rollback()
            existing = self.corpus.document_for_key(canonical_key)
            if existing is None:
                raise
            return self._alias(row, existing, "stored meanwhile by another crawl", final_key)
        self.corpus.add_alias(key, document_id, row["url"])
        self.corpus.add_alias(final_key, document_id, final_url)
        self._found.update((key, final_key, canonical_key))
        for attachment in article.attachments:
            self.corpus.add_attachment(document_id, name, canonical_url(attachment.url, final_url),
                                       attachment.title, attachment.kind)
        link = dedup.index_and_link(self.corpus.conn, document_id, article.text)
        if link is not None:
            duplicate, original, similarity = link
            self.report.near_duplicates += 1
            self.corpus.log(name, final_url, "near-duplicate", None,
                            f"document {duplicate} repeats document {original} (Jaccard {similarity:.2f})")
        self.corpus.log(name, final_url, "stored", resp.status, article.title)
        self.corpus.mark(row["id"], "done")
        self.corpus.commit()
        self.report.stored += 1
        self.report.outcomes.append(UrlOutcome(final_url, "new", "article", document_id, content_hash))
        try:
            self.on_stored(document_id, final_url)
        except Exception as exc:
            raise _HookFailed(exc) from exc
        for attachment in self.corpus.pending_attachments(name):
            self._fetch_attachment(attachment)

    def _refresh_documents(self) -> None:
        """Revalidate the site's stored articles (conditional GET); update the ones that changed,
        keeping their earlier text in ``document_versions`` and re-checking their near-duplicates."""
        from kcextract.htmltext import parse_article

        name = self.site.name
        for doc in self.corpus.stored_documents(name):
            if self.max_pages is not None and self.report.fetched >= self.max_pages:
                self.report.stopped_at_max_pages = True
                return
            self.report.fetched += 1
            try:
                resp = self._fetch(doc["url"], etag=doc["etag"], last_modified=doc["last_modified"])
                if resp.not_modified:
                    self.report.not_modified += 1
                    self.report.outcomes.append(UrlOutcome(doc["url"], "unchanged", "article", doc["id"],
                                                           doc["content_hash"]))
                    self.corpus.log(name, doc["url"], "not-modified", 304)
                    self.corpus.commit()
                    continue
                html, _ = self._decode_or_raise(resp)
                article = parse_article(html, canonical_url(resp.final_url), site=self.site)
            except DisallowedByRobots as exc:
                self.corpus.log(name, doc["url"], "robots-disallowed", None, exc.reason)
                self.corpus.commit()
                continue
            except (FetchError, SourceError) as exc:
                self._record_failure(doc["url"], exc.reason, getattr(exc, "status", None), "refresh-failed",
                                     "article")
                self.corpus.commit()
                continue
            except Exception as exc:  # a parser bug on one page must not end the refresh
                self._record_failure(doc["url"], f"crashed while re-checking it: {exc.__class__.__name__}: {exc}",
                                     None, "refresh-failed", "article")
                self.corpus.commit()
                continue
            content_hash = dedup.content_hash(article.text)
            if content_hash == doc["content_hash"]:
                self.corpus.update_validators_of_document(doc["id"], resp.etag, resp.last_modified)
                self.corpus.log(name, doc["url"], "unchanged", resp.status)
                self.report.outcomes.append(UrlOutcome(doc["url"], "unchanged", "article", doc["id"], content_hash))
            else:
                previous = self.corpus.update_document(
                    doc["id"], title=article.title, published=article.published, text=article.text,
                    raw_html=resp.content, content_hash=content_hash, http_status=resp.status,
                    etag=resp.etag, last_modified=resp.last_modified)
                dedup.relink(self.corpus.conn, doc["id"], article.text)
                self.report.updated += 1
                self.report.outcomes.append(UrlOutcome(doc["url"], "changed", "article", doc["id"], content_hash,
                                                       previous_hash=previous))
                self.corpus.log(name, doc["url"], "updated", resp.status,
                                f"the page changed since it was stored (earlier text {previous[:12]} kept)")
            self.corpus.commit()

    def _alias(self, row, document_id, why, *more_keys) -> None:
        self.corpus.add_alias(row["url_key"], document_id, row["url"])
        for key in more_keys:
            self.corpus.add_alias(key, document_id, row["url"])
        self.report.aliases += 1
        self.corpus.log(self.site.name, row["url"], "alias", None, f"{why} (document {document_id})")
        self.corpus.mark(row["id"], "done")

    def _fetch_attachment(self, attachment) -> None:
        url = attachment["url"]
        if self.fetcher.public_to_private(self.site.base_url, url):
            reason = "refused: a public site linking to a private, loopback or link-local address"
            self.corpus.finish_attachment(attachment["id"], "skipped", reason)
            self.corpus.log(self.site.name, url, "attachment-refused", None, reason)
            self.corpus.commit()
            return
        try:
            resp = self._fetch(url, max_bytes=FILE_MAX_BYTES,
                               deadline=max(FILE_DEADLINE, self.fetcher.deadline or 0))
        except DisallowedByRobots as exc:
            self.corpus.finish_attachment(attachment["id"], "skipped", exc.reason)
            self.corpus.commit()
            return
        except FetchError as exc:
            self.corpus.finish_attachment(attachment["id"], "failed", exc.reason)
            self._record_failure(url, exc.reason, exc.status, "attachment-failed", "attachment")
            self.corpus.commit()
            return
        kind = _file_kind(resp)
        if kind is None:
            reason = f"expected a file, got {resp.content_type or 'an untyped'} page"
            self.corpus.finish_attachment(attachment["id"], "failed", reason, None, resp.content_type,
                                          size=len(resp.content))
            self._record_failure(url, reason, resp.status, "attachment-failed", "attachment")
        else:
            self.corpus.finish_attachment(attachment["id"], "ok", None, resp.content, resp.content_type,
                                          kind if kind != "other" else None, len(resp.content))
            self.report.attachments += 1
        self.corpus.commit()


def _listed(row):
    from kcextract.store import parse_iso

    return parse_iso(row["listed_date"])


def crawl_site(db_path, site, fetcher: Optional[Fetcher] = None, since: Optional[date] = None,
               max_pages: Optional[int] = None, delay: Optional[float] = None, refresh: bool = False,
               **hooks) -> CrawlReport:
    """Crawl one site into the corpus at ``db_path`` (the library entry point of ``kcextract crawl``).

    ``delay`` (seconds) applies when no ``fetcher`` is given; default: the site's own
    ``delay`` or 1 s.  ``refresh`` re-checks the stored articles first.

    The returned :class:`CrawlReport` says, per URL, what happened (``report.outcomes``, a
    list of :class:`UrlOutcome`): ``new`` (stored now, with its ``document_id`` and
    ``content_hash``), ``changed`` (a re-checked article whose text changed: ``previous_hash``
    is the hash of the text it had, which :meth:`Corpus.versions` still holds), ``unchanged``
    (re-checked: 304 or the same text) or ``failed`` (with its ``reason``).
    ``report.new_urls`` / ``changed_urls`` / ``unchanged_urls`` / ``failed_urls`` list them.

    :raises CorpusBusy: another process is crawling this site into the same corpus.
    :raises CorpusError: ``db_path`` is not a kcextract corpus.
    """
    if fetcher is None:
        chosen = delay if delay is not None else (site.delay if site.delay is not None else DEFAULT_DELAY)
        fetcher = Fetcher(delay=chosen)
    corpus = Corpus(db_path)
    try:
        return Crawler(corpus, fetcher, site, since=since, max_pages=max_pages, refresh=refresh, **hooks).run()
    finally:
        corpus.close()
