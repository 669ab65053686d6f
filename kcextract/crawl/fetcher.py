"""Polite HTTP fetching: robots.txt, one request at a time per host, backoff, bounded retries.

Every request goes through :meth:`Fetcher.fetch`.  It waits until the host's delay
(``--delay``, or the robots.txt Crawl-delay when longer, or a backoff after 429/503) has
passed since the previous request to that host, follows redirects itself (so a loop is
named, robots.txt is checked on every hop, and a hop off the site or from a public to a
private address is refused), reads the body inflating it as it arrives with a cap on the
*inflated* size (a gzip bomb stops at the cap), checks it against Content-Length, and
retries what can be retried (timeouts, 5xx, 429, truncated bodies) a bounded number of
times.  Each exchange (connect + headers + body) has an overall deadline, enforced by
cutting its socket, since a server dripping a byte a second never trips a read timeout.
A failure is a :class:`~kcextract.exceptions.FetchError` naming the URL and the reason.

One fetcher serves one host group of one thread (see :mod:`kcextract.crawl.parallel`),
so "one request at a time per host" holds by construction; the per-host clock keeps the
delay even across sites sharing a host.
"""
from __future__ import annotations

import email.utils
import ipaddress
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable, Optional
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from kcextract import __version__
from kcextract.crawl.robots import RobotsTxt
from kcextract.crawl.urls import canonical_url, host_of, same_site
from kcextract.exceptions import BodyTooLarge, DisallowedByRobots, FetchError, RedirectRefused

