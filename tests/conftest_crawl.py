"""Shared helpers of the crawl tests: fixture servers on 127.0.0.1, site files, a test fetcher.

Not a conftest.py (the lead owns that): crawl test modules import from here after
putting this directory on sys.path.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from server import FIXTURES, FixtureServer

from kcextract.crawl.fetcher import Fetcher
from kcextract.sites import load_site


@contextmanager
def serve(family: str | None = None, robots: str | None = None):
    """A running :class:`FixtureServer` for ``tests/fixtures/sites/<family>/``."""
    with FixtureServer(FIXTURES / family if family else None, robots=robots) as server:
        yield server


def write_site(tmp_path: Path, server: FixtureServer, name: str, cms: str, start_urls, **extra) -> Path:
    """Write a site TOML file pointing at ``server``; returns its path."""
    lines = [f'name = "{name}"', f'base_url = "{server.base}"', f'cms = "{cms}"',
             "start_urls = [" + ", ".join(f'"{u}"' for u in start_urls) + "]"]
    for key, value in extra.items():
        if isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
        elif isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        else:
            lines.append(f"{key} = {value}")
    path = tmp_path / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_site(tmp_path, server, name, cms, start_urls, **extra):
    """A loaded :class:`kcextract.sites.Site` for ``server``."""
    return load_site(write_site(tmp_path, server, name, cms, start_urls, **extra))


class RecordingSleep:
    """A sleep that only records how long it was asked to wait (tests stay fast and exact)."""

    def __init__(self):
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_fetcher(sleep=None, **kwargs) -> Fetcher:
    """A fetcher for the local server: no delay, short timeout, waits recorded instead of slept."""
    kwargs.setdefault("delay", 0)
    kwargs.setdefault("timeout", 0.5)
    kwargs.setdefault("retries", 2)
    return Fetcher(sleep=sleep or RecordingSleep(), **kwargs)


test_fetcher.__test__ = False  # a factory, not a test


def rows(db, sql, *params):
    """Rows of a query on the corpus database, as dicts."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


NV_CAT = "/vi/news/hoat-dong-khuyen-cong/"
NV = {
    1644: NV_CAT + "ho-tro-5-co-so-cong-nghiep-nong-thon-ung-dung-may-moc-thiet-bi-nam-2023-1644.html",
    1650: NV_CAT + "dak-lak-binh-chon-san-pham-cong-nghiep-nong-thon-tieu-bieu-cap-tinh-nam-2023-1650.html",
    1662: NV_CAT + "ket-qua-thuc-hien-chuong-trinh-khuyen-cong-9-thang-dau-nam-2023-1662.html",
    1671: NV_CAT + "tap-huan-nang-cao-nang-luc-quan-ly-cho-co-so-cong-nghiep-nong-thon-1671.html",
    1203: NV_CAT + "hoi-nghi-tong-ket-cong-tac-khuyen-cong-nam-2016-1203.html",
    1101: NV_CAT + "khuyen-cong-ho-tro-lang-nghe-det-tho-cam-nam-2015-1101.html",
    1002: NV_CAT + "trien-khai-de-an-khuyen-cong-dia-phuong-nam-2014-1002.html",
}
NV_1671_OTHER_CATEGORY = "/vi/news/tin-tuc/tap-huan-nang-cao-nang-luc-quan-ly-cho-co-so-cong-nghiep-nong-thon-1671.html"
NV_PRIVATE = "/vi/news/noi-bo/bao-cao-noi-bo-ve-kinh-phi-khuyen-cong-1700.html"
NV_PDF = "/uploads/news/2023_12/bao-cao-ket-qua-khuyen-cong-2023.pdf"
WP_COPY = "/2023/11/binh-chon-san-pham-cong-nghiep-nong-thon-tieu-bieu-tinh-dak-lak-nam-2023/"
