"""robots.txt parsing per RFC 9309: groups, longest match, wildcards, Crawl-delay, Sitemap lines."""
from __future__ import annotations

import pytest

from kcextract.crawl.robots import RobotsTxt

# A NukeViet-style file with a group for us, a catch-all group and comments.
NUKEVIET = """# robots.txt NukeViet
User-agent: *
Disallow: /admin/
Disallow: /vi/news/print/
Disallow: /*?nv=users
Allow: /admin/help.html
Crawl-delay: 5

User-agent: Googlebot
User-agent: kcextract
Disallow: /vi/news/noi-bo/
Disallow: /*.pdf$
Crawl-delay: 2

Sitemap: https://socongthuong.daklak.gov.vn/sitemap.xml
"""

BASE = "https://socongthuong.daklak.gov.vn"


@pytest.mark.parametrize("path, allowed", [
    ("/vi/news/noi-bo/bao-cao-1700.html", False),     # our own group
    ("/uploads/bao-cao.pdf", False),                   # "*" and "$"
    ("/uploads/bao-cao.pdf?download=1", True),         # "$" anchors the end
    ("/admin/", True),                                 # the catch-all group does not apply to us
    ("/vi/news/print/a-1.html", True),
    ("/vi/news/hoat-dong-khuyen-cong/a-1644.html", True),
    ("/robots.txt", True),
])
def test_our_group_wins_over_the_catch_all(path, allowed):
    assert RobotsTxt(NUKEVIET, agent="kcextract").allowed(BASE + path) is allowed


def test_crawl_delay_and_sitemaps():
    robots = RobotsTxt(NUKEVIET, agent="kcextract")
    assert robots.crawl_delay == 2.0
    assert robots.sitemaps == ["https://socongthuong.daklak.gov.vn/sitemap.xml"]
    assert RobotsTxt(NUKEVIET, agent="otherbot").crawl_delay == 5.0


@pytest.mark.parametrize("path, allowed", [
    ("/admin/x", False),
    ("/admin/help.html", True),                        # longer Allow beats shorter Disallow
    ("/vi/news/print/a-1.html", False),
    ("/index.php?nv=users&op=login", False),           # wildcard inside the path
    ("/index.php?language=vi&nv=users", True),         # rules match literally: "&nv=" is not "?nv="
    ("/index.php?language=vi&nv=news", True),
])
def test_catch_all_group_longest_match(path, allowed):
    assert RobotsTxt(NUKEVIET, agent="otherbot").allowed(BASE + path) is allowed


def test_tie_goes_to_allow_and_percent_encoding_is_compared_decoded():
    robots = RobotsTxt("User-agent: *\nDisallow: /tin-tuc\nAllow: /tin-tuc\nDisallow: /Quản-lý/\n")
    assert robots.allowed("http://h.vn/tin-tuc/a")
    assert not robots.allowed("http://h.vn/Qu%E1%BA%A3n-l%C3%BD/x")


@pytest.mark.parametrize("text", ["", "# nothing\n", "User-agent: *\nDisallow:\n", "garbage line\n<html>"])
def test_empty_or_broken_files_allow_everything(text):
    robots = RobotsTxt(text)
    assert robots.allowed("http://h.vn/anything") and robots.crawl_delay is None


def test_unavailable_and_unreachable():
    assert RobotsTxt.allowing_everything().allowed("http://h.vn/admin/")
    assert not RobotsTxt.forbidding_everything().allowed("http://h.vn/")


def test_bad_crawl_delay_is_ignored():
    assert RobotsTxt("User-agent: *\nCrawl-delay: soon\n").crawl_delay is None
