"""The dataset: documents, figures, checks and projects as tables a spreadsheet, pandas,
Datasette or a report can read (issue 11).

``build(db)`` (re)builds the tables inside the corpus database, re-extracting only the
documents whose text or extractor version changed; ``load(db)`` returns them as pandas
DataFrames; :mod:`kcextract.dataset.exports` writes them as CSV, JSONL, Parquet or Excel.
"""
from __future__ import annotations

from kcextract.dataset.builder import BuildSummary, build
from kcextract.dataset.loader import load

__all__ = ["BuildSummary", "build", "load"]
