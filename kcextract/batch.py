"""Extraction and verification as pure functions over batches of documents, and an ordered
map of them over worker processes.

This is the one code path of ``extract``/``verify``/``dataset --jobs N`` and of the Dask recipe
(:mod:`kcextract.distributed`): both hand chunks of documents to :func:`analyse_batch` and get
back, in the order given, what each document yields. Nothing here keeps state between calls,
so a chunk can run in any process or on any machine and the answer is the same.

>>> [row["text"] for row in extract_batch([{"id": 7, "text": "hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở"}])]
['6,7 tỷ đồng', '48 cơ sở']
"""
from __future__ import annotations

import gc
import os
import warnings
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, Optional, Sequence

from kcextract.figure import figure_values, figures_from_values

# A chunk sent to a worker holds about this many characters of text (several short
# articles, or one long report; about 0.25 s of work): big enough that pickling and
# scheduling cost little next to extraction, small enough that two workers stay busy to
# the end (with 400 000, one worker sat idle for half a chunk at the end of a 5 MB run).
CHUNK_CHARS = 100_000
CHUNK_DOCUMENTS = 200
# Chunks waiting or running per worker: keeps workers fed while memory stays bounded
# however large the corpus (the input is read as the results are written).
IN_FLIGHT_PER_JOB = 3

Work = tuple          # (text, source) of one document, or (text, source, context) for a render


@dataclass(frozen=True)
class Analysis:
    """What one document yields: its figures, its checks (when verified) and the numbers
    that matched a pattern but could not be read (one message each)."""

    figures: tuple
    checks: tuple = ()
    problems: tuple = ()

    def __reduce__(self):
        """Pickled with its figures as rows of values (:func:`kcextract.figure.figure_values`):
        ``--jobs`` workers send thousands of figures a megabyte to the parent."""
        return _analysis_from_values, (figure_values(self.figures), self.checks, self.problems)


def _analysis_from_values(rows: list, checks: tuple, problems: tuple) -> Analysis:
    return Analysis(figures_from_values(rows), checks, problems)


def analyse(text: str, source: Optional[str] = None, verify: bool = False) -> Analysis:
    """Figures of ``text`` and, with ``verify``, the checks computed from those same figures."""
    from kcextract.document import read_document

    if not text.strip():
        return Analysis(figures=())
    problems: list = []
    # One reading of the text (sentences, tables, figures with their frames) serves both stages.
    document = read_document(text, source=source, on_problem=problems.append)
    figures = tuple(document.figures)
    checks = ()
    if verify and figures:
        from kcextract.verifier import verify_text

        checks = tuple(verify_text(text, source=source, document=document))
    return Analysis(figures=figures, checks=checks, problems=tuple(problems))


def analyse_batch(works: Sequence[Work], verify: bool = False, render: Optional[Callable] = None) -> list:
    """:func:`analyse` of each ``(text, source)``, in order: the unit of work of a process or a Dask
    task; with ``render``, ``render(analysis)`` of each instead, or ``render(analysis, text, context)``
    of a work ``(text, source, context)``."""
    if render is None:
        return [analyse(work[0], work[1], verify=verify) for work in works]
    rendered = []
    for work in works:
        analysis = analyse(work[0], work[1], verify=verify)
        rendered.append(render(analysis) if len(work) == 2 else render(analysis, work[0], work[2]))
    return rendered


def _works(docs: Iterable[Mapping]) -> list:
    return [(doc["text"] or "", doc.get("source")) for doc in docs]


def _ids(docs: Sequence[Mapping]) -> list:
    return [doc.get("id", index) for index, doc in enumerate(docs)]


def extract_batch(docs: Sequence[Mapping]) -> list:
    """One row per figure of ``docs`` (mappings with ``text`` and optionally ``id`` and ``source``).

    A row is the figure's public record (``extract --format jsonl``) with ``document_id``
    (the document's ``id``, else its position in ``docs``). A number that cannot be read is
    left out and warned about (:class:`kcextract.exceptions.UnreadableNumberWarning`).
    """
    docs = list(docs)
    rows = []
    for document_id, analysis in zip(_ids(docs), analyse_batch(_works(docs))):
        _warn(analysis.problems)
        rows.extend({"document_id": document_id, **figure.to_dict()} for figure in analysis.figures)
    return rows


def figure_and_check_rows(docs: Sequence[Mapping]) -> tuple:
    """``(figure rows, check rows)`` of ``docs`` from one pass (the figures a check uses are the
    ones extracted): :func:`extract_batch` and :func:`verify_batch` at the cost of one."""
    docs = list(docs)
    figure_rows, check_rows = [], []
    for document_id, analysis in zip(_ids(docs), analyse_batch(_works(docs), verify=True)):
        _warn(analysis.problems)
        figure_rows.extend({"document_id": document_id, **figure.to_dict()} for figure in analysis.figures)
        check_rows.extend({"document_id": document_id, **check.to_dict()} for check in analysis.checks)
    return figure_rows, check_rows


