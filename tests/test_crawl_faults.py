"""Faulty servers: each failure is retried or recorded with its reason, and the rest is still stored."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest_crawl import NV, NV_PDF, RecordingSleep, make_site, rows, serve, test_fetcher  # noqa: E402
from server import FIXTURES  # noqa: E402

from kcextract import store  # noqa: E402
from kcextract.crawl.crawler import crawl_site  # noqa: E402
from kcextract.crawl.fetcher import Fetcher, retry_after_seconds  # noqa: E402
from kcextract.exceptions import DisallowedByRobots, FetchError  # noqa: E402

FAULTY_FEED = "/vi/news/rss/su-co/"


@pytest.fixture()
def faulty_crawl(tmp_path):
    """Crawl the NukeViet fixture through its feed of faulty links; yields (server, report, db, sleeps)."""
    db = tmp_path / "c.db"
    sleep = RecordingSleep()
    with serve("nukeviet") as server:
        site = make_site(tmp_path, server, "faults", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"],
                         feeds=[FAULTY_FEED], sitemaps=["/no-sitemap.xml"])
        report = crawl_site(db, site, fetcher=test_fetcher(sleep=sleep), max_pages=12)
        yield server, report, db, sleep


def failure_reason(report, server, path):
    reasons = [reason for url, reason in report.failures if url == server.url(path)]
    assert reasons, f"no failure recorded for {path}: {report.failures}"
    return reasons[0]


def test_http_500_is_retried_then_recorded_and_the_crawl_goes_on(faulty_crawl):
    server, report, db, _ = faulty_crawl
    assert server.hit_count("/status/500") == 3                     # 1 + 2 retries, bounded
    assert failure_reason(report, server, "/status/500") == "HTTP 500 (after 3 attempts)"
    frontier = rows(db, "SELECT state, tries, last_error FROM frontier WHERE url = ?", server.url("/status/500"))
    assert frontier == [{"state": "failed", "tries": 1, "last_error": "HTTP 500 (after 3 attempts)"}]
    stored = {d.url for d in store.iter_documents(db)}
    assert server.url(NV[1662]) in stored                             # listed after the faulty links
    assert not report.ok


def test_truncated_body_is_detected(faulty_crawl):
    server, report, _, _ = faulty_crawl
    assert failure_reason(report, server, "/partial").startswith("truncated body: 16 of 1024 bytes")


def test_redirect_loop_is_recorded(faulty_crawl):
    server, report, _, _ = faulty_crawl
    reason = failure_reason(report, server, "/redirect-loop")
    assert reason.startswith("redirect loop: ") and reason.count("/redirect-loop") == 3
    assert server.hit_count("/redirect-loop") == 1


def test_503_with_retry_after_backs_off_then_succeeds(faulty_crawl):
    server, report, db, sleep = faulty_crawl
    flaky = "/flaky/bai-1644?status=503&times=1&after=1&then=" + NV[1644]
    assert server.hit_count(flaky) == 2
    assert any(wait >= 0.99 for wait in sleep.waits)                # Retry-After: 1 honoured
    docs = rows(db, "SELECT url, canonical_url FROM documents WHERE canonical_url = ?", server.url(NV[1644]))
    assert len(docs) == 1 and docs[0]["url"] == server.url(flaky)    # stored under its rel=canonical
    assert server.url(flaky) not in [u for u, _ in report.failures]
    log = rows(db, "SELECT event, status FROM crawl_log WHERE url = ? ORDER BY id", server.url(flaky))
    assert {"event": "backoff", "status": 503} in log


def test_non_html_at_an_article_url_is_kept_as_a_file(faulty_crawl):
    server, report, db, _ = faulty_crawl
    files = rows(db, "SELECT document_id, kind, size, status, content FROM attachments WHERE url = ?",
                 server.url(NV_PDF))
    pdf = (FIXTURES / "nukeviet" / NV_PDF.lstrip("/")).read_bytes()
    loose = [f for f in files if f["document_id"] is None]
    assert loose and loose[0]["kind"] == "pdf" and loose[0]["content"] == pdf and loose[0]["status"] == "ok"
    # the feed links a download URL that redirects to the PDF
    download = server.url("/redirect?to=" + NV_PDF + "&src=rss")
    reason = rows(db, "SELECT last_error FROM frontier WHERE url = ?", download)[0]["last_error"]
    assert reason.startswith("not an HTML page (application/pdf)")


def test_malformed_html_is_stored_or_recorded(faulty_crawl):
    server, report, db, _ = faulty_crawl
    url = server.url("/vi/news/su-co/trang-html-hong-1800.html")
    docs = [d for d in store.iter_documents(db) if d.url == url]
    if docs:
        assert "2.400 triệu đồng" in docs[0].text
    else:
        assert url in [u for u, _ in report.failures]


def test_missing_sitemap_is_skipped_not_failed(faulty_crawl):
    server, report, db, _ = faulty_crawl
    assert server.url("/no-sitemap.xml") not in [u for u, _ in report.failures]
    log = rows(db, "SELECT event FROM crawl_log WHERE url = ?", server.url("/no-sitemap.xml"))
    assert log == [{"event": "no-sitemap"}]


def test_failed_urls_are_retried_on_the_next_crawl_a_bounded_number_of_times(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = make_site(tmp_path, server, "faults", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"],
                         feeds=[FAULTY_FEED], sitemaps=["/no-sitemap.xml"])
        for _ in range(4):
            crawl_site(db, site, fetcher=test_fetcher(retries=0), max_pages=12)
        assert server.hit_count("/status/500") == 3                 # MAX_TRIES crawls, then left alone
    tries = rows(db, "SELECT tries, state FROM frontier WHERE url = ?", server.url("/status/500"))
    assert tries == [{"tries": 3, "state": "failed"}]


# -- the fetcher alone ----------------------------------------------------------------------------

def test_timeout_is_bounded_and_reported():
    with serve() as server:
        fetcher = test_fetcher(obey_robots=False, retries=1, timeout=0.3)
        with pytest.raises(FetchError) as err:
            fetcher.fetch(server.url("/slow?seconds=2"))
    assert err.value.reason == "timed out after 0.3 s (after 2 attempts)"


def test_429_without_retry_after_doubles_the_host_delay():
    sleep = RecordingSleep()
    with serve() as server:
        fetcher = test_fetcher(sleep=sleep, obey_robots=False, retries=2)
        with pytest.raises(FetchError) as err:
            fetcher.fetch(server.url("/status/429"))
    assert err.value.status == 429
    assert sleep.waits[:2] == pytest.approx([1.0, 2.0], abs=0.05)


def test_retry_after_beyond_the_cap_is_a_failure_not_a_long_sleep():
    sleep = RecordingSleep()
    with serve() as server:
        fetcher = test_fetcher(sleep=sleep, obey_robots=False, max_backoff=60)
        with pytest.raises(FetchError) as err:
            fetcher.fetch(server.url("/status/503?after=3600"))
        assert server.hit_count("/status/503?after=3600") == 1
    assert "retry after 3600 s" in err.value.reason
    assert all(wait < 60 for wait in sleep.waits)


def test_user_agent_names_the_tool_and_conditional_headers_are_sent():
    with serve("nukeviet") as server:
        fetcher = test_fetcher()
        first = fetcher.fetch(server.url("/vi/news/rss/"))
        again = fetcher.fetch(server.url("/vi/news/rss/"), etag=first.etag)
        since = fetcher.fetch(server.url("/vi/news/rss/"), last_modified=first.last_modified)
        headers = [h for path, h in server.requests if path == "/vi/news/rss/"]
    assert first.status == 200 and again.status == 304 and since.status == 304 and again.content == b""
    assert headers[0]["User-Agent"].startswith("kcextract/") and "khuyen cong" in headers[0]["User-Agent"]
    assert headers[1]["If-None-Match"] == first.etag
    assert headers[2]["If-Modified-Since"] == first.last_modified


def test_crawl_delay_from_robots_spaces_requests_to_the_host():
    sleep = RecordingSleep()
    with serve("nukeviet", robots="User-agent: *\nCrawl-delay: 2\n") as server:
        fetcher = test_fetcher(sleep=sleep)
        fetcher.fetch(server.url("/vi/news/rss/"))
        fetcher.fetch(server.url("/sitemap.xml"))
    assert fetcher.host_delay(server.base) == 2.0
    assert len(sleep.waits) == 2 and all(1.9 < w <= 2.0 for w in sleep.waits)   # after robots.txt, after rss


def test_default_delay_is_at_least_one_second():
    assert Fetcher().delay >= 1.0
    with pytest.raises(ValueError):
        Fetcher(delay=-1)


def test_robots_unreachable_means_fetch_nothing_from_that_host():
    events = []
    with serve(robots=None) as server:
        # a server without a fixture root answers 404 to robots.txt: everything allowed
        assert test_fetcher().fetch(server.url("/status/200")).status == 200
    with serve("nukeviet", robots=None) as server:
        fetcher = test_fetcher(on_event=lambda *e: events.append(e))
        fetcher.session.get = _robots_500(fetcher.session.get, server)
        with pytest.raises(DisallowedByRobots):
            fetcher.fetch(server.url("/vi/news/rss/"))
    assert events and events[0][0] == "robots-unreachable" and events[0][2] == 500


def _robots_500(get, server):
    """Send robots.txt requests to /status/500 (a server whose robots.txt is broken)."""
    def patched(url, *args, **kwargs):
        if url.endswith("/robots.txt"):
            url = server.url("/status/500")
        return get(url, *args, **kwargs)
    return patched


@pytest.mark.parametrize("value, seconds", [("0", 0.0), ("120", 120.0), (" 7 ", 7.0), ("", None), ("-1", None)])
def test_retry_after_values(value, seconds):
    assert retry_after_seconds(value) == seconds


def test_a_sites_own_delay_applies_to_its_host_only():
    sleep = RecordingSleep()
    with serve("nukeviet", robots="User-agent: *\nDisallow:\n") as server:
        fetcher = test_fetcher(sleep=sleep)
        fetcher.host_delays[server.base.split("//")[1]] = 1.5
        fetcher.fetch(server.url("/vi/news/rss/"))
        fetcher.fetch(server.url("/sitemap.xml"))
    assert fetcher.host_delay(server.base) == 1.5 and fetcher.host_delay("http://other.vn/") == 0
    assert len(sleep.waits) == 2 and all(1.4 < w <= 1.5 for w in sleep.waits)
