"""The corpus: one SQLite file holding crawled documents, their attachments and the crawl log.

Everything a crawl learns is written here and committed after every document, so a
crawl killed mid-way loses nothing and resumes from the ``frontier`` table.  Raw
HTML is kept zlib-compressed so a page can be re-parsed later without refetching.

Tables: ``documents`` (one row per article), ``document_versions`` (earlier texts of
articles that changed), ``document_urls`` (every URL key known to lead to a stored
document: aliases, redirects, rel=canonical), ``attachments`` (PDF/Word files linked
from an article, bytes included), ``crawl_log``, ``crawl_runs`` (one row per crawl of a
site, with its problems), ``crawl_locks`` (which process crawls which site), ``frontier``
(the persistent queue), ``validators`` (ETag/Last-Modified of feeds and list pages),
``near_duplicates`` + ``minhash_bands`` (syndicated copies, see
:mod:`kcextract.crawl.dedup`).

The file is shared between processes: writers keep every transaction short (never
across a network wait), readers open it read-only (:meth:`Corpus.open_readonly`) and
change nothing, and a lock held past the busy timeout is a :class:`CorpusBusy` naming
the file, never a traceback.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import zlib
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator, Optional

from kcextract.exceptions import CorpusBusy, CorpusError

DEFAULT_DB = "kcextract.db"
SCHEMA_VERSION = 3
BUSY_TIMEOUT = 30.0           # seconds a statement waits for another process's write lock

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,                  -- where it was fetched from (after redirects)
    canonical_url TEXT NOT NULL,        -- cleaned URL (rel=canonical when the page gives one)
    url_key TEXT NOT NULL UNIQUE,       -- identity key of canonical_url, see crawl.urls.url_key
    site TEXT NOT NULL,
    title TEXT,
    published TEXT,                     -- ISO 8601, local time of the publisher
    fetched_at TEXT NOT NULL,           -- ISO 8601, UTC
    http_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    content_type TEXT,
    content_hash TEXT NOT NULL,         -- sha256 of the normalised text
    raw_html BLOB,                      -- zlib-compressed bytes as received
    text TEXT,
    family TEXT,
    warnings TEXT,                      -- JSON list of strings
    duplicate_of INTEGER REFERENCES documents(id)
);
CREATE INDEX IF NOT EXISTS documents_site_published ON documents(site, published);
CREATE INDEX IF NOT EXISTS documents_site_hash ON documents(site, content_hash);
CREATE TABLE IF NOT EXISTS document_urls (
    url_key TEXT PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER REFERENCES documents(id),   -- NULL: a file met where an article was expected
    site TEXT,
    url TEXT NOT NULL,
    title TEXT,
    kind TEXT,                          -- pdf, doc, docx, xls, xlsx, zip, rar, other
    content_type TEXT,
    size INTEGER,
    status TEXT NOT NULL,               -- pending, ok, failed, skipped
    reason TEXT,
    content BLOB,                       -- the bytes, uncompressed (PDFs are compressed already)
    fetched_at TEXT,
    UNIQUE (document_id, url)
);
CREATE TABLE IF NOT EXISTS crawl_log (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    site TEXT,
    url TEXT,
    event TEXT NOT NULL,
    status INTEGER,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS crawl_log_site ON crawl_log(site, event);
CREATE TABLE IF NOT EXISTS frontier (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- feed, sitemap, list, article
    state TEXT NOT NULL DEFAULT 'pending',   -- pending, done, failed, skipped
    tries INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    listed_date TEXT,                   -- date given by the feed/sitemap/list, if any
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    depth INTEGER NOT NULL DEFAULT 0,   -- list pages: how many "next page" links led here
    UNIQUE (site, url_key)
);
CREATE INDEX IF NOT EXISTS frontier_state ON frontier(site, state, kind);
CREATE TABLE IF NOT EXISTS validators (
    url_key TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT
);
CREATE TABLE IF NOT EXISTS near_duplicates (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    original_id INTEGER NOT NULL REFERENCES documents(id),
    similarity REAL NOT NULL,
    method TEXT NOT NULL,
    PRIMARY KEY (document_id, original_id)
);
CREATE TABLE IF NOT EXISTS minhash (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS minhash_bands (
    band INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id)
);
CREATE INDEX IF NOT EXISTS minhash_bands_bucket ON minhash_bands(band, bucket);
CREATE TABLE IF NOT EXISTS document_versions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    content_hash TEXT NOT NULL,         -- sha256 of the normalised text of this version
    title TEXT,
    fetched_at TEXT,                    -- when this version was fetched
    replaced_at TEXT NOT NULL,          -- when a re-crawl found a newer text
    text TEXT
);
CREATE INDEX IF NOT EXISTS document_versions_document ON document_versions(document_id, id);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,                      -- NULL: still running, or the process died
    ok INTEGER,                         -- 1 nothing failed, 0 something did
    summary TEXT,
    problems TEXT                       -- JSON list of site-level problems (robots.txt, nothing collected)
);
CREATE INDEX IF NOT EXISTS crawl_runs_site ON crawl_runs(site, id);
CREATE TABLE IF NOT EXISTS crawl_locks (
    site TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    hostname TEXT NOT NULL,
    owner TEXT NOT NULL,                -- a token unique to one Crawler
    since TEXT NOT NULL,
    pid_start TEXT                      -- the process's start time (/proc), so a reused pid is not taken for it
);
"""
# Columns added after a table's first release: (table, column, definition).
MIGRATIONS = (("frontier", "depth", "INTEGER NOT NULL DEFAULT 0"), ("crawl_locks", "pid_start", "TEXT"))


