"""Full-text search over the corpus documents, keeping Vietnamese tone marks.

SQLite's ``unicode61`` tokenizer folds diacritics by default, so a search for ``hòa``
also finds ``hoa`` and ``hỏa``: in Vietnamese those are different words (peace, flower,
fire). ``remove_diacritics 0`` keeps them apart; case is still folded. The index is an
external-content FTS5 table over the corpus's own ``documents`` table (no second copy
of the texts), rebuilt by every ``kcextract dataset``; Datasette finds it by its
``content="documents"`` declaration.
"""
from __future__ import annotations

FTS_TABLE = "documents_fts"
TOKENIZER = "unicode61 remove_diacritics 0"


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
