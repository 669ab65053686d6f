"""The monitor's own tables, in the corpus database: runs, snapshots, alerts, deliveries.

``monitor_runs`` / ``monitor_run_sites``: each pass, per site its counts.
``monitor_snapshots``: per document, the version the monitor last processed (the
corpus's ``content_hash``, a hash of the text, the text itself and its figures), so a
changed page is diffed against what the monitor itself saw.  ``monitor_alerts``: every alert, kept.  ``monitor_deliveries``:
one row per alert and notifier, ``pending`` until the notifier took it, so an alert
survives a down webhook or a killed pass.  ``monitor_sites``: when the site's stored
articles were last re-checked.

A document is processed in one transaction (its alerts, their delivery rows, its
snapshot and the run's counts), so a pass killed between two documents leaves the
rest for the next pass, and one killed inside a document leaves nothing half-done.
"""
from __future__ import annotations

import json
import zlib
from contextlib import closing
from typing import Iterable, Optional

from kcextract import store
from kcextract.monitor.alerts import Alert

SCHEMA = """
CREATE TABLE IF NOT EXISTS monitor_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,               -- running, done, failed (a site or page failed), interrupted
    pid INTEGER,
    sites TEXT,                         -- JSON list of site names
    notifiers TEXT                      -- JSON list of notifier keys
);
CREATE TABLE IF NOT EXISTS monitor_run_sites (
    run_id INTEGER NOT NULL REFERENCES monitor_runs(id),
    site TEXT NOT NULL,
    new INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,          -- pages (or documents) that failed
    failed_checks INTEGER NOT NULL DEFAULT 0,   -- failing claims in the new/changed documents
    alerts INTEGER NOT NULL DEFAULT 0,          -- alerts created by this pass
    rechecked INTEGER NOT NULL DEFAULT 0,       -- 1 when stored articles were re-checked
    failures TEXT,                              -- JSON list of [url, reason]
    PRIMARY KEY (run_id, site)
);
CREATE TABLE IF NOT EXISTS monitor_snapshots (
    document_id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,          -- documents.content_hash of the version processed
    text_hash TEXT NOT NULL,             -- sha256 of that version's text
    figures TEXT NOT NULL,               -- JSON snapshot, see monitor.figure_diff
    text BLOB,                           -- that version's text, zlib-compressed
    run_id INTEGER,
    processed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS monitor_alerts (
    id TEXT PRIMARY KEY,
    run_id INTEGER,
    type TEXT NOT NULL,
    site TEXT NOT NULL,
    document_id INTEGER,
    url TEXT NOT NULL,
    title TEXT,
    published TEXT,
    detected_at TEXT NOT NULL,
    details TEXT NOT NULL                -- JSON: figures | changes | the check's fields
);
CREATE INDEX IF NOT EXISTS monitor_alerts_detected ON monitor_alerts(detected_at);
CREATE TABLE IF NOT EXISTS monitor_deliveries (
    alert_id TEXT NOT NULL REFERENCES monitor_alerts(id),
    notifier TEXT NOT NULL,              -- e.g. webhook:http://127.0.0.1:9000/hook
    state TEXT NOT NULL DEFAULT 'pending',   -- pending, delivered
    tries INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    delivered_at TEXT,
    PRIMARY KEY (alert_id, notifier)
);
CREATE INDEX IF NOT EXISTS monitor_deliveries_state ON monitor_deliveries(notifier, state);
CREATE TABLE IF NOT EXISTS monitor_sites (
    site TEXT PRIMARY KEY,
    last_recheck TEXT
);
"""

COUNT_COLUMNS = ("new", "changed", "unchanged", "failed", "failed_checks", "alerts", "rechecked")


def connect(db_path):
    """The corpus database (created when missing) with the monitor's tables in place."""
    conn = store.connect(db_path)
    conn.executescript(SCHEMA)
    conn.commit()
    return conn


