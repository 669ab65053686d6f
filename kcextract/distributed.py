"""Extraction and verification beyond one machine: partitioned Parquet of documents in, figures
and checks as Parquet out, one Dask task per partition.

Each task reads one partition (a Parquet file with columns ``id``, ``source``, ``text``), runs
:func:`kcextract.batch.figure_and_check_rows` on it (the same :func:`kcextract.batch.analyse_batch`
that ``extract``/``verify``/``dataset --jobs`` map over processes) and writes
``figures/<partition>.parquet`` and ``checks/<partition>.parquet``. Each output file records the
input's hash and the extractor version, so a rerun after a pattern change redoes every partition,
and a rerun after a crash only the partitions not yet written. The recipe is docs/distributed.md.

Needs the ``distributed`` extra (``pip install "kcextract[distributed]"``) only to *run* on a
cluster; writing and reading the Parquet needs pyarrow alone.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Optional

import pyarrow as pa
import pyarrow.parquet as pq

from kcextract.figure import OUTPUT_FIELDS
from kcextract.verifier.check import CHECK_FIELDS

DOCUMENT_SCHEMA = pa.schema([("id", pa.string()), ("source", pa.string()), ("text", pa.string())])

# Output column types. Numbers are float64 (money in VND stays exact up to 9·10^15 đồng);
# every field not named here is text.
_TYPES = {
    "document_id": pa.string(),
    "start": pa.int64(), "end": pa.int64(), "claim_start": pa.int64(), "claim_end": pa.int64(),
    "value": pa.float64(), "value_max": pa.float64(), "of_total": pa.float64(), "amount": pa.float64(),
    "reported": pa.float64(), "expected": pa.float64(),
    "consistent": pa.bool_(),
    "period_years": pa.list_(pa.int64()),
    "operands": pa.list_(pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                                    ("value", pa.float64()), ("sentence", pa.string())])),
}


def _schema(fields: Iterable[str]) -> pa.Schema:
    return pa.schema([(name, _TYPES.get(name, pa.string())) for name in ("document_id", *fields)])


FIGURE_SCHEMA = _schema(OUTPUT_FIELDS)
CHECK_SCHEMA = _schema(CHECK_FIELDS)
VERSION_KEY, INPUT_KEY = b"kcextract_extractor_version", b"kcextract_input_sha256"


def write_documents(docs: Iterable[Mapping], out_dir, rows_per_partition: int = 2000) -> list:
    """Partitioned Parquet of ``docs`` (mappings with ``id``, ``source``, ``text``): the input of
    :func:`run`. Returns the partition files, ``part-00000.parquet`` … in order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths, rows = [], []

    def flush():
        path = out / f"part-{len(paths):05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA), path)
        paths.append(path)
        rows.clear()

    for doc in docs:
        rows.append({"id": str(doc["id"]), "source": doc.get("source"), "text": doc["text"]})
        if len(rows) >= rows_per_partition:
            flush()
    if rows or not paths:
        flush()
    return paths


def documents_of_corpus(db) -> Iterable[dict]:
    """Every article of a crawled corpus database, as :func:`write_documents` takes them."""
    from kcextract import store

    for doc in store.iter_documents(db):
        yield {"id": doc.id, "source": doc.canonical_url or doc.url, "text": doc.text or ""}


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _up_to_date(path: Path, version: str, input_hash: str) -> bool:
    if not path.exists():
        return False
    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowInvalid):              # a file a crash left half written
        return False
    return meta.get(VERSION_KEY) == version.encode() and meta.get(INPUT_KEY) == input_hash.encode()


def _write(rows: list, schema: pa.Schema, path: Path, metadata: dict) -> None:
    """Written beside and renamed into place: a file that exists is complete."""
    table = pa.Table.from_pylist(rows, schema=schema.with_metadata(metadata))
    partial = path.with_suffix(".parquet.partial")
    pq.write_table(table, partial)
    os.replace(partial, path)


@dataclass(frozen=True)
class PartitionResult:
    """What one task did with one partition."""

    partition: str
    documents: int
    figures: int
    checks: int
    skipped: bool