def verify_batch(docs: Sequence[Mapping]) -> list:
    """One row per checked claim of ``docs`` (as :func:`extract_batch`): the check's public
    record (``verify --format jsonl``, unverifiable claims included) with ``document_id``."""
    docs = list(docs)
    rows = []
    for document_id, analysis in zip(_ids(docs), analyse_batch(_works(docs), verify=True)):
        rows.extend({"document_id": document_id, **check.to_dict()} for check in analysis.checks)
    return rows


def _warn(problems: Iterable[str]) -> None:
    from kcextract.exceptions import UnreadableNumberWarning

    for problem in problems:
        warnings.warn(problem, UnreadableNumberWarning, stacklevel=3)


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:             # not Linux
        return os.cpu_count() or 1


def _chunks(items: Iterator, work_of: Callable) -> Iterator[list]:
    """Consecutive items grouped into chunks of about :data:`CHUNK_CHARS` characters of work:
    each chunk a list of ``(item, work or None)``; an item without work costs nothing."""
    chunk, chars = [], 0
    for item in items:
        work = work_of(item)
        chunk.append((item, work))
        if work is not None:
            chars += len(work[0])
        if chars >= CHUNK_CHARS or len(chunk) >= CHUNK_DOCUMENTS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _run_chunk(chunk: list, verify: bool, render: Optional[Callable]) -> list:
    works = [work for _, work in chunk if work is not None]
    return _merge(chunk, analyse_batch(works, verify, render))


def _merge(chunk: list, analyses: list) -> list:
    results = iter(analyses)
    return [(item, None if work is None else next(results)) for item, work in chunk]


def analyse_stream(items: Iterable, work_of: Callable, jobs: Optional[int] = None,
                   verify: bool = False, render: Optional[Callable] = None) -> Iterator[tuple]:
    """``(item, Analysis or None)`` for each item, in the order given, using ``jobs`` processes.

    ``work_of(item)`` returns the ``(text, source)`` to analyse, or None for an item that needs
    no work (a document unchanged since the last build): it comes back with None. The result
    is the same for any ``jobs``; with one job, or when everything fits in one chunk, no
    process is started. Items are read as results are consumed, so memory stays bounded.

    ``render`` (a picklable function of an Analysis) runs where the analysis is made, in the
    worker process, and the stream yields what it returns instead of the Analysis: a command
    that prints text has it written by the workers, and only that text travels to the parent
    (not thousands of figures a megabyte to unpickle and format one after another). What
    ``render`` needs of an item besides its analysis travels as a third member of its work,
    ``(text, source, context)``: it is then called as ``render(analysis, text, context)``.
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    chunks = _chunks(iter(items), work_of)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if jobs == 1 or second is None:
        for chunk in (first, second):
            if chunk is not None:
                yield from _run_chunk(chunk, verify, render)
        for chunk in chunks:
            yield from _run_chunk(chunk, verify, render)
        return
    yield from _parallel([first, second], chunks, jobs, verify, render)


def _load_everything(verify: bool) -> None:
    """Compile the patterns and load the models now, before the workers are forked: they
    inherit them instead of each loading its own (underthesea's tagger alone costs ~1 s of CPU
    a process, and a short sentence may not need it)."""
    from kcextract.nouns import load_tagger

    analyse("hỗ trợ 1 tỷ đồng", verify=verify)
    load_tagger()


def _parallel(head: list, chunks: Iterator[list], jobs: int, verify: bool,
              render: Optional[Callable]) -> Iterator[tuple]:
    import multiprocessing

    _load_everything(verify)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # What is loaded stays for the whole run: frozen, the collector of this process (which
    # writes the rows while the workers run) and of the forked workers no longer walks it at
    # each full collection. Undone however the run ends.
    gc.freeze()
    try:
        yield from _mapped(head, chunks, jobs, verify, render, context)
    finally:
        gc.unfreeze()


def _mapped(head: list, chunks: Iterator[list], jobs: int, verify: bool,
            render: Optional[Callable], context) -> Iterator[tuple]:
    """The chunks analysed by ``jobs`` worker processes, results yielded in the order given;
    at most :data:`IN_FLIGHT_PER_JOB` chunks a worker wait or run at once."""
    import itertools

    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        try:
            for chunk in itertools.chain(head, chunks):
                # Only the work travels to the worker; the items (documents) stay here.
                works = [work for _, work in chunk if work is not None]
                pending.append((chunk, pool.submit(analyse_batch, works, verify, render)))
                while len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                    done, future = pending.popleft()
                    yield from _merge(done, future.result())
            while pending:
                done, future = pending.popleft()
                yield from _merge(done, future.result())
        finally:
            for _, future in pending:
                future.cancel()
