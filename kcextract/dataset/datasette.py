"""Serving the dataset with Datasette: the metadata (facets, search, hidden tables) and the
command line that starts it.

Datasette opens the corpus database as it is; kcextract only adds a metadata file naming
the facets a reader needs (site, province, year, kind, check status), the full-text
index of the documents (:mod:`kcextract.dataset.search`, tone marks kept) and the crawl
bookkeeping tables to hide, plus a small plugin that links each figure to its highlight
in the HTML report mounted at ``/report``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from kcextract.dataset import schema
from kcextract.dataset.search import FTS_TABLE

PLUGINS_DIR = Path(__file__).with_name("datasette_plugins")
REPORT_MOUNT = "report"
# Corpus bookkeeping a dataset reader does not need to see (still reachable by URL and SQL).
HIDDEN = ("frontier", "minhash", "minhash_bands", "validators", "document_urls", "meta", schema.META,
          "crawl_log", "crawl_locks")


def metadata(db, report: bool = True) -> dict:
    """Datasette metadata for the corpus ``db``."""
    name = Path(db).stem
    tables = {
        schema.FIGURES: {"facets": ["kind", "site", "province", "year", "qualifier", "summable"],
                         "label_column": "text", "sort": "document_id",
                         "description": "Every figure found, with its value and where it stands in its article"},
        schema.CHECKS: {"facets": ["status", "kind", "site", "province", "year"], "label_column": "claim_text",
                        "description": "Every arithmetic claim recomputed: ok, fail or unverifiable"},
        schema.DOCUMENTS: {"facets": ["site", "province", "year"], "label_column": "title",
                           "fts_table": FTS_TABLE, "fts_pk": "id",
                           "description": "Articles, with the province after the 2025 merger and before it"},
        schema.PROJECTS: {"facets": ["province", "status"], "label_column": "name"},
        "documents": {"facets": ["site"], "label_column": "title", "fts_table": FTS_TABLE, "fts_pk": "id"},
    }
    tables.update({table: {"hidden": True} for table in HIDDEN})
    tables[FTS_TABLE] = {"hidden": True}
    meta = {
        "title": "kcextract: số liệu khuyến công",
        "description": "Figures and checks from Vietnamese khuyến công reports (kcextract).",
        "databases": {name: {"tables": tables}},
    }
    if report:
        meta["plugins"] = {"kcextract": {"report": f"/{REPORT_MOUNT}"}}
    return meta


def write_metadata(db, path, report: bool = True) -> Path:
    path = Path(path)
    path.write_text(json.dumps(metadata(db, report), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def datasette_command(db, metadata_path, host: str, port: int, report_dir=None) -> list:
    """The ``datasette serve`` command line (run with this Python)."""
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--host", host, "--port", str(port),
               "--metadata", str(metadata_path), "--plugins-dir", str(PLUGINS_DIR)]
    if report_dir is not None:
        command += ["--static", f"{REPORT_MOUNT}:{report_dir}"]
    return command
