"""Polite HTTP fetching: robots.txt, one request at a time per host, backoff, bounded retries.

Every request goes through :meth:`Fetcher.fetch`.  It waits until the host's delay
(``--delay``, or the robots.txt Crawl-delay when longer, or a backoff after 429/503) has
passed since the previous request to that host, follows redirects itself (so a loop is
named and robots.txt is checked on every hop), reads the body with a size cap and
checks it against Content-Length, and retries what can be retried (timeouts, 5xx,
429, truncated bodies) a bounded number of times.  A failure is a
:class:`~kcextract.exceptions.FetchError` naming the URL and the reason.

The crawler is single-threaded, so "one request at a time per host" holds by
construction; the per-host clock keeps the delay even across sites sharing a host.
"""
from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from kcextract import __version__
from kcextract.crawl.robots import RobotsTxt
from kcextract.crawl.urls import canonical_url, host_of
from kcextract.exceptions import DisallowedByRobots, FetchError

# HTTP header values must be Latin-1, so the Vietnamese words go without their marks.
USER_AGENT = f"kcextract/{__version__} (+https://github.com/kcextract; khuyen cong research crawler)"
ROBOTS_AGENT = "kcextract"
DEFAULT_DELAY = 1.0          # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0       # seconds to connect / between two reads
DEFAULT_RETRIES = 2          # extra attempts after the first
MAX_BACKOFF = 300.0          # longest wait we accept (Retry-After beyond it is a failure)
MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 10
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.8"