# HTTP header values must be Latin-1, so the Vietnamese words go without their marks.
USER_AGENT = f"kcextract/{__version__} (+https://github.com/kcextract; khuyen cong research crawler)"
ROBOTS_AGENT = "kcextract"
DEFAULT_DELAY = 1.0          # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0       # seconds to connect / between two reads
DEFAULT_DEADLINE = 60.0      # seconds for one whole exchange: connect + headers + body
DEFAULT_RETRIES = 2          # extra attempts after the first
MAX_BACKOFF = 300.0          # longest wait we accept (Retry-After beyond it is a failure)
# Caps on the body as inflated (a 1 MB gzip body can inflate to 1 GB).
MAX_BYTES = 5 * 1024 * 1024              # a web page
DISCOVERY_MAX_BYTES = 4 * 1024 * 1024    # a feed, sitemap or list page
ROBOTS_MAX_BYTES = 512 * 1024            # robots.txt: RFC 9309 §2.5 asks for at least 500 KiB
FILE_MAX_BYTES = 25 * 1024 * 1024        # an attached PDF / Word / Excel report
FILE_DEADLINE = 300.0                    # seconds for one attachment (25 MB at ~100 kB/s)
CHUNK = 64 * 1024
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
    :param deadline: seconds one whole exchange (connect + headers + body) may take, robots.txt included.
    :param max_bytes: cap on a page body as inflated; ``robots_max_bytes`` the same for robots.txt.
    :param resolve: host name -> IP addresses (injectable for tests), for the private-address redirect rule.
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
                 on_event: Optional[Callable] = None, deadline: Optional[float] = DEFAULT_DEADLINE,
                 robots_max_bytes: int = ROBOTS_MAX_BYTES, resolve: Callable[[str], list] = None):
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
        self.deadline = deadline
        self.robots_max_bytes = robots_max_bytes
        self.resolve = resolve or resolve_host
        self.session = session or requests.Session()
        adapter = DeadlineAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({
            "User-Agent": user_agent,
            "Accept": ACCEPT,
            "Accept-Language": "vi,en;q=0.5",
            # only what _Inflater undoes with a cap (requests would add br/zstd when their modules are installed)
            "Accept-Encoding": "gzip, deflate",
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

        404 and other 4xx mean "no rules"; a 5xx, a network failure or a missed deadline
        means "fetch nothing from this host" (RFC 9309 §2.3.1.3-4), reported through
        ``on_event`` as ``robots-unreachable``.  Only the first ``robots_max_bytes`` of the
        file (inflated) are read, as RFC 9309 §2.5 allows (at least 500 KiB).
        """
        host = host_of(url)
        if host in self._robots:
            return self._robots[host]
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            # RFC 9309 §2.3.1.2: robots.txt redirects are followed even to another host (never to a
            # private address from a public one)
            resp = self._exchange(robots_url, None, None, self.robots_max_bytes, truncate=True,
                                  allowed_hosts=_ANY_HOST, check_robots=False, any_status=True)
        except (FetchError, _Retry) as exc:
            robots = RobotsTxt.forbidding_everything()
            self.on_event("robots-unreachable", robots_url, exc.status,
                          f"robots.txt unreachable ({exc.reason}): fetching nothing from {host}")
        else:
            if resp.status == 200:
                robots = RobotsTxt(resp.content.decode("utf-8", errors="replace"), agent=ROBOTS_AGENT)
            elif 400 <= resp.status < 500:
                robots = RobotsTxt.allowing_everything()
            else:
                robots = RobotsTxt.forbidding_everything()
                self.on_event("robots-unreachable", robots_url, resp.status,
                              f"robots.txt answered HTTP {resp.status}: fetching nothing from {host}")
        self._robots[host] = robots
        self._done_request(robots_url)     # now that its Crawl-delay is known
        return robots

    def allowed(self, url: str) -> bool:
        """May ``url`` be fetched under its host's robots.txt?"""
        return not self.obey_robots or self.robots_for(url).allowed(url)

    # -- fetching -------------------------------------------------------------------
    def fetch(self, url: str, etag: Optional[str] = None, last_modified: Optional[str] = None,
              max_bytes: Optional[int] = None, allowed_hosts: Optional[Iterable[str]] = None,
              deadline: Optional[float] = None) -> Response:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given).

        Returns a 2xx or 304 :class:`Response`.  ``max_bytes`` caps the body as inflated
        (default: the fetcher's ``max_bytes``), ``deadline`` the seconds one exchange may take
        (default: the fetcher's); redirects are followed only to the host of
        ``url``, its mirrors (``www.``…) and ``allowed_hosts``, and never from a public
        address to a private, loopback or link-local one.

        :raises DisallowedByRobots: when robots.txt forbids the URL (or a redirect target).
        :raises RedirectRefused: a redirect leaves the site; names the target.
        :raises FetchError: after the last attempt, naming the URL and the reason
            (``HTTP 500``, ``timed out``, ``truncated body: 16 of 1024 bytes``, ``redirect loop: …``,
            ``too large: …``, ``no complete answer within 60 s``).
        """
        hosts = {host_of(url), *(h.lower() for h in (allowed_hosts or ()))}
        last: Optional[_Retry] = None
        for attempt in range(self.retries + 1):
            try:
                return self._exchange(url, etag, last_modified, max_bytes or self.max_bytes, truncate=False,
                                      allowed_hosts=hosts, check_robots=True, deadline=deadline)
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

    def _exchange(self, url, etag, last_modified, max_bytes, truncate, allowed_hosts, check_robots,
                  any_status=False, deadline=None) -> Response:
        """One attempt: request, follow redirects (each hop under its own deadline), read the body."""
        chain = [url]
        current = url
        for _ in range(self.max_redirects + 1):
            if check_robots and not self.allowed(current):
                raise DisallowedByRobots(current)
            self._wait_turn(current)        # politeness waits are not part of the exchange's deadline
            with _Deadline(deadline or self.deadline) as guard:
                try:
                    resp = self._request(current, etag, last_modified)
                    if resp.status_code in REDIRECT_STATUSES and resp.headers.get("Location"):
                        resp.close()
                        self._done_request(current)
                        target = canonical_url(urljoin(current, resp.headers["Location"]))
                        if target in map(canonical_url, chain):      # target is already canonical
                            loop = " -> ".join(chain + [target])
                            raise FetchError(url, f"redirect loop: {loop}", resp.status_code)
                        why = self._refuse_redirect(current, target, allowed_hosts)
                        if why:
                            raise RedirectRefused(url, target, why)
                        chain.append(target)
                        current = target
                        continue
                    answer = self._finish(url, current, resp, chain[1:], max_bytes, truncate, any_status)
                except (_Retry, FetchError, OSError, requests.RequestException) as exc:
                    if guard.expired:
                        self._done_request(current)
                        raise FetchError(url, guard.reason(), getattr(exc, "status", None)) from exc
                    if isinstance(exc, (_Retry, FetchError)):
                        raise
                    raise _Retry(f"body not received: {_reason(exc)}") from exc
                if guard.expired:
                    raise FetchError(url, guard.reason(), answer.status)
                return answer
        raise FetchError(url, f"more than {self.max_redirects} redirects: {' -> '.join(chain)}")

    def _refuse_redirect(self, source: str, target: str, allowed_hosts) -> Optional[str]:
        """Why a redirect from ``source`` to ``target`` is not followed, or None to follow it."""
        if urlsplit(target).scheme not in ("http", "https"):
            return "not an http(s) URL"
        if host_of(target) not in allowed_hosts and not same_site(target, source):
            return "another host"
        if self.public_to_private(source, target):
            return "from a public address to a private, loopback or link-local one"
        return None

    def public_to_private(self, source: str, target: str) -> bool:
        """True when ``source`` is on a public address and ``target`` on a private, loopback or
        link-local one (or one that does not resolve): a public page may not lead the crawler there."""
        if host_of(source) == host_of(target):
            return False
        return _is_public(urlsplit(source).hostname or "", self.resolve) and \
            not _is_public(urlsplit(target).hostname or "", self.resolve, unknown=True)

    def _request(self, url, etag, last_modified) -> requests.Response:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
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

    def _finish(self, url, final_url, resp: requests.Response, redirects, max_bytes, truncate=False,
                any_status=False) -> Response:
        status = resp.status_code
        if status in RETRY_STATUSES and not any_status:
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
            content = self._read_body(resp, max_bytes, url, truncate)
        finally:
            resp.close()
            self._done_request(final_url)
        if status == 304 or 200 <= status < 300 or any_status:
            self._recover(final_url)
            return Response(url, final_url, status, CaseInsensitiveDict(resp.headers), content, redirects)
        raise FetchError(url, f"HTTP {status}", status)

    def _read_body(self, resp: requests.Response, max_bytes: int, url: str, truncate: bool = False) -> bytes:
        """The body, inflated as it arrives and capped on the inflated size (a gzip bomb stops at the cap).

        With ``truncate`` the first ``max_bytes`` are returned instead of failing (robots.txt).
        """
        if resp.status_code == 304:
            return b""
        declared = resp.headers.get("Content-Length")
        expected = int(declared) if declared and declared.isdigit() else None
        if expected is not None and expected > max_bytes and not truncate:
            raise BodyTooLarge(url, f"too large: {expected} bytes (limit {max_bytes})", resp.status_code)
        inflater = _Inflater(resp.headers.get("Content-Encoding", ""), max_bytes, url, resp.status_code)
        received = 0
        try:
            for chunk in resp.raw.stream(CHUNK, decode_content=False):
                received += len(chunk)
                if inflater.feed(chunk):
                    if truncate:
                        return inflater.result()
                    raise BodyTooLarge(url, inflater.too_large(), resp.status_code)
        except requests.RequestException as exc:
            raise _Retry(f"body not received: {_reason(exc)}", resp.status_code) from exc
        except FetchError:
            raise
        except Exception as exc:  # urllib3 errors: IncompleteRead, ReadTimeout, ProtocolError
            if expected is not None and received < expected:
                raise _Retry(f"truncated body: {received} of {expected} bytes", resp.status_code) from exc
            raise _Retry(f"body not received: {_reason(exc)}", resp.status_code) from exc
        if expected is not None and received < expected:
            raise _Retry(f"truncated body: {received} of {expected} bytes", resp.status_code)
        if inflater.finish() and not truncate:
            raise BodyTooLarge(url, inflater.too_large(), resp.status_code)
        return inflater.result()


class _AnyHost:
    """An ``allowed_hosts`` that holds every host."""

    def __contains__(self, host) -> bool:
        return True


_ANY_HOST = _AnyHost()


class _Inflater:
    """Undo gzip/deflate transfer compression chunk by chunk, never holding more than ``limit``
    inflated bytes (Content-Length counts the compressed bytes, so it cannot bound a bomb)."""

    def __init__(self, encoding: str, limit: int, url: str, status: int):
        encoding = encoding.strip().lower()
        self.limit, self.url, self.status, self.encoding = limit, url, status, encoding
        self.out = bytearray()
        self.raw = 0
        self.over = False
        self._zlib = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
            self._head = b""

    def feed(self, chunk: bytes) -> bool:
        """Take one chunk; True once the inflated body passes the limit."""
        self.raw += len(chunk)
        if self._zlib is None:
            room = self.limit - len(self.out)
            self.out += chunk[:room + 1]
        else:
            self._inflate(chunk)
        self.over = len(self.out) > self.limit
        return self.over

    def _inflate(self, chunk: bytes) -> None:
        try:
            data = self._zlib.decompress(chunk, self.limit + 1 - len(self.out))
        except zlib.error as exc:
            if self.encoding == "deflate" and not self.out and self._zlib.unused_data == b"":
                # servers that send raw deflate without the zlib header (RFC 1950 says they should not)
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self.encoding = "raw-deflate"
                return self._inflate(chunk)
            raise _Retry(f"corrupt {self.encoding} body: {exc}", self.status) from exc
        self.out += data
        # the part of the input not yet inflated stays in unconsumed_tail; only a capped amount is
        # drained, so a bomb costs at most limit + one chunk of memory
        if self._zlib.unconsumed_tail and len(self.out) <= self.limit:
            self.out += self._zlib.decompress(self._zlib.unconsumed_tail, self.limit + 1 - len(self.out))
        if self._zlib.unconsumed_tail:
            self.out += b"\0"   # there is more: the body is over the limit

    def finish(self) -> bool:
        """End of body; True when the inflated body is over the limit."""
        if self._zlib is not None and not self.over:
            try:
                self.out += self._zlib.flush()
            except zlib.error as exc:
                raise _Retry(f"corrupt {self.encoding} body: {exc}", self.status) from exc
        self.over = len(self.out) > self.limit
        return self.over

    def result(self) -> bytes:
        return bytes(self.out[:self.limit])

    def too_large(self) -> str:
        if self._zlib is not None:
            return (f"too large: {self.raw} compressed bytes inflate to more than {self.limit} bytes"
                    f" (limit {self.limit})")
        return f"too large: more than {self.limit} bytes (limit {self.limit})"


def _is_public(host: str, resolve: Callable, unknown: bool = False) -> bool:
    """True when every address of ``host`` is a global (public) one; ``unknown`` when it does not resolve."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a) for a in resolve(host)]
        except (OSError, ValueError):
            return unknown
    return bool(addresses) and all(a.is_global for a in addresses)


def resolve_host(host: str) -> list:
    """The IP addresses a host name resolves to (for the redirect rule on private addresses)."""
    return sorted({info[4][0].split("%", 1)[0] for info in socket.getaddrinfo(host, None)})


_local = threading.local()


class _Deadline:
    """An overall deadline for one HTTP exchange (connect + headers + body).

    A per-read timeout never fires on a server that drips one byte a second, so a timer
    shuts down the sockets the exchange uses when the deadline passes; the blocked read
    then ends, and the fetcher reports the deadline, not what the read saw.
    """

    def __init__(self, seconds: Optional[float]):
        self.seconds = seconds
        self.expired = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = None

    def __enter__(self) -> "_Deadline":
        _local.deadline = self
        if self.seconds:
            self._timer = threading.Timer(self.seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        _local.deadline = None

    def watch(self, sock) -> None:
        """Cut ``sock`` when the deadline passes (at once if it already has)."""
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def reason(self) -> str:
        return f"no complete answer within {self.seconds:g} s (deadline for connect, headers and body)"


def _shut(sock) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown: end the blocked read, skip the TLS goodbye
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


def _watched(base):
    class Watched(base):
        """A urllib3 connection whose socket the current request's deadline can cut.

        The socket is taken when connected and when a request is sent on a kept-alive
        connection; the response keeps reading it even after http.client drops ``sock``.
        """

        def connect(self):
            result = super().connect()
            deadline = getattr(_local, "deadline", None)
            if deadline is not None:
                deadline.watch(self.sock)
            return result

        def request(self, *args, **kwargs):
            deadline = getattr(_local, "deadline", None)
            if deadline is not None:
                deadline.watch(self.sock)
            return super().request(*args, **kwargs)

    Watched.__name__ = "Watched" + base.__name__
    return Watched


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _watched(HTTPConnection)


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _watched(HTTPSConnection)


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter with connections a :class:`_Deadline` can cut."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


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
