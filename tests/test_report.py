"""The HTML report: highlights with data-kind/data-value, checks ✓/✗, chart, offline."""
from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from dataset_corpus import make_corpus  # noqa: E402

from kcextract.cli import cli  # noqa: E402
from kcextract.dataset import build, load  # noqa: E402
from kcextract.report import write_report  # noqa: E402


class _Marks(HTMLParser):
    """Collects every <mark class="fig"> with its attributes and text, and every external URL."""

    def __init__(self):
        super().__init__()
        self.marks, self.external, self._open, self._depth = [], [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("link", "script", "img") and re.match(r"(https?:)?//", attrs.get("href") or attrs.get("src") or ""):
            self.external.append(attrs)
        if tag == "mark" and "fig" in (attrs.get("class") or "").split() and attrs.get("id"):
            self._open = {**attrs, "text": ""}
            self.marks.append(self._open)
        elif self._open is not None and tag == "span":
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "span" and self._depth:
            self._depth -= 1
        elif tag == "mark":
            self._open = None

    def handle_data(self, data):
        if self._open is not None and not self._depth:
            self._open["text"] += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    db = make_corpus(folder / "kc.db")
    build(db, version="v1")
    index = write_report(db, folder / "out")
    return db, index.parent


def _parse(path):
    parser = _Marks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_figure_is_highlighted_with_its_kind_and_value(report):
    db, out = report
    figures = load(db).figures
    for document_id, group in figures.groupby("document_id"):
        marks = _parse(out / "documents" / f"{document_id}.html").marks
        by_id = {m["id"][2:]: m for m in marks}
        for fig in group.itertuples():
            mark = by_id.get(fig.id)
            if mark is None:        # only a figure nested inside another one is left unmarked
                assert any(f.start <= fig.start and fig.end <= f.end and f.id != fig.id
                           for f in group.itertuples()), fig.id
                continue
            assert mark["data-kind"] == fig.kind and mark["text"] == fig.text
            if fig.value == fig.value:      # not NaN
                assert float(mark["data-value"]) == pytest.approx(fig.value)


def test_hover_details_and_checks(report):
    _, out = report
    html = (out / "documents" / "1.html").read_text(encoding="utf-8")
    assert 'data-check="fail"' in html and "23.436 / 101.735 = 23,04%" in html
    assert '<span class="tip" role="tooltip">' in html and "<b>giá trị</b> 56.147.000.000" in html
    assert html.count('class="check check-ok"') >= 5 and 'class="check check-fail"' in html


def test_overview_chart_and_failed_checks(report):
    db, out = report
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg" in html and 'data-province="Đà Nẵng"' in html and 'data-year="2023"' in html
    assert 'href="documents/1.html#c-1-' in html
    assert 'href="documents/6.html#c-' not in html    # the syndicated copy's identical error is listed once
    assert "26,7%" in html and "61,44%" in html
    figures = (out / "figures.html").read_text(encoding="utf-8")
    assert figures.count("<tr data-kind=") == len(load(db).figures)


def test_nothing_is_loaded_from_the_network(report):
    _, out = report
    for page in [out / "index.html", out / "figures.html", *sorted((out / "documents").glob("*.html"))]:
        assert _parse(page).external == [], page
    assert (out / "assets" / "report.css").exists() and (out / "assets" / "report.js").exists()


def test_report_command(tmp_path):
    db = make_corpus(tmp_path / "kc.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["report", "--db", str(db), "--out", str(tmp_path / "r")]).exit_code == 2
    runner.invoke(cli, ["dataset", "--db", str(db)])
    result = runner.invoke(cli, ["report", "--db", str(db), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0 and (tmp_path / "r" / "index.html").exists()
