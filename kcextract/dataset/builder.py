"""Build the dataset tables inside the corpus database, incrementally.

Each document is keyed on the hash of its text, the extractor version and its
near-duplicate link: a rebuild re-extracts only the documents where one of them
changed, and ids are stable (a document keeps the corpus id, a figure is
``<document>-<start>-<end>-<kind>``), so a rebuild updates rows instead of adding copies.
Documents are committed a few dozen at a time, each whole with its key: an interrupted build
resumes where it stopped (what a crash can cost: :func:`build`).
The rows of a document are made where it is analysed (:mod:`kcextract.dataset.rows`); this
process, the only one writing, inserts them.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from kcextract import store
from kcextract.dataset import schema
from kcextract.dataset.provinces import provinces_in, resolve
from kcextract.dataset.rows import DocumentRows, RowContext, RowMaker
from kcextract.dataset.search import SearchDigest, refresh_search

# Modules whose code does not decide which figures and checks a text has: changing them
# does not make the dataset stale. Everything else in kcextract/ (and patterns/*.yaml)
# is part of the extractor version, so a new extractor module counts by default.
NOT_EXTRACTOR = {"dataset", "report", "cli", "crawl", "html", "monitor", "store.py", "sites.py",
                 "output.py", "inputs.py", "spacy_pipe.py", "evaluate.py", "gold.py", "__main__.py"}


def extractor_version() -> str:
    """``<package version>+<hash of the extractor's code and patterns>``."""
    import kcextract
    from kcextract.patterns import PATTERN_DIR

    package = Path(kcextract.__file__).parent
    digest = hashlib.sha256()
    files = [p for p in sorted(package.rglob("*.py"))
             if p.relative_to(package).parts[0] not in NOT_EXTRACTOR]
    files += sorted(Path(PATTERN_DIR).glob("*.yaml"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{kcextract.__version__}+{digest.hexdigest()[:12]}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class BuildSummary:
    """What a build did (for the CLI's one-line report and for tests)."""

    documents: int = 0
    extracted: int = 0
    unchanged: int = 0
    removed: int = 0
    figures: int = 0
    checks: int = 0
    failed_checks: int = 0
    extractor_version: str = ""
    problems: list = field(default_factory=list)


def _ensure_tables(conn) -> dict:
    """Create the dataset tables if needed; the column types of each table (base + added)."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema.META} (key TEXT PRIMARY KEY, value TEXT)")
    stored = dict(conn.execute(f"SELECT key, value FROM {schema.META}").fetchall())
    types = {}
    for table, columns in schema.BASE_COLUMNS.items():
        known = json.loads(stored.get(f"columns:{table}", "{}"))
        for column in columns:
            known.setdefault(column.name, column.type)
        pk = columns[0].name
        defs = ", ".join(f'"{name}" {schema.SQL_TYPES[kind]}' + (" PRIMARY KEY" if name == pk else "")
                         for name, kind in known.items())
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({defs})")
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, kind in known.items():
            if name not in present:
                conn.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {schema.SQL_TYPES[kind]}')
        if table != schema.DOCUMENTS:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_document ON {table}(document_id)")
        types[table] = known
    return types


def _save_types(conn, types: dict) -> None:
    for table, known in types.items():
        conn.execute(f"INSERT OR REPLACE INTO {schema.META} (key, value) VALUES (?, ?)",
                     (f"columns:{table}", json.dumps(known)))


def _add_column(conn, table: str, name: str, value, known: dict) -> None:
    """A field the extractor/verifier added since the last build: a column typed from ``value``."""
    known[name] = schema.type_of(value)
    conn.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {schema.SQL_TYPES[known[name]]}')


def _insert_sql(table: str, names) -> str:
    return (f"INSERT OR REPLACE INTO {table} ({', '.join(chr(34) + n + chr(34) for n in names)})"
            f" VALUES ({', '.join('?' for _ in names)})")


def _insert(conn, table: str, row: dict, types: dict) -> None:
    known = types[table]
    row = {name: value for name, value in row.items() if name in known or value is not None}
    for name, value in row.items():
        if name not in known:
            _add_column(conn, table, name, value, known)
    conn.execute(_insert_sql(table, row), [schema.sql_value(row[n], known[n]) for n in row])


class _Writer:
    """Inserts a document's :class:`~kcextract.dataset.rows.DocumentRows`: one ``executemany`` per
    run of rows, its statement made once per table and columns. Values of columns the build did
    not know when it started arrive unconverted: the first one types its column, as in :func:`_insert`."""

    def __init__(self, conn, types: dict, started_with: dict):
        self.conn, self.types, self.started_with = conn, types, started_with
        self.statements: dict = {}

    def write(self, rows: DocumentRows) -> None:
        for run in rows.runs:
            known, before = self.types[run.table], self.started_with[run.table]
            for index, name in enumerate(run.names):
                if name in before:
                    continue
                if name not in known:
                    _add_column(self.conn, run.table, name, run.rows[0][index], known)
                for values in run.rows:
                    values[index] = schema.sql_value(values[index], known[name])
            key = (run.table, run.names)
            if key not in self.statements:
                self.statements[key] = _insert_sql(run.table, run.names)
            self.conn.executemany(self.statements[key], run.rows)


# Documents written in one transaction. A commit per document cost the parent (the only
# process writing, while --jobs workers extract) a sixth of its CPU; 32 cost little more
# than several hundred, and a build killed outright redoes at most 32 documents.
COMMIT_EVERY = 32


class _Transactions:
    """Commits the documents written every :data:`COMMIT_EVERY` and at the end; a document is
    committed whole or not at all, with its key, so a build that stops redoes exactly the
    documents not committed. Stopped by an exception between two documents (Ctrl-C while
    waiting for a worker, a failed worker, ``on_document``), it commits those written first;
    stopped in the middle of one, it rolls back to the last commit."""

    def __init__(self, conn):
        self.conn, self.written, self.whole = conn, 0, True

    @contextmanager
    def document(self):
        """Around the writes of one document."""
        self.whole = False
        yield
        self.whole = True
        self.written += 1
        if self.written >= COMMIT_EVERY:
            self.conn.commit()
            self.written = 0

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if self.whole:
            self.conn.commit()
        else:
            self.conn.rollback()
        return False


# The columns of a document's figure and check rows copied from its documents row (facets).
FACETS = ("site", "province", "year")


def _update_unchanged(conn, document_row: dict, facets_before: tuple) -> None:
    """The documents row of a document whose text did not change: its title, date or site may
    have; if its facets did, its figure, check and project rows get the new ones."""
    names = ("url", "site", "province", "province_old", "province_from", "title", "published", "year", "fetched")
    conn.execute(f"UPDATE {schema.DOCUMENTS} SET {', '.join(name + ' = ?' for name in names)} WHERE id = ?",
                 [document_row[name] for name in names] + [document_row["id"]])
    facets = tuple(document_row[name] for name in FACETS)
    if facets == facets_before:
        return
    for table in (schema.FIGURES, schema.CHECKS):
        conn.execute(f"UPDATE {table} SET {', '.join(name + ' = ?' for name in FACETS)} WHERE document_id = ?",
                     [*facets, document_row["id"]])
    conn.execute(f"UPDATE {schema.PROJECTS} SET province = ? WHERE document_id = ?",
                 (document_row["province"], document_row["id"]))


def _write_extracted(conn, writer: _Writer, document_row: dict, rows: DocumentRows, types: dict) -> None:
    """A re-extracted document: its old rows replaced by ``rows``, then its documents row."""
    for table in (schema.FIGURES, schema.CHECKS, schema.PROJECTS):
        conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_row["id"],))
    columns = sum(map(len, types.values()))
    writer.write(rows)
    document_row.update(figures=rows.figures, checks=rows.checks, failed_checks=rows.failed_checks)
    _insert(conn, schema.DOCUMENTS, document_row, types)
    if sum(map(len, types.values())) != columns:       # a column added: kept with the rows
        _save_types(conn, types)


def _province(doc, site_provinces: dict) -> tuple:
    """(new, old, from): the publisher's province, else the one province its title names."""
    published = doc.published.date() if doc.published else None
    pair = resolve(site_provinces.get(doc.site), published)
    if pair:
        return pair + ("site",)
    named = provinces_in(doc.title, published)
    if len(named) == 1:
        return named[0] + ("title",)
    return None, None, None


def _site_provinces() -> dict:
    from kcextract.exceptions import KcextractError
    from kcextract.sites import load_sites

    try:
        return {name: site.province for name, site in load_sites().items()}
    except KcextractError:   # a broken site file must not stop the dataset; `crawl` reports it
        return {}


def build(db, force: bool = False, version: Optional[str] = None,
          on_document: Optional[Callable[[str, object], None]] = None, jobs: Optional[int] = 1) -> BuildSummary:
    """(Re)build the dataset tables of the corpus ``db``.

    :param force: re-extract every document even when nothing changed.
    :param version: the extractor version to record (default :func:`extractor_version`).
    :param on_document: called with ``("extracted"|"unchanged", document)`` for progress.
    :param jobs: processes that extract and verify (:mod:`kcextract.batch`; None: all cores);
        the tables are the same for any number.
    :raises FileNotFoundError: when there is no corpus at ``db``.

    Each document's rows are committed with it, in the same transaction (one for every
    :data:`COMMIT_EVERY` documents), not flushed to disk on their own (``synchronous = NORMAL``;
    the corpus is in WAL mode). Stopped by an exception, the build first commits the documents
    it wrote whole; if the program dies, the documents written since the last commit are lost
    (at most :data:`COMMIT_EVERY`); a power cut or a crash of the system may also undo the last
    commits before. Either way the next build redoes just those documents, their rows and their
    keys being undone together; nothing else is lost, the dataset being derived.
    """
    from kcextract.batch import analyse_stream
    from kcextract.exceptions import UnreadableNumberWarning

    store.open_readonly(db).close()          # a missing or foreign file fails here, untouched
    summary = BuildSummary(extractor_version=version or extractor_version())
    site_provinces = _site_provinces()
    with closing(store.connect(db)) as conn:
        # A flush to disk per document (synchronous FULL) took longer than writing its rows;
        # in WAL mode, NORMAL flushes at checkpoints only and a commit stays atomic.
        conn.execute("PRAGMA synchronous = NORMAL")
        types = _ensure_tables(conn)
        _save_types(conn, types)
        conn.commit()
        started_with = {table: dict(known) for table, known in types.items()}
        writer = _Writer(conn, types, started_with)
        previous, facets_before = {}, {}
        for row in conn.execute(f"SELECT id, text_hash, extractor_version, duplicate_of, {', '.join(FACETS)}"
                                f" FROM {schema.DOCUMENTS}"):
            previous[row[0]], facets_before[row[0]] = tuple(row[1:4]), tuple(row[4:])
        present = set()
        searched = SearchDigest()

        def work_of(item):
            """What a worker analyses and makes rows of: nothing for a document that did not change."""
            doc, key, (province, _, _) = item
            if not force and previous.get(doc.id) == key:
                return None
            return (doc.text or "", doc.canonical_url or doc.url,
                    RowContext(doc.id, doc.canonical_url or doc.url, doc.duplicate_of is not None, province,
                               doc.site, doc.published.year if doc.published else None))

        # Each document with its key and province, worked out once for the work and the rows.
        documents = ((doc, (text_hash(doc.text or ""), summary.extractor_version, doc.duplicate_of),
                      _province(doc, site_provinces))
                     for doc in store.iter_documents(db, include_duplicates=True))
        stream = analyse_stream(documents, work_of, jobs=jobs, verify=True, render=RowMaker(started_with))
        with _Transactions(conn) as transactions:
            for (doc, key, (province, province_old, province_from)), rows in stream:
                present.add(doc.id)
                searched.add(doc.id, doc.title, key[0])
                summary.documents += 1
                document_row = {
                    "id": doc.id, "url": doc.canonical_url or doc.url, "site": doc.site,
                    "province": province, "province_old": province_old, "province_from": province_from,
                    "title": doc.title, "published": store.iso(doc.published),
                    "year": doc.published.year if doc.published else None, "fetched": doc.fetched_at,
                    "text_hash": key[0], "duplicate_of": doc.duplicate_of,
                    "extractor_version": summary.extractor_version,
                }
                for message in rows.problems if rows is not None else ():
                    warnings.warn(message, UnreadableNumberWarning)
                with transactions.document():
                    if rows is None:
                        _update_unchanged(conn, document_row, facets_before.get(doc.id))
                    else:
                        _write_extracted(conn, writer, document_row, rows, types)
                if rows is None:
                    summary.unchanged += 1
                else:
                    summary.extracted += 1
                if on_document:
                    on_document("unchanged" if rows is None else "extracted", doc)
        gone = set(previous) - present
        for document_id in gone:
            for table in (schema.FIGURES, schema.CHECKS, schema.PROJECTS):
                conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
            conn.execute(f"DELETE FROM {schema.DOCUMENTS} WHERE id = ?", (document_id,))
        summary.removed = len(gone)
        refresh_search(conn, searched.hexdigest())
        _save_types(conn, types)
        conn.commit()
        summary.figures, summary.checks, summary.failed_checks = conn.execute(
            f"SELECT (SELECT COUNT(*) FROM {schema.FIGURES}), (SELECT COUNT(*) FROM {schema.CHECKS}),"
            f" (SELECT COUNT(*) FROM {schema.CHECKS} WHERE status = 'fail')").fetchone()
    return summary