def utcnow() -> str:
    """The current UTC time as ISO 8601 (seconds), the format of every *_at column."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def iso(value) -> Optional[str]:
    """A date/datetime (or ISO string) as an ISO 8601 string; None stays None.

    >>> iso(datetime(2023, 12, 7, 8, 52))
    '2023-12-07T08:52:00'
    >>> iso(None) is None
    True
    """
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def parse_iso(value: Optional[str]):
    """The inverse of :func:`iso`: a datetime (date-only strings give midnight) or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def compress(data: Optional[bytes]) -> Optional[bytes]:
    """Raw page bytes as stored (zlib level 6)."""
    return None if data is None else zlib.compress(data, 6)


def decompress(data: Optional[bytes]) -> Optional[bytes]:
    """Stored page bytes back to what the server sent."""
    return None if data is None else zlib.decompress(data)


@dataclass(frozen=True)
class DocumentVersion:
    """One version of a document's text: its hash, title, when it was fetched, and (for an
    earlier version) when a re-crawl replaced it."""

    content_hash: str
    title: Optional[str]
    fetched_at: Optional[str]
    text: str
    replaced_at: Optional[str] = None


@dataclass
class StoredDocument:
    """One article of the corpus, as the extract/verify stages read it."""

    id: int
    url: str
    canonical_url: str
    site: str
    title: Optional[str]
    published: Optional[datetime]
    text: str
    fetched_at: Optional[str] = None
    duplicate_of: Optional[int] = None
    attachments: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready form (published as ISO 8601)."""
        return {
            "id": self.id,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "site": self.site,
            "title": self.title,
            "published": iso(self.published),
            "fetched_at": self.fetched_at,
            "duplicate_of": self.duplicate_of,
            "text": self.text,
            "attachments": self.attachments,
        }


class _Connection(sqlite3.Connection):
    """A connection that names its file in errors: a lock held past the busy timeout is a
    :class:`CorpusBusy`, a file that is not SQLite or is damaged a :class:`CorpusError`."""

    path = ""

    def execute(self, *args):
        try:
            return super().execute(*args)
        except sqlite3.DatabaseError as exc:
            raise _translate(self.path, exc) from exc

    def executemany(self, *args):
        try:
            return super().executemany(*args)
        except sqlite3.DatabaseError as exc:
            raise _translate(self.path, exc) from exc

    def executescript(self, *args):
        try:
            return super().executescript(*args)
        except sqlite3.DatabaseError as exc:
            raise _translate(self.path, exc) from exc

    def commit(self):
        try:
            return super().commit()
        except sqlite3.DatabaseError as exc:
            raise _translate(self.path, exc) from exc


def _translate(path: str, exc: sqlite3.DatabaseError) -> Exception:
    """The one-line error a person can act on, or ``exc`` itself when it is a bug of ours."""
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        return exc
    if "locked" in text or "busy" in text:
        return CorpusBusy(path, "the corpus is busy: another process kept it locked past the busy timeout"
                                " (a crawl writing to it?); try again when it has finished")
    if "not a database" in text or "file is encrypted" in text:
        return CorpusError(path, "not a kcextract corpus (not an SQLite database)")
    if "malformed" in text or "disk image" in text or "corrupt" in text:
        return CorpusError(path, f"damaged database ({text}); restore it from a copy or crawl into a new file")
    if "readonly" in text or "read-only" in text:
        return CorpusError(path, f"cannot write: {text}")
    return exc


def _open(target: str, path: str, busy_timeout: Optional[float], uri: bool = False) -> sqlite3.Connection:
    timeout = BUSY_TIMEOUT if busy_timeout is None else busy_timeout
    try:
        conn = sqlite3.connect(target, timeout=timeout, factory=_Connection, uri=uri)
    except sqlite3.DatabaseError as exc:
        raise _translate(path, exc) from exc
    conn.path = path
    conn.row_factory = sqlite3.Row
    return conn


def _schema_version(conn, path: str, allow_empty: bool) -> int:
    """The corpus schema version of an open file (0 for an empty file when ``allow_empty``).

    :raises CorpusError: an SQLite file with other tables, or (read-only) one with no tables.
    """
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        if allow_empty:
            return 0
        raise CorpusError(path, "not a kcextract corpus (an empty database: run `kcextract crawl` first)")
    row = None
    if "meta" in tables and "documents" in tables:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise CorpusError(path, f"not a kcextract corpus (an SQLite database with tables {shown}); "
                                "kcextract leaves it alone")
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise CorpusError(path, f"not a kcextract corpus (schema_version {row[0]!r})") from None


def _process_start(pid: int) -> Optional[str]:
    """When process ``pid`` started (clock ticks since boot, from /proc), None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int, hostname: str, started: Optional[str] = None) -> bool:
    """Is the process that took a lock still running?  (Another machine's process is assumed alive.)"""
    if hostname != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = _process_start(pid)
    return started is None or now is None or now == started


