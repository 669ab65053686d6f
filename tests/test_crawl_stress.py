"""Stress cases of issue 9, against hostile endpoints of a local server on 127.0.0.1.

A gzip bomb (page and robots.txt), a server dripping one byte a second (page and robots.txt),
a list page of 10,000 links, endless "next page" chains, two crawl processes at once and a
50 MB page.  Limits are made small here (a 1 MB body cap, a 1-2 s deadline) so each case
takes seconds; memory is measured in a child process (its ``VmHWM``, the peak resident
size of its own address space: ``ru_maxrss`` would carry over the parent's peak through
exec), where nothing else of the test run counts.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest_crawl import make_site, rows, serve, test_fetcher  # noqa: E402
from server import FixtureServer, gzip_bomb  # noqa: E402

from kcextract.crawl import dedup  # noqa: E402
from kcextract.crawl.crawler import crawl_site  # noqa: E402

TESTS = Path(__file__).parent
MEMORY_LIMIT_MB = 300          # the bound on a crawl's peak memory


def list_site(tmp_path, server, start, **extra):
    """A generic site whose articles are /tin-tuc/bai-N.html (served by the hostile endpoints)."""
    extra.setdefault("article_url_pattern", "/tin-tuc/bai-[0-9]+[.]html$")
    extra.setdefault("feeds", [])
    extra.setdefault("sitemaps", [])
    return make_site(tmp_path, server, "stress", "generic", [start], **extra)


def bounded(seconds, target, *args, **kwargs):
    """Run ``target`` in a thread; fail the test if it has not finished in ``seconds`` (no hang)."""
    result, error = [], []

    def work():
        try:
            result.append(target(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            error.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if error:
        raise error[0]
    return result[0]


CHILD = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, {tests!r})

    def peak_mb():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    from server import FixtureServer, gzip_bomb
    from conftest_crawl import make_site, test_fetcher
    from kcextract.crawl.crawler import crawl_site
    gzip_bomb(1024)
    aliases = {aliases!r}
    with FixtureServer(None, aliases=aliases) as server:
        site = make_site(__import__("pathlib").Path({tmp!r}), server, "stress", "generic", [{start!r}],
                         article_url_pattern="/tin-tuc/bai-[0-9]+[.]html$|/bomb|/big", feeds=[], sitemaps=[])
        started = time.monotonic()
        report = crawl_site({db!r}, site, fetcher=test_fetcher(**{{"timeout": 2, "deadline": 5, **{fetcher!r}}}))
        print(json.dumps({{"seconds": time.monotonic() - started, "stored": report.stored,
                           "failures": report.failures, "problems": report.problems,
                           "peak_mb": peak_mb()}}))
""")


def crawl_in_child(tmp_path, start, aliases=None, **fetcher):
    """Crawl in a fresh Python process; returns its report and peak resident memory (MB)."""
    code = CHILD.format(tests=str(TESTS), tmp=str(tmp_path), db=str(tmp_path / "c.db"), start=start,
                        aliases=aliases or {}, fetcher=fetcher)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- gzip bombs -------------------------------------------------------------------------------
def test_gzip_bomb_page_is_recorded_as_too_large_in_bounded_memory(tmp_path):
    # 1 MB on the wire, 1 GB inflated; the cap is 1 MB of inflated bytes
    bomb = crawl_in_child(tmp_path, "/start/", aliases={"/start/": "/links?n=2", "/tin-tuc/bai-0.html": "/bomb?mb=1024"},
                          max_bytes=1 << 20)
    reasons = [reason for url, reason in bomb["failures"] if url.endswith("/tin-tuc/bai-0.html")]
    assert len(reasons) == 1 and "inflate to more than 1048576 bytes" in reasons[0], bomb["failures"]
    assert bomb["stored"] == 1                                   # bai-1 after the bomb
    assert bomb["peak_mb"] < MEMORY_LIMIT_MB, bomb


