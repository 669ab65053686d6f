"""The Dask recipe on a local cluster of two worker processes: partitioned Parquet of documents in,
figures and checks as Parquet out, the same rows as kcextract.batch in one process."""
from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kcextract import batch, distributed

ROOT = Path(__file__).resolve().parent.parent

try:
    from dask.distributed import Client, LocalCluster
except ImportError:                                   # pragma: no cover - depends on the machine
    Client = LocalCluster = None
    warnings.warn('Dask is not installed: the distributed recipe is NOT tested (pip install "kcextract[distributed]")')

needs_dask = pytest.mark.skipif(LocalCluster is None, reason='DASK NOT INSTALLED: pip install "kcextract[distributed]"'
                                " to test the distributed recipe")

TIMEOUT = 240          # seconds for the whole run: two workers start, import kcextract, extract 15 articles


def _documents() -> list:
    docs = [{"id": p.stem, "source": p.name, "text": p.read_text(encoding="utf-8")}
            for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    for path in sorted((ROOT / "tests" / "articles").glob("*.json")):
        docs.append({"id": path.stem, "source": path.name, "text": json.loads(path.read_text(encoding="utf-8"))["text"]})
    return docs


def _same(row: dict, expected: dict) -> bool:
    """A Parquet row equals the batch row (numbers read back as float)."""
    def norm(value):
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        return value
    return norm(row) == norm(expected)


@pytest.fixture(scope="module")
def cluster():
    if LocalCluster is None:
        pytest.skip('DASK NOT INSTALLED: pip install "kcextract[distributed]" to test the distributed recipe')
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local, Client(local, timeout=60) as client:
        yield client


@needs_dask
def test_partitions_on_two_workers_give_the_rows_of_one_process(tmp_path, cluster):
    docs = _documents()
    partitions = distributed.write_documents(docs, tmp_path / "docs", rows_per_partition=4)
    assert len(partitions) == math.ceil(len(docs) / 4) >= 3

    results = distributed.run(cluster, tmp_path / "docs", tmp_path / "out", timeout=TIMEOUT)
    assert [r.partition for r in results] == [p.name for p in partitions]
    assert not any(r.skipped for r in results)
    workers = {w["id"] for w in cluster.scheduler_info()["workers"].values()}
    assert len(workers) == 2

    figures = pq.read_table(tmp_path / "out" / "figures").to_pylist()
    checks = pq.read_table(tmp_path / "out" / "checks").to_pylist()
    expected_figures, expected_checks = batch.figure_and_check_rows(docs)
    assert len(figures) == len(expected_figures) > 300
    assert len(checks) == len(expected_checks) > 20
    assert all(_same(a, b) for a, b in zip(figures, expected_figures))
    assert all(_same(a, b) for a, b in zip(checks, expected_checks))
    assert [c["claim_text"] for c in checks if c["status"] == "fail"]          # the seeds' real errors
    assert sum(r.figures for r in results) == len(figures)


@needs_dask
def test_a_rerun_skips_finished_partitions_and_redoes_a_changed_one(tmp_path, cluster):
    docs = _documents()[:6]
    distributed.write_documents(docs, tmp_path / "docs", rows_per_partition=3)
    first = distributed.run(cluster, tmp_path / "docs", tmp_path / "out", version="v1", timeout=TIMEOUT)
    assert [r.skipped for r in first] == [False, False]
    again = distributed.run(cluster, tmp_path / "docs", tmp_path / "out", version="v1", timeout=TIMEOUT)
    assert [r.skipped for r in again] == [True, True]
    assert [r.figures for r in again] == [r.figures for r in first]
    newer = distributed.run(cluster, tmp_path / "docs", tmp_path / "out", version="v2", timeout=TIMEOUT)
    assert [r.skipped for r in newer] == [False, False]   # a new extractor version redoes everything


def test_writing_partitions_and_a_missing_folder(tmp_path):
    paths = distributed.write_documents([{"id": 1, "source": "a", "text": "hỗ trợ 48 cơ sở"}], tmp_path / "d", 10)
    assert pq.read_table(paths[0]).to_pylist() == [{"id": "1", "source": "a", "text": "hỗ trợ 48 cơ sở"}]
    with pytest.raises(FileNotFoundError, match="no Parquet partitions"):
        distributed.partitions(tmp_path / "empty")


def test_a_partition_runs_without_a_cluster_and_a_half_written_output_is_redone(tmp_path):
    distributed.write_documents([{"id": "x", "source": "s", "text": "hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở"}],
                                tmp_path / "d")
    part = tmp_path / "d" / "part-00000.parquet"
    result = distributed.process_partition(part, tmp_path / "out", version="v1")
    assert (result.documents, result.figures, result.skipped) == (1, 2, False)
    rows = pq.read_table(tmp_path / "out" / "figures" / part.name).to_pylist()
    assert [(r["document_id"], r["text"], r["value"]) for r in rows] == [("x", "6,7 tỷ đồng", 6.7e9),
                                                                        ("x", "48 cơ sở", 48.0)]
    (tmp_path / "out" / "checks" / part.name).write_bytes(b"PAR1 truncated")
    assert distributed.process_partition(part, tmp_path / "out", version="v1").skipped is False
