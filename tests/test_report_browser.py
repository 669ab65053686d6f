"""The HTML report in a real headless Chromium (Debian's `chromium` package).

The set-up installs the package when it is missing and the run may (root with apt-get);
otherwise every test here is skipped with a loud message. Checked: each page loads
without a console message (an error, an uncaught exception, a missing file), the
highlights are in the rendered page, a screenshot is not blank, and the figures table
sorts and filters.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from dataset_corpus import make_corpus  # noqa: E402

from kcextract.dataset import build  # noqa: E402
from kcextract.report import write_report  # noqa: E402

CONSOLE = re.compile(r":CONSOLE[^\]]*\]\s*(.*)")


def _install_chromium():
    if shutil.which("chromium"):
        return shutil.which("chromium")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900, check=False)
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def chromium():
    path = _install_chromium()
    if path is None:
        message = ("\n" + "!" * 78 + "\nHEADLESS CHROMIUM NOT AVAILABLE: the report's browser tests are SKIPPED.\n"
                   "Install Debian's package (apt-get install -y chromium) to run them.\n" + "!" * 78)
        warnings.warn(message)
        print(message, file=sys.stderr)
        pytest.skip("chromium is not installed and could not be installed (see the message above)")
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    db = make_corpus(folder / "kc.db")
    build(db, version="v1")
    return write_report(db, folder / "out").parent


def _run(chromium, tmp_path, *args, url):
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
               "--v=0", *args, url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    console = [m.group(1) for m in CONSOLE.finditer(result.stderr)]
    return result.stdout, console


def _dom(chromium, tmp_path, page: Path, extra=()):
    return _run(chromium, tmp_path, "--dump-dom", "--virtual-time-budget=3000", *extra, url=page.as_uri())


def _png_pixels(path: Path) -> bytes:
    """The filtered scanline bytes of a PNG (enough to tell a blank picture from a page)."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG"), "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(idat)


def test_the_console_check_catches_errors(chromium, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text('<link rel="stylesheet" href="missing.css"><script>undefined_function();</script>', encoding="utf-8")
    _, console = _dom(chromium, tmp_path, broken)
    assert any("undefined_function" in line for line in console), console


@pytest.mark.parametrize("page", ["index.html", "figures.html", "documents/1.html", "documents/4.html"])
def test_pages_load_without_console_messages(chromium, report, tmp_path, page):
    dom, console = _dom(chromium, tmp_path, report / page)
    assert console == [], console
    assert "</html>" in dom


def test_highlights_are_rendered(chromium, report, tmp_path):
    dom, _ = _dom(chromium, tmp_path, report / "documents" / "1.html")
    marks = re.findall(r'<mark class="fig fig-(\w+)[^"]*" id="f-[^"]+"[^>]*data-kind="(\w+)" data-value="([^"]*)"', dom)
    assert len(marks) >= 40 and all(kind == data_kind for kind, data_kind, _ in marks)
    assert ('money', 'money', '56147000000') in marks


def test_screenshot_is_not_blank(chromium, report, tmp_path):
    shot, blank = tmp_path / "page.png", tmp_path / "blank.png"
    (tmp_path / "blank.html").write_text("<html><body></body></html>", encoding="utf-8")
    _run(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1200,900", url=(report / "documents" / "1.html").as_uri())
    _run(chromium, tmp_path, f"--screenshot={blank}", "--window-size=1200,900", url=(tmp_path / "blank.html").as_uri())
    page, empty = _png_pixels(shot), _png_pixels(blank)
    assert len(set(empty)) <= 5                     # a blank page: one colour, the filters nearly all zero
    assert len(set(page)) > 100 and shot.stat().st_size > 10 * blank.stat().st_size


def test_the_figures_table_sorts_and_filters(chromium, report, tmp_path):
    # A page that loads the report's own script against a copy of figures.html, clicks a
    # header, types a filter, and writes what it sees into the DOM.
    html = (report / "figures.html").read_text(encoding="utf-8")
    probe = ('<script>window.addEventListener("load", function () {'
             'document.querySelectorAll("#figures th")[6].click(); document.querySelectorAll("#figures th")[6].click();'
             'var first = document.querySelector("#figures tbody tr td:nth-child(7)").getAttribute("data-sort");'
             'var box = document.getElementById("filter-text"); box.value = "quangninh-portal";'
             'box.dispatchEvent(new Event("input"));'
             'var shown = document.querySelectorAll("#figures tbody tr:not([hidden])").length;'
             'document.body.setAttribute("data-probe", first + "|" + shown); });</script></body>')
    (report / "probe.html").write_text(html.replace("</body>", probe), encoding="utf-8")
    dom, console = _dom(chromium, tmp_path, report / "probe.html")
    assert console == [], console
    first, shown = re.search(r'data-probe="([^"|]*)\|(\d+)"', dom).groups()
    values = [float(v) for v in re.findall(r'data-sort="([\d.e+]+)"', html)]
    assert float(first) == max(values)              # two clicks: largest value first
    assert int(shown) == html.count("<td>quangninh-portal</td>")


def test_hovering_a_figure_shows_its_parsed_details(chromium, report, tmp_path):
    html = (report / "documents" / "1.html").read_text(encoding="utf-8")
    probe = ('<script>window.addEventListener("load", function () {'
             'var mark = document.querySelector("mark.fig[data-value=\'56147000000\']");'
             'var tip = mark.querySelector(".tip"); var before = getComputedStyle(tip).display;'
             'mark.focus(); var after = getComputedStyle(tip).display;'
             'document.body.setAttribute("data-probe", before + "|" + after + "|" + tip.textContent); });</script></body>')
    (report / "documents" / "probe.html").write_text(html.replace("</body>", probe), encoding="utf-8")
    dom, console = _dom(chromium, tmp_path, report / "documents" / "probe.html")
    assert console == [], console
    before, after, text = re.search(r'data-probe="([^"|]*)\|([^"|]*)\|([^"]*)"', dom).groups()
    assert (before, after) == ("none", "block")       # hidden until the figure is hovered or focused
    assert "56.147.000.000" in text and "VND" in text and "exact" in text and "năm 2016" in text
