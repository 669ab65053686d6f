"""The whole flow on a local fixture site: crawl -> extract --db -> verify --db.

Each figure and each check built from the crawled corpus must carry its article URL,
and its offsets must point into the stored article text.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from conftest_crawl import serve, write_site  # noqa: E402

from kcextract import store  # noqa: E402
from kcextract.cli import cli  # noqa: E402


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_crawled_articles_become_figures_and_checks_with_their_urls(tmp_path):
    db = tmp_path / "corpus.db"
    with serve("nukeviet") as server:
        site_file = write_site(tmp_path, server, "nv", "nukeviet", ["/vi/news/hoat-dong-khuyen-cong/"])
        crawled = run("crawl", "--site-file", site_file, "--db", db, "--delay", "0")
        base = server.base
    assert crawled.exit_code == 0, crawled.output
    texts = {d.url: d.text for d in store.iter_documents(db)}
    assert texts and all(url.startswith(base) for url in texts)

    extracted = run("extract", "--db", db, "--format", "jsonl")
    assert extracted.exit_code == 0, extracted.stderr
    figures = [json.loads(line) for line in extracted.stdout.splitlines()]
    assert {f["kind"] for f in figures} >= {"money", "count"}
    for f in figures:
        assert f["source"] in texts
        assert texts[f["source"]][f["start"]:f["end"]] == f["text"]
    # No figure comes from the page furniture the crawler removed (view counters, dates).
    assert not [f for f in figures if "Lượt xem" in f["sentence"] or "Đã xem" in f["sentence"]]

    verified = run("verify", "--db", db, "--format", "jsonl", "--all")
    assert verified.exit_code in (0, 1), verified.output
    checks = [json.loads(line) for line in verified.stdout.splitlines()]
    for c in checks:
        assert c["source"] in texts
        assert texts[c["source"]][c["claim_start"]:c["claim_end"]] == c["claim_text"]


def test_a_missing_corpus_database_is_a_clear_error(tmp_path):
    result = run("extract", "--db", tmp_path / "none.db")
    assert result.exit_code == 2
    assert f"{tmp_path / 'none.db'}: corpus database not found" in result.stderr