def process_partition(path, out_dir, version: str) -> PartitionResult:
    """Figures and checks of one partition of documents, written as Parquet under ``out_dir``;
    nothing is redone when both outputs exist for this input and extractor ``version``."""
    from kcextract.batch import figure_and_check_rows

    path, out = Path(path), Path(out_dir)
    input_hash = _file_hash(path)
    targets = {name: out / name / path.name for name in ("figures", "checks")}
    if all(_up_to_date(target, version, input_hash) for target in targets.values()):
        return PartitionResult(path.name, pq.read_metadata(path).num_rows, pq.read_metadata(targets["figures"]).num_rows,
                               pq.read_metadata(targets["checks"]).num_rows, skipped=True)
    docs = pq.read_table(path, columns=["id", "source", "text"]).to_pylist()
    figure_rows, check_rows = figure_and_check_rows(docs)
    metadata = {VERSION_KEY: version.encode(), INPUT_KEY: input_hash.encode()}
    for name, rows, schema in (("figures", figure_rows, FIGURE_SCHEMA), ("checks", check_rows, CHECK_SCHEMA)):
        targets[name].parent.mkdir(parents=True, exist_ok=True)
        _write(rows, schema, targets[name], metadata)
    return PartitionResult(path.name, len(docs), len(figure_rows), len(check_rows), skipped=False)


def partitions(documents_dir) -> list:
    """The partition files of a documents folder, in name order."""
    found = sorted(Path(documents_dir).glob("*.parquet"))
    if not found:
        raise FileNotFoundError(f"{documents_dir}: no Parquet partitions (*.parquet) of documents")
    return found


def run(client, documents_dir, out_dir, version: Optional[str] = None, timeout: Optional[float] = None) -> list:
    """Map :func:`process_partition` over every partition of ``documents_dir`` on a
    ``dask.distributed.Client``; the results in partition order.

    The partition paths must be readable by every worker (a shared file system, or a local
    cluster); ``out_dir`` writable by every worker.
    """
    from kcextract.dataset.builder import extractor_version

    version = version or extractor_version()
    paths = [str(p.resolve()) for p in partitions(documents_dir)]
    out = str(Path(out_dir).resolve())
    futures = client.map(process_partition, paths, out_dir=out, version=version, pure=False)
    return client.gather(futures) if timeout is None else [f.result(timeout=timeout) for f in futures]


def main(argv=None) -> int:
    """``python -m kcextract.distributed``: partition a corpus, or run the recipe on a cluster."""
    parser = argparse.ArgumentParser(prog="python -m kcextract.distributed", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    part = sub.add_parser("partition", help="write a corpus database's articles as partitioned Parquet")
    part.add_argument("--db", required=True, help="the corpus database (kcextract crawl)")
    part.add_argument("--rows", type=int, default=2000, help="documents per partition")
    part.add_argument("out", help="folder for the partitions")
    go = sub.add_parser("run", help="figures and checks of every partition, on a Dask cluster")
    go.add_argument("documents", help="folder of document partitions")
    go.add_argument("out", help="folder for figures/ and checks/")
    where = go.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786)")
    where.add_argument("--local", type=int, metavar="N", help="start a local cluster of N worker processes")
    args = parser.parse_args(argv)
    if args.step == "partition":
        paths = write_documents(documents_of_corpus(args.db), args.out, args.rows)
        print(f"{args.out}: {len(paths)} partition(s)")
        return 0
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print('Error: Dask is not installed: pip install "kcextract[distributed]"', file=sys.stderr)
        return 2
    if args.local:
        cluster = LocalCluster(n_workers=args.local, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(args.scheduler)
    try:
        results = run(client, args.documents, args.out)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    done = [r for r in results if not r.skipped]
    print(f"{args.out}: {len(results)} partition(s), {len(done)} processed, {len(results) - len(done)} up to date;"
          f" {sum(r.documents for r in results)} documents, {sum(r.figures for r in results)} figures,"
          f" {sum(r.checks for r in results)} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
