"""(g) the command as a user runs it: ``kcextract extract DIR`` with one process and with ``--jobs N``,
on the same documents written as files, output read and thrown away; wall seconds of each and the
speed-up. Unlike row (c), this includes reading the files, start-up and writing JSON Lines.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import paired


def _run(folder: Path, jobs: int) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kcextract", "extract", str(folder), "--jobs", str(jobs)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):           # 1: a number that could not be read, reported
        raise RuntimeError(f"kcextract extract --jobs {jobs} failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds


def extract_command(docs, jobs: int) -> dict:
    """Wall seconds of ``kcextract extract`` over ``docs`` as files, with 1 and ``jobs`` processes
    (each the mean of two runs, :func:`benchmarks.paired.one_then_many`)."""
    with tempfile.TemporaryDirectory(prefix="kcextract-bench-") as tmp:
        folder = Path(tmp)
        for index, (_, text) in enumerate(docs):
            (folder / f"{index:06d}.txt").write_text(text, encoding="utf-8")
        _run(folder, 1)                                   # files in the page cache, patterns cached
        one, many = paired.one_then_many(lambda: _run(folder, 1), lambda: _run(folder, jobs))
    return {"files": len(docs), "one_process_s": one, f"{jobs}_processes_s": many, "speed_up": one / many,
            "jobs": jobs}