def test_gzip_bomb_article_fails_with_its_reason_is_not_retried_and_the_rest_is_stored(tmp_path):
    gzip_bomb(256)
    with FixtureServer(None) as server:
        server.aliases["/start/"] = "/links?n=3"
        server.aliases["/tin-tuc/bai-1.html"] = "/bomb?mb=256"
        site = list_site(tmp_path, server, "/start/")
        report = bounded(60, crawl_site, tmp_path / "c.db", site, fetcher=test_fetcher(max_bytes=1 << 20))
        again = bounded(60, crawl_site, tmp_path / "c.db", site, fetcher=test_fetcher(max_bytes=1 << 20))
    assert report.stored == 2                                 # bai-0 and bai-2
    (reason,) = [r for url, r in report.failures if url.endswith("/tin-tuc/bai-1.html")]
    assert reason.startswith("too large: ") and "inflate to more than 1048576 bytes" in reason
    frontier = rows(tmp_path / "c.db", "SELECT state, tries FROM frontier WHERE url LIKE '%bai-1.html'")
    assert frontier == [{"state": "failed", "tries": 3}]       # as large next time: left alone
    assert again.stored == 0 and again.failures == [] and server.hit_count("/tin-tuc/bai-1.html") == 1


def test_gzip_bomb_as_robots_txt_reads_only_the_first_bytes(tmp_path):
    result = crawl_in_child(tmp_path, "/start/", aliases={"/robots.txt": "/bomb?mb=1024", "/start/": "/links?n=2"},
                            robots_max_bytes=64 * 1024)
    assert result["stored"] == 2, result                      # 64 KiB of zeros: no rule, everything allowed
    assert result["peak_mb"] < MEMORY_LIMIT_MB, result


# -- drip servers ------------------------------------------------------------------------------
def test_page_dripping_one_byte_a_second_fails_at_the_deadline(tmp_path):
    with FixtureServer(None, aliases={"/start/": "/links?n=2", "/tin-tuc/bai-0.html": "/drip"}) as server:
        site = list_site(tmp_path, server, "/start/")
        started = time.monotonic()
        report = bounded(30, crawl_site, tmp_path / "c.db", site,
                         fetcher=test_fetcher(timeout=5, deadline=1.5, retries=0))
        elapsed = time.monotonic() - started
    (reason,) = [r for url, r in report.failures if url.endswith("bai-0.html")]
    assert reason == "no complete answer within 1.5 s (deadline for connect, headers and body)"
    assert report.stored == 1 and elapsed < 15                  # bai-1 stored; no 20 s drip waited out


def test_status_line_dripping_fails_at_the_deadline(tmp_path):
    with FixtureServer(None, aliases={"/start/": "/links?n=1", "/tin-tuc/bai-0.html": "/drip-headers"}) as server:
        site = list_site(tmp_path, server, "/start/")
        report = bounded(30, crawl_site, tmp_path / "c.db", site,
                         fetcher=test_fetcher(timeout=5, deadline=1.5, retries=0))
    assert [r for _, r in report.failures if "no complete answer within 1.5 s" in r]


def test_robots_txt_dripping_is_a_site_problem_not_a_hang(tmp_path):
    with FixtureServer(None, aliases={"/robots.txt": "/drip", "/start/": "/links?n=2"}) as server:
        site = list_site(tmp_path, server, "/start/")
        report = bounded(30, crawl_site, tmp_path / "c.db", site,
                         fetcher=test_fetcher(timeout=5, deadline=1.5, retries=0, obey_robots=True))
        hits = server.hit_count("/tin-tuc/bai-0.html")
    assert not report.ok and hits == 0
    (problem,) = report.problems
    assert "robots.txt unreachable (no complete answer within 1.5 s" in problem and "fetching nothing" in problem
    runs = rows(tmp_path / "c.db", "SELECT ok, problems FROM crawl_runs")
    assert runs[0]["ok"] == 0 and "robots.txt unreachable" in runs[0]["problems"]


