"""Write the report's pages from the dataset (:func:`kcextract.load`) and the corpus texts."""
from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from kcextract import store
from kcextract.report.chart import money_by_province_year, stacked_bars
from kcextract.report.highlight import SYMBOL, _value_text, highlight

STATIC = Path(__file__).with_name("static")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("kcextract.report", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = _value_text
    env.filters["blank"] = lambda v: "" if v is None or v != v else v
    env.globals["SYMBOL"] = SYMBOL
    return env


def _records(frame) -> list:
    """Rows as dicts with missing values as None (pandas NA is not a value a template can test)."""
    return [{k: (None if v is None or (not isinstance(v, str) and v != v) or str(v) == "<NA>" else v)
             for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def _chart_rows(figures) -> list:
    """(province, year, value): per article and year, its largest summable amount (the headline
    total); the year is the one the figure's period names, else the article's publication year."""
    summable = figures[figures["summable"].fillna(False).astype(bool)].copy()
    if summable.empty:
        return []
    period_year = summable["period_year"] if "period_year" in summable else summable["year"]
    summable["chart_year"] = period_year.fillna(summable["year"])
    top = summable.sort_values("value", ascending=False).drop_duplicates(["document_id", "chart_year"])
    return [(r["province"], None if r["chart_year"] is None else str(r["chart_year"]), r["value"])
            for r in _records(top)]


def _site_year(documents) -> list:
    rows = {}
    for doc in _records(documents):
        key = (doc["site"], doc["year"])
        row = rows.setdefault(key, {"site": doc["site"], "year": doc["year"], "documents": 0,
                                    "figures": 0, "failed_checks": 0, "duplicates": 0})
        row["documents"] += 1
        row["duplicates"] += doc["duplicate_of"] is not None
        row["figures"] += doc["figures"] or 0
        row["failed_checks"] += doc["failed_checks"] or 0
    return sorted(rows.values(), key=lambda r: (r["site"] or "", r["year"] or 0))


def write_report(db, out) -> Path:
    """Write the report for the corpus ``db`` into the folder ``out``; the path of index.html.

    :raises FileNotFoundError: no corpus at ``db``.
    :raises LookupError: no dataset in it yet (run ``kcextract dataset``).
    """
    from kcextract.dataset import load

    data = load(db)
    out = Path(out)
    (out / "documents").mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC, out / "assets", dirs_exist_ok=True)
    env = _environment()
    documents = _records(data.documents)
    figures = _records(data.figures)
    checks = _records(data.checks)
    by_doc_figures: dict = {}
    for fig in figures:
        by_doc_figures.setdefault(fig["document_id"], []).append(fig)
    by_doc_checks: dict = {}
    for check in checks:
        by_doc_checks.setdefault(check["document_id"], []).append(check)
    titles = {d["id"]: d["title"] or d["url"] for d in documents}

    texts = {doc.id: doc.text for doc in store.iter_documents(db, include_duplicates=True)}
    page = env.get_template("document.html")
    for doc in documents:
        doc_checks = by_doc_checks.get(doc["id"], [])
        spans = {(c["claim_start"], c["claim_end"]): c for c in doc_checks}
        ids = {(f["start"], f["end"]): f["id"] for f in by_doc_figures.get(doc["id"], [])}
        for check in doc_checks:
            check["figure_id"] = ids.get((check["claim_start"], check["claim_end"]))
        body = highlight(texts.get(doc["id"], ""), by_doc_figures.get(doc["id"], []), spans)
        (out / "documents" / f"{doc['id']}.html").write_text(
            page.render(root="../", doc=doc, body=body, checks=doc_checks,
                        original=titles.get(doc["duplicate_of"]), figures=by_doc_figures.get(doc["id"], [])),
            encoding="utf-8")

    chart_rows = _chart_rows(data.figures)
    sums = money_by_province_year(chart_rows)
    copies = {d["id"] for d in documents if d["duplicate_of"] is not None}
    # A syndicated copy repeats its original's errors: list each failed claim once.
    failed = [c for c in checks if c["status"] == "fail" and c["document_id"] not in copies]
    index = env.get_template("index.html").render(
        root="", documents=documents, n_figures=len(figures), checks=checks, failed=failed,
        site_year=_site_year(data.documents), chart=stacked_bars(sums) if sums else None,
        chart_table=sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")), titles=titles)
    (out / "index.html").write_text(index, encoding="utf-8")
    (out / "figures.html").write_text(
        env.get_template("figures.html").render(root="", figures=figures, titles=titles), encoding="utf-8")
    return out / "index.html"
