"""Several hosts crawled at once, one request at a time per host (issue 12).

Two loopback hosts, 127.0.0.1 and 127.0.0.2, each serve a fixture site; the servers keep a
timeline of the requests they answered, so the tests check the two properties themselves:
requests to different hosts overlap in time, requests to one host never do and keep the delay.
"""
from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from conftest_crawl import make_site, rows, serve, test_fetcher, write_site  # noqa: E402
from server import FIXTURES, FixtureServer  # noqa: E402

from kcextract.cli import cli  # noqa: E402
from kcextract.crawl.parallel import crawl_sites, host_groups  # noqa: E402

DELAY = 0.15


def one_at_a_time(timeline) -> bool:
    """No two answered requests of one server overlap (the server notes an answer's end a moment
    after sending it, so 30 ms of slack; the fetchers here wait at least 100 ms between requests)."""
    spans = sorted((start, end) for _, start, end in timeline)
    return all(later[0] >= earlier[1] - 0.03 for earlier, later in zip(spans, spans[1:]))


def window(timeline) -> tuple:
    return min(start for _, start, _ in timeline), max(end for _, _, end in timeline)


def test_two_hosts_are_crawled_at_the_same_time_each_one_request_at_a_time(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as nv, FixtureServer(FIXTURES / "wordpress", host="127.0.0.2") as wp:
        write_site(tmp_path, nv, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        write_site(tmp_path, wp, "wp", "wordpress", ["/category/khuyen-cong/"])
        result = CliRunner().invoke(cli, ["crawl", "--all", "--sites-dir", str(tmp_path), "--db", str(db),
                                          "--delay", str(DELAY), "--parallel", "2"], catch_exceptions=False)
        nv_times, wp_times = list(nv.timeline), list(wp.timeline)
    assert result.exit_code == 0, result.output
    assert "nv: 7 stored" in result.output and "wp: 3 stored" in result.output
    assert len(nv_times) > 10 and len(wp_times) > 5
    nv_start, nv_end = window(nv_times)
    wp_start, wp_end = window(wp_times)
    assert wp_start < nv_end and nv_start < wp_end           # the two crawls ran at the same time
    assert one_at_a_time(nv_times) and one_at_a_time(wp_times)
    for timeline in (nv_times, wp_times):                     # and each host kept its delay
        starts = sorted(start for _, start, _ in timeline)
        assert min(b - a for a, b in zip(starts, starts[1:])) >= DELAY * 0.9
    assert {r["site"] for r in rows(db, "SELECT DISTINCT site FROM documents")} == {"nv", "wp"}


def test_sites_sharing_a_host_are_one_group_crawled_in_turn(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as nv, FixtureServer(FIXTURES / "wordpress", host="127.0.0.2") as wp:
        news = make_site(tmp_path, nv, "nv-news", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        other = make_site(tmp_path, nv, "nv-other", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/page-2/"])
        press = make_site(tmp_path, wp, "wp", "wordpress", ["/category/khuyen-cong/"])
        groups = host_groups([news, press, other])
        outcomes = crawl_sites(db, [news, press, other], lambda group: test_fetcher(delay=0.1), workers=4)
        nv_times = list(nv.timeline)
    assert [[s.name for s in g] for g in groups] == [["nv-news", "nv-other"], ["wp"]]
    assert [o.site.name for o in outcomes] == ["nv-news", "wp", "nv-other"]
    assert all(o.error is None for o in outcomes)
    assert one_at_a_time(nv_times)


def test_a_busy_site_is_reported_and_the_others_are_crawled(tmp_path):
    from kcextract.store import Corpus

    db = tmp_path / "c.db"
    with serve("nukeviet") as nv, FixtureServer(FIXTURES / "wordpress", host="127.0.0.2") as wp:
        news = make_site(tmp_path, nv, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        press = make_site(tmp_path, wp, "wp", "wordpress", ["/category/khuyen-cong/"])
        holder = Corpus(db)
        holder.lock_site("nv", "another crawl")
        outcomes = crawl_sites(db, [news, press], lambda group: test_fetcher(), workers=2)
        holder.unlock_site("nv", "another crawl")
        holder.close()
    by_name = {o.site.name: o for o in outcomes}
    assert "is being crawled by process" in str(by_name["nv"].error)
    assert by_name["wp"].report.stored == 3


def test_stop_ends_each_crawl_after_its_current_page_and_keeps_the_rest_queued(tmp_path):
    import threading

    db = tmp_path / "c.db"
    stop = threading.Event()
    with serve("nukeviet") as nv:
        site = make_site(tmp_path, nv, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        (outcome,) = crawl_sites(db, [site], lambda group: test_fetcher(), stop=stop,
                                 on_progress=lambda site, kind, url, report: report.fetched >= 3 and stop.set())
    report = outcome.report
    assert report.stopped_on_request and report.fetched == 3 and report.problems == []
    assert "stopped on request; the rest stays queued" in report.summary()
    assert rows(db, "SELECT COUNT(*) AS n FROM frontier WHERE state = 'pending'")[0]["n"] > 0
    assert rows(db, "SELECT COUNT(*) AS n FROM frontier WHERE state = 'working'")[0]["n"] == 0


def test_deadline_option_reaches_the_fetcher(tmp_path):
    with FixtureServer(None, aliases={"/start/": "/links?n=1", "/tin-tuc/bai-0.html": "/drip"}) as server:
        write_site(tmp_path, server, "drip", "generic", ["/start/"], feeds=["/none.rss"], sitemaps=["/none.xml"],
                   article_url_pattern="/tin-tuc/bai-[0-9]+[.]html$")
        result = CliRunner().invoke(cli, ["crawl", "--site-file", str(tmp_path / "drip.toml"), "--db",
                                          str(tmp_path / "c.db"), "--delay", "0", "--deadline", "1"])
    assert result.exit_code == 1
    assert "no complete answer within 1 s" in " ".join(result.output.split())