class Ledger:
    """Reads and writes of the monitor tables over one connection; every write method commits."""

    def __init__(self, conn):
        self.conn = conn

    @classmethod
    def open(cls, db_path) -> "Ledger":
        return cls(connect(db_path))

    def close(self) -> None:
        self.conn.close()

    # -- runs -----------------------------------------------------------------------------
    def start_run(self, sites: list[str], notifiers: list[str], pid: int) -> tuple[int, list[int]]:
        """A new run row; earlier runs still marked running were killed (we hold the lock):
        they become ``interrupted``. Returns (run id, interrupted run ids)."""
        interrupted = [r[0] for r in self.conn.execute("SELECT id FROM monitor_runs WHERE status = 'running'")]
        self.conn.execute("UPDATE monitor_runs SET status = 'interrupted' WHERE status = 'running'")
        cur = self.conn.execute(
            "INSERT INTO monitor_runs (started_at, status, pid, sites, notifiers) VALUES (?, 'running', ?, ?, ?)",
            (store.utcnow(), pid, json.dumps(sites, ensure_ascii=False), json.dumps(notifiers, ensure_ascii=False)))
        for site in sites:
            self.conn.execute("INSERT OR IGNORE INTO monitor_run_sites (run_id, site) VALUES (?, ?)",
                              (cur.lastrowid, site))
        self.conn.commit()
        return cur.lastrowid, interrupted

    def finish_run(self, run_id: int, status: str) -> None:
        self.conn.execute("UPDATE monitor_runs SET status = ?, finished_at = ? WHERE id = ?",
                          (status, store.utcnow(), run_id))
        self.conn.commit()

    def count(self, run_id: int, site: str, commit: bool = True, **increments) -> None:
        """Add to a run's per-site counts (``new=1``, ``failed=3`` …)."""
        names = [name for name in increments if name in COUNT_COLUMNS]
        if names:
            sets = ", ".join(f"{name} = {name} + ?" for name in names)
            self.conn.execute(f"UPDATE monitor_run_sites SET {sets} WHERE run_id = ? AND site = ?",
                              (*[increments[n] for n in names], run_id, site))
        if commit:
            self.conn.commit()

    def set_site_result(self, run_id: int, site: str, unchanged: int, failures: list) -> None:
        self.conn.execute(
            "UPDATE monitor_run_sites SET unchanged = ?, failed = ?, failures = ? WHERE run_id = ? AND site = ?",
            (unchanged, len(failures), json.dumps(failures, ensure_ascii=False), run_id, site))
        self.conn.commit()

    def runs(self, limit: int = 20) -> list[dict]:
        """The latest runs, newest first, each with its per-site rows under ``sites``."""
        runs = [dict(r) for r in self.conn.execute(
            "SELECT * FROM monitor_runs ORDER BY id DESC LIMIT ?", (limit,))]
        for run in runs:
            run["sites"] = [dict(r) for r in self.conn.execute(
                "SELECT * FROM monitor_run_sites WHERE run_id = ? ORDER BY site", (run["id"],))]
            for site in run["sites"]:
                site["failures"] = json.loads(site["failures"] or "[]")
                del site["run_id"]
            run["notifiers"] = json.loads(run["notifiers"] or "[]")
        return runs

    # -- re-check schedule -------------------------------------------------------------------
    def last_recheck(self, site: str) -> Optional[str]:
        row = self.conn.execute("SELECT last_recheck FROM monitor_sites WHERE site = ?", (site,)).fetchone()
        return None if row is None else row[0]

    def rechecked(self, site: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO monitor_sites (site, last_recheck) VALUES (?, ?)",
                          (site, store.utcnow()))
        self.conn.commit()

    # -- snapshots ------------------------------------------------------------------------------
    def snapshot(self, document_id: int) -> Optional[dict]:
        row = self.conn.execute("SELECT * FROM monitor_snapshots WHERE document_id = ?",
                                (document_id,)).fetchone()
        if row is None:
            return None
        record = dict(row)
        record["figures"] = json.loads(record["figures"])
        record["text"] = zlib.decompress(record["text"]).decode("utf-8") if record.get("text") else None
        return record

    def record_document(self, doc, text_hash: str, figures: list[dict],
                        alerts: Iterable[Alert], notifiers: list[str], run_id: int, counts: dict) -> list[Alert]:
        """One document processed: its alerts (with a pending delivery per notifier), its
        snapshot and the run's counts, in one transaction. Returns the alerts that were new
        (an alert already recorded by an earlier pass is not repeated)."""
        created = []
        try:
            for alert in alerts:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO monitor_alerts (id, run_id, type, site, document_id, url, title,"
                    " published, detected_at, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (alert.id, alert.run, alert.type, alert.site, alert.document_id, alert.url, alert.title,
                     alert.published, alert.detected_at, alert.details_json()))
                if cur.rowcount:
                    created.append(alert)
                    for key in notifiers:
                        self.conn.execute("INSERT OR IGNORE INTO monitor_deliveries (alert_id, notifier)"
                                          " VALUES (?, ?)", (alert.id, key))
            self.conn.execute(
                "INSERT OR REPLACE INTO monitor_snapshots (document_id, site, url, content_hash, text_hash,"
                " figures, text, run_id, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, doc.site, doc.url, doc.content_hash, text_hash, json.dumps(figures, ensure_ascii=False),
                 zlib.compress(doc.text.encode("utf-8"), 6),
                 run_id, store.utcnow()))
            self.count(run_id, doc.site, commit=False, alerts=len(created), **counts)
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        return created

    # -- alerts and deliveries ---------------------------------------------------------------------
    @staticmethod
    def _alert(row) -> dict:
        return Alert(row["id"], row["type"], row["site"], row["url"], row["title"], row["published"],
                     row["detected_at"], row["run_id"], row["document_id"], json.loads(row["details"])).to_dict()

    def pending(self, notifier: str) -> list[dict]:
        """Alerts queued for ``notifier`` and not yet taken by it, oldest first."""
        rows = self.conn.execute(
            "SELECT a.* FROM monitor_alerts a JOIN monitor_deliveries d ON d.alert_id = a.id"
            " WHERE d.notifier = ? AND d.state = 'pending' ORDER BY a.detected_at, a.rowid", (notifier,))
        return [self._alert(r) for r in rows]

    def delivered(self, alert_id: str, notifier: str) -> None:
        self.conn.execute(
            "UPDATE monitor_deliveries SET state = 'delivered', delivered_at = ?, tries = tries + 1,"
            " last_error = NULL WHERE alert_id = ? AND notifier = ?", (store.utcnow(), alert_id, notifier))
        self.conn.commit()

    def delivery_failed(self, alert_id: str, notifier: str, error: str) -> None:
        self.conn.execute(
            "UPDATE monitor_deliveries SET tries = tries + 1, last_error = ? WHERE alert_id = ? AND notifier = ?",
            (error, alert_id, notifier))
        self.conn.commit()

    def recent_for(self, notifier: str, limit: int) -> list[dict]:
        """The newest alerts ever queued for ``notifier`` (delivered or not), newest first."""
        rows = self.conn.execute(
            "SELECT a.* FROM monitor_alerts a JOIN monitor_deliveries d ON d.alert_id = a.id"
            " WHERE d.notifier = ? ORDER BY a.detected_at DESC, a.rowid DESC LIMIT ?", (notifier, limit))
        return [self._alert(r) for r in rows]

    def alerts(self, since: Optional[str] = None, site: Optional[str] = None, type: Optional[str] = None,
               undelivered: bool = False) -> list[dict]:
        """Alerts for the ``alerts`` command, oldest first; ``undelivered``: only those some
        notifier has not taken yet (each then carries ``pending``: the notifier keys)."""
        sql, params = "SELECT a.* FROM monitor_alerts a WHERE 1 = 1", []
        if since:
            sql += " AND a.detected_at >= ?"
            params.append(since)
        if site:
            sql += " AND a.site = ?"
            params.append(site)
        if type:
            sql += " AND a.type = ?"
            params.append(type)
        if undelivered:
            sql += " AND EXISTS (SELECT 1 FROM monitor_deliveries d WHERE d.alert_id = a.id AND d.state = 'pending')"
        out = []
        for row in self.conn.execute(sql + " ORDER BY a.detected_at, a.rowid", params).fetchall():
            record = self._alert(row)
            if undelivered:
                record["pending"] = [r[0] for r in self.conn.execute(
                    "SELECT notifier FROM monitor_deliveries WHERE alert_id = ? AND state = 'pending'",
                    (row["id"],))]
            out.append(record)
        return out


def read(db_path, what: str, **kwargs):
    """``Ledger.<what>(**kwargs)`` on an existing database opened read-only (the CLI readers);
    [] when no monitor pass has written to it yet.

    :raises FileNotFoundError: naming the path, when there is no such database.
    """
    with closing(store.open_readonly(db_path)) as conn:
        known = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'monitor_deliveries'")
        if known.fetchone() is None:
            return []
        return getattr(Ledger(conn), what)(**kwargs)
