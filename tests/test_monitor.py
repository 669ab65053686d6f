"""Monitor passes against a local news site that changes between passes.

Pass 1 sees two articles, one claiming 47% where its own figures give 45%.  Between
passes the site publishes a third article (with a wrong share of its own: 70% for
64,29%) and silently corrects 47% to 45%.  Pass 2 must report exactly that: one new
article, one changed figure (47% → 45%), one new failed check, and not repeat the
first failed check.  A third pass over an unchanged site reports nothing.
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import feedparser
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "monitor"))

from monitor_servers import NEW, OLD, STEADY, ChangingSite  # noqa: E402

from kcextract.crawl.fetcher import Fetcher  # noqa: E402
from kcextract.monitor import MonitorPass  # noqa: E402
from kcextract.monitor.ledger import read  # noqa: E402
from kcextract.monitor.notifiers import make_notifier  # noqa: E402
from kcextract.sites import load_site  # noqa: E402


def run_pass(db, site, notifiers=(), **kwargs):
    """One pass with a fast fetcher for the local server; stored articles re-checked every pass."""
    kwargs.setdefault("recheck", 0)
    fetcher = Fetcher(delay=0, timeout=5, retries=0)
    return MonitorPass(db, [site], notifiers=list(notifiers), fetcher=fetcher, **kwargs).run()


@pytest.fixture
def site_server(tmp_path):
    with ChangingSite() as server:
        server.version(1)
        yield server, load_site(server.site_file(tmp_path))


def by_type(alerts):
    out = {}
    for alert in alerts:
        out.setdefault(alert["type"], []).append(alert)
    return out


def test_second_pass_reports_the_new_article_the_silent_correction_and_only_new_failures(tmp_path, site_server):
    server, site = site_server
    db = tmp_path / "kc.db"

    first = run_pass(db, site)
    assert first.ok
    found = by_type(first.alerts)
    assert sorted(a["url"] for a in found["new_article"]) == sorted([server.base + OLD, server.base + STEADY])
    [failure] = found["failed_check"]
    assert (failure["url"], failure["claim_text"], failure["reported"], failure["expected"]) == \
        (server.base + OLD, "47%", 47, 45)
    assert failure["kind"] == "share" and failure["explanation"] and failure["operands"]
    assert "changed_article" not in found
    [site_result] = first.sites
    assert (site_result.new, site_result.changed, site_result.failed_checks) == (2, 0, 1)

    server.version(2)
    second = run_pass(db, site)
    assert second.ok
    found = by_type(second.alerts)
    assert [a["url"] for a in found["new_article"]] == [server.base + NEW]
    [changed] = found["changed_article"]
    assert changed["url"] == server.base + OLD
    assert [(c["change"], c["text"], c["old_value"], c["new_value"]) for c in changed["changes"]] == \
        [("changed", "45%", 47, 45)]
    assert changed["changes"][0]["label"]           # what the corrected figure measures
    [failure] = found["failed_check"]                # the 47% failure is not alerted again
    assert (failure["url"], failure["claim_text"], failure["expected"]) == (server.base + NEW, "70%", 64.29)
    [site_result] = second.sites
    assert (site_result.new, site_result.changed, site_result.unchanged) == (1, 1, 1)

    third = run_pass(db, site)
    assert third.alerts == [] and third.ok
    assert (third.sites[0].new, third.sites[0].changed, third.sites[0].unchanged) == (0, 0, 3)

    every = read(db, "alerts")
    assert len(every) == len({a["id"] for a in every}) == 3 + 3
    assert {a["run"] for a in every} == {first.run_id, second.run_id}
    runs = read(db, "runs")
    assert [(r["status"], r["sites"][0]["new"], r["sites"][0]["changed"], r["sites"][0]["unchanged"])
            for r in runs] == [("done", 0, 0, 3), ("done", 1, 1, 1), ("done", 2, 0, 0)]


def test_new_article_alert_lists_its_totals_and_largest_amounts(tmp_path, site_server):
    server, site = site_server
    db = tmp_path / "kc.db"
    run_pass(db, site)
    server.version(2)
    second = run_pass(db, site)
    [new] = by_type(second.alerts)["new_article"]
    assert new["title"] == "Triển khai các đề án khuyến công quý IV năm 2026"
    assert new["published"].startswith("2026-12-05")
    texts = [(f["text"], f["value"]) for f in new["figures"]]
    assert texts[0] == ("2.800 triệu đồng", 2800000000)          # the total first, once
    assert ("1.800 triệu đồng", 1800000000) in texts
    assert [t for t, _ in texts].count("2.800 triệu đồng") == 1
    assert all({"value", "unit", "label", "period"} <= set(f) for f in new["figures"])


def test_stored_articles_are_rechecked_only_when_their_interval_has_passed(tmp_path, site_server):
    server, site = site_server
    db = tmp_path / "kc.db"
    run_pass(db, site, recheck=3600)
    server.version(2)
    second = run_pass(db, site, recheck=3600)   # re-checked an instant ago: the correction waits
    assert not second.sites[0].rechecked
    assert [a["type"] for a in second.alerts if a["url"] == server.base + OLD] == []
    assert server.base + NEW in {a["url"] for a in second.alerts}     # the list page still shows news
    third = run_pass(db, site, recheck=0)
    assert third.sites[0].rechecked
    assert [a["type"] for a in third.alerts] == ["changed_article"]


def test_baseline_records_without_alerting_and_later_passes_alert_what_follows(tmp_path, site_server):
    server, site = site_server
    db = tmp_path / "kc.db"
    assert run_pass(db, site, baseline=True).alerts == []
    server.version(2)
    assert sorted(a["type"] for a in run_pass(db, site).alerts) == \
        ["changed_article", "failed_check", "new_article"]


def test_atom_feed_is_valid_and_keeps_entry_ids_across_passes(tmp_path, site_server):
    server, site = site_server
    db, path = tmp_path / "kc.db", tmp_path / "out" / "alerts.xml"
    first = run_pass(db, site, [make_notifier(f"feed:{path}")])
    feed = feedparser.parse(str(path))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert {e.id for e in feed.entries} == {f"urn:kcextract:alert:{a['id']}" for a in first.alerts}
    failing = next(e for e in feed.entries if "47%" in e.title)
    assert failing.link == server.base + OLD
    assert {t.term for t in failing.tags} == {"failed_check", "fixture-site"}

    server.version(2)
    second = run_pass(db, site, [make_notifier(f"feed:{path}")])
    feed = feedparser.parse(str(path))
    assert not feed.bozo
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids)) == len(first.alerts) + len(second.alerts)
    changed = next(e for e in feed.entries if e.id == f"urn:kcextract:alert:"
                   f"{by_type(second.alerts)['changed_article'][0]['id']}")
    assert "47% → 45%" in changed.title
    assert second.deliveries[make_notifier(f"feed:{path}").key].delivered == len(second.alerts)


def test_a_pass_crashing_inside_a_document_is_completed_by_the_next(tmp_path, site_server, monkeypatch):
    from kcextract.monitor.ledger import Ledger

    server, site = site_server
    reference = run_pass(tmp_path / "reference.db", site)
    db = tmp_path / "kc.db"
    original, calls = Ledger.record_document, []

    def dies_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt       # as Ctrl-C between two statements of a document
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Ledger, "record_document", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        run_pass(db, site)
    monkeypatch.setattr(Ledger, "record_document", original)
    assert len(read(db, "alerts")) == 1            # the first document's new_article, nothing of the second
    finish = run_pass(db, site)
    assert {a["id"] for a in read(db, "alerts")} == {a["id"] for a in reference.alerts}
    assert finish.sites[0].new == 1
    assert [r["status"] for r in read(db, "runs")] == ["done", "interrupted"]


def test_monitor_tables_live_beside_the_corpus(tmp_path, site_server):
    server, site = site_server
    db = tmp_path / "kc.db"
    run_pass(db, site)
    conn = sqlite3.connect(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    snapshots = conn.execute("SELECT COUNT(*) FROM monitor_snapshots").fetchone()[0]
    conn.close()
    assert {"documents", "monitor_runs", "monitor_run_sites", "monitor_alerts", "monitor_deliveries",
            "monitor_snapshots"} <= tables
    assert snapshots == 2


def test_a_pass_extracts_and_verifies_only_new_or_changed_articles(tmp_path, site_server, monkeypatch):
    import kcextract

    server, site = site_server
    db = tmp_path / "kc.db"
    run_pass(db, site)
    seen = []
    real_extract, real_verify = kcextract.extract, kcextract.verify
    monkeypatch.setattr(kcextract, "extract", lambda text, source=None: seen.append(("extract", source))
                        or real_extract(text, source=source))
    monkeypatch.setattr(kcextract, "verify", lambda text, source=None: seen.append(("verify", source))
                        or real_verify(text, source=source))
    server.version(2)
    run_pass(db, site)
    # the changed article's stored version is read again too, to diff like with like
    assert sorted(seen) == sorted([("extract", server.base + NEW), ("verify", server.base + NEW),
                                   ("extract", server.base + OLD), ("extract", server.base + OLD),
                                   ("verify", server.base + OLD)])
    seen.clear()
    server.hits.clear()
    run_pass(db, site)
    assert seen == []
    # an unchanged site costs one conditional GET per page, answered 304, and no parsing
    assert set(server.hits) <= {"/tin-tuc/", OLD, STEADY, NEW, "/robots.txt"}
    assert all(count == 1 for count in server.hits.values())


def test_figures_stored_by_an_older_extractor_are_not_mistaken_for_corrections(tmp_path, site_server):
    server, site = site_server
    db = tmp_path / "kc.db"
    run_pass(db, site)
    conn = sqlite3.connect(db)      # as if an older extractor had found no figures at all
    conn.execute("UPDATE monitor_snapshots SET figures = '[]'")
    conn.commit()
    conn.close()
    server.version(2)
    [changed] = by_type(run_pass(db, site).alerts)["changed_article"]
    assert [(c["change"], c["old_value"], c["new_value"]) for c in changed["changes"]] == [("changed", 47, 45)]


def test_an_extractor_crash_on_one_article_is_reported_and_the_article_retried(tmp_path, site_server, monkeypatch):
    import kcextract

    server, site = site_server
    db = tmp_path / "kc.db"
    real_extract = kcextract.extract

    def breaks_on_old(text, source=None):
        if source == server.base + OLD:
            raise RuntimeError("bug on this page")
        return real_extract(text, source=source)

    monkeypatch.setattr(kcextract, "extract", breaks_on_old)
    first = run_pass(db, site)
    assert not first.ok
    assert first.sites[0].failures == [(server.base + OLD, "cannot extract or verify: RuntimeError: bug on this page")]
    assert [a["url"] for a in first.alerts] == [server.base + STEADY]
    monkeypatch.setattr(kcextract, "extract", real_extract)
    second = run_pass(db, site)
    assert second.ok and {a["url"] for a in second.alerts} == {server.base + OLD}
    assert second.sites[0].new == 1
