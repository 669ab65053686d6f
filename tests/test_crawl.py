"""End-to-end crawls of the fixture sites over real HTTP on 127.0.0.1."""
from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest_crawl import (  # noqa: E402
    NV, NV_1671_OTHER_CATEGORY, NV_PDF, NV_PRIVATE, WP_COPY, make_site, rows, serve, test_fetcher,
)
from server import FIXTURES  # noqa: E402

from kcextract import store  # noqa: E402
from kcextract.crawl.crawler import crawl_site  # noqa: E402


def crawl(db, site, **kwargs):
    kwargs.setdefault("fetcher", test_fetcher())
    return crawl_site(db, site, **kwargs)


def nukeviet_site(tmp_path, server, **extra):
    return make_site(tmp_path, server, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"], **extra)


def test_feed_sitemap_and_list_discovery_store_title_date_text(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        report = crawl(db, nukeviet_site(tmp_path, server))
        docs = {d.url.replace(server.base, ""): d for d in store.iter_documents(db, include_duplicates=True)}
        log = rows(db, "SELECT event, url, reason FROM crawl_log")
    assert report.ok, report.failures
    # the feed was read first and its entries fetched
    feed = [r for r in log if r["event"] == "feed"]
    assert feed and feed[0]["reason"].startswith("4 entries: 4 queued")
    first = docs[NV[1644]]
    assert first.title == "Hỗ trợ 5 cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị năm 2023"
    # the visible date, not the schema.org datePublished (an edit time)
    assert first.published == datetime(2023, 12, 7, 8, 52)
    assert "9 tháng đầu năm 2016" in first.text
    assert "Tổng lượt truy cập" not in first.text and "Những tin cũ hơn" not in first.text
    # the sitemap brought the copy of 1671 published under a second category
    sitemap = [r["reason"] for r in log if r["event"] == "sitemap" and "news.xml" in r["url"]]
    assert sitemap == ["4 article URLs: 1 queued, 3 met earlier in this run, 0 known from earlier crawls, 0 before --since"]
    assert NV_1671_OTHER_CATEGORY in docs
    # list pagination reached the last page (page-4) and its article
    assert NV[1002] in docs and docs[NV[1002]].published == datetime(2014, 3, 3, 10, 10)
    assert len(docs) == 7


def test_robots_disallow_is_obeyed(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        crawl(db, nukeviet_site(tmp_path, server))
        assert server.hit_count(NV_PRIVATE) == 0
        assert server.hit_count("/robots.txt") == 1
        frontier = rows(db, "SELECT state, last_error FROM frontier WHERE url = ?", server.url(NV_PRIVATE))
    assert frontier == [{"state": "skipped", "last_error": "disallowed by robots.txt"}]


def test_since_stops_paging_and_skips_older_articles(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        report = crawl(db, nukeviet_site(tmp_path, server), since=date(2020, 1, 1))
        assert server.hit_count("/vi/news/hoat-dong-khuyen-cong/page-3/") == 1
        assert server.hit_count("/vi/news/hoat-dong-khuyen-cong/page-4/") == 0   # stopped at page 3
        for old in (1203, 1101, 1002):
            assert server.hit_count(NV[old]) == 0                              # list dates said "too old"
    published = [d.published for d in store.iter_documents(db, include_duplicates=True)]
    assert published and min(published) >= datetime(2020, 1, 1)
    assert report.ok
    reasons = [r["reason"] for r in rows(db, "SELECT reason FROM crawl_log WHERE event = 'list'")]
    assert any("every dated item is before 2020-01-01" in r for r in reasons)


def test_recrawl_uses_conditional_get_and_refetches_nothing(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        crawl(db, site)
        before = {path: server.hit_count(path) for path in NV.values()}
        before[NV[1671]] += server.hit_count(NV_1671_OTHER_CATEGORY)      # stored via its other URL
        server.reset_hits()
        report = crawl(db, site)
        feed_requests = [headers for path, headers in server.requests if path == "/vi/news/rss/"]
        article_hits = sum(server.hit_count(path) for path in [*NV.values(), NV_1671_OTHER_CATEGORY])
    assert set(before.values()) == {1}
    assert article_hits == 0
    assert feed_requests and "If-None-Match" in feed_requests[0]
    assert report.not_modified >= 3 and report.stored == 0
    assert len(rows(db, "SELECT id FROM documents")) == 7
    assert rows(db, "SELECT COUNT(*) AS n FROM crawl_log WHERE event = 'not-modified'")[0]["n"] >= 3


def test_same_article_under_two_urls_is_stored_once(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        crawl(db, nukeviet_site(tmp_path, server))
        # the feed links 1662 with ?utm_source=rss&utm_medium=feed: canonicalised before fetching
        assert server.hit_count(NV[1662] + "?utm_source=rss&utm_medium=feed") == 0
        assert server.hit_count(NV[1662]) == 1
        docs = rows(db, "SELECT id, url, canonical_url FROM documents WHERE url LIKE '%-1671.html'")
        aliases = rows(db, "SELECT url_key FROM document_urls WHERE document_id = ?", docs[0]["id"])
        # the list page links the canonical URL of 1671: known, so never fetched
        assert server.hit_count(NV[1671]) == 0
    assert len(docs) == 1
    assert docs[0]["canonical_url"] == server.url(NV[1671])        # rel=canonical
    keys = {a["url_key"] for a in aliases}
    assert any(k.endswith(NV[1671]) for k in keys) and any(k.endswith(NV_1671_OTHER_CATEGORY) for k in keys)


def test_attachment_recorded_with_kind_size_status_and_bytes(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        crawl(db, nukeviet_site(tmp_path, server))
        assert server.hit_count(NV_PDF) == 1
        doc = next(d for d in store.iter_documents(db, with_attachments=True) if d.url.endswith(NV[1644]))
        content = store.attachment_bytes(db, server.url(NV_PDF))
    pdf = (FIXTURES / "nukeviet" / NV_PDF.lstrip("/")).read_bytes()
    (attachment,) = doc.attachments
    assert attachment["kind"] == "pdf" and attachment["status"] == "ok"
    assert attachment["size"] == len(pdf) and attachment["content_type"] == "application/pdf"
    assert content == pdf


def test_syndicated_copy_on_a_second_site_is_a_near_duplicate(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as nv, serve("wordpress") as wp:
        crawl(db, nukeviet_site(tmp_path, nv))
        report = crawl(db, make_site(tmp_path, wp, "wp", "wordpress", ["/category/khuyen-cong/"]))
        copy_url, original_url = wp.url(WP_COPY), nv.url(NV[1650])
    assert report.near_duplicates == 1
    links = rows(db, "SELECT d.url AS copy, o.url AS original, n.similarity FROM near_duplicates n"
                     " JOIN documents d ON d.id = n.document_id JOIN documents o ON o.id = n.original_id")
    assert [(link["copy"], link["original"]) for link in links] == [(copy_url, original_url)]
    assert 0.5 < links[0]["similarity"] < 1.0       # near, not exact: title, lead and sign-off differ
    kept = [d.url for d in store.iter_documents(db)]
    assert copy_url not in kept and original_url in kept
    assert copy_url in [d.url for d in store.iter_documents(db, include_duplicates=True)]
    # the other two WordPress posts are not duplicates of anything
    assert len([u for u in kept if u.startswith(wp.base)]) == 2


def test_wordpress_sitemap_index_and_category_paging(tmp_path):
    db = tmp_path / "c.db"
    with serve("wordpress") as wp:
        report = crawl(db, make_site(tmp_path, wp, "wp", "wordpress", ["/category/khuyen-cong/"]))
        log = rows(db, "SELECT event, url, reason FROM crawl_log WHERE event IN ('sitemap', 'no-sitemap')")
    assert report.ok, report.failures
    assert report.stored == 3
    urlset = [r["reason"] for r in log if r["url"].endswith("wp-sitemap-posts-post-1.xml")]
    # 2 came from the feed
    assert urlset == ["3 article URLs: 1 queued, 2 met earlier in this run, 0 known from earlier crawls, 0 before --since"]
    # a family sitemap template the site does not have is skipped, not a failure
    assert any(r["event"] == "no-sitemap" and r["url"].endswith("sitemap_index.xml") for r in log)


def test_liferay_list_paging_strips_jsessionid(tmp_path):
    db = tmp_path / "c.db"
    with serve("liferay") as server:
        report = crawl(db, make_site(tmp_path, server, "lf", "liferay", ["/web/guest/tin-tuc"]))
        paths = [path for path, _ in server.requests]
    docs = list(store.iter_documents(db))
    assert report.stored == 3 and len(docs) == 3
    assert not any("jsessionid" in p.lower() for p in paths)
    assert "/web/guest/tin-tuc?_101_INSTANCE_kc01_cur=2" in paths
    assert all("jsessionid" not in d.url and "jsessionid" not in d.canonical_url for d in docs)
    assert {d.published.date() for d in docs} == {date(2017, 8, 7), date(2018, 3, 22), date(2019, 5, 2)}


MOJIBAKE_MARKERS = ("Kờỡt", "NgaÌy", "Ã", "á»", "ðề")


def test_windows_1258_page_is_decoded_or_reported_never_mojibake(tmp_path):
    db = tmp_path / "c.db"
    with serve("sharepoint") as server:
        report = crawl(db, make_site(tmp_path, server, "sp", "sharepoint", ["/Pages/tin-tuc.aspx?CatId=97"]))
        legacy = server.url("/Pages/newsdetail.aspx?NewsId=2940&CatId=97")
    docs = {d.url: d for d in store.iter_documents(db)}
    assert server.url("/Pages/newsdetail.aspx?NewsId=2933&CatId=97") in docs
    for doc in docs.values():
        assert not any(m in doc.text or m in (doc.title or "") for m in MOJIBAKE_MARKERS), doc.url
    if legacy in docs:
        doc = docs[legacy]
        assert doc.title == "Kết quả triển khai các đề án khuyến công quốc gia năm 2015"
        assert "Đề án" in doc.text or "đề án" in doc.text
    else:
        assert any(url == legacy and "decode" in reason for url, reason in report.failures), report.failures


def test_max_pages_bounds_a_run_and_the_next_run_continues(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        first = crawl(db, site, max_pages=3)
        assert first.fetched == 3 and first.stopped_at_max_pages
        pending = rows(db, "SELECT COUNT(*) AS n FROM frontier WHERE state = 'pending'")[0]["n"]
        second = crawl(db, site)
        hits = [server.hit_count(path) for path in NV.values()]
        hits[3] += server.hit_count(NV_1671_OTHER_CATEGORY)
    assert pending > 0
    assert first.stored + second.stored == 7
    assert hits == [1] * 7
    assert len(rows(db, "SELECT id FROM documents")) == 7


class Crash(Exception):
    pass


def test_crawl_killed_midway_resumes_without_loss_duplicates_or_refetch(tmp_path):
    db = tmp_path / "c.db"
    stored = []

    def die_after_three(document_id, url):
        stored.append(url)
        if len(stored) == 3:
            raise Crash("killed")

    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        with pytest.raises(Crash):
            crawl(db, site, on_stored=die_after_three)
        after_crash = {d.url for d in store.iter_documents(db, include_duplicates=True)}
        report = crawl(db, site)
        hits = {number: server.hit_count(path) for number, path in NV.items()}
        hits_1671_other = server.hit_count(NV_1671_OTHER_CATEGORY)
        pdf_hits = server.hit_count(NV_PDF)
    assert len(after_crash) == 3
    docs = rows(db, "SELECT url, url_key FROM documents")
    assert len(docs) == 7 and len({d["url_key"] for d in docs}) == 7
    assert {d["url"] for d in docs} >= after_crash
    assert report.stored == 4
    # each article page was requested exactly once across the two runs (1671 via its other URL)
    assert hits.pop(1671) + hits_1671_other == 1
    assert set(hits.values()) == {1}
    assert pdf_hits == 1


def test_refresh_revalidates_stored_articles_and_updates_a_changed_one(tmp_path):
    import shutil

    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "nukeviet", root)
    db = tmp_path / "c.db"
    from server import FixtureServer

    with FixtureServer(root) as server:
        site = nukeviet_site(tmp_path, server)
        crawl(db, site)
        ids = {d.url: d.id for d in store.iter_documents(db)}
        page = root / NV[1662].lstrip("/")
        html = page.read_text(encoding="utf-8")
        changed = html.replace("<p>&nbsp;</p>", "<p>Đính chính: số liệu cập nhật ngày 10/10/2023.</p>", 1)
        assert changed != html
        page.write_text(changed, encoding="utf-8")
        server.reset_hits()
        report = crawl(db, site, refresh=True)
        conditional = [h for path, h in server.requests if path == NV[1644]]
    assert report.updated == 1 and report.not_modified >= 6
    assert conditional and "If-None-Match" in conditional[0]
    after = {d.url: d for d in store.iter_documents(db)}
    assert {url: d.id for url, d in after.items()} == ids              # same rows, nothing duplicated
    assert "Đính chính: số liệu cập nhật" in after[server.url(NV[1662])].text


def test_crawl_process_killed_with_sigkill_resumes_without_refetching_what_it_stored(tmp_path):
    """A real `kcextract crawl` process, killed -9 after two documents, then run again."""
    import signal
    import subprocess
    import time

    from conftest_crawl import write_site

    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site_file = write_site(tmp_path, server, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        command = [sys.executable, "-m", "kcextract", "crawl", "--site-file", str(site_file), "--db", str(db)]
        process = subprocess.Popen(command + ["--delay", "0.3"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        stored_before_kill = []
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists():
                try:
                    stored_before_kill = [r["url"] for r in rows(db, "SELECT url FROM documents")]
                except Exception:        # the database is being created
                    stored_before_kill = []
                if len(stored_before_kill) >= 2:
                    break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert 2 <= len(stored_before_kill) < 7, "the crawl finished before it could be killed"
        stored_at_kill = [r["url"] for r in rows(db, "SELECT url FROM documents")]
        finished = subprocess.run(command + ["--delay", "0"], capture_output=True, text=True, timeout=60)
        hits = {url: server.hit_count(url.replace(server.base, "")) for url in stored_at_kill}
    assert finished.returncode == 0, finished.stderr
    docs = rows(db, "SELECT url, url_key FROM documents")
    assert len(docs) == 7 and len({d["url_key"] for d in docs}) == 7
    assert set(stored_at_kill) <= {d["url"] for d in docs}
    assert set(hits.values()) == {1}            # nothing stored before the kill was fetched again
