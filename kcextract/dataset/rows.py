"""The dataset rows of one analysed document (its figures, checks and projects), made where the
document was analysed: with ``dataset --jobs N`` in the worker process (``analyse_stream``'s
render), so the parent, which alone writes to the database, only inserts ready rows. Made in
the parent instead, they cost it as much CPU as a worker's extraction and it became the limit.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional
from urllib.parse import quote

from kcextract.dataset import schema
from kcextract.dataset.projects import project_frame
from kcextract.figure import plain_number

# Figure/check fields that the dataset holds elsewhere (the document's URL is joined in).
DROPPED_FIELDS = {"source"}

# Figure roles (kcextract/frames.py) whose amounts can be added up; None: no role given.
SUMMABLE_ROLES = (None, "actual")


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


@dataclass(frozen=True)
class RowContext:
    """What the rows need of a stored document besides its text and analysis (sent with the text)."""

    document_id: int
    url: Optional[str]              # canonical URL, else the fetched one: the figures' source links
    duplicate: bool                 # a syndicated copy: its figures are never summed
    province: Optional[str]         # the document's province (a facet of every row)
    site: Optional[str] = None      # the document's site and publication year (facets of the
    year: Optional[int] = None      # figure and check rows, for Datasette)

    def facets(self) -> dict:
        """The document's facet columns of its figure and check rows."""
        return {"site": self.site, "province": self.province, "year": self.year}


def figure_rows(context: RowContext, figures, checks, text: str) -> list:
    parts = {(o.start, o.end) for c in checks if c.kind == "sum" for o in c.operands}
    seen_values = set()
    rows = []
    for figure in figures:
        row = {"id": figure_id(context.document_id, figure), "document_id": context.document_id}
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
        row["summable"] = bool(money_vnd and first and not per_unit and not context.duplicate
                               and (figure.start, figure.end) not in parts
                               and getattr(figure, "role", None) in SUMMABLE_ROLES)
        row["duplicate"] = context.duplicate
        years = tuple(getattr(figure, "period_years", ()) or ())
        row["period_year"] = years[0] if len(years) == 1 else None
        row["source_link"] = text_fragment_link(context.url, figure.text)
        row.update(context.facets())
        rows.append(row)
    return rows


def check_rows(context: RowContext, checks, ids_by_span: dict) -> list:
    rows = []
    for check in checks:
        row = {"id": f"{context.document_id}-{check.kind}-{check.claim_start}-{check.claim_end}",
               "document_id": context.document_id}
        row.update(record_of(check))
        row["operand_figure_ids"] = [ids_by_span.get((o.start, o.end)) for o in check.operands]
        row.update(context.facets())
        rows.append(row)
    return rows


def project_rows(context: RowContext, figures) -> list:
    rows = []
    for figure in figures:
        if figure.kind == "project":
            row = {"id": figure_id(context.document_id, figure), "document_id": context.document_id,
                   "province": context.province}
            row.update(project_frame(figure, figures))
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Run:
    """Consecutive rows of one table with the same columns, in the order they are inserted:
    one ``executemany``. ``rows`` are lists of values, converted for SQLite except those of
    columns the build did not know when it started (``RowMaker.types``)."""

    table: str
    names: tuple
    rows: list


@dataclass(frozen=True)
class DocumentRows:
    """Everything the dataset writes of one analysed document but its ``documents`` row."""

    runs: tuple
    figures: int
    checks: int
    failed_checks: int
    problems: tuple


class RowMaker:
    """``analyse_stream``'s render for the dataset: ``(analysis, text, context)`` -> DocumentRows.

    ``types`` are the tables' column types when the build started. A value of a column known
    there is converted here; one of a column added since (a field the extractor gained) is left
    as it is, for the parent to type the column from the first such value it inserts, as
    :func:`kcextract.dataset.builder._insert` does, whichever process made the row.
    """

    def __init__(self, types: dict):
        self.types = {table: dict(known) for table, known in types.items()}

    def __call__(self, analysis, text: str, context: RowContext) -> DocumentRows:
        figures, checks = list(analysis.figures), list(analysis.checks)
        rows_of_figures = figure_rows(context, figures, checks, text)
        ids_by_span: dict = {}
        for figure, row in zip(figures, rows_of_figures):
            ids_by_span.setdefault((figure.start, figure.end), row["id"])
        runs: list = []
        for table, rows in ((schema.FIGURES, rows_of_figures),
                            (schema.CHECKS, check_rows(context, checks, ids_by_span)),
                            (schema.PROJECTS, project_rows(context, figures))):
            self._add(runs, table, rows)
        return DocumentRows(tuple(runs), len(figures), len(checks), sum(c.status == "fail" for c in checks),
                            tuple(analysis.problems))

    def _add(self, runs: list, table: str, rows: list) -> None:
        known = self.types[table]
        for row in rows:
            # A None of a column the table lacks is left out, so no column is made for it.
            names = tuple(name for name, value in row.items() if name in known or value is not None)
            values = [schema.sql_value(row[name], known[name]) if name in known else row[name] for name in names]
            if runs and runs[-1].table == table and runs[-1].names == names:
                runs[-1].rows.append(values)
            else:
                runs.append(Run(table, names, [values]))
