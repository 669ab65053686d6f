"""Full-text search over the corpus documents, keeping Vietnamese tone marks.

SQLite's ``unicode61`` tokenizer folds diacritics by default, so a search for ``hòa``
also finds ``hoa`` and ``hỏa``: in Vietnamese those are different words (peace, flower,
fire). ``remove_diacritics 0`` keeps them apart; case is still folded. The index is an
external-content FTS5 table over the corpus's own ``documents`` table (no second copy
of the texts), rebuilt by ``kcextract dataset`` when a document was added, removed or
retitled or its text changed since the last build; Datasette finds it by its
``content="documents"`` declaration.
"""
from __future__ import annotations

import hashlib

from kcextract.dataset.schema import META

FTS_TABLE = "documents_fts"
TOKENIZER = "unicode61 remove_diacritics 0"
# The META key of the digest of the documents the index was last built from.
BUILT_FROM = "search:documents"


class SearchDigest:
    """A digest of what the index is built from: each document's id, title and text hash, in order."""

    def __init__(self):
        self._hash = hashlib.sha256()

    def add(self, document_id: int, title, text_hash: str) -> None:
        self._hash.update(f"{document_id}\x00{title}\x00{text_hash}\x01".encode("utf-8", "surrogatepass"))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def refresh_search(conn, digest: str) -> bool:
    """Rebuild ``documents_fts`` unless it exists and was built from documents with ``digest``
    (re-extracting a corpus after a pattern change leaves its texts and titles as they were,
    and the index with them); True when rebuilt."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone()
    built_from = conn.execute(f"SELECT value FROM {META} WHERE key = ?", (BUILT_FROM,)).fetchone()
    if exists and built_from and built_from[0] == digest:
        return False
    rebuild_search(conn)
    conn.execute(f"INSERT OR REPLACE INTO {META} (key, value) VALUES (?, ?)", (BUILT_FROM, digest))
    return True


def rebuild_search(conn) -> None:
    """(Re)create and fill ``documents_fts`` (title, text) from ``documents``."""
    conn.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    conn.execute(
        f'CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, content="documents",'
        f" content_rowid=id, tokenize='{TOKENIZER}')")
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def search(conn, query: str) -> list:
    """Ids of the documents matching an FTS5 ``query``, best match first.

    >>> import sqlite3
    >>> conn = sqlite3.connect(":memory:")
    >>> _ = conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT)")
    >>> _ = conn.executemany("INSERT INTO documents VALUES (?, ?, ?)",
    ...                      [(1, "Hòa Bình", "khuyến công"), (2, "Hoa Lư", "làng nghề hoa")])
    >>> rebuild_search(conn)
    >>> search(conn, "hòa"), search(conn, "hoa"), search(conn, "HÒA")
    ([1], [2], [1])
    """
    return [row[0] for row in conn.execute(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rank", (query,))]
