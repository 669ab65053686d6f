"""`kcextract serve` started on 127.0.0.1 and queried: facets, tone-keeping search, links."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from dataset_corpus import add_article, make_corpus  # noqa: E402

from kcextract.dataset import build  # noqa: E402
from kcextract.dataset.datasette import metadata  # noqa: E402
from kcextract.store import Corpus  # noqa: E402

pytest.importorskip("datasette", reason='Datasette is the optional extra kcextract[serve]')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        body = response.read().decode("utf-8")
    return json.loads(body) if ".json" in path else body


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    db = make_corpus(folder / "kc.db")
    corpus = Corpus(db)       # two titles that differ only by their tone marks
    add_article(corpus, "hoa", "daklak", "Làng nghề hoa Đắk Lắk", None, "Làng nghề hoa nhận 120 triệu đồng.")
    add_article(corpus, "hoa2", "daklak", "Thủy điện Hòa Bình", None, "Hỗ trợ 300 triệu đồng.")
    corpus.close()
    build(db, version="v1")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "kcextract", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                _get(base, "/-/versions.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("kcextract serve did not start: " + process.stderr.read().decode()[-2000:])
                time.sleep(0.5)
        yield base, db
    finally:
        os.killpg(process.pid, signal.SIGTERM)      # our own process group: kcextract and its datasette
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_facets(server):
    base, _ = server
    figures = _get(base, "/kc/figures.json?_size=0&_facet=kind&_facet=province&_facet=year")
    facets = figures["facet_results"]
    facets = facets.get("results", facets)
    provinces = {row["value"] for row in facets["province"]["results"]}
    assert {"Đà Nẵng", "TP. Hồ Chí Minh", "Đắk Lắk"} <= provinces
    assert {row["value"] for row in facets["kind"]["results"]} >= {"money", "percent", "count"}
    checks = _get(base, "/kc/checks.json?_size=0&_facet=status")
    statuses = {row["value"]: row["count"] for row in (checks["facet_results"].get("results", checks["facet_results"]))["status"]["results"]}
    assert statuses.get("fail", 0) >= 2


def test_search_keeps_tone_marks(server):
    base, _ = server

    def titles(word):
        query = urllib.parse.quote(word)
        rows = _get(base, f"/kc/dataset_documents.json?_search_title={query}&_shape=objects")["rows"]
        return {row["title"] for row in rows}

    assert titles("hòa") == {"Thủy điện Hòa Bình"}
    assert titles("hoa") == {"Làng nghề hoa Đắk Lắk"}
    assert titles("HÒA") == titles("hòa")            # case still folds
    everywhere = _get(base, "/kc/dataset_documents.json?_search=hoa&_shape=objects")["rows"]
    assert "Làng nghề hoa Đắk Lắk" in {r["title"] for r in everywhere}
    assert "Thủy điện Hòa Bình" not in {r["title"] for r in everywhere}


def test_each_figure_links_to_its_highlight(server):
    base, db = server
    page = _get(base, "/kc/figures?document_id=1&_size=5")
    links = [l for l in page.split('"') if l.startswith("/report/documents/1.html#f-1-")]
    assert links
    report_page = _get(base, links[0].split("#")[0])
    assert f'id="{links[0].split("#")[1]}"' in report_page


def test_bookkeeping_tables_are_hidden():
    meta = metadata("kc.db")["databases"]["kc"]["tables"]
    assert meta["frontier"] == {"hidden": True} and "province" in meta["figures"]["facets"]


def test_serve_without_a_dataset_exits_2(tmp_path):
    from click.testing import CliRunner

    from kcextract.cli import cli

    db = make_corpus(tmp_path / "kc.db")
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", str(_free_port())])
    assert result.exit_code == 2 and "kcextract dataset" in result.output
