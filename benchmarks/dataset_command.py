"""(h) ``kcextract dataset --force`` as a user runs it, with one process and with ``--jobs N``, on a
corpus database holding the benchmark's documents (stored as the crawler stores them); wall seconds
of each and the speed-up. Unlike rows (c) and (g), this includes reading the documents from SQLite
and writing every figure, check and project row back (committed every 32 documents).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks import paired

# Sites of scrapers/ (their provinces fill the province column) the documents are spread over.
SITES = ("binhduong", "baocongthuong", "daklak", "quangnam", "quangninh-portal")
# Every this-many-th document is stored as a syndicated copy of the one before it (``duplicate_of``):
# the dataset keeps its rows but never sums them, as with a real crawl.
DUPLICATE_EVERY = 10


def make_corpus_db(docs, path: Path) -> Path:
    """A corpus database at ``path`` holding ``docs`` (``(source, text)``), as crawled articles."""
    from kcextract.store import Corpus

    corpus = Corpus(path)
    previous = None
    for index, (_, text) in enumerate(docs):
        site = SITES[index % len(SITES)]
        url = f"https://{site}.example.vn/tin-tuc/{index:06d}.html"
        document_id = corpus.insert_document(
            url=url, canonical_url=url, url_key=url.split("://", 1)[1], site=site,
            title=f"Bài {index}", published=datetime(2016, 1, 1) + timedelta(days=index % 3000),
            http_status=200, content_hash=f"hash-{index}", raw_html=b"<p>x</p>", text=text)
        if previous is not None and index % DUPLICATE_EVERY == 0:
            corpus.conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (previous, document_id))
        previous = document_id
    corpus.close()
    return path


def run(db: Path, jobs: int, documents: int) -> float:
    """Wall seconds of ``kcextract dataset --db DB --force --jobs N`` in a fresh process, which must
    report every one of the ``documents`` extracted (a build that skipped them is not timed)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kcextract", "dataset", "--db", str(db), "--force",
                           "--jobs", str(jobs)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0 or f"{documents} documents ({documents} extracted" not in done.stdout:
        raise RuntimeError(f"kcextract dataset --jobs {jobs} failed ({done.returncode}):"
                           f" {done.stdout[-300:]} {done.stderr[-500:]}")
    return seconds


def dataset_command(docs, jobs: int) -> dict:
    """Wall seconds of ``kcextract dataset --force`` over ``docs`` in a corpus database, 1 and ``jobs``
    processes, each the mean of two builds (:func:`benchmarks.paired.one_then_many`; the first build,
    untimed, creates the tables, so every timed build replaces rows)."""
    with tempfile.TemporaryDirectory(prefix="kcextract-bench-") as tmp:
        db = make_corpus_db(docs, Path(tmp) / "corpus.db")
        run(db, jobs, len(docs))
        one, many = paired.one_then_many(lambda: run(db, 1, len(docs)), lambda: run(db, jobs, len(docs)))
    return {"documents": len(docs), "one_process_s": one, f"{jobs}_processes_s": many, "speed_up": one / many,
            "jobs": jobs}
