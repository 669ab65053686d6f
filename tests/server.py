"""A real HTTP server on 127.0.0.1 for crawl tests: fixture site trees plus named failure endpoints.

One :class:`FixtureServer` serves one site tree (``tests/fixtures/sites/<family>/``) on its
own port, so two servers are two hosts (robots.txt and politeness are per host).

Static files: ``/a/b/`` serves ``a/b/index.html`` (or ``index.xml``); a query string is
part of the file name after ``@`` (``list.aspx?page=2`` -> ``list.aspx@page=2``).  Text
files have ``{{BASE}}`` replaced by ``http://127.0.0.1:<port>``.  A sidecar
``<file>.headers`` adds response headers ("Name: value" lines).  Every file is served
with an ETag and a Last-Modified and answers 304 to a matching conditional GET.

Failure endpoints (scrapy's mock-server idea), on every server:
``/status/<code>`` (``?after=N`` sets Retry-After), ``/flaky/<key>?status=503&times=1&after=1&then=/path``
(fails ``times`` times, then serves ``then``), ``/partial`` (Content-Length 1024, 16 bytes sent),
``/slow?seconds=S`` (sleeps at most 2 s), ``/redirect-loop`` (-> ``/redirect-loop/b`` -> back),
``/redirect?to=/path`` (301; ``to`` may name another host).

Hostile endpoints (issue 9's stress cases), all bounded in time and size on our side:
``/bomb?mb=N`` (gzip body inflating to N MB of zeros, N <= 1024), ``/drip?seconds=S``
(headers, then one byte a second for at most S s), ``/drip-headers`` (the status line itself
one byte a second), ``/links?n=N`` (a list page with N article links), ``/endless/page-N/``
(a list page linking the same articles and page N+1, forever), ``/endless-new/page-N/`` (each
page links one new article and the next page), ``/big?mb=N`` (N MB of distinct paragraphs).
``aliases`` maps a path to one of these (``{"/robots.txt": "/bomb?mb=1024"}``).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import mimetypes
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "sites"
LAST_MODIFIED = "Mon, 04 Dec 2023 08:00:00 GMT"
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".rss", ".atom", ".aspx", ".php", ".phtml", ""}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".aspx": "text/html; charset=utf-8", ".phtml": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8", ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_SLOW = 2.0
MAX_DRIP = 20.0           # a drip endpoint stops by itself after this many seconds
_BOMBS: dict = {}


def gzip_bomb(megabytes: int) -> bytes:
    """A gzip stream of ``megabytes`` MB of zeros (1024 MB compress to about 1 MB), made once."""
    if megabytes not in _BOMBS:
        out = io.BytesIO()
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                packed.write(block)
        _BOMBS[megabytes] = out.getvalue()
    return _BOMBS[megabytes]


def big_page(megabytes: float) -> bytes:
    """An HTML article of about ``megabytes`` MB of distinct paragraphs (no two 5-word windows alike)."""
    head = ("<html><head><title>Báo cáo lớn</title></head><body><article><h1>Báo cáo lớn</h1>"
            "<div class=\"content\">").encode()
    parts, size, i = [head], len(head), 0
    while size < megabytes * (1 << 20):
        para = f"<p>Đoạn {i}: cơ sở số {i} nhận hỗ trợ {i * 7} triệu đồng năm {2000 + i % 24} mã {i * 13}.</p>".encode()
        parts.append(para)
        size += len(para)
        i += 1
    parts.append(b"</div></article></body></html>")
    return b"".join(parts)


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up (a fetcher's deadline, a size cap) are expected here, not errors."""

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class FixtureServer:
    """A threaded HTTP server for one fixture site; use as a context manager.

    ``hits`` counts requests per path+query, ``requests`` keeps (path, headers) in order,
    ``timeline`` (path, started, ended) of each answered request.
    """

    def __init__(self, root: Path | str | None = None, robots: str | None = None, aliases: dict | None = None,
                 host: str = "127.0.0.1"):
        self.root = Path(root) if root else None
        self.robots = robots
        self.aliases = dict(aliases or {})
        self.hits: Counter = Counter()
        self.requests: list = []
        self.timeline: list = []          # (path, started, ended) in time.monotonic() seconds
        self.flaky: Counter = Counter()
        self.lock = threading.Lock()
        self.httpd = _QuietServer((host, 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self) -> "FixtureServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base + path

    def hit_count(self, path: str) -> int:
        """How many requests asked for exactly ``path`` (with its query, if any)."""
        with self.lock:
            return self.hits[path]

    def reset_hits(self) -> None:
        with self.lock:
            self.hits.clear()
            self.requests.clear()


def _handler_for(server: FixtureServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            started = time.monotonic()
            with server.lock:
                server.hits[self.path] += 1
                server.requests.append((self.path, dict(self.headers)))
            try:
                self._answer()
            finally:
                with server.lock:
                    server.timeline.append((self.path, started, time.monotonic()))

        def _answer(self):
            parts = urlsplit(server.aliases.get(self.path) or server.aliases.get(urlsplit(self.path).path)
                             or self.path)
            path, query = unquote(parts.path), parse_qs(parts.query)
            try:
                hostile = self._hostile(path, query)
                if hostile is not False:
                    return hostile
                if path == "/robots.txt" and server.robots is not None:
                    return self._send(200, server.robots.encode(), "text/plain; charset=utf-8")
                if path.startswith("/status/"):
                    return self._status(int(path.rsplit("/", 1)[1]), query)
                if path.startswith("/flaky/"):
                    return self._flaky(path, query)
                if path == "/partial":
                    return self._partial()
                if path == "/slow":
                    time.sleep(min(float(query.get("seconds", ["2"])[0]), MAX_SLOW))
                    return self._send(200, b"<html><body><p>late</p></body></html>", "text/html")
                if path == "/redirect-loop":
                    return self._redirect(302, "/redirect-loop/b")
                if path == "/redirect-loop/b":
                    return self._redirect(302, "/redirect-loop")
                if path == "/redirect":
                    return self._redirect(301, query.get("to", ["/"])[0])
                return self._static(parts.path, parts.query)
            except (BrokenPipeError, ConnectionResetError):
                pass

        # -- hostile endpoints ---------------------------------------------------------
        def _hostile(self, path, query):
            """Serve one of the hostile endpoints; False when ``path`` is none of them."""
            number = float(query.get("n", query.get("mb", ["0"]))[0] or 0)
            if path == "/bomb":
                body = gzip_bomb(int(min(number or 1024, 1024)))
                return self._send(200, body, "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
            if path == "/drip":
                return self._drip(float(query.get("seconds", [str(MAX_DRIP)])[0]))
            if path == "/drip-headers":
                return self._drip_headers()
            if path == "/links":
                links = "".join(f'<li><a href="/tin-tuc/bai-{i}.html">Bài số {i} về khuyến công</a></li>'
                                for i in range(int(number)))
                return self._send(200, f"<html><body><ul>{links}</ul></body></html>".encode(),
                                  "text/html; charset=utf-8")
            for prefix, fresh in (("/endless/page-", False), ("/endless-new/page-", True)):
                if path.startswith(prefix):
                    page = int(path[len(prefix):].strip("/") or 1)
                    ids = [page] if fresh else [1, 2, 3]
                    links = "".join(f'<li><a href="/tin-tuc/bai-{i}.html">Bài {i}</a></li>' for i in ids)
                    body = (f'<html><body><ul>{links}</ul><a rel="next" href="{prefix}{page + 1}/">Trang sau</a>'
                            "</body></html>")
                    return self._send(200, body.encode(), "text/html; charset=utf-8")
            if path.startswith("/tin-tuc/bai-") and self.server_root_missing():
                i = path.rsplit("-", 1)[1].split(".")[0]
                body = (f"<html><head><title>Bài {i}</title></head><body><article><h1>Bài {i}</h1>"
                        f"<div class=\"content\"><p>Năm 2023, Trung tâm Khuyến công hỗ trợ {i} cơ sở với"
                        f" kinh phí {i} triệu đồng cho bài số {i}.</p></div></article></body></html>")
                return self._send(200, body.encode(), "text/html; charset=utf-8")
            if path == "/big":
                return self._send(200, big_page(number or 50), "text/html; charset=utf-8")
            return False

        def server_root_missing(self):
            return server.root is None

        def _drip(self, seconds):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(b"<")
            self.wfile.flush()
            end = time.monotonic() + min(seconds, MAX_DRIP)
            while time.monotonic() < end:
                time.sleep(1.0)
                self.wfile.write(b"p")
                self.wfile.flush()
            self.close_connection = True

        def _drip_headers(self):
            end = time.monotonic() + MAX_DRIP
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"x" * 1000:
                if time.monotonic() > end:
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(1.0)
            self.close_connection = True

        # -- endpoints ---------------------------------------------------------------
        def _status(self, code, query):
            headers = {}
            if "after" in query:
                headers["Retry-After"] = query["after"][0]
            body = f"<html><body><h1>{code}</h1></body></html>".encode()
            self._send(code, body, "text/html; charset=utf-8", headers)

        def _flaky(self, path, query):
            with server.lock:
                server.flaky[path] += 1
                count = server.flaky[path]
            if count <= int(query.get("times", ["1"])[0]):
                return self._status(int(query.get("status", ["503"])[0]), query)
            then = query.get("then", ["/"])[0]
            target = urlsplit(then)
            return self._static(target.path, target.query)

        def _partial(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "1024")
            self.end_headers()
            self.wfile.write(b"<html><body><p>")
            self.wfile.write(b"x")
            self.wfile.flush()
            self.close_connection = True

        def _redirect(self, code, location):
            self._send(code, b"", "text/html", {"Location": location})

        def _static(self, raw_path, raw_query):
            if server.root is None:
                return self._send(404, b"not found", "text/plain")
            rel = unquote(raw_path).lstrip("/")
            if raw_query:
                rel += "@" + unquote(raw_query)
            file = (server.root / rel) if rel else server.root
            if file.is_dir():
                for name in ("index.html", "index.xml"):
                    if (file / name).exists():
                        file = file / name
                        break
            try:
                file.resolve().relative_to(server.root.resolve())
            except ValueError:
                return self._send(403, b"forbidden", "text/plain")
            if not file.is_file():
                return self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")
            body = file.read_bytes()
            suffix = Path(file.name.split("@", 1)[0]).suffix
            if suffix in TEXT_SUFFIXES:
                body = body.replace(b"{{BASE}}", server.base.encode())
            content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(file.name)[0] or \
                ("text/html; charset=utf-8" if suffix == "" else "application/octet-stream")
            headers = {"ETag": '"' + hashlib.sha1(body).hexdigest()[:16] + '"', "Last-Modified": LAST_MODIFIED}
            sidecar = file.with_name(file.name + ".headers")
            if sidecar.exists():
                for line in sidecar.read_text().splitlines():
                    if ":" in line:
                        name, _, value = line.partition(":")
                        if name.strip().lower() == "content-type":
                            content_type = value.strip()
                        else:
                            headers[name.strip()] = value.strip()
            # RFC 9110 §13.2.2: If-None-Match, when sent, decides alone
            if "If-None-Match" in self.headers:
                fresh = self.headers["If-None-Match"] == headers["ETag"]
            else:
                fresh = self.headers.get("If-Modified-Since") == LAST_MODIFIED
            if fresh:
                return self._send(304, b"", None, headers)
            self._send(200, body, content_type, headers)

        def _send(self, code, body, content_type, headers=None):
            self.send_response(code)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if code != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if code != 304:
                self.wfile.write(body)

    return Handler