def _switch_to_wal(conn: sqlite3.Connection, busy_timeout: Optional[float]) -> None:
    """Switch a new corpus to WAL.  Two processes creating the same file race for it, and
    SQLite answers the loser 'locked' at once (its busy handler does not wait there): wait
    and try again, up to the busy timeout, while the winner finishes creating it."""
    deadline = time.monotonic() + (BUSY_TIMEOUT if busy_timeout is None else busy_timeout)
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except CorpusBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def connect(db_path, busy_timeout: Optional[float] = None) -> sqlite3.Connection:
    """Open the corpus at ``db_path`` for writing, creating it (or adding newer tables) if needed.

    :raises CorpusError: the file exists but is not a kcextract corpus (it is left unchanged).
    """
    path = str(db_path)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = _open(path, path, busy_timeout)
    try:
        version = _schema_version(conn, path, allow_empty=True)
        if version > SCHEMA_VERSION:
            raise CorpusError(path, f"made by a newer kcextract (schema {version}, this one knows {SCHEMA_VERSION})")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            if path != ":memory:":
                _switch_to_wal(conn, busy_timeout)
            # one write transaction: a second process opening the file meanwhile waits, then
            # finds the whole schema (never half of it, which would look like a foreign database)
            conn.execute("BEGIN IMMEDIATE")
            try:
                if _schema_version(conn, path, allow_empty=True) < SCHEMA_VERSION:
                    for statement in SCHEMA.split(";\n"):
                        if statement.strip():
                            conn.execute(statement)
                    for table, column, definition in MIGRATIONS:
                        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                        if column not in columns:
                            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
                    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                                 (str(SCHEMA_VERSION),))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
    except BaseException:
        conn.close()
        raise
    return conn


def open_readonly(db_path, busy_timeout: Optional[float] = None) -> sqlite3.Connection:
    """Open an existing corpus read-only: nothing is created, migrated or written.

    :raises FileNotFoundError: naming the path, when there is no such file.
    :raises CorpusError: the file is not a kcextract corpus, or is damaged.
    """
    path = str(db_path)
    if path == ":memory:" or not Path(path).is_file():
        raise FileNotFoundError(f"{db_path}: no corpus database here (run `kcextract crawl` first)")
    conn = _open(Path(path).resolve().as_uri() + "?mode=ro", path, busy_timeout, uri=True)
    try:
        _schema_version(conn, path, allow_empty=False)
    except BaseException:
        conn.close()
        raise
    return conn


