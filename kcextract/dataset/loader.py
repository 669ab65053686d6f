"""``kcextract.load(db)``: the dataset as pandas DataFrames, with the schema's dtypes.

``figures`` and ``checks`` carry their article's URL, site, province, title and date, so a
row read on its own still says where it comes from. Empty strings are read as missing
values (a blank cell means the same in every export format).
"""
from __future__ import annotations

import json
from contextlib import closing
from dataclasses import dataclass

from kcextract import store
from kcextract.dataset import schema

# Document columns joined onto every figure and check row.
SOURCE_COLUMNS = ("url", "title", "published", "province_old")


@dataclass
class Dataset:
    """The four tables; ``frames()`` gives them by export name, ``types`` their column types."""

    documents: object
    figures: object
    checks: object
    projects: object
    types: dict

    def frames(self) -> dict:
        return {"documents": self.documents, "figures": self.figures, "checks": self.checks,
                "projects": self.projects}

    def __getitem__(self, name):
        return self.frames()[name]


def _missing(value) -> bool:
    import pandas as pd

    return value is None or (isinstance(value, str) and value == "") or (
        not isinstance(value, str) and bool(pd.isna(value)))


def apply_types(frame, types: dict):
    """``frame`` with each column cast to the dtype of its schema type (the one conversion
    every reader uses, so an export reads back to the same frame)."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        kind = types.get(column, "string")
        series = frame[column]
        if kind in ("string", "json"):
            series = series.astype("object").map(lambda v: None if _missing(v) else str(v))
            frame[column] = series.astype(schema.PANDAS_DTYPES[kind])
        elif kind == "datetime":
            # Aware times (fetched, UTC) lose their zone, naive ones (published, local) keep their clock.
            parsed = pd.to_datetime(series.replace("", None), errors="coerce", utc=True, format="ISO8601")
            frame[column] = parsed.dt.tz_localize(None).astype("datetime64[ns]")
        elif kind == "boolean":
            frame[column] = series.astype("object").map(
                lambda v: None if _missing(v) else str(v).lower() in ("1", "true", "1.0")).astype("boolean")
        elif kind == "integer":
            frame[column] = pd.to_numeric(series.replace("", None)).astype("Int64")
        else:
            frame[column] = pd.to_numeric(series.replace("", None)).astype("float64")
    return frame


def _types(conn) -> dict:
    rows = dict(conn.execute(f"SELECT key, value FROM {schema.META}").fetchall())
    return {table: json.loads(rows.get(f"columns:{table}", "{}")) for table in schema.BASE_COLUMNS}


def load(db) -> Dataset:
    """The dataset of the corpus ``db`` (built by ``kcextract dataset``) as DataFrames.

    :raises FileNotFoundError: no corpus at ``db``.
    :raises LookupError: the corpus has no dataset yet (run ``kcextract dataset``).
    """
    import pandas as pd

    with closing(store.open_readonly(db)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if schema.META not in tables:
            raise LookupError(f"{db}: no dataset in this corpus yet (run `kcextract dataset --db {db}`)")
        types = _types(conn)
        raw = {table: pd.read_sql_query(f"SELECT * FROM {table} ORDER BY rowid", conn)
               for table in schema.BASE_COLUMNS}
    documents = apply_types(raw[schema.DOCUMENTS], types[schema.DOCUMENTS])
    source = documents[["id", *SOURCE_COLUMNS]].rename(columns={"id": "document_id"})
    joined_types = {}
    frames = {}
    for table in (schema.FIGURES, schema.CHECKS, schema.PROJECTS):
        frame = apply_types(raw[table], types[table])
        if table != schema.PROJECTS:
            frame = frame.merge(source, on="document_id", how="left")
        frames[table] = frame
        joined_types[schema.EXPORT_NAMES[table]] = {
            **types[table], **{c: types[schema.DOCUMENTS][c] for c in SOURCE_COLUMNS}}
    joined_types["documents"] = types[schema.DOCUMENTS]
    return Dataset(documents=documents, figures=frames[schema.FIGURES], checks=frames[schema.CHECKS],
                   projects=frames[schema.PROJECTS], types=joined_types)