# -- discovery ---------------------------------------------------------------------------------
def test_list_page_of_10000_links_is_parsed_and_queued(tmp_path):
    with FixtureServer(None, aliases={"/start/": "/links?n=10000"}) as server:
        site = list_site(tmp_path, server, "/start/")
        report = bounded(60, crawl_site, tmp_path / "c.db", site, fetcher=test_fetcher(), max_pages=5)
    queued = rows(tmp_path / "c.db", "SELECT COUNT(*) AS n FROM frontier WHERE kind = 'article'")[0]["n"]
    assert report.stopped_at_max_pages and queued == 10000
    log = rows(tmp_path / "c.db", "SELECT reason FROM crawl_log WHERE event = 'list'")
    assert log[0]["reason"].startswith("10000 links: 10000 queued")


def test_endless_next_page_repeating_its_links_stops_at_the_first_page_adding_nothing(tmp_path):
    with FixtureServer(None, aliases={"/start/": "/endless/page-1/"}) as server:
        site = list_site(tmp_path, server, "/endless/page-1/")
        report = bounded(60, crawl_site, tmp_path / "c.db", site, fetcher=test_fetcher())
        pages = [p for p, _ in server.requests if p.startswith("/endless/")]
    assert pages == ["/endless/page-1/", "/endless/page-2/"]
    assert report.stored == 3 and report.ok
    reasons = [r["reason"] for r in rows(tmp_path / "c.db", "SELECT reason FROM crawl_log WHERE event = 'list'")]
    assert reasons[-1].endswith("not paging further: this page adds no new article URL")


def test_endless_next_page_with_new_links_stops_at_max_list_pages(tmp_path):
    with FixtureServer(None) as server:
        site = list_site(tmp_path, server, "/endless-new/page-1/", max_list_pages=5)
        report = bounded(60, crawl_site, tmp_path / "c.db", site, fetcher=test_fetcher())
        pages = [p for p, _ in server.requests if p.startswith("/endless-new/")]
    assert pages == [f"/endless-new/page-{n}/" for n in range(1, 6)]
    assert report.stored == 5
    reasons = [r["reason"] for r in rows(tmp_path / "c.db", "SELECT reason FROM crawl_log WHERE event = 'list'")]
    assert reasons[-1].endswith("not paging further: 5 list pages followed (max_list_pages)")


def test_default_list_depth_is_set_and_a_site_file_can_change_it(tmp_path):
    from kcextract.sites import DEFAULT_MAX_LIST_PAGES

    with FixtureServer(None) as server:
        assert list_site(tmp_path, server, "/").max_list_pages == DEFAULT_MAX_LIST_PAGES == 100
        assert list_site(tmp_path, server, "/", max_list_pages=7).max_list_pages == 7


# -- two processes at once ---------------------------------------------------------------------
def crawl_command(db, site_file, *extra):
    return [sys.executable, "-m", "kcextract", "crawl", "--site-file", str(site_file), "--db", str(db), *extra]


def locked(db) -> bool:
    """True once a crawl holds a site lock in ``db`` (False while the file is still being made)."""
    import sqlite3

    try:
        return db.exists() and bool(rows(db, "SELECT 1 FROM crawl_locks"))
    except sqlite3.Error:
        return False