def open_existing(db_path) -> sqlite3.Connection:
    """Open a corpus that must already exist, read-only (readers: extract, verify, corpus list).

    :raises FileNotFoundError: naming the path, when there is no such database.
    :raises CorpusError: the file is not a kcextract corpus.
    """
    return open_readonly(db_path)


def _table_exists(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() \
        is not None


def _attachments_of(conn, document_id: int) -> list:
    rows = conn.execute(
        "SELECT url, title, kind, content_type, size, status, reason FROM attachments"
        " WHERE document_id = ? ORDER BY id",
        (document_id,),
    )
    return [dict(row) for row in rows]


def _document(conn, row, with_attachments: bool) -> StoredDocument:
    return StoredDocument(
        id=row["id"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        site=row["site"],
        title=row["title"],
        published=parse_iso(row["published"]),
        text=row["text"] or "",
        fetched_at=row["fetched_at"],
        duplicate_of=row["duplicate_of"],
        attachments=_attachments_of(conn, row["id"]) if with_attachments else [],
    )


def iter_documents(
    db_path,
    site: Optional[str] = None,
    include_duplicates: bool = False,
    since: Optional[date] = None,
    with_attachments: bool = False,
) -> Iterator[StoredDocument]:
    """Every stored article, oldest id first.

    Near-duplicates (a syndicated copy of an article already stored, see
    ``duplicate_of``) are left out unless ``include_duplicates``, so a dataset does
    not count the same figures twice.

    :param db_path: the corpus database (``kcextract.db`` by default).
    :param site: only this site's documents.
    :param since: only documents published on or after this date.
    :raises FileNotFoundError: when ``db_path`` does not exist.
    """
    sql = "SELECT * FROM documents WHERE 1 = 1"
    params: list = []
    if site is not None:
        sql += " AND site = ?"
        params.append(site)
    if not include_duplicates:
        sql += " AND duplicate_of IS NULL"
    if since is not None:
        sql += " AND published >= ?"
        params.append(since.isoformat())
    sql += " ORDER BY id"
    with closing(open_existing(db_path)) as conn:
        for row in conn.execute(sql, params).fetchall():
            yield _document(conn, row, with_attachments)


def get_document(db_path, document_id: int) -> Optional[StoredDocument]:
    """One document by id (None when absent), with its attachment list."""
    with closing(open_existing(db_path)) as conn:
        row = conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        return None if row is None else _document(conn, row, True)


def attachment_bytes(db_path, url: str) -> Optional[bytes]:
    """The stored bytes of an attachment, by its URL (None when not fetched)."""
    with closing(open_existing(db_path)) as conn:
        row = conn.execute(
            "SELECT content FROM attachments WHERE url = ? AND status = 'ok' ORDER BY id LIMIT 1", (url,)
        ).fetchone()
        return None if row is None else row["content"]


def raw_html(db_path, document_id: int) -> Optional[bytes]:
    """The page bytes exactly as fetched (decompressed)."""
    with closing(open_existing(db_path)) as conn:
        row = conn.execute("SELECT raw_html FROM documents WHERE id = ?", (document_id,)).fetchone()
        return None if row is None else decompress(row["raw_html"])


def log_event(conn, site, url, event, status=None, reason=None) -> None:
    """Append one line to the crawl log (the caller commits)."""
    conn.execute(
        "INSERT INTO crawl_log (time, site, url, event, status, reason) VALUES (?, ?, ?, ?, ?, ?)",
        (utcnow(), site, url, event, status, reason),
    )


def corpus_stats(db_path) -> dict:
    """Documents per site and year, duplicates, attachments and failures, for ``corpus stats``."""
    with closing(open_existing(db_path)) as conn:
        per_year = [
            dict(row)
            for row in conn.execute(
                "SELECT site, COALESCE(substr(published, 1, 4), 'undated') AS year,"
                " COUNT(*) AS documents, SUM(duplicate_of IS NOT NULL) AS duplicates"
                " FROM documents GROUP BY site, year ORDER BY site, year"
            )
        ]
        failures = [
            dict(row)
            for row in conn.execute(
                "SELECT site, kind, url, tries, last_error FROM frontier WHERE state = 'failed'"
                " ORDER BY site, id"
            )
        ]
        attachments = [
            dict(row)
            for row in conn.execute(
                "SELECT COALESCE(site, '?') AS site, status, COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes"
                " FROM attachments GROUP BY site, status ORDER BY site, status"
            )
        ]
        pending = conn.execute("SELECT COUNT(*) FROM frontier WHERE state = 'pending'").fetchone()[0]
        runs = []
        if _table_exists(conn, "crawl_runs"):
            for row in conn.execute(
                "SELECT site, started_at, ended_at, ok, summary, problems FROM crawl_runs"
                " WHERE id IN (SELECT MAX(id) FROM crawl_runs GROUP BY site) ORDER BY site"
            ):
                run = dict(row)
                run["problems"] = json.loads(run["problems"]) if run["problems"] else []
                runs.append(run)
        return {"per_year": per_year, "failures": failures, "attachments": attachments, "pending": pending,
                "last_runs": runs}


def last_crawls(db_path) -> dict:
    """Site name -> time its last crawl ended (from the crawl log); {} when there is no database."""
    if not Path(db_path).exists():
        return {}
    with closing(open_readonly(db_path)) as conn:
        rows = conn.execute(
            "SELECT site, MAX(time) AS t FROM crawl_log WHERE event = 'crawl-end' GROUP BY site"
        )
        return {row["site"]: row["t"] for row in rows}


def warnings_json(warnings) -> Optional[str]:
    """A list of warning strings as stored in ``documents.warnings``."""
    return json.dumps(list(warnings), ensure_ascii=False) if warnings else None


# Frontier kinds in the order they are worked: articles first, so each page of a list is
# followed by its articles before the next list page (bounded work under --max-pages),
# then feeds, sitemaps and list pages, the order of preference for discovery.
KIND_ORDER = {"article": 0, "feed": 1, "sitemap": 2, "list": 3}
PROBE_AGAIN_DAYS = 7          # a feed/sitemap URL found missing is probed again after this many days


class Corpus:
    """Write access to the corpus for one crawl: the frontier, documents, attachments, log.

    Every method leaves committing to the caller except :meth:`commit`, so the crawler
    can make "store the document + mark its frontier row done" one transaction.
    """

    def __init__(self, db_path, readonly: bool = False, busy_timeout: Optional[float] = None):
        self.db_path = db_path
        self.readonly = readonly
        self.conn = open_readonly(db_path, busy_timeout) if readonly else connect(db_path, busy_timeout)

    @classmethod
    def open_readonly(cls, db_path, busy_timeout: Optional[float] = None) -> "Corpus":
        """A corpus opened read-only: for commands that only look (extract, verify, corpus stats).

        :raises FileNotFoundError: when there is no such file.
        :raises CorpusError: one clear line when the file is not a kcextract corpus.
        """
        return cls(db_path, readonly=True, busy_timeout=busy_timeout)

    def close(self) -> None:
        """Commit (unless read-only) and close."""
        if not self.readonly:
            self.conn.commit()
        self.conn.close()

    def commit(self) -> None:
        """Commit the current transaction."""
        self.conn.commit()

    def rollback(self) -> None:
        """Drop what the current transaction wrote (a handler that failed half-way)."""
        self.conn.rollback()

    # -- frontier -------------------------------------------------------------------
    def enqueue(self, site, url, key, kind, listed_date=None, refresh=False, depth=0) -> bool:
        """Add a URL to the site's queue; True when it is new.

        An existing row is left alone, except that ``refresh`` puts a finished list,
        feed or sitemap page back to pending (a re-crawl re-reads its seeds; a feed or
        sitemap found missing is probed again only after :data:`PROBE_AGAIN_DAYS`), and
        a URL skipped earlier (e.g. before --since) becomes pending again.
        """
        now = utcnow()
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO frontier (site, url, url_key, kind, listed_date, added_at, updated_at, depth)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (site, url, key, kind, iso(listed_date), now, now, depth),
        )
        if cur.rowcount:
            return True
        if refresh and kind != "article":
            probe_before = (datetime.now(timezone.utc) - timedelta(days=PROBE_AGAIN_DAYS)).replace(
                microsecond=0).isoformat()
            self.conn.execute(
                "UPDATE frontier SET state = 'pending', tries = 0, updated_at = ?, depth = MIN(depth, ?)"
                " WHERE site = ? AND url_key = ? AND (state IN ('done', 'failed')"
                " OR (state = 'skipped' AND updated_at < ?))",
                (now, depth, site, key, probe_before),
            )
        self.conn.execute(
            "UPDATE frontier SET state = 'pending', tries = 0, updated_at = ?,"
            " listed_date = COALESCE(?, listed_date)"
            " WHERE site = ? AND url_key = ? AND state = 'skipped' AND kind = 'article'",
            (now, iso(listed_date), site, key),
        )
        return False

    def known(self, site, key) -> bool:
        """True when the URL key is already queued for this site or leads to a stored document."""
        if self.document_for_key(key) is not None:
            return True
        row = self.conn.execute(
            "SELECT 1 FROM frontier WHERE site = ? AND url_key = ?", (site, key)
        ).fetchone()
        return row is not None

    def next_pending(self, site):
        """The next frontier row to work on, or None when the queue is empty.

        Rows never tried come first (articles before discovery pages); rows tried before
        (failed, or interrupted by a crash) wait until the rest of the site is done.
        """
        order = " ".join(f"WHEN '{kind}' THEN {rank}" for kind, rank in KIND_ORDER.items())
        return self.conn.execute(
            f"SELECT * FROM frontier WHERE site = ? AND state = 'pending'"
            f" ORDER BY tries > 0, CASE kind {order} ELSE 9 END, id LIMIT 1",
            (site,),
        ).fetchone()

    def pending_count(self, site) -> int:
        """How many of the site's frontier rows wait to be worked."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM frontier WHERE site = ? AND state = 'pending'", (site,)).fetchone()[0]

    def claim(self, row_id) -> None:
        """Count an attempt and mark the row as being worked, committed before any fetch: a crash
        while handling it leaves the row 'working', which the next crawl reports (never silently retried)."""
        self.conn.execute(
            "UPDATE frontier SET state = 'working', tries = tries + 1, updated_at = ? WHERE id = ?",
            (utcnow(), row_id))
        self.conn.commit()

    def recover_interrupted(self, site, max_tries: int) -> list:
        """Rows a dead crawl left 'working': marked failed with the reason, keeping the attempt
        their claim counted, so the page is retried after the rest of the site until ``max_tries``
        attempts are spent, then left alone.  A page that kills the crawler every time costs
        ``max_tries`` deaths; a page that was merely being fetched when the process was killed
        (a timeout, a reboot: slow pages and attachments are the likeliest) is not given up after
        two unlucky kills.  Returns their (url, tries)."""
        rows = self.conn.execute(
            "SELECT id, url, tries FROM frontier WHERE site = ? AND state = 'working'", (site,)).fetchall()
        for row in rows:
            self.conn.execute(
                "UPDATE frontier SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
                (f"interrupted: the crawl stopped while handling this URL (attempt {row['tries']})",
                 utcnow(), row["id"]))
        self.conn.commit()
        return [(row["url"], row["tries"]) for row in rows]

    def finish_claim(self, row_id) -> None:
        """A claimed row its handler left without an outcome counts as done (never as interrupted)."""
        self.conn.execute("UPDATE frontier SET state = 'done', updated_at = ? WHERE id = ? AND state = 'working'",
                          (utcnow(), row_id))

    def document_count(self, site) -> int:
        """How many documents of ``site`` the corpus holds."""
        return self.conn.execute("SELECT COUNT(*) FROM documents WHERE site = ?", (site,)).fetchone()[0]

    def mark(self, row_id, state, error=None) -> None:
        """Set a frontier row's state (done, failed, skipped), counting the attempt unless
        :meth:`claim` already did."""
        self.conn.execute(
            "UPDATE frontier SET tries = tries + (state != 'working'), state = ?, last_error = ?,"
            " updated_at = ? WHERE id = ?",
            (state, error, utcnow(), row_id),
        )

    def give_up(self, row_id, max_tries) -> None:
        """Count a failed row as tried ``max_tries`` times: no later crawl retries it."""
        self.conn.execute("UPDATE frontier SET tries = MAX(tries, ?) WHERE id = ?", (max_tries, row_id))

    def retry_failed(self, site, max_tries) -> int:
        """Put failed rows that have been tried fewer than ``max_tries`` times back to pending."""
        cur = self.conn.execute(
            "UPDATE frontier SET state = 'pending' WHERE site = ? AND state = 'failed' AND tries < ?",
            (site, max_tries),
        )
        return cur.rowcount

    # -- one crawl of one site at a time -------------------------------------------------
    def lock_site(self, site, owner) -> None:
        """Take the site for this crawl, or refuse at once when a live process crawls it.

        A lock left by a process that died (same machine, pid gone or reused by another
        process) is taken over.

        :raises CorpusBusy: naming the process that holds the site.
        """
        me, host = os.getpid(), socket.gethostname()
        self.conn.commit()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            row = self.conn.execute("SELECT * FROM crawl_locks WHERE site = ?", (site,)).fetchone()
            if row is not None and row["owner"] != owner and _alive(row["pid"], row["hostname"], row["pid_start"]):
                raise CorpusBusy(self.db_path, f"site {site!r} is being crawled by process {row['pid']} on"
                                               f" {row['hostname']} since {row['since']}; wait for it to finish"
                                               " (two crawls of one site would fetch the same pages)")
            self.conn.execute("INSERT OR REPLACE INTO crawl_locks (site, pid, hostname, owner, since, pid_start)"
                              " VALUES (?, ?, ?, ?, ?, ?)", (site, me, host, owner, utcnow(), _process_start(me)))
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise

    def unlock_site(self, site, owner) -> None:
        """Give the site back (only if this crawl holds it)."""
        self.conn.execute("DELETE FROM crawl_locks WHERE site = ? AND owner = ?", (site, owner))
        self.conn.commit()

    def start_run(self, site) -> int:
        """Open a ``crawl_runs`` row; returns its id."""
        cur = self.conn.execute("INSERT INTO crawl_runs (site, started_at) VALUES (?, ?)", (site, utcnow()))
        self.conn.commit()
        return cur.lastrowid

    def end_run(self, run_id, ok: bool, summary: str, problems: list) -> None:
        """Close a ``crawl_runs`` row with its outcome and site-level problems."""
        self.conn.execute(
            "UPDATE crawl_runs SET ended_at = ?, ok = ?, summary = ?, problems = ? WHERE id = ?",
            (utcnow(), int(ok), summary, json.dumps(problems, ensure_ascii=False) if problems else None, run_id))
        self.conn.commit()

    # -- validators (conditional GET) ------------------------------------------------
    def validators(self, key):
        """(etag, last_modified) remembered for a URL key, or (None, None)."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM validators WHERE url_key = ?", (key,)
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT etag, last_modified FROM documents WHERE id ="
                " (SELECT document_id FROM document_urls WHERE url_key = ?)",
                (key,),
            ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def remember_validators(self, key, etag, last_modified) -> None:
        """Keep a response's ETag / Last-Modified for the next conditional GET."""
        if etag or last_modified:
            self.conn.execute(
                "INSERT OR REPLACE INTO validators (url_key, etag, last_modified, checked_at)"
                " VALUES (?, ?, ?, ?)",
                (key, etag, last_modified, utcnow()),
            )

    # -- documents -------------------------------------------------------------------
    def document_for_key(self, key) -> Optional[int]:
        """The id of the stored document a URL key leads to, if any."""
        row = self.conn.execute("SELECT document_id FROM document_urls WHERE url_key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def document_with_hash(self, site, content_hash) -> Optional[int]:
        """The id of a document of ``site`` with exactly this normalised text, if any."""
        row = self.conn.execute(
            "SELECT id FROM documents WHERE site = ? AND content_hash = ? ORDER BY id LIMIT 1",
            (site, content_hash),
        ).fetchone()
        return None if row is None else row[0]

    def add_alias(self, key, document_id, url) -> None:
        """Record that ``url`` (identity ``key``) leads to an already stored document."""
        self.conn.execute(
            "INSERT OR IGNORE INTO document_urls (url_key, document_id, url) VALUES (?, ?, ?)",
            (key, document_id, url),
        )

    def insert_document(self, **row) -> int:
        """Insert one document (columns of ``documents`` as keywords); returns its id."""
        row.setdefault("fetched_at", utcnow())
        row["raw_html"] = compress(row.get("raw_html"))
        row["published"] = iso(row.get("published"))
        row["warnings"] = warnings_json(row.get("warnings") or [])
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(f"INSERT INTO documents ({columns}) VALUES ({marks})", tuple(row.values()))
        document_id = cur.lastrowid
        self.add_alias(row["url_key"], document_id, row["canonical_url"])
        return document_id

    def update_validators_of_document(self, document_id, etag, last_modified) -> None:
        """Refresh a stored document's ETag / Last-Modified after a 304."""
        self.conn.execute(
            "UPDATE documents SET etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified)"
            " WHERE id = ?",
            (etag, last_modified, document_id),
        )

    def stored_documents(self, site) -> list:
        """The site's stored documents with what a conditional re-fetch needs."""
        return self.conn.execute(
            "SELECT id, url, etag, last_modified, content_hash FROM documents WHERE site = ? ORDER BY id",
            (site,)).fetchall()

    def update_document(self, document_id, *, title, published, text, raw_html, content_hash,
                        http_status, etag, last_modified) -> Optional[str]:
        """Replace a stored document's content after its page changed (a known date is kept).

        The text it had is kept first in ``document_versions``; returns that earlier text hash.
        """
        old = self.conn.execute(
            "SELECT content_hash, title, fetched_at, text FROM documents WHERE id = ?", (document_id,)).fetchone()
        if old is not None:
            self.conn.execute(
                "INSERT INTO document_versions (document_id, content_hash, title, fetched_at, replaced_at, text)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (document_id, old["content_hash"], old["title"], old["fetched_at"], utcnow(), old["text"]))
        self.conn.execute(
            "UPDATE documents SET title = ?, published = COALESCE(?, published), text = ?,"
            " raw_html = ?, content_hash = ?, fetched_at = ?, http_status = ?, etag = ?,"
            " last_modified = ? WHERE id = ?",
            (title, iso(published), text, compress(raw_html), content_hash,
             utcnow(), http_status, etag, last_modified, document_id))
        return None if old is None else old["content_hash"]

    def versions(self, document_id) -> list:
        """Every known version of a document, oldest first; the last one is its current text.

        Each is a :class:`DocumentVersion` (text hash, title, fetch time, text), so a later
        step (the monitor) can say what changed between two crawls.
        """
        out = []
        if _table_exists(self.conn, "document_versions"):
            out = [DocumentVersion(row["content_hash"], row["title"], row["fetched_at"], row["text"] or "",
                                   row["replaced_at"])
                   for row in self.conn.execute(
                       "SELECT * FROM document_versions WHERE document_id = ? ORDER BY id", (document_id,))]
        row = self.conn.execute("SELECT content_hash, title, fetched_at, text FROM documents WHERE id = ?",
                                (document_id,)).fetchone()
        if row is not None:
            out.append(DocumentVersion(row["content_hash"], row["title"], row["fetched_at"], row["text"] or "", None))
        return out

    # -- attachments -------------------------------------------------------------------
    def add_attachment(self, document_id, site, url, title=None, kind=None) -> None:
        """Record an attachment link of a stored article, to be fetched (status pending)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO attachments (document_id, site, url, title, kind, status)"
            " VALUES (?, ?, ?, ?, ?, 'pending')",
            (document_id, site, url, title, kind),
        )

    def pending_attachments(self, site) -> list:
        """Attachment rows of ``site`` still waiting to be fetched."""
        return self.conn.execute(
            "SELECT * FROM attachments WHERE site = ? AND status = 'pending' ORDER BY id", (site,)
        ).fetchall()

    def finish_attachment(self, attachment_id, status, reason=None, content=None, content_type=None,
                          kind=None, size=None) -> None:
        """Store an attachment's outcome: its bytes when fetched, or the reason it failed."""
        self.conn.execute(
            "UPDATE attachments SET status = ?, reason = ?, content = ?, content_type = ?,"
            " kind = COALESCE(?, kind), size = ?, fetched_at = ? WHERE id = ?",
            (status, reason, content, content_type, kind, size, utcnow(), attachment_id),
        )

    def add_loose_file(self, site, url, kind, content_type, content) -> None:
        """Keep a non-HTML file found where an article was expected (no parent document)."""
        self.conn.execute(
            "INSERT INTO attachments (document_id, site, url, kind, content_type, size, status, reason,"
            " content, fetched_at) VALUES (NULL, ?, ?, ?, ?, ?, 'ok', 'not an HTML page', ?, ?)",
            (site, url, kind, content_type, len(content), content, utcnow()),
        )

    def log(self, site, url, event, status=None, reason=None) -> None:
        """Append to the crawl log."""
        log_event(self.conn, site, url, event, status, reason)
