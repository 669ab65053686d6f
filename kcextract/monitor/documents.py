"""The few reads of the crawler's ``documents`` table a pass needs, in one place.

The monitor never writes the crawler's tables; it compares each document's
``content_hash`` with its own snapshot (see :mod:`kcextract.monitor.ledger`) to find
what is new or changed, whatever crawled it (a monitor pass or a plain ``crawl``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Document:
    """A stored article as the monitor reads it."""

    id: int
    site: str
    url: str
    title: Optional[str]
    published: Optional[str]
    content_hash: str
    text: str
    duplicate_of: Optional[int]


def candidates(conn, site: str) -> list[int]:
    """Ids of the site's documents the monitor has not processed in their current version."""
    rows = conn.execute(
        "SELECT d.id FROM documents d LEFT JOIN monitor_snapshots s ON s.document_id = d.id"
        " WHERE d.site = ? AND (s.document_id IS NULL OR s.content_hash != d.content_hash)"
        " ORDER BY d.id", (site,))
    return [row[0] for row in rows]


def unchanged_count(conn, site: str) -> int:
    """Documents of the site whose current version the monitor has already processed."""
    return conn.execute(
        "SELECT COUNT(*) FROM documents d JOIN monitor_snapshots s ON s.document_id = d.id"
        " WHERE d.site = ? AND s.content_hash = d.content_hash", (site,)).fetchone()[0]


def load(conn, document_id: int) -> Optional[Document]:
    """One document with its text (None when it is gone)."""
    row = conn.execute(
        "SELECT id, site, COALESCE(canonical_url, url) AS url, title, published, content_hash, text,"
        " duplicate_of FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    return Document(row["id"], row["site"], row["url"], row["title"], row["published"],
                    row["content_hash"], row["text"] or "", row["duplicate_of"])