def test_two_crawls_of_one_site_at_once_the_second_refuses_at_once(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        from conftest_crawl import write_site

        site_file = write_site(tmp_path, server, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        first = subprocess.Popen(crawl_command(db, site_file, "--delay", "0.3"), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not locked(db):
                time.sleep(0.05)
            started = time.monotonic()
            second = subprocess.run(crawl_command(db, site_file, "--delay", "0"), capture_output=True, text=True,
                                    timeout=60)
            refused_in = time.monotonic() - started
            out, err = first.communicate(timeout=90)
        finally:
            first.kill()
        article_hits = {path: n for path, n in server.hits.items() if path.endswith(".html")}
    assert first.returncode == 0, err
    assert second.returncode == 1
    assert "is being crawled by process" in second.stderr and "Traceback" not in second.stderr
    assert refused_in < 15                                         # at once: no waiting for the first
    assert set(article_hits.values()) == {1}                        # nothing fetched twice
    assert len(rows(db, "SELECT id FROM documents")) == 7


def test_two_processes_crawling_two_sites_into_one_corpus_both_finish(tmp_path):
    db = tmp_path / "c.db"
    from conftest_crawl import write_site

    with serve("nukeviet") as nv, serve("wordpress") as wp:
        nv_file = write_site(tmp_path, nv, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        wp_file = write_site(tmp_path, wp, "wp", "wordpress", ["/category/khuyen-cong/"])
        procs = [subprocess.Popen(crawl_command(db, f, "--delay", "0.05"), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for f in (nv_file, wp_file)]
        outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all("Traceback" not in err and "locked" not in err for _, err in outputs)
    sites = rows(db, "SELECT site, COUNT(*) AS n FROM documents GROUP BY site ORDER BY site")
    assert sites == [{"site": "nv", "n": 7}, {"site": "wp", "n": 3}]


# -- a 50 MB page ------------------------------------------------------------------------------
def test_50_mb_page_is_refused_at_the_default_cap_in_bounded_memory(tmp_path):
    # (a read timeout and deadline long enough for a loaded machine: what is tested is the size cap)
    result = crawl_in_child(tmp_path, "/start/", aliases={"/start/": "/links?n=1", "/tin-tuc/bai-0.html": "/big?mb=50"},
                            timeout=20, deadline=60)
    assert result["peak_mb"] < MEMORY_LIMIT_MB, result
    reasons = [r for _, r in result["failures"]]
    assert any(r.startswith("too large: ") for r in reasons), reasons


def test_a_big_page_under_the_caps_is_stored_and_markup_past_the_tag_limit_refused(tmp_path):
    from kcextract.crawl.crawler import MAX_TAGS

    result = crawl_in_child(tmp_path, "/start/", aliases={"/start/": "/links?n=2", "/tin-tuc/bai-0.html": "/big?mb=1.5",
                                                          "/tin-tuc/bai-1.html": "/big?mb=4.5"})
    assert result["stored"] == 1, result                       # 1.5 MB, ~30,000 tags: parsed
    (reason,) = [r for url, r in result["failures"] if url.endswith("bai-1.html")]
    assert reason.startswith("too complex to parse: ") and reason.endswith(f"tags (limit {MAX_TAGS})")
    assert result["peak_mb"] < MEMORY_LIMIT_MB, result


SIGNATURE_CHILD = textwrap.dedent("""
    import sys, tracemalloc
    sys.path.insert(0, {tests!r})
    from server import big_page
    from kcextract.crawl import dedup
    text = big_page({mb}).decode()
    tracemalloc.start()
    dedup.content_hash(text)
    dedup.signature(dedup.shingles(text))
    print(tracemalloc.get_traced_memory()[1] / 2 ** 20)
""")


def test_near_duplicate_signature_costs_the_same_memory_for_2_and_20_mb(tmp_path):
    peaks = []
    for mb in (2, 20):
        done = subprocess.run([sys.executable, "-c", SIGNATURE_CHILD.format(tests=str(TESTS), mb=mb)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        peaks.append(float(done.stdout))
    assert peaks[1] < 64 and abs(peaks[1] - peaks[0]) < 4, peaks     # MB beyond the text itself


def test_hash_of_a_big_text_is_the_hash_of_its_normalised_form():
    import hashlib

    text = " ".join(f"Đoạn {i}  về KHUYẾN công\n" for i in range(200_000))
    expected = hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()
    assert dedup.content_hash(text) == expected
    assert len(dedup.words(text)) == dedup.MAX_WORDS

