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
``/redirect?to=/path`` (301).
"""
from __future__ import annotations

import hashlib
import mimetypes
import threading
import time
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


class FixtureServer:
    """A threaded HTTP server for one fixture site; use as a context manager.

    ``hits`` counts requests per path+query, ``requests`` keeps (path, headers) in order.
    """

    def __init__(self, root: Path | str | None = None, robots: str | None = None):
        self.root = Path(root) if root else None
        self.robots = robots
        self.hits: Counter = Counter()
        self.requests: list = []
        self.flaky: Counter = Counter()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
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
            with server.lock:
                server.hits[self.path] += 1
                server.requests.append((self.path, dict(self.headers)))
            parts = urlsplit(self.path)
            path, query = unquote(parts.path), parse_qs(parts.query)
            try:
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
