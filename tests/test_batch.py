"""kcextract.batch and --jobs: the same output, in the same order, from one process or several."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import kcextract
from kcextract import batch
from kcextract.cli import cli
from kcextract.dataset import build
from tests.dataset_corpus import make_corpus

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list:
    """The seed articles and the first article set: 15 real-shaped reports of varied length."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    for path in sorted((ROOT / "tests" / "articles").glob("*.json")):
        texts.append((path.stem + ".txt", json.loads(path.read_text(encoding="utf-8"))["text"]))
    return texts


@pytest.fixture()
def documents(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in _texts():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def pools(monkeypatch):
    """Small chunks, so a handful of articles spreads over several chunks and processes; and a
    record of every worker pool started, so a test knows the parallel path really ran."""
    started = []

    class RecordingPool(batch.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(batch, "CHUNK_CHARS", 3_000)
    monkeypatch.setattr(batch, "ProcessPoolExecutor", RecordingPool)
    return started


def _run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout


def test_extract_output_is_identical_with_one_and_two_processes(documents, pools):
    serial = _run("extract", documents, "--format", "jsonl", "--jobs", 1)
    assert pools == []
    parallel = _run("extract", documents, "--format", "jsonl", "--jobs", 2)
    assert pools == [2]
    assert parallel == serial
    records = [json.loads(line) for line in serial[1].splitlines()]
    assert len({r["source"] for r in records}) == len(_texts())
    assert len(records) > 300
    # The workers write the records (csv, a table, one kind only) the same as one process does.
    for options in (("--format", "csv"), ("--format", "table", "--kind", "money")):
        serial = _run("extract", documents, *options, "--jobs", 1)
        assert _run("extract", documents, *options, "--jobs", 2) == serial and serial[0] == 0
    assert serial[1].count("money") > 20 and "percent" not in serial[1] and "count" not in serial[1]
    assert pools == [2, 2, 2]


def _made_in(analysis) -> tuple:
    import os

    return os.getpid(), len(analysis.figures)


def test_render_runs_in_the_worker_and_only_its_result_travels(pools):
    """What ``render`` returns is what the stream yields, made in the worker processes."""
    import os

    items = [(text, name) for name, text in _texts()]
    rendered = list(batch.analyse_stream(items, lambda item: item, jobs=2, render=_made_in))
    assert pools == [2]
    assert [item for item, _ in rendered] == items
    assert os.getpid() not in {pid for _, (pid, _) in rendered}
    assert [count for _, (_, count) in rendered] == [len(kcextract.extract(text)) for text, _ in items]


def test_verify_output_is_identical_with_one_and_two_processes(documents, pools):
    for fmt in ("jsonl", "table"):
        serial = _run("verify", documents, "--format", fmt, "--all", "--jobs", 1)
        parallel = _run("verify", documents, "--format", fmt, "--all", "--jobs", 2)
        assert parallel == serial
    assert pools == [2, 2]
    assert serial[0] == 1                     # the seed corpus holds two real reporting errors
    assert "✗" in serial[1]


def test_dataset_tables_are_identical_with_one_and_two_processes(tmp_path, pools):
    one = make_corpus(tmp_path / "one.db")
    two = Path(shutil.copy(one, tmp_path / "two.db"))
    build(one, jobs=1)
    summary = build(two, jobs=2)
    assert pools == [2] and summary.extracted == 6

    def rows(db, table):
        with sqlite3.connect(db) as conn:
            return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()

    for table in ("dataset_documents", "figures", "checks", "projects"):
        assert rows(one, table) == rows(two, table), table
    assert rows(two, "figures")


def test_a_rebuild_skips_unchanged_documents_without_starting_workers(tmp_path, pools):
    db = make_corpus(tmp_path / "kc.db")
    assert build(db, jobs=2).extracted == 6
    again = build(db, jobs=2)
    assert (again.extracted, again.unchanged) == (0, 6)
    assert pools == [2]                      # the second build had no work to hand out


def test_dataset_command_takes_jobs(tmp_path):
    db = make_corpus(tmp_path / "kc.db")
    code, out = _run("dataset", "--db", db, "--jobs", 2)
    assert code == 0 and "6 documents (6 extracted" in out


def test_stream_keeps_order_and_passes_items_without_work_through(pools):
    texts = [text for _, text in _texts()]
    items = list(enumerate(texts))
    # Every third document "unchanged": it comes back in its place, with no analysis.
    work_of = lambda item: None if item[0] % 3 == 0 else (item[1], f"doc-{item[0]}")  # noqa: E731
    streamed = list(batch.analyse_stream(items, work_of, jobs=2))
    assert [item for item, _ in streamed] == items
    for (index, text), analysis in streamed:
        if index % 3 == 0:
            assert analysis is None
        else:
            assert [f.to_dict() for f in analysis.figures] == \
                [f.to_dict() for f in kcextract.extract(text, source=f"doc-{index}")]


def test_batch_rows_carry_their_document_and_match_the_library():
    texts = [text for _, text in _texts()[:3]]
    docs = [{"id": f"d{i}", "text": text, "source": f"s{i}"} for i, text in enumerate(texts)]
    rows = batch.extract_batch(docs)
    expected = [{"document_id": f"d{i}", **f.to_dict()}
                for i, text in enumerate(texts) for f in kcextract.extract(text, source=f"s{i}")]
    assert rows == expected
    checks = batch.verify_batch(docs)
    assert checks == [{"document_id": f"d{i}", **c.to_dict()}
                      for i, text in enumerate(texts) for c in kcextract.verify(text, source=f"s{i}")]
    assert {c["status"] for c in checks} >= {"ok"}


def test_an_empty_document_yields_nothing_and_ids_default_to_positions():
    rows = batch.extract_batch([{"text": ""}, {"text": "hỗ trợ 48 cơ sở"}])
    assert [(r["document_id"], r["text"]) for r in rows] == [(1, "48 cơ sở")]
    assert batch.verify_batch([{"text": "   "}]) == []


def test_workers_inherit_the_tagger_loaded_before_the_fork():
    """Each worker would otherwise load underthesea's model itself (~1 s of CPU) on its first
    unlisted noun: the parent loads it before forking, even when its warm-up sentence has none."""
    import subprocess
    import sys

    probe = ("import sys; from kcextract import batch; batch._load_everything(verify=False); "
             "print('underthesea' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