@dataclass
class Response:
    """What a fetch returns: the final URL after redirects, the status, headers and body bytes."""

    url: str
    final_url: str
    status: int
    headers: CaseInsensitiveDict
    content: bytes = b""
    redirects: list = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304

    @property
    def content_type(self) -> str:
        """The media type, lower-cased, without parameters ('' when absent)."""
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> Optional[str]:
        """The charset declared in the Content-Type header, if any."""
        for param in self.headers.get("Content-Type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    @property
    def etag(self) -> Optional[str]:
        return self.headers.get("ETag")

    @property
    def last_modified(self) -> Optional[str]:
        return self.headers.get("Last-Modified")


class _Retry(Exception):
    """One attempt failed in a way worth retrying (internal)."""

    def __init__(self, reason, status=None, wait=None):
        super().__init__(reason)
        self.reason, self.status, self.wait = reason, status, wait


def retry_after_seconds(value: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), None if absent/bad.

    >>> retry_after_seconds("3")
    3.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=datetime(2015, 10, 21, 7, 28, tzinfo=timezone.utc))
    10.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class Fetcher:
    """Fetches URLs politely; one instance per crawl (it remembers hosts' robots.txt and clocks).

    :param delay: seconds between two requests to the same host (default 1; 0 for a local test server).
    :param timeout: connect/read timeout in seconds.
    :param retries: extra attempts after a retryable failure.
    :param obey_robots: check robots.txt before every request (on by default; off only in tests).
    :param sleep, clock: injectable for tests (defaults: ``time.sleep``, ``time.monotonic``).
    :param on_event: called as ``on_event(event, url, status, reason)`` for retries and backoffs.
    """

    def __init__(self, delay: float = DEFAULT_DELAY, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, user_agent: str = USER_AGENT, obey_robots: bool = True,
                 max_bytes: int = MAX_BYTES, max_backoff: float = MAX_BACKOFF,
                 max_redirects: int = MAX_REDIRECTS, session: Optional[requests.Session] = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 on_event: Optional[Callable] = None):
        if delay < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {delay}")
        self.delay = float(delay)
        self.timeout = timeout
        self.retries = retries
        self.user_agent = user_agent
        self.obey_robots = obey_robots
        self.max_bytes = max_bytes
        self.max_backoff = max_backoff
        self.max_redirects = max_redirects
        self.session = session or requests.Session()
        self.session.headers.update({
            "User-Agent": user_agent,
            "Accept": ACCEPT,
            "Accept-Language": "vi,en;q=0.5",
        })
        self.sleep = sleep
        self.clock = clock
        self.on_event = on_event or (lambda *args: None)
        self.host_delays: dict[str, float] = {}   # per-host overrides of ``delay`` (a site's own delay)
        self._robots: dict[str, RobotsTxt] = {}
        self._next_ok: dict[str, float] = {}
        self._penalty: dict[str, float] = {}
        self.requests_made = 0

    # -- politeness -----------------------------------------------------------------
    def host_delay(self, url: str) -> float:
        """Seconds kept between two requests to the host of ``url``."""
        host = host_of(url)
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay if robots is not None and robots.crawl_delay else 0.0
        return max(self.host_delays.get(host, self.delay), crawl_delay, self._penalty.get(host, 0.0))

    def _wait_turn(self, url: str) -> None:
        wait = self._next_ok.get(host_of(url), 0.0) - self.clock()
        if wait > 0:
            self.sleep(wait)

    def _done_request(self, url: str, extra_wait: float = 0.0) -> None:
        host = host_of(url)
        self._next_ok[host] = self.clock() + max(self.host_delay(url), extra_wait)

    def _back_off(self, url: str) -> float:
        """Double the host's extra delay after a 429/503 (at least 1 s, at most ``max_backoff``)."""
        host = host_of(url)
        penalty = min(self.max_backoff, max(1.0, 2 * self._penalty.get(host, 0.0), 2 * self.delay))
        self._penalty[host] = penalty
        return penalty

    def _recover(self, url: str) -> None:
        host = host_of(url)
        if host in self._penalty:
            self._penalty[host] /= 2
            if self._penalty[host] < max(self.delay, 0.5):
                del self._penalty[host]

    def robots_for(self, url: str) -> RobotsTxt:
        """The robots.txt rules of the host of ``url``, fetched once per crawl.

        404 and other 4xx mean "no rules"; a 5xx or a network failure means "fetch
        nothing from this host" (RFC 9309 §2.3.1.3-4), reported through ``on_event``.
        """
        host = host_of(url)
        if host in self._robots:
            return self._robots[host]
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        self._wait_turn(robots_url)
        try:
            self.requests_made += 1
            resp = self.session.get(robots_url, timeout=self.timeout)
            body = resp.content
        except requests.RequestException as exc:
            robots = RobotsTxt.forbidding_everything()
            self.on_event("robots-unreachable", robots_url, None, _reason(exc))
        else:
            if resp.status_code == 200:
                robots = RobotsTxt(body.decode("utf-8", errors="replace"), agent=ROBOTS_AGENT)
            elif 400 <= resp.status_code < 500:
                robots = RobotsTxt.allowing_everything()
            else:
                robots = RobotsTxt.forbidding_everything()
                self.on_event("robots-unreachable", robots_url, resp.status_code,
                              f"robots.txt answered HTTP {resp.status_code}: fetching nothing from {host}")
        self._robots[host] = robots
        self._done_request(robots_url)
        return robots

    def allowed(self, url: str) -> bool:
        """May ``url`` be fetched under its host's robots.txt?"""
        return not self.obey_robots or self.robots_for(url).allowed(url)

    # -- fetching -------------------------------------------------------------------
    def fetch(self, url: str, etag: Optional[str] = None, last_modified: Optional[str] = None,
              max_bytes: Optional[int] = None) -> Response:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given).

        Returns a 2xx or 304 :class:`Response`.

        :raises DisallowedByRobots: when robots.txt forbids the URL (or a redirect target).
        :raises FetchError: after the last attempt, naming the URL and the reason
            (``HTTP 500``, ``timed out``, ``truncated body: 16 of 1024 bytes``, ``redirect loop: …``).
        """
        last: Optional[_Retry] = None
        for attempt in range(self.retries + 1):
            try:
                return self._fetch_redirects(url, etag, last_modified, max_bytes or self.max_bytes)
            except _Retry as failure:
                last = failure
                if attempt == self.retries:
                    break
                wait = failure.wait
                if wait is None:
                    wait = min(self.max_backoff, max(self.delay, 0.25) * 2 ** attempt)
                self.on_event("retry", url, failure.status,
                              f"{failure.reason}; attempt {attempt + 2} of {self.retries + 1} in {wait:g} s")
                self._next_ok[host_of(url)] = max(self._next_ok.get(host_of(url), 0.0), self.clock() + wait)
        assert last is not None
        raise FetchError(url, f"{last.reason} (after {self.retries + 1} attempts)", last.status)

    def _fetch_redirects(self, url, etag, last_modified, max_bytes) -> Response:
        chain = [url]
        current = url
        for _ in range(self.max_redirects + 1):
            if not self.allowed(current):
                raise DisallowedByRobots(current)
            resp = self._request(current, etag, last_modified)
            if resp.status_code in REDIRECT_STATUSES and resp.headers.get("Location"):
                resp.close()
                target = canonical_url(urljoin(current, resp.headers["Location"]))
                if target in map(canonical_url, chain):      # target is already canonical
                    loop = " -> ".join(chain + [target])
                    raise FetchError(url, f"redirect loop: {loop}", resp.status_code)
                chain.append(target)
                current = target
                continue
            return self._finish(url, current, resp, chain[1:], max_bytes)
        raise FetchError(url, f"more than {self.max_redirects} redirects: {' -> '.join(chain)}")

    def _request(self, url, etag, last_modified) -> requests.Response:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait_turn(url)
        self.requests_made += 1
        try:
            return self.session.get(url, headers=headers, timeout=self.timeout, stream=True,
                                    allow_redirects=False)
        except requests.Timeout as exc:
            self._done_request(url)
            raise _Retry(f"timed out after {self.timeout:g} s") from exc
        except requests.RequestException as exc:
            self._done_request(url)
            raise _Retry(_reason(exc)) from exc

    def _finish(self, url, final_url, resp: requests.Response, redirects, max_bytes) -> Response:
        status = resp.status_code
        if status in RETRY_STATUSES:
            resp.close()
            wait = None
            if status in (429, 503):
                penalty = self._back_off(final_url)
                after = retry_after_seconds(resp.headers.get("Retry-After"))
                if after is not None and after > self.max_backoff:
                    self._done_request(final_url)
                    raise FetchError(url, f"HTTP {status}, server asks to retry after {after:g} s", status)
                wait = max(penalty, after or 0.0)
                self.on_event("backoff", final_url, status, f"HTTP {status}: waiting {wait:g} s")
            self._done_request(final_url, wait or 0.0)
            raise _Retry(f"HTTP {status}", status, wait)
        try:
            content = self._read_body(resp, max_bytes, url)
        finally:
            resp.close()
            self._done_request(final_url)
        if status == 304 or 200 <= status < 300:
            self._recover(final_url)
            return Response(url, final_url, status, CaseInsensitiveDict(resp.headers), content, redirects)
        raise FetchError(url, f"HTTP {status}", status)

    def _read_body(self, resp: requests.Response, max_bytes: int, url: str) -> bytes:
        if resp.status_code == 304:
            return b""
        declared = resp.headers.get("Content-Length")
        expected = int(declared) if declared and declared.isdigit() else None
        if expected is not None and expected > max_bytes:
            raise FetchError(url, f"too large: {expected} bytes (limit {max_bytes})", resp.status_code)
        chunks, received = [], 0
        try:
            for chunk in resp.raw.stream(64 * 1024, decode_content=False):
                received += len(chunk)
                if received > max_bytes:
                    raise FetchError(url, f"too large: more than {max_bytes} bytes", resp.status_code)
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise _Retry(f"body not received: {_reason(exc)}", resp.status_code) from exc
        except Exception as exc:  # urllib3 errors: IncompleteRead, ReadTimeout, ProtocolError
            if isinstance(exc, FetchError):
                raise
            if expected is not None and received < expected:
                raise _Retry(f"truncated body: {received} of {expected} bytes", resp.status_code) from exc
            raise _Retry(f"body not received: {_reason(exc)}", resp.status_code) from exc
        raw = b"".join(chunks)
        if expected is not None and len(raw) < expected:
            raise _Retry(f"truncated body: {len(raw)} of {expected} bytes", resp.status_code)
        return _decode_content(raw, resp.headers.get("Content-Encoding", ""), url, resp.status_code)


def _decode_content(raw: bytes, encoding: str, url: str, status: int) -> bytes:
    """Undo gzip/deflate transfer compression (Content-Length counts the compressed bytes)."""
    import zlib

    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        try:
            return zlib.decompress(raw, 16 + zlib.MAX_WBITS)
        except zlib.error as exc:
            raise _Retry(f"corrupt gzip body: {exc}", status) from exc
    if encoding == "deflate":
        try:
            return zlib.decompress(raw)
        except zlib.error:
            try:
                return zlib.decompress(raw, -zlib.MAX_WBITS)
            except zlib.error as exc:
                raise _Retry(f"corrupt deflate body: {exc}", status) from exc
    return raw


def _reason(exc: Exception) -> str:
    """A short human reason for a requests/urllib3 exception."""
    text = str(exc) or exc.__class__.__name__
    if "timed out" in text.lower():
        return "timed out"
    if "Connection refused" in text:
        return "connection refused"
    if "IncompleteRead" in text:
        return "truncated body"
    return f"{exc.__class__.__name__}: {text[:200]}"
