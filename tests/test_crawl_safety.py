"""What must hold for a crawler left running for months (issue 9), short of the stress cases.

Redirects stay on the site; a page that crashes is recorded and the crawl goes on; the
corpus is shared safely (no transaction across a network wait, read-only readers, a busy
lock is a message); honest exit statuses; a few broken bytes do not cost an article; text
from the web is never markup; a changed article keeps its history.  Every server is local
(127.0.0.1 and 127.0.0.2) and every crawl is bounded.
"""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from conftest_crawl import NV, WP_COPY, make_site, rows, serve, test_fetcher, write_site  # noqa: E402
from server import FIXTURES, FixtureServer  # noqa: E402

from kcextract import store  # noqa: E402
from kcextract.cli import cli  # noqa: E402
from kcextract.crawl import crawler as crawler_module  # noqa: E402
from kcextract.crawl.crawler import Crawler, crawl_site  # noqa: E402
from kcextract.crawl.fetcher import Fetcher  # noqa: E402
from kcextract.exceptions import CorpusBusy, CorpusError  # noqa: E402
from kcextract.store import Corpus  # noqa: E402

LIST = "/vi/news/hoat-dong-khuyen-cong/"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def flat(result) -> str:
    """The command's output with the terminal's line wrapping undone."""
    return " ".join(result.output.split())


def nukeviet_site(tmp_path, server, **extra):
    return make_site(tmp_path, server, "nv", "nukeviet", [LIST], **extra)


def copy_site(tmp_path, family="nukeviet") -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / family, root)
    return root


# -- redirects stay on the site ---------------------------------------------------------------
def test_redirect_to_another_host_is_refused_and_recorded_with_its_target(tmp_path):
    with serve("nukeviet") as site_server, FixtureServer(FIXTURES / "nukeviet", host="127.0.0.2") as other:
        target = other.url(NV[1644])
        site_server.aliases[NV[1650]] = "/redirect?to=" + target
        report = crawl_site(tmp_path / "c.db", nukeviet_site(tmp_path, site_server), fetcher=test_fetcher())
        other_hits = dict(other.hits)
    (reason,) = [r for url, r in report.failures if url == site_server.url(NV[1650])]
    assert reason == f"redirect refused: another host: {target}"
    assert other_hits == {}                                 # neither the page nor its robots.txt
    log = rows(tmp_path / "c.db", "SELECT event, reason FROM crawl_log WHERE event = 'redirect-refused'")
    assert log == [{"event": "redirect-refused", "reason": reason}]
    assert len(rows(tmp_path / "c.db", "SELECT id FROM documents")) == 6


def test_redirect_to_a_host_the_site_file_lists_is_followed(tmp_path):
    with serve("nukeviet") as site_server, FixtureServer(FIXTURES / "nukeviet", host="127.0.0.2") as other:
        site_server.aliases[NV[1650]] = "/redirect?to=" + other.url(NV[1650])
        site = nukeviet_site(tmp_path, site_server, allowed_hosts=[f"127.0.0.2:{other.port}"])
        report = crawl_site(tmp_path / "c.db", site, fetcher=test_fetcher())
        assert other.hit_count(NV[1650]) == 1
    assert report.ok, report.failures


@pytest.mark.parametrize("source, target, refused", [
    ("http://sct.gov.vn/a", "http://10.0.0.7/admin", "from a public address to a private"),
    ("http://sct.gov.vn/a", "http://169.254.169.254/latest/meta-data", "from a public address to a private"),
    ("http://sct.gov.vn/a", "http://intranet.sct.gov.vn/x", "another host"),
    ("http://sct.gov.vn/a", "http://www.sct.gov.vn/b", None),                 # a mirror of the site
    ("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b", None),             # private to private
    ("http://sct.gov.vn/a", "file:///etc/passwd", "not an http(s) URL"),
])
def test_redirect_rule(source, target, refused):
    # names resolve through a table, so this asks no DNS server and sends nothing anywhere
    table = {"sct.gov.vn": ["203.162.0.10"], "www.sct.gov.vn": ["203.162.0.10"], "intranet.sct.gov.vn": ["10.1.1.1"]}
    fetcher = Fetcher(delay=0, resolve=lambda host: table[host])
    hosts = {"sct.gov.vn", "10.0.0.7", "169.254.169.254", "127.0.0.1:8080"}
    why = fetcher._refuse_redirect(source, target, hosts)
    assert (why is None) if refused is None else (why is not None and why.startswith(refused))


