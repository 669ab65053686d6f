"""``kcextract sites``, ``crawl --site-file``, ``corpus stats`` and ``corpus list`` through click's CliRunner."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from conftest_crawl import NV, NV_PDF, serve, write_site  # noqa: E402
from server import FIXTURES  # noqa: E402

from kcextract.cli import cli  # noqa: E402
from kcextract.cli.crawl_cmd import COMMANDS  # noqa: E402


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_commands_have_help_with_an_example(command):
    assert command.help and "Example" in command.help or command.name == "corpus"


def test_sites_lists_name_cms_and_last_crawl(tmp_path):
    with serve("nukeviet") as server:
        write_site(tmp_path, server, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"], province="Đắk Lắk")
        db = tmp_path / "c.db"
        before = run("sites", "--sites-dir", tmp_path, "--db", db)
        crawled = run("crawl", "--site", "nv", "--sites-dir", tmp_path, "--db", db, "--delay", "0",
                      "--max-pages", "2")
        after = run("sites", "--sites-dir", tmp_path, "--db", db)
    assert before.exit_code == 0
    line = next(line for line in before.output.splitlines() if " nv " in line)
    assert "Đắk Lắk" in line and "nukeviet" in line and "never" in line
    assert crawled.exit_code == 0, crawled.output
    line = next(line for line in after.output.splitlines() if " nv " in line)
    assert "never" not in line and "20" in line          # an ISO time of the last crawl


def test_crawl_site_file_then_stats_and_jsonl_list(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site_file = write_site(tmp_path, server, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        result = run("crawl", "--site-file", site_file, "--db", db, "--delay", "0", "--since", "2020-01-01")
        base = server.base
    assert result.exit_code == 0, result.output
    assert "nv: 4 stored" in result.output

    stats = run("corpus", "stats", "--db", db)
    assert stats.exit_code == 0
    lines = stats.output.splitlines()
    assert any(line.split()[:4] == ["│", "nv", "│", "2023"] and line.split()[5] == "3" for line in lines), stats.output
    assert any("2021" in line for line in lines)
    assert "0 failure(s)" in stats.output

    listed = run("corpus", "list", "--format", "jsonl", "--db", db)
    assert listed.exit_code == 0
    records = [json.loads(line) for line in listed.output.splitlines()]
    assert len(records) == 4
    assert all(set(r) >= {"url", "site", "title", "published", "text", "attachments"} for r in records)
    first = next(r for r in records if r["url"] == base + NV[1644])
    assert first["site"] == "nv" and first["published"] == "2023-12-07T08:52:00"
    assert first["title"].startswith("Hỗ trợ 5 cơ sở") and "khuyến công" in first["text"]
    size = (FIXTURES / "nukeviet" / NV_PDF.lstrip("/")).stat().st_size
    assert first["attachments"] == [{"url": base + NV_PDF, "kind": "pdf", "size": size, "status": "ok"}]


def test_crawl_exit_status_is_1_when_something_failed_and_names_url_and_reason(tmp_path):
    db = tmp_path / "c.db"
    with serve("nukeviet") as server:
        site_file = write_site(tmp_path, server, "faults", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"],
                               feeds=["/vi/news/rss/su-co/"])
        result = run("crawl", "--site-file", site_file, "--db", db, "--delay", "0", "--timeout", "0.5",
                     "--max-pages", "10")
        url_500 = server.url("/status/500")
    assert result.exit_code == 1
    assert f"failed: {url_500}: HTTP 500 (after 3 attempts)" in result.output
    stats = run("corpus", "stats", "--db", db)
    assert f"faults article {url_500}: HTTP 500 (after 3 attempts) (tries: 1)" in stats.output
    # what did work is stored
    listed = [json.loads(line) for line in run("corpus", "list", "--db", db).output.splitlines()]
    assert any(r["url"] == server.url(NV[1662]) for r in listed)


@pytest.mark.parametrize("args, message", [
    (["crawl"], "say what to crawl"),
    (["crawl", "--site", "no-such-site"], "unknown site 'no-such-site'"),
    (["crawl", "--site-file", "{bad}"], "unknown site key 'colour'"),
    (["crawl", "--site-file", "{bad}", "--since", "07/12/2023"], "use YYYY-MM-DD"),
    (["crawl", "--site-file", "{bad}", "--delay", "-1"], "-1"),
    (["corpus", "stats", "--db", "{missing}"], "no corpus database here"),
    (["corpus", "list", "--db", "{missing}"], "no corpus database here"),
])
def test_bad_input_gives_a_clear_error(tmp_path, args, message):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nbase_url = "http://127.0.0.1:9"\ncms = "nukeviet"\nstart_urls = ["/"]\ncolour = "red"\n')
    args = [a.replace("{bad}", str(bad)).replace("{missing}", str(tmp_path / "none.db")) for a in args]
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "none.db").exists()
