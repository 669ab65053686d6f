"""Delivery: a webhook on 127.0.0.1 that fails its first requests, stdout JSON lines, and the
``monitor`` / ``alerts`` / ``runs`` commands through click's CliRunner."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "monitor"))

from monitor_servers import NEW, OLD, ChangingSite, WebhookReceiver, free_port  # noqa: E402

from kcextract.cli import cli  # noqa: E402
from kcextract.cli.monitor_cmd import COMMANDS  # noqa: E402
from kcextract.crawl.fetcher import Fetcher  # noqa: E402
from kcextract.monitor import MonitorPass  # noqa: E402
from kcextract.monitor.ledger import read  # noqa: E402
from kcextract.monitor.lock import PassLock  # noqa: E402
from kcextract.monitor.notifiers import make_notifier  # noqa: E402
from kcextract.sites import load_site  # noqa: E402


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_pass(db, site, notifiers):
    return MonitorPass(db, [site], notifiers=notifiers, fetcher=Fetcher(delay=0, timeout=5, retries=0),
                       recheck=0).run()


@pytest.fixture
def site_server(tmp_path):
    with ChangingSite() as server:
        server.version(1)
        yield server, server.site_file(tmp_path)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_commands_have_help_with_an_example(command):
    assert command.help and "Example" in command.help


def test_a_webhook_down_for_a_while_loses_nothing_and_receives_nothing_twice(tmp_path, site_server):
    server, site_path = site_server
    site = load_site(site_path)
    db = tmp_path / "kc.db"
    with WebhookReceiver(fail_first=3) as hook:
        # two attempts per alert within a pass: pass 1 gets 503, 503 and gives up for this pass
        webhook = make_notifier(f"webhook:{hook.url}", retries=1, backoff=0.01)
        first = run_pass(db, site, [webhook])
        assert not first.ok
        outcome = first.deliveries[webhook.key]
        assert (outcome.delivered, outcome.pending) == (0, len(first.alerts)) and "503" in outcome.error
        assert hook.received == [] and hook.requests == 2
        waiting = read(db, "alerts", undelivered=True)
        assert {a["id"] for a in waiting} == {a["id"] for a in first.alerts}
        assert all(a["pending"] == [webhook.key] for a in waiting)

        server.version(2)
        second = run_pass(db, site, [webhook])      # the receiver answers 503 once more, then 200
        assert second.ok and second.deliveries[webhook.key].pending == 0
        third = run_pass(db, site, [webhook])
        assert third.alerts == []

    every = {a["id"] for a in first.alerts + second.alerts}
    assert len(hook.ids()) == len(set(hook.ids())) == len(every)
    assert set(hook.ids()) == every
    assert hook.keys == hook.ids()                  # Idempotency-Key: the alert id
    assert hook.ids()[:len(first.alerts)] == [a["id"] for a in first.alerts]    # oldest first
    assert read(db, "alerts", undelivered=True) == []
    body = next(a for a in hook.received if a["type"] == "changed_article")
    assert set(body) >= {"id", "run", "type", "site", "url", "title", "published", "detected_at", "changes"}


def test_monitor_command_prints_alerts_as_json_lines_and_a_quiet_summary(tmp_path, site_server):
    server, site_path = site_server
    db = tmp_path / "kc.db"
    first = run("monitor", "--site-file", site_path, "--db", db, "--delay", "0", "--recheck", "0",
                "--notify", "stdout")
    assert first.exit_code == 0, first.output
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert sorted(a["type"] for a in lines) == ["failed_check", "new_article", "new_article"]
    # off a terminal: a few plain lines on stderr, no table, no progress bar
    assert first.stderr.startswith("kcextract monitor, pass 1: fixture-site 2 new, 0 changed, 1 failed checks")
    assert "47% does not add up" in first.stderr and "━" not in first.stderr

    server.version(2)
    second = run("monitor", "--site-file", site_path, "--db", db, "--delay", "0", "--recheck", "0",
                 "--notify", "stdout")
    assert second.exit_code == 0
    assert sorted(json.loads(line)["type"] for line in second.stdout.splitlines()) == \
        ["changed_article", "failed_check", "new_article"]
    nothing = run("monitor", "--site-file", site_path, "--db", db, "--delay", "0", "--recheck", "0",
                  "--notify", "stdout")
    assert (nothing.exit_code, nothing.stdout, nothing.stderr) == (0, "", "")    # cron mails nothing

    listed = run("alerts", "--db", db, "--since", "1d", "--format", "jsonl")
    alerts = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(alerts) == 6 and {a["run"] for a in alerts} == {1, 2}
    failed = run("alerts", "--db", db, "--type", "failed_check", "--format", "jsonl")
    assert sorted(json.loads(line)["claim_text"] for line in failed.stdout.splitlines()) == ["47%", "70%"]
    table = run("alerts", "--db", db)
    assert "47% → 45%" in table.stdout and server.base + NEW in table.stdout
    runs = run("runs", "--db", db, "--format", "jsonl")
    assert [(r["id"], r["status"], r["sites"][0]["new"], r["sites"][0]["changed"])
            for r in map(json.loads, runs.stdout.splitlines())] == [(3, "done", 0, 0), (2, "done", 1, 1),
                                                                    (1, "done", 2, 0)]
    assert "fixture-site" in run("runs", "--db", db).stdout


def test_a_failing_site_gives_exit_status_1_and_names_the_page(tmp_path, site_server):
    server, site_path = site_server
    server.pages.pop(OLD)                       # listed, but 404
    result = run("monitor", "--site-file", site_path, "--db", tmp_path / "kc.db", "--delay", "0")
    assert result.exit_code == 1
    assert f"failed [fixture-site] {server.base + OLD}" in result.stderr
    assert "404" in result.stderr
    [record] = [json.loads(line) for line in run("runs", "--db", tmp_path / "kc.db", "--format", "jsonl").stdout.splitlines()]
    assert record["status"] == "failed" and record["sites"][0]["failed"] == 1
    assert record["sites"][0]["failures"][0][0] == server.base + OLD
    quiet = run("monitor", "--site-file", site_path, "--db", tmp_path / "kc.db", "--delay", "0", "--quiet")
    assert quiet.exit_code == 1 and quiet.stdout == ""
    lines = quiet.stderr.splitlines()          # --quiet: only what failed, no counts, no alerts
    assert lines and all(line.startswith("  failed [fixture-site] ") for line in lines)
    assert any(server.base + OLD in line for line in lines)


def test_a_second_pass_on_the_same_database_refuses_with_a_clear_message(tmp_path, site_server):
    server, site_path = site_server
    db = tmp_path / "kc.db"
    with PassLock(db):
        result = run("monitor", "--site-file", site_path, "--db", db, "--delay", "0")
    assert result.exit_code == 1
    assert "another monitor pass is running (pid" in result.stderr and "this pass did nothing" in result.stderr
    assert server.hits == {}                     # it touched nothing
    after = run("monitor", "--site-file", site_path, "--db", db, "--delay", "0")
    assert after.exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--notify", "pigeon:home"], "unknown notifier 'pigeon'; known: feed, stdout, webhook"),
    (["--notify", "webhook:ftp://x"], "not an http(s) URL"),
    (["--every", "soon"], "'soon' is not a duration"),
    (["--site", "nowhere"], "unknown site 'nowhere'"),
    ([], "say what to watch"),
])
def test_bad_input_exits_2_with_the_reason(tmp_path, site_server, args, message):
    server, site_path = site_server
    extra = [] if args and args[0] == "--site" or not args else ["--site-file", site_path]
    result = run("monitor", *extra, *args, "--db", tmp_path / "kc.db")
    assert result.exit_code == 2
    assert message in result.stderr


def test_alerts_on_a_missing_database_says_so(tmp_path):
    result = run("alerts", "--db", tmp_path / "none.db")
    assert result.exit_code == 2 and "no corpus database here" in result.stderr


def test_alerts_and_runs_on_a_corpus_no_monitor_pass_has_touched(tmp_path):
    from kcextract import store

    db = tmp_path / "crawled.db"
    store.connect(db).close()
    before = db.read_bytes()
    assert run("alerts", "--db", db, "--format", "jsonl").stdout == ""
    assert run("runs", "--db", db, "--format", "jsonl").stdout == ""
    assert db.read_bytes() == before                  # readers change nothing


def test_since_leaves_out_older_articles(tmp_path, site_server):
    server, site_path = site_server
    db = tmp_path / "kc.db"
    result = run("monitor", "--site-file", site_path, "--db", db, "--delay", "0", "--since", "2026-11-22",
                 "--notify", "stdout")
    assert result.exit_code == 0, result.stderr
    # 101 was published on 2026-11-20, 102 on 2026-11-25
    assert [json.loads(line)["url"] for line in result.stdout.splitlines()] == \
        [server.base + "/tin-tuc/binh-chon-san-pham-cnnt-tieu-bieu-102.html"]
    bad = run("monitor", "--site-file", site_path, "--db", db, "--since", "last week")
    assert bad.exit_code == 2 and "'last week' is not a date" in bad.stderr


def test_alerts_wait_for_a_webhook_that_is_not_listening_yet(tmp_path, site_server):
    server, site_path = site_server
    site, db, port = load_site(site_path), tmp_path / "kc.db", free_port()
    webhook = make_notifier(f"webhook:http://127.0.0.1:{port}/hook", retries=1, backoff=0.01, timeout=2)
    first = run_pass(db, site, [webhook])
    assert "ConnectionError" in first.deliveries[webhook.key].error
    assert first.deliveries[webhook.key].pending == 3
    with WebhookReceiver(port=port) as hook:
        second = run_pass(db, site, [webhook])
    assert second.ok and second.alerts == []
    assert sorted(hook.ids()) == sorted(a["id"] for a in first.alerts)


def test_a_database_that_is_not_a_corpus_is_bad_input_and_left_alone(tmp_path, site_server):
    import sqlite3

    server, site_path = site_server
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = run("monitor", "--site-file", site_path, "--db", db, "--delay", "0")
    assert result.exit_code == 2 and "not a kcextract corpus" in result.stderr
    assert db.read_bytes() == before and server.hits == {}
