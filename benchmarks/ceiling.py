"""What this machine's cores give at best: the same extraction split by hand over N independent
processes that share nothing (no chunks, no pickles, no parent), against one process.

``--jobs N`` cannot beat this. On a virtual machine the N cores may not be N whole cores: here
two busy processes each ran a pure-Python loop up to 40% slower than one alone, so the speed-up
of ``--jobs`` is read next to this ceiling, measured in the same run on the same text.
"""
from __future__ import annotations

import multiprocessing
import time

from benchmarks import paired


def _extract_part(extract, docs, jobs: int, index: int) -> None:
    extract(docs[index::jobs])


def by_hand(docs, jobs: int, extract) -> dict:
    """Wall seconds of one process running ``extract(docs)`` and of ``jobs`` forked processes,
    each running it over every ``jobs``-th document, started together (each the mean of two
    runs, :func:`benchmarks.paired.one_then_many`); and the speed-up."""
    extract(docs[:1])                                    # patterns compiled before the fork
    counted = []

    def one() -> float:
        start = time.perf_counter()
        counted.append(extract(docs))
        return time.perf_counter() - start

    def many() -> float:
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=_extract_part, args=(extract, docs, jobs, i)) for i in range(jobs)]
        start = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - start
        failed = [w.exitcode for w in workers if w.exitcode != 0]
        if failed:
            raise RuntimeError(f"a worker of the by-hand ceiling failed (exit codes {failed})")
        return seconds

    one_s, many_s = paired.one_then_many(one, many)
    return {"one_process_s": one_s, f"{jobs}_processes_s": many_s, "speed_up": one_s / many_s,
            "jobs": jobs, "figures": counted[0]}
