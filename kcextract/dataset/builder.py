"""Build the dataset tables inside the corpus database, incrementally.

Each document is keyed on the hash of its text, the extractor version and its
near-duplicate link: a rebuild re-extracts only the documents where one of them
changed, and ids are stable (a document keeps the corpus id, a figure is
``<document>-<start>-<end>-<kind>``), so a rebuild updates rows instead of adding copies.
Every document is committed on its own: an interrupted build resumes where it stopped.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import warnings
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import quote

from kcextract import store
from kcextract.dataset import schema
from kcextract.dataset.provinces import provinces_in, resolve
from kcextract.dataset.projects import project_frame
from kcextract.dataset.search import rebuild_search
from kcextract.figure import plain_number

# Figure/check fields that the dataset holds elsewhere (the document's URL is joined in).
DROPPED_FIELDS = {"source"}

# Modules whose code does not decide which figures and checks a text has: changing them
# does not make the dataset stale. Everything else in kcextract/ (and patterns/*.yaml)
# is part of the extractor version, so a new extractor module counts by default.
NOT_EXTRACTOR = {"dataset", "report", "cli", "crawl", "html", "monitor", "store.py", "sites.py",
                 "output.py", "inputs.py", "spacy_pipe.py", "evaluate.py", "gold.py", "__main__.py"}


# Figure roles (kcextract/frames.py) whose amounts can be added up; None: no role given.
SUMMABLE_ROLES = (None, "actual")


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


def _insert(conn, table: str, row: dict, types: dict) -> None:
    known = types[table]
    row = {name: value for name, value in row.items() if name in known or value is not None}
    for name, value in row.items():
        if name not in known:           # a field the extractor/verifier added since the last build
            known[name] = schema.type_of(value)
            conn.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {schema.SQL_TYPES[known[name]]}')
    names = list(row)
    conn.execute(
        f"INSERT OR REPLACE INTO {table} ({', '.join(chr(34) + n + chr(34) for n in names)})"
        f" VALUES ({', '.join('?' for _ in names)})",
        [schema.sql_value(row[n], known[n]) for n in names])


def _plain(record: dict) -> dict:
    return {k: (plain_number(v) if isinstance(v, Decimal) else v) for k, v in record.items()
            if k not in DROPPED_FIELDS}


# Field values taken as they are: ``dataclasses.asdict`` would only copy them.
_SCALARS = (str, int, float, Decimal, type(None))


def record_of(obj) -> dict:
    """Every field of a Figure or Check (fields added later included), in declaration order,
    with the public ``to_dict`` values on top (numbers as int/float): what ``asdict`` then
    ``update(to_dict())`` gives, without ``asdict``'s deep copy of every field (as costly as
    the extraction itself); a field holding a container is still converted by ``asdict``."""
    public = _plain(obj.to_dict())
    record: dict = {}
    if dataclasses.is_dataclass(obj):
        converted = None
        for f in dataclasses.fields(obj):
            name = f.name
            if name in DROPPED_FIELDS:
                continue
            if name in public:
                record[name] = public[name]
                continue
            value = getattr(obj, name)
            if not isinstance(value, _SCALARS):
                converted = dataclasses.asdict(obj) if converted is None else converted
                value = converted[name]
            record[name] = plain_number(value) if isinstance(value, Decimal) else value
    record.update(public)
    return {k: ([_plain(x) if isinstance(x, dict) else x for x in v] if isinstance(v, (list, tuple)) else v)
            for k, v in record.items()}


def figure_id(document_id: int, figure) -> str:
    return f"{document_id}-{figure.start}-{figure.end}-{figure.kind}"


def text_fragment_link(url: Optional[str], text: str) -> Optional[str]:
    """The article URL with a text fragment that highlights ``text`` in a browser.

    >>> text_fragment_link("https://a.vn/x.html", "6,7 tỷ đồng")
    'https://a.vn/x.html#:~:text=6%2C7%20t%E1%BB%B7%20%C4%91%E1%BB%93ng'
    """
    if not url or "://" not in url:
        return None
    return f"{url.split('#')[0]}#:~:text={quote(text, safe='').replace('-', '%2D')}"


def _is_per_unit(figure, text: str) -> bool:
    """A price or rate ('1,2 triệu đồng/sản phẩm', 'đồng/người/tháng'): never summed with totals."""
    if getattr(figure, "per", None) or getattr(figure, "role", None) == "per_unit":
        return True
    following = text[figure.end:figure.end + 3].lstrip()
    return following.startswith("/") and len(following) > 1 and following[1].isalpha()


def _figure_rows(doc, figures, checks, text: str, duplicate: bool) -> list:
    parts = {(o.start, o.end) for c in checks if c.kind == "sum" for o in c.operands}
    seen_values = set()
    rows = []
    for figure in figures:
        row = {"id": figure_id(doc.id, figure), "document_id": doc.id}
        row.update(record_of(figure))
        money_vnd = figure.kind == "money" and figure.currency == "VND" and figure.value is not None
        per_unit = _is_per_unit(figure, text)
        first = money_vnd and figure.value not in seen_values
        if money_vnd:
            seen_values.add(figure.value)
        row["value_million_vnd"] = float(figure.value) / 1e6 if money_vnd else None
        row["per_unit"] = per_unit
        # Summed in money totals only once per article, and only an amount spent or granted
        # (the extractor's role 'actual'): never a plan, an estimate, a change, a comparison
        # base, a price, a part of a stated total or a figure of a syndicated copy.
        row["summable"] = bool(money_vnd and first and not per_unit and not duplicate
                               and (figure.start, figure.end) not in parts
                               and getattr(figure, "role", None) in SUMMABLE_ROLES)
        row["duplicate"] = duplicate
        years = tuple(getattr(figure, "period_years", ()) or ())
        row["period_year"] = years[0] if len(years) == 1 else None
        row["source_link"] = text_fragment_link(doc.canonical_url or doc.url, figure.text)
        rows.append(row)
    return rows


def _check_rows(doc, checks, ids_by_span: dict) -> list:
    rows = []
    for check in checks:
        row = {"id": f"{doc.id}-{check.kind}-{check.claim_start}-{check.claim_end}", "document_id": doc.id}
        row.update(record_of(check))
        row["operand_figure_ids"] = [ids_by_span.get((o.start, o.end)) for o in check.operands]
        rows.append(row)
    return rows


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
    """
    from kcextract.batch import analyse_stream
    from kcextract.exceptions import UnreadableNumberWarning

    store.open_readonly(db).close()          # a missing or foreign file fails here, untouched
    summary = BuildSummary(extractor_version=version or extractor_version())
    site_provinces = _site_provinces()
    with closing(store.connect(db)) as conn:
        types = _ensure_tables(conn)
        previous = {row[0]: tuple(row[1:]) for row in conn.execute(
            f"SELECT id, text_hash, extractor_version, duplicate_of FROM {schema.DOCUMENTS}")}
        present = set()

        def work_of(doc):
            """What a worker extracts and verifies: nothing for a document that did not change."""
            key = (text_hash(doc.text or ""), summary.extractor_version, doc.duplicate_of)
            if not force and previous.get(doc.id) == key:
                return None
            return doc.text or "", doc.canonical_url or doc.url

        documents = store.iter_documents(db, include_duplicates=True)
        for doc, analysis in analyse_stream(documents, work_of, jobs=jobs, verify=True):
            present.add(doc.id)
            summary.documents += 1
            text = doc.text or ""
            key = (text_hash(text), summary.extractor_version, doc.duplicate_of)
            province, province_old, province_from = _province(doc, site_provinces)
            document_row = {
                "id": doc.id, "url": doc.canonical_url or doc.url, "site": doc.site,
                "province": province, "province_old": province_old, "province_from": province_from,
                "title": doc.title, "published": store.iso(doc.published),
                "year": doc.published.year if doc.published else None, "fetched": doc.fetched_at,
                "text_hash": key[0], "duplicate_of": doc.duplicate_of,
                "extractor_version": summary.extractor_version,
            }
            if not force and previous.get(doc.id) == key:
                summary.unchanged += 1
                conn.execute(  # title, date or site may change without the text changing
                    f"UPDATE {schema.DOCUMENTS} SET url = ?, site = ?, province = ?, province_old = ?,"
                    " province_from = ?, title = ?, published = ?, year = ?, fetched = ? WHERE id = ?",
                    (document_row["url"], doc.site, province, province_old, province_from, doc.title,
                     document_row["published"], document_row["year"], doc.fetched_at, doc.id))
                conn.commit()
                if on_document:
                    on_document("unchanged", doc)
                continue
            for message in analysis.problems:
                warnings.warn(message, UnreadableNumberWarning)
            figures, checks = list(analysis.figures), list(analysis.checks)
            for table in (schema.FIGURES, schema.CHECKS, schema.PROJECTS):
                conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc.id,))
            figure_rows = _figure_rows(doc, figures, checks, text, doc.duplicate_of is not None)
            ids_by_span = {}
            for figure, row in zip(figures, figure_rows):
                ids_by_span.setdefault((figure.start, figure.end), row["id"])
                _insert(conn, schema.FIGURES, row, types)
            for row in _check_rows(doc, checks, ids_by_span):
                _insert(conn, schema.CHECKS, row, types)
            for figure in figures:
                if figure.kind == "project":
                    row = {"id": figure_id(doc.id, figure), "document_id": doc.id, "province": province}
                    row.update(project_frame(figure, figures))
                    _insert(conn, schema.PROJECTS, row, types)
            document_row.update(figures=len(figures), checks=len(checks),
                                failed_checks=sum(c.status == "fail" for c in checks))
            _insert(conn, schema.DOCUMENTS, document_row, types)
            _save_types(conn, types)
            conn.commit()
            summary.extracted += 1
            if on_document:
                on_document("extracted", doc)
        gone = set(previous) - present
        for document_id in gone:
            for table in (schema.FIGURES, schema.CHECKS, schema.PROJECTS):
                conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
            conn.execute(f"DELETE FROM {schema.DOCUMENTS} WHERE id = ?", (document_id,))
        summary.removed = len(gone)
        _copy_facets(conn)
        rebuild_search(conn)
        _save_types(conn, types)
        conn.commit()
        summary.figures, summary.checks, summary.failed_checks = conn.execute(
            f"SELECT (SELECT COUNT(*) FROM {schema.FIGURES}), (SELECT COUNT(*) FROM {schema.CHECKS}),"
            f" (SELECT COUNT(*) FROM {schema.CHECKS} WHERE status = 'fail')").fetchone()
    return summary


def _copy_facets(conn) -> None:
    """Site, province and year of each figure/check row from its document (facets in Datasette)."""
    for table in (schema.FIGURES, schema.CHECKS):
        conn.execute(
            f"UPDATE {table} SET site = d.site, province = d.province, year = d.year"
            f" FROM {schema.DOCUMENTS} AS d WHERE d.id = {table}.document_id")
    conn.execute(f"UPDATE {schema.PROJECTS} SET province = d.province"
                 f" FROM {schema.DOCUMENTS} AS d WHERE d.id = {schema.PROJECTS}.document_id")