# -- a page that crashes is recorded; a restart never dies on it first ---------------------------
def test_a_page_that_crashes_the_parser_is_recorded_and_the_crawl_goes_on(tmp_path, monkeypatch):
    from kcextract import htmltext

    real = htmltext.parse_article

    def explode_on_1662(html, url, site=None):
        if url.endswith("-1662.html"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(html, url, site=site)

    monkeypatch.setattr(htmltext, "parse_article", explode_on_1662)
    with serve("nukeviet") as server:
        report = crawl_site(tmp_path / "c.db", nukeviet_site(tmp_path, server), fetcher=test_fetcher())
    (reason,) = [r for url, r in report.failures if url.endswith("-1662.html")]
    assert reason == "cannot parse the article: RecursionError: maximum recursion depth exceeded"
    assert report.stored == 6


class Killed(BaseException):
    """Stands for the process dying (kill -9, out of memory) while it handles a page."""


def dying_on_1644(monkeypatch, times=None) -> list:
    """Make the crawler die while it handles article 1644, ``times`` times (None: every time);
    the returned list grows by one URL per death."""
    real = Crawler._article
    deaths = []

    def die(self, row):
        if row["url"].endswith("-1644.html") and (times is None or len(deaths) < times):
            deaths.append(row["url"])
            raise Killed()
        return real(self, row)

    monkeypatch.setattr(Crawler, "_article", die)
    return deaths


def test_a_page_the_crawl_died_on_is_named_and_retried_only_after_the_rest(tmp_path, monkeypatch):
    dying_on_1644(monkeypatch, times=1)
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        with pytest.raises(Killed):
            crawl_site(db, site, fetcher=test_fetcher())
        working = rows(db, "SELECT state, tries FROM frontier WHERE url LIKE '%-1644.html'")
        assert working == [{"state": "working", "tries": 1}]          # the attempt was counted first
        order = []
        report = crawl_site(db, site, fetcher=test_fetcher(), on_stored=lambda i, url: order.append(url))
    assert report.interrupted == 1 and report.stored == 7
    assert order[-1].endswith("-1644.html")                          # after every other page
    log = rows(db, "SELECT reason FROM crawl_log WHERE event = 'interrupted'")
    assert "stopped while handling this URL (attempt 1)" in log[0]["reason"]


def test_a_page_that_was_being_fetched_at_two_kills_is_still_collected(tmp_path, monkeypatch):
    """Two unlucky kills (a cron timeout, a reboot) on the same slow page do not lose it."""
    deaths = dying_on_1644(monkeypatch, times=2)
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        for _ in range(2):
            with pytest.raises(Killed):
                crawl_site(db, site, fetcher=test_fetcher())
        report = crawl_site(db, site, fetcher=test_fetcher())
    assert report.ok and len(deaths) == 2
    assert rows(db, "SELECT state FROM frontier WHERE url LIKE '%-1644.html'") == [{"state": "done"}]
    assert len(rows(db, "SELECT id FROM documents")) == 7


def test_a_page_the_crawl_dies_on_every_time_is_left_alone_after_its_tries(tmp_path, monkeypatch):
    dying_on_1644(monkeypatch)
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        for _ in range(crawler_module.MAX_TRIES):
            with pytest.raises(Killed):
                crawl_site(db, site, fetcher=test_fetcher())
        report = crawl_site(db, site, fetcher=test_fetcher())           # no further death
    assert report.interrupted == 1 and report.ok
    assert len(rows(db, "SELECT id FROM documents")) == 6           # every other page
    assert rows(db, "SELECT state, tries FROM frontier WHERE url LIKE '%-1644.html'") == \
        [{"state": "failed", "tries": crawler_module.MAX_TRIES}]


# -- the corpus shared between processes ---------------------------------------------------------
class Watch:
    """Records whether the corpus had an open transaction at each network request and sleep."""

    def __init__(self):
        self.corpus = None
        self.seen: list = []

    def check(self, what):
        if self.corpus is not None:
            self.seen.append((what, self.corpus.conn.in_transaction))


def test_no_transaction_stays_open_across_a_fetch_or_a_sleep(tmp_path, monkeypatch):
    watch = Watch()
    real_init = Corpus.__init__

    def remember(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        watch.corpus = self

    monkeypatch.setattr(Corpus, "__init__", remember)
    fetcher = test_fetcher(sleep=lambda s: watch.check("sleep"))
    real_get = fetcher.session.get

    def get(*args, **kwargs):
        watch.check("request")
        return real_get(*args, **kwargs)

    fetcher.session.get = get
    with serve("nukeviet") as server:
        site = make_site(tmp_path, server, "faults", "nukeviet", [LIST], feeds=["/vi/news/rss/su-co/"])
        crawl_site(tmp_path / "c.db", site, fetcher=fetcher, refresh=False)
        crawl_site(tmp_path / "c.db", site, fetcher=fetcher, refresh=True)
    assert len([w for w, _ in watch.seen if w == "sleep"]) >= 2      # the backoffs of the faulty feed
    assert len(watch.seen) > 20
    assert not [w for w in watch.seen if w[1]], "a transaction was open during a network wait"


def test_readers_work_while_a_crawl_waits_out_a_retry_after(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = make_site(tmp_path, server, "nv", "nukeviet", [LIST], feeds=["/flaky/a?status=503&times=1&after=2"
                                                                               "&then=/vi/news/rss/"])
        crawl_site(db, site, fetcher=test_fetcher(), max_pages=1)        # the corpus exists
        worker = threading.Thread(target=crawl_site, args=(db, site),
                                  kwargs={"fetcher": test_fetcher(sleep=time.sleep)}, daemon=True)
        worker.start()
        while worker.is_alive() and not rows(db, "SELECT 1 FROM crawl_log WHERE event = 'backoff'"):
            time.sleep(0.05)
        started = time.monotonic()
        stats = run("corpus", "stats", "--db", db)
        listed = run("extract", "--db", db, "--format", "jsonl")
        elapsed = time.monotonic() - started
        worker.join(30)
    assert stats.exit_code == 0 and "locked" not in stats.output
    assert "locked" not in listed.output
    assert elapsed < 10                      # no 30 s wait for a lock held across the backoff


def test_a_lock_held_past_the_busy_timeout_is_one_clear_line(tmp_path, monkeypatch):
    db = tmp_path / "c.db"
    Corpus(db).close()
    blocker = sqlite3.connect(db)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CorpusBusy, match="the corpus is busy"):
            corpus = Corpus(db, busy_timeout=0.2)
            corpus.log("s", "u", "event")
            corpus.commit()
        monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
        with serve("nukeviet") as server:
            write_site(tmp_path, server, "nv", "nukeviet", [LIST])
            result = run("crawl", "--site-file", tmp_path / "nv.toml", "--db", db, "--delay", "0")
        stats = run("corpus", "stats", "--db", db)             # a reader is never blocked (WAL)
    finally:
        blocker.rollback()
        blocker.close()
    assert result.exit_code == 1
    assert "c.db: the corpus is busy" in flat(result) and "Traceback" not in result.output
    assert stats.exit_code == 0


def test_a_second_crawl_of_the_same_site_refuses_at_once_and_a_dead_ones_lock_is_taken_over(tmp_path):
    import subprocess

    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        holder = Corpus(db)
        holder.lock_site("nv", "someone-else")
        started = time.monotonic()
        with pytest.raises(CorpusBusy, match=r"site 'nv' is being crawled by process \d+"):
            crawl_site(db, site, fetcher=test_fetcher())
        assert time.monotonic() - started < 2 and server.hit_count("/robots.txt") == 0
        holder.unlock_site("nv", "someone-else")
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        holder.conn.execute("UPDATE crawl_locks SET pid = ? WHERE site = 'nv'", (dead.pid,))
        holder.lock_site("nv", "ghost")
        holder.conn.execute("UPDATE crawl_locks SET pid = ?", (dead.pid,))
        holder.commit()
        report = crawl_site(db, site, fetcher=test_fetcher())
        holder.lock_site("nv", "ghost")                       # a live pid, but not the process that locked
        holder.conn.execute("UPDATE crawl_locks SET pid_start = '1'")
        holder.commit()
        holder.close()
        again = crawl_site(db, site, fetcher=test_fetcher())
    assert report.stored == 7 and again.ok
    assert rows(db, "SELECT * FROM crawl_locks") == []


# -- read-only commands and files that are not a corpus -------------------------------------------
def corpus_file(tmp_path) -> Path:
    db = tmp_path / "c.db"
    corpus = Corpus(db)
    corpus.insert_document(url="http://a.vn/1", canonical_url="http://a.vn/1", url_key="a.vn/1", site="a",
                           title="Bài [/b] một", content_hash="h1", text="Hỗ trợ 12 cơ sở với 1.250 triệu đồng.")
    corpus.close()
    return db


READERS = [
    ("corpus", "stats", "--db"),
    ("corpus", "list", "--format", "table", "--db"),
    ("extract", "--format", "jsonl", "--db"),
    ("verify", "--format", "jsonl", "--db"),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_read_only_commands_change_nothing_in_a_corpus(tmp_path, command):
    db = corpus_file(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = digest(db)
    result = run(*command, db)
    assert result.exit_code in (0, 1), result.output
    assert digest(db) == before


def foreign_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE birds (name TEXT)")
    conn.execute("INSERT INTO birds VALUES ('chim sẻ')")
    conn.commit()
    conn.close()
    return path


def damaged_corpus(tmp_path) -> Path:
    db = corpus_file(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xde\xad" * 2048                       # page 2 overwritten
    bad = tmp_path / "damaged.db"
    bad.write_bytes(bytes(data))
    return bad


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


FILES = {
    "empty file": lambda tmp: written(tmp / "empty.db", b""),
    "text file": lambda tmp: written(tmp / "notes.db", "Ghi chú: không phải cơ sở dữ liệu\n".encode() * 200),
    "other sqlite": lambda tmp: foreign_sqlite(tmp / "birds.db"),
    "damaged corpus": damaged_corpus,
}


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_file_that_is_not_a_corpus_gives_one_line_and_is_left_alone(tmp_path, kind, command):
    path = FILES[kind](tmp_path)
    before = digest(path)
    result = run(*command, path)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    output = flat(result)
    assert f"{path}: not a kcextract corpus" in output or f"{path}: damaged database" in output, output
    assert digest(path) == before
    assert not Path(str(path) + "-wal").exists() or kind == "damaged corpus"


@pytest.mark.parametrize("kind", ["text file", "other sqlite"])
def test_crawl_refuses_to_write_into_a_file_that_is_not_a_corpus(tmp_path, kind):
    path = FILES[kind](tmp_path)
    before = digest(path)
    with serve("nukeviet") as server:
        write_site(tmp_path, server, "nv", "nukeviet", [LIST])
        result = run("crawl", "--site-file", tmp_path / "nv.toml", "--db", path, "--delay", "0")
    assert result.exit_code == 1 and f"{path}: not a kcextract corpus" in flat(result)
    assert digest(path) == before


def test_open_readonly_names_the_file(tmp_path):
    with pytest.raises(CorpusError, match=r"birds\.db: not a kcextract corpus \(an SQLite database with tables birds"):
        Corpus.open_readonly(foreign_sqlite(tmp_path / "birds.db"))
    with pytest.raises(FileNotFoundError, match="nope.db: no corpus database here"):
        Corpus.open_readonly(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


# -- honest outcomes ------------------------------------------------------------------------------
def test_robots_txt_answering_500_is_a_failure_on_screen_and_in_stats(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        server.aliases["/robots.txt"] = "/status/500"
        write_site(tmp_path, server, "nv", "nukeviet", [LIST])
        result = run("crawl", "--site-file", tmp_path / "nv.toml", "--db", db, "--delay", "0")
        article_hits = sum(server.hit_count(p) for p in NV.values())
    stats = run("corpus", "stats", "--db", db)
    assert result.exit_code == 1 and article_hits == 0
    assert "robots.txt answered HTTP 500: fetching nothing from 127.0.0.1" in flat(result)
    assert "robots.txt answered HTTP 500" in flat(stats) and "failures" in stats.output


def test_a_start_url_disallowed_by_robots_is_a_failure(tmp_path):
    with serve("nukeviet", robots=f"User-agent: *\nDisallow: {LIST}\n") as server:
        write_site(tmp_path, server, "nv", "nukeviet", [LIST], feeds=["/none.rss"], sitemaps=["/none.xml"])
        result = run("crawl", "--site-file", tmp_path / "nv.toml", "--db", tmp_path / "c.db", "--delay", "0")
    assert result.exit_code == 1
    assert f"start URL {server.url(LIST)} is disallowed by robots.txt" in flat(result)


def test_a_site_that_yields_nothing_is_a_failure(tmp_path):
    with serve("nukeviet", robots="User-agent: *\nDisallow:\n") as server:
        write_site(tmp_path, server, "nv", "nukeviet", ["/khong-co/"], feeds=["/none.rss"], sitemaps=["/none.xml"])
        result = run("crawl", "--site-file", tmp_path / "nv.toml", "--db", tmp_path / "c.db", "--delay", "0")
    assert result.exit_code == 1 and "problem: nothing collected" in flat(result)


def test_repeated_small_runs_make_progress_past_the_probes(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site = nukeviet_site(tmp_path, server)
        stored = []
        for _ in range(12):
            report = crawl_site(db, site, fetcher=test_fetcher(), max_pages=2)
            stored.append(len(rows(db, "SELECT id FROM documents")))
        probe_hits = server.hit_count("/vi/news/rss/")
    assert stored[-1] == 7 and report.ok                       # every article, page-4's included
    assert stored == sorted(stored) and len(set(stored)) >= 4  # each run added something until done
    assert probe_hits <= 3                                     # the feed re-read once per pass, not per run


# -- partial damage, text not markup ----------------------------------------------------------------
def test_a_page_with_a_broken_byte_is_kept_with_the_damage_counted(tmp_path):
    root = copy_site(tmp_path)
    page = root / NV[1662].lstrip("/")
    data = page.read_bytes()
    cut = data.rindex("9 tháng đầu năm".encode())           # in the article body
    page.write_bytes(data[:cut] + b"\xff" + data[cut:])
    with FixtureServer(root) as server:
        report = crawl_site(tmp_path / "c.db", nukeviet_site(tmp_path, server), fetcher=test_fetcher())
    assert report.ok and report.stored == 7 and report.repaired == 1
    doc = rows(tmp_path / "c.db", "SELECT text, warnings FROM documents WHERE url LIKE '%-1662.html'")[0]
    assert "\ufffd" in doc["text"] and "9 tháng đầu năm" in doc["text"]
    assert "1 undecodable byte sequence(s) replaced by U+FFFD" in doc["warnings"]


def test_markup_in_titles_and_site_names_is_printed_as_text(tmp_path):
    root = copy_site(tmp_path)
    page = root / NV[1644].lstrip("/")
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Hỗ trợ 5 cơ sở", "[/b][bold red]Hỗ trợ 5 cơ sở"), encoding="utf-8")
    db = tmp_path / "c.db"
    with FixtureServer(root) as server:
        site_file = write_site(tmp_path, server, "nvx", "nukeviet", [LIST])
        site_file.write_text(site_file.read_text().replace('"nvx"', '"nv[/b]"'), encoding="utf-8")
        crawled = run("crawl", "--site-file", site_file, "--db", db, "--delay", "0")
        sites = run("sites", "--sites-dir", tmp_path, "--db", db)
    listed = run("corpus", "list", "--format", "table", "--db", db)
    stats = run("corpus", "stats", "--db", db)
    assert crawled.exit_code == 0, crawled.output
    assert "nv[/b]: 7 stored" in flat(crawled)
    assert sites.exit_code == 0 and "nv[/b]" in sites.output
    assert listed.exit_code == 0 and "[/b][bold red]Hỗ trợ" in listed.output
    assert stats.exit_code == 0 and "nv[/b]" in stats.output


# -- history -------------------------------------------------------------------------------------------
def test_a_changed_article_keeps_its_earlier_version_and_the_report_says_what_changed(tmp_path):
    root = copy_site(tmp_path)
    db = tmp_path / "c.db"
    with FixtureServer(root) as server:
        site = nukeviet_site(tmp_path, server)
        first = crawl_site(db, site, fetcher=test_fetcher())
        page = root / NV[1662].lstrip("/")
        page.write_text(page.read_text(encoding="utf-8").replace(
            "<p>&nbsp;</p>", "<p>Đính chính: số liệu cập nhật ngày 10/10/2023.</p>", 1), encoding="utf-8")
        second = crawl_site(db, site, fetcher=test_fetcher(), refresh=True)
    url = server.url(NV[1662])
    assert set(first.new_urls) >= {url} and len(first.new_urls) == 7
    (changed,) = [o for o in second.outcomes if o.outcome == "changed"]
    old = next(o for o in first.outcomes if o.url == url)
    assert changed.url == url and changed.previous_hash == old.content_hash != changed.content_hash
    assert len(second.unchanged_urls) == 6 and second.new_urls == []
    corpus = Corpus.open_readonly(db)
    versions = corpus.versions(changed.document_id)
    corpus.close()
    assert [v.content_hash for v in versions] == [old.content_hash, changed.content_hash]
    assert "Đính chính" not in versions[0].text and "Đính chính" in versions[1].text
    assert versions[0].replaced_at is not None and versions[1].replaced_at is None


def test_a_changed_original_no_longer_matching_its_copy_unlinks_the_copy(tmp_path):
    root = copy_site(tmp_path)
    db = tmp_path / "c.db"
    with FixtureServer(root) as nv, serve("wordpress") as wp:
        site = nukeviet_site(tmp_path, nv)
        crawl_site(db, site, fetcher=test_fetcher())
        crawl_site(db, make_site(tmp_path, wp, "wp", "wordpress", ["/category/khuyen-cong/"]), fetcher=test_fetcher())
        copy = rows(db, "SELECT duplicate_of FROM documents WHERE url = ?", wp.url(WP_COPY))
        assert copy[0]["duplicate_of"] is not None
        page = root / NV[1650].lstrip("/")
        html = page.read_text(encoding="utf-8")
        body_start = html.index('id="news-bodyhtml"')
        body_end = html.index("</div>", body_start)
        replacement = " ".join(f"Câu mới số {i} nói về việc khác hẳn, không liên quan." for i in range(40))
        page.write_text(html[:body_start] + f'id="news-bodyhtml"><p>{replacement}</p>' + html[body_end:],
                        encoding="utf-8")
        report = crawl_site(db, site, fetcher=test_fetcher(), refresh=True)
        copy_after = rows(db, "SELECT duplicate_of FROM documents WHERE url = ?", wp.url(WP_COPY))
    assert report.changed_urls == [nv.url(NV[1650])]
    assert copy_after[0]["duplicate_of"] is None
    assert rows(db, "SELECT COUNT(*) AS n FROM near_duplicates")[0]["n"] == 0


def test_crawl_site_keeps_its_signature():
    import inspect

    params = list(inspect.signature(crawl_site).parameters)
    assert params == ["db_path", "site", "fetcher", "since", "max_pages", "delay", "refresh", "hooks"]
    assert "changed" in crawl_site.__doc__ and "previous_hash" in crawler_module.UrlOutcome.__doc__


def test_waiting_out_a_retry_after_is_not_counted_against_the_deadline():
    with serve("nukeviet") as server:
        fetcher = Fetcher(delay=0, timeout=1, deadline=1.5, retries=1)     # real sleeps
        started = time.monotonic()
        resp = fetcher.fetch(server.url("/flaky/d?status=503&times=1&after=2&then=/vi/news/rss/"))
        waited = time.monotonic() - started
    assert resp.status == 200 and waited >= 1.9                          # a 2 s wait, then a quick answer


def test_robots_txt_redirected_to_another_host_is_followed_as_rfc_9309_says(tmp_path):
    with serve("nukeviet") as site_server, FixtureServer(None, host="127.0.0.2",
                                                         robots=f"User-agent: *\nDisallow: {NV[1650]}\n") as other:
        site_server.aliases["/robots.txt"] = "/redirect?to=" + other.url("/robots.txt")
        report = crawl_site(tmp_path / "c.db", nukeviet_site(tmp_path, site_server), fetcher=test_fetcher())
        assert other.hit_count("/robots.txt") == 1 and site_server.hit_count(NV[1650]) == 0
    assert report.stored == 6 and report.problems == []


def test_public_to_private_rule_for_links():
    table = {"sct.gov.vn": ["203.162.0.10"], "files.gov.vn": ["203.162.0.11"], "nas.local": ["192.168.1.5"]}
    fetcher = Fetcher(delay=0, resolve=lambda host: table[host])
    assert fetcher.public_to_private("http://sct.gov.vn/", "http://nas.local/bao-cao.pdf")
    assert fetcher.public_to_private("http://sct.gov.vn/", "http://127.0.0.1/x.pdf")
    assert not fetcher.public_to_private("http://sct.gov.vn/", "http://files.gov.vn/bao-cao.pdf")
    assert not fetcher.public_to_private("http://127.0.0.1:8080/", "http://127.0.0.2:8080/x.pdf")
