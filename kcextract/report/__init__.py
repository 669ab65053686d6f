"""The HTML report (issue 11): an overview, a page per document with its figures
highlighted and its checks marked, and a sortable, filterable table of every figure.

Static files only, with their CSS and script copied beside them: ``index.html`` opens
from the file system in any browser, with no network.
"""
from __future__ import annotations

from kcextract.report.render import write_report

__all__ = ["write_report"]
