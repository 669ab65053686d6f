"""The dataset's tables: their columns, types and meaning, in one place.

Every column has a type (``integer``, ``number``, ``boolean``, ``string``, ``datetime``,
``json``) that fixes its SQLite declaration, its pandas dtype and how an export
writes it, so every format reads back to the same frame. Figure and check fields are
taken generically from the records (``dataclasses.asdict``): a field the extractor or
verifier adds later becomes a column on the next build, typed from its values.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

# Tables kcextract writes into the corpus database. The corpus already has a
# ``documents`` table (the crawled pages), so the dataset's is ``dataset_documents``;
# exports and ``load()`` call it ``documents``.
DOCUMENTS, FIGURES, CHECKS, PROJECTS, META = (
    "dataset_documents", "figures", "checks", "projects", "dataset_meta")
EXPORT_NAMES = {DOCUMENTS: "documents", FIGURES: "figures", CHECKS: "checks", PROJECTS: "projects"}

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "string": "TEXT",
             "datetime": "TEXT", "json": "TEXT"}
PANDAS_DTYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string",
                 "datetime": "datetime64[ns]", "json": "string"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str = ""


def _cols(*specs) -> tuple:
    return tuple(Column(*spec) for spec in specs)


DOCUMENT_COLUMNS = _cols(
    ("id", "integer", "the corpus document id (stable across rebuilds)"),
    ("url", "string", "the article's URL (canonical)"),
    ("site", "string", "site name (scrapers/<site>.toml)"),
    ("province", "string", "province after the 2025 merger (34 provinces)"),
    ("province_old", "string", "province before the merger, as the article names it"),
    ("province_from", "string", "where the province comes from: site (the publisher) or title"),
    ("title", "string", "article title"),
    ("published", "datetime", "publication date and time (publisher's local time)"),
    ("year", "integer", "publication year"),
    ("fetched", "datetime", "when it was fetched (UTC)"),
    ("text_hash", "string", "sha256 of the article text the figures' offsets point into"),
    ("duplicate_of", "integer", "for a syndicated copy, the id of the original (its figures are counted there)"),
    ("extractor_version", "string", "version of the extractor + patterns that produced its figures"),
    ("figures", "integer", "number of figures"),
    ("checks", "integer", "number of checks (ok, fail, unverifiable)"),
    ("failed_checks", "integer", "number of failed checks"),
)

# Figure columns the dataset adds around the extractor's own fields.
FIGURE_COLUMNS = _cols(
    ("id", "string", "stable id: <document id>-<start>-<end>-<kind>"),
    ("document_id", "integer", "the document it was found in"),
    ("kind", "string", "money, percent, count or project"),
    ("text", "string", "the figure as written"),
    ("start", "integer", "character offset of the figure in the document text"),
    ("end", "integer", "end offset (text[start:end] == text)"),
    ("value", "number", "money in currency units (VND), percent as the number, count as the integer"),
    ("value_max", "number", "upper end of a range (one row per range)"),
    ("value_million_vnd", "number", "money in VND expressed in triệu đồng, as reports count"),
    ("currency", "string", "VND or USD for money"),
    ("unit", "string", "the counted noun, % for percentages"),
    ("qualifier", "string", "exact, approx, under, over, at_least, at_most"),
    ("of_total", "number", "the denominator of '02/10 đề án'"),
    ("name", "string", "for projects, the name without its quotes"),
    ("sentence", "string", "the sentence the figure is in"),
    ("sentence_start", "integer", "offset of that sentence"),
    ("qualifier_start", "integer", "offset of the qualifier word (gần, khoảng …), when there is one"),
    ("label", "string", "what the figure measures"),
    ("period", "string", "the period stated nearby"),
    ("per_unit", "boolean", "a price or per-unit amount (never to be summed with totals)"),
    ("summable", "boolean", "counted in money totals: VND, role actual (not plan, estimate, change, base), "
                            "not per-unit, not a part of a stated total, not a repeat in its article, "
                            "not in a syndicated copy"),
    ("duplicate", "boolean", "the document is a syndicated copy of another"),
    ("site", "string", "the document's site (for facets)"),
    ("province", "string", "the document's province after the merger (for facets)"),
    ("year", "integer", "the document's publication year (for facets)"),
    ("period_year", "integer", "the one year the figure's own period names (empty for several years or none)"),
    ("pattern_id", "string", "the pattern that matched, when the extractor says"),
    ("extractor_version", "string", "version that produced the figure"),
    ("source_link", "string", "the article URL with a text fragment that highlights the figure"),
)

CHECK_COLUMNS = _cols(
    ("id", "string", "stable id: <document id>-<kind>-<claim start>-<claim end>"),
    ("document_id", "integer", "the document the claim is in"),
    ("kind", "string", "ratio, share, growth, difference, sum, count_list"),
    ("status", "string", "ok, fail or unverifiable"),
    ("claim_text", "string", "the reported figure"),
    ("claim_start", "integer", "its offset in the document text"),
    ("claim_end", "integer", "its end offset"),
    ("reported", "number", "the value the report states"),
    ("expected", "number", "the value recomputed from the operands"),
    ("operands", "json", "the operands (text, offsets, value) as JSON"),
    ("operand_figure_ids", "json", "ids of the figures used as operands, as JSON"),
    ("explanation", "string", "why it holds or not"),
    ("site", "string", "the document's site (for facets)"),
    ("province", "string", "the document's province (for facets)"),
    ("year", "integer", "the document's publication year (for facets)"),
    ("extractor_version", "string", "version that produced the check"),
)

PROJECT_COLUMNS = _cols(
    ("id", "string", "the project figure's id"),
    ("document_id", "integer", "the document naming it"),
    ("name", "string", "project name without its quotes"),
    ("beneficiary", "string", "who receives the support (company, cooperative, household), when named"),
    ("place", "string", "district/commune or province named in its sentence"),
    ("province", "string", "the document's province after the merger"),
    ("amount", "number", "the money figure of its sentence (VND), when there is one"),
    ("amount_text", "string", "that money figure as written"),
    ("status", "string", "approved, in progress, completed, disbursed … from its sentence's wording"),
    ("sentence", "string", "the sentence naming it"),
)

BASE_COLUMNS = {DOCUMENTS: DOCUMENT_COLUMNS, FIGURES: FIGURE_COLUMNS, CHECKS: CHECK_COLUMNS,
                PROJECTS: PROJECT_COLUMNS}


def type_of(value) -> str:
    """The column type a Python value calls for (for fields added after this release).

    >>> [type_of(v) for v in (3, 2.5, True, "x", [1, 2], None)]
    ['integer', 'number', 'boolean', 'string', 'json', 'string']
    """
    from decimal import Decimal

    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, (float, Decimal)):
        return "number"
    if isinstance(value, (list, tuple, dict)):
        return "json"
    return "string"


def sql_value(value, kind: str):
    """A Python value as SQLite stores it in a column of type ``kind``."""
    if value is None:
        return None
    if kind == "json":
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if kind == "boolean":
        return int(bool(value))
    if kind == "number":
        return float(value)
    if kind == "integer":
        return int(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def schema_markdown() -> str:
    """``docs/dataset-schema.md``: every base column of every table (a test keeps the file in step)."""
    lines = ["# The dataset's tables", "",
             "Generated from `kcextract/dataset/schema.py` (`python -m kcextract.dataset.schema > docs/dataset-schema.md`);",
             "a field the extractor or verifier adds later becomes a column too, typed from its values, and every",
             "export's `datapackage.json` lists the columns it actually holds.", ""]
    for table, columns in BASE_COLUMNS.items():
        lines += [f"## `{table}`" + (f" (exported as `{EXPORT_NAMES[table]}`)" if EXPORT_NAMES[table] != table else ""),
                  "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in columns]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(schema_markdown(), end="")
