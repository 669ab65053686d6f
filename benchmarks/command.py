"""(g) the commands as a user runs them: ``kcextract extract DIR`` and ``kcextract verify DIR``, each
with one process and with ``--jobs N``, on the same documents written as files, output read and
thrown away; wall seconds of each and the speed-up. Unlike rows (c) and (d), this includes reading
the files, start-up and writing the output as JSON Lines, the format for a corpus (verify's default
table is laid out by rich in one process once every check is in: 6.9 s of a 5 MB run's 8 s in the
parent, which no number of workers shortens).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import paired


def _run(command: str, folder: Path, jobs: int) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kcextract", command, str(folder), "--format", "jsonl",
                           "--jobs", str(jobs)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    # 1: extract read a number it could not parse (reported); verify found a claim that fails.
    if done.returncode not in (0, 1):
        raise RuntimeError(f"kcextract {command} --jobs {jobs} failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds


def command_speed_up(docs, jobs: int, command: str = "extract") -> dict:
    """Wall seconds of ``kcextract COMMAND --format jsonl`` (extract or verify) over ``docs`` as files, with 1 and
    ``jobs`` processes (each the mean of two runs, :func:`benchmarks.paired.one_then_many`)."""
    with tempfile.TemporaryDirectory(prefix="kcextract-bench-") as tmp:
        folder = Path(tmp)
        for index, (_, text) in enumerate(docs):
            (folder / f"{index:06d}.txt").write_text(text, encoding="utf-8")
        _run(command, folder, 1)                          # files in the page cache, patterns cached
        one, many = paired.one_then_many(lambda: _run(command, folder, 1), lambda: _run(command, folder, jobs))
    return {"command": command, "files": len(docs), "one_process_s": one, f"{jobs}_processes_s": many,
            "speed_up": one / many, "jobs": jobs}
