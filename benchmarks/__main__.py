"""``python -m benchmarks``: how fast kcextract is, against the floor and the naive design, in one run.

Rows, all on the same documents in this process (one core unless said):
  (a) underthesea ``word_tokenize`` of every paragraph: the naive design's cost (kcextract runs
      underthesea only on a few words after some numbers);
  (b) one compiled ``regex`` scan for numbers: the practical floor, the cost of reading the text;
  (c) ``extract`` end to end (:func:`kcextract.batch.analyse`, what ``kcextract extract`` runs per
      document), and the same with ``--jobs`` worker processes;
  (d) ``verify`` end to end (extraction included);
  (e) HTML -> article text, pages per second per CMS family;
  (f) the machine's ceiling for ``--jobs``: the same extraction split by hand over N processes;
  (g) ``kcextract extract`` as a command on the same documents as files, 1 and N processes;
  (h) ``kcextract dataset --force`` on the same documents stored in a corpus database, 1 and N processes;
then single documents of growing size (is the time linear?), peak memory, the seed-corpus F1 and
the command line's start-up time. ``--quick`` runs a smaller set; ``--json PATH`` keeps the numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

from benchmarks import ceiling, command, dataset_command, startup, texts

NUMBER = r"\d+(?:[.,]\d+)*"          # (b): every digit run with its grouping and decimal marks


def _mb(texts_) -> float:
    return texts.size_of(texts_) / 1e6


def _peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def regex_scan(docs) -> int:
    import regex

    pattern = regex.compile(NUMBER)
    return sum(1 for _, text in docs for _ in pattern.finditer(text))


def as_new(docs):
    """The documents, each round of repeats read as text never seen: the extractor's cache of
    underthesea tags (``kcextract.nouns``, 4096 windows) is emptied when a round starts, since
    a round repeats windows a real corpus would mostly not (about a fifth of extraction time)."""
    from kcextract import nouns

    tagged = getattr(nouns, "_tag_window", None)
    round_ = None
    for source, text in docs:
        if source.rsplit("#", 1)[-1] != round_ and hasattr(tagged, "cache_clear"):
            round_ = source.rsplit("#", 1)[-1]
            tagged.cache_clear()
        yield source, text


def extract_all(docs) -> int:
    from kcextract.batch import analyse

    return sum(len(analyse(text, source).figures) for source, text in docs)


def verify_all(docs) -> int:
    from kcextract.batch import analyse

    return sum(len(analyse(text, source, verify=True).checks) for source, text in docs)


def alternated(docs, first: Callable, second: Callable, slices: int) -> tuple:
    """``first`` and ``second`` (each a function of a list of documents returning a count) timed
    on the same slices of ``docs``, one after the other, which goes first alternating from slice
    to slice, each run starting with an empty tag cache: a change in the machine's load or speed
    (a shared machine) then falls on both alike, where two long passes in a row could each meet
    a different one.

    Returns each one's raw numbers, ``{"s", "cpu_s", "count"}``, ``first``'s first."""
    from kcextract import nouns

    tagged = getattr(nouns, "_tag_window", None)
    step = max(1, -(-len(docs) // slices))
    totals = (defaultdict(float), defaultdict(float))
    runs = ((totals[0], first), (totals[1], second))
    for k, lo in enumerate(range(0, len(docs), step)):
        part = docs[lo:lo + step]
        for total, fn in (runs if k % 2 == 0 else runs[::-1]):
            if hasattr(tagged, "cache_clear"):
                tagged.cache_clear()
            cpu = _cpu()
            seconds, count = _timed(lambda: fn(part))
            total["cpu_s"] += _cpu() - cpu
            total["s"] += seconds
            total["count"] += count
    return dict(totals[0]), dict(totals[1])


def extract_and_verify(docs, slices: int = 10) -> tuple:
    """(c) and (d) timed :func:`alternated` on tenths of the corpus, each round of repeats read as
    text never seen (:func:`as_new`). Returns the raw numbers of extract, then of verify."""
    return alternated(docs, lambda part: extract_all(as_new(part)), lambda part: verify_all(as_new(part)), slices)


def one_and_parallel(docs, jobs: int, slices: int = 4) -> tuple:
    """(c) in one process and with ``jobs`` processes, timed :func:`alternated` on quarters of the
    corpus (a run gave a one-process pass 1.57 MB/cpu-s and the pass before it 1.30). The workers
    inherit the empty tag cache (forked from this process) and keep it over their chunks, as one
    process keeps it over its slice. Returns the raw numbers of one process, then of ``jobs``."""
    return alternated(docs, extract_all, lambda part: extract_parallel(part, jobs), slices)


def _first_mb(docs, megabytes: float) -> list:
    """The corpus's first documents, about ``megabytes`` of UTF-8 text."""
    sample, total = [], 0.0
    for doc in docs:
        if total >= megabytes:
            break
        sample.append(doc)
        total += len(doc[1].encode("utf-8")) / 1e6
    return sample


def extract_parallel(docs, jobs: int) -> int:
    from kcextract.batch import analyse_stream

    return sum(len(a.figures) for _, a in analyse_stream(docs, lambda doc: (doc[1], doc[0]), jobs=jobs))


def tokenize_all(docs) -> int:
    from underthesea import word_tokenize

    return sum(len(word_tokenize(p)) for _, text in docs for p in text.split("\n") if p.strip())


def html_rows(min_seconds: float) -> dict:
    """Pages per second and MB of HTML per second of each CMS family's article pages."""
    from kcextract.html.article import parse_article

    by_family = defaultdict(list)
    for page in texts.pages():
        by_family[page.family].append(page)
    rows = {}
    for family, pages in sorted(by_family.items()):
        count, size, start = 0, 0, time.perf_counter()
        while time.perf_counter() - start < min_seconds:
            for page in pages:
                parse_article(page.html, page.url)
                count += 1
                size += len(page.html.encode("utf-8"))
        seconds = time.perf_counter() - start
        rows[family] = {"pages": len(pages), "pages_per_s": count / seconds, "mb_per_s": size / 1e6 / seconds}
    return rows


def seed_f1() -> dict:
    """Value-level F1 per kind and micro F1 (money + percent + count + project) on corpus/gold."""
    from kcextract.evaluate import add_scores, micro, score
    from kcextract.extractor import extract_figures
    from kcextract.gold import load_gold

    per_kind: dict = {}
    for doc in load_gold(texts.ROOT / "corpus" / "gold"):
        per_kind = add_scores(per_kind, score(extract_figures(doc.text), doc.mentions))
    out = {kind: round(s.f1, 4) for kind, s in sorted(per_kind.items())}
    out["all"] = round(micro(per_kind).f1, 4)
    return out


def single_rows(sizes: list, shared: bool, verify: bool) -> list:
    from kcextract.batch import analyse

    rows = []
    for megabytes in sizes:
        text = texts.single_document(megabytes, shared)
        row = {"mb": _mb([text])}
        cpu = _cpu()
        row["extract_s"], _ = _timed(lambda: analyse(text))
        row["extract_cpu_s"] = _cpu() - cpu
        if verify:
            cpu = _cpu()
            row["verify_s"], _ = _timed(lambda: analyse(text, verify=True))
            row["verify_cpu_s"] = _cpu() - cpu
        rows.append(row)
        _print_single(row)
    return rows


def _print_single(row: dict) -> None:
    line = (f"  single document {row['mb']:7.2f} MB: extract {row['extract_s']:8.2f} s"
            f" (cpu {row['extract_cpu_s']:.2f} s, {row['mb'] / row['extract_cpu_s']:.3f} MB/cpu-s)")
    if "verify_s" in row:
        line += (f", verify {row['verify_s']:8.2f} s"
                 f" (cpu {row['verify_cpu_s']:.2f} s, {row['mb'] / row['verify_cpu_s']:.3f} MB/cpu-s)")
    print(line, flush=True)


def profile_extract(docs, top: int) -> None:
    """Where extraction spends its time: the functions with the most own time (cProfile)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    extract_all(docs)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"\nProfile of extract on {_mb(t for _, t in docs):.1f} MB (own time, then cumulative):")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 MB, single documents of 0.1 and 1 MB, fewer repeats")
    parser.add_argument("--mb", type=float, default=None, help="size of the corpus in MB (default 50; --quick 5)")
    parser.add_argument("--single", default=None, metavar="MB,MB,...",
                        help="single-document sizes in MB (default 0.1,1,10; --quick 0.1,1)")
    parser.add_argument("--no-single-verify", action="store_true", help="time only extract on single documents")
    parser.add_argument("--jobs", type=int, default=None, help="processes for the parallel extract row (default: all cores)")
    parser.add_argument("--ceiling-mb", type=float, default=10,
                        help="MB of the corpus for (f), the by-hand ceiling of --jobs (default 10)")
    parser.add_argument("--command-mb", type=float, default=10,
                        help="MB of the corpus for (g), the extract and verify commands with and without --jobs (default 10)")
    parser.add_argument("--dataset-mb", type=float, default=5,
                        help="MB of the corpus for (h), the dataset command with and without --jobs (default 5)")
    parser.add_argument("--tokenize-mb", type=float, default=None,
                        help="run underthesea on only the first MB of the corpus and scale (default: all of it)")
    parser.add_argument("--shared", action="store_true", help="also use ../shared/realtext texts when present")
    parser.add_argument("--profile", type=float, default=0, metavar="MB",
                        help="also profile extract on this many MB and print the top functions")
    parser.add_argument("--json", default=None, metavar="PATH", help="write every number to this JSON file")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up rows (fresh processes)")
    args = parser.parse_args(argv)

    from kcextract.batch import analyse, default_jobs

    megabytes = args.mb or (5 if args.quick else 50)
    sizes = [float(s) for s in (args.single or ("0.1,1" if args.quick else "0.1,1,10")).split(",") if s]
    jobs = args.jobs or default_jobs()
    result: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                "cores": default_jobs(), "processor": platform.processor() or platform.machine()}}

    # Start-up first, before this process has warmed the disk cache for anything else.
    result["startup_s"] = {} if args.no_startup else startup.measure(repeat=3 if args.quick else 5)
    cold, _ = _timed(lambda: analyse("Năm 2023 hỗ trợ 12 giải pháp, 6,7 tỷ đồng cho 48 cơ sở.", verify=True))
    result["first_call_s"] = cold

    docs = texts.corpus(megabytes, args.shared)
    distinct = texts.documents(args.shared)
    # Untimed: one pass over every distinct document, so rules compiled on first use and
    # underthesea's model are loaded before any row is timed (a long run pays them once).
    result["warm_up_pass_s"], _ = _timed(lambda: verify_all(distinct))
    size = _mb(t for _, t in docs)
    result["text"] = {"mb": size, "documents": len(docs), "distinct_documents": len(distinct),
                      "distinct_mb": _mb(t for _, t in distinct),
                      "what": "corpus/seeds, tests/articles*/ texts and fixture article pages"
                              + (" and ../shared/realtext" if args.shared else "") + ", whole, repeated"}
    print(f"text: {size:.1f} MB in {len(docs)} documents ({len(distinct)} distinct, "
          f"{result['text']['distinct_mb']:.2f} MB, repeated); {result['machine']['cores']} cores", flush=True)

    rows = {}

    def row(name, fn, mb=size, measured=None):
        if measured is None:
            cpu = _cpu()
            seconds, count = _timed(fn)
            cpu = _cpu() - cpu
        else:
            seconds, cpu, count = measured["s"], measured["cpu_s"], int(measured["count"])
        rows[name] = {"s": seconds, "cpu_s": cpu, "mb_per_s": mb / seconds, "mb_per_cpu_s": mb / cpu,
                      "count": count, "peak_rss_mb": _peak_mb(), "load_avg_1min": os.getloadavg()[0]}
        print(f"  {name:44} {seconds:8.2f} s {mb / seconds:8.3f} MB/s  cpu {cpu:8.2f} s {mb / cpu:8.3f} MB/cpu-s"
              f"  load {os.getloadavg()[0]:4.1f}  ({count} items)", flush=True)

    row("(b) regex scan for numbers", lambda: regex_scan(docs))
    extracted, verified = extract_and_verify(docs)
    row("(c) extract", None, measured=extracted)
    row("(d) verify (extraction included)", None, measured=verified)
    one, many = one_and_parallel(docs, jobs)
    row("(c) extract, one process", None, measured=one)
    row(f"(c) extract --jobs {jobs}", None, measured=many)
    rows[f"(c) extract --jobs {jobs}"]["children_peak_rss_mb"] = _children_peak_mb()
    result["ceiling"] = ceiling.by_hand(_first_mb(docs, args.ceiling_mb), jobs, extract_all)
    print(f"  (f) by hand, {jobs} independent processes: {result['ceiling']['speed_up']:.2f}x one process"
          f" (the machine's ceiling for --jobs {jobs})", flush=True)
    for key, name in (("command", "extract"), ("verify_command", "verify")):
        timed = result[key] = command.command_speed_up(_first_mb(docs, args.command_mb), jobs, name)
        print(f"  (g) kcextract {name}, {timed['files']} files: {timed['one_process_s']:.2f} s,"
              f" --jobs {jobs} {timed[f'{jobs}_processes_s']:.2f} s: {timed['speed_up']:.2f}x", flush=True)
    built = result["dataset"] = dataset_command.dataset_command(_first_mb(docs, args.dataset_mb), jobs)
    print(f"  (h) kcextract dataset --force, {built['documents']} documents: {built['one_process_s']:.2f} s,"
          f" --jobs {jobs} {built[f'{jobs}_processes_s']:.2f} s: {built['speed_up']:.2f}x", flush=True)
    if args.tokenize_mb:
        sample = _first_mb(docs, args.tokenize_mb)
        total = _mb(t for _, t in sample)
        row("(a) underthesea word_tokenize", lambda: tokenize_all(sample), mb=total)
        rows["(a) underthesea word_tokenize"]["sampled_mb"] = total
    else:
        row("(a) underthesea word_tokenize", lambda: tokenize_all(docs))
    result["rows"] = rows

    # Ratios of one-process rows use CPU time: other work on a shared machine then changes them little.
    speed = {name: r["mb_per_cpu_s"] for name, r in rows.items()}
    extract, verify_ = rows["(c) extract"], rows["(d) verify (extraction included)"]
    result["ratios"] = {
        "(c)/(a) extract speed / underthesea speed": speed["(c) extract"] / speed["(a) underthesea word_tokenize"],
        "(b)/(c) regex scan speed / extract speed": speed["(b) regex scan for numbers"] / speed["(c) extract"],
        "verify time added / extract time": (verify_["cpu_s"] - extract["cpu_s"]) / extract["cpu_s"],
        f"extract speed-up with {jobs} processes (wall clock)":
            rows[f"(c) extract --jobs {jobs}"]["mb_per_s"] / rows["(c) extract, one process"]["mb_per_s"],
        f"(f) speed-up of {jobs} processes split by hand (the machine's ceiling)": result["ceiling"]["speed_up"],
        f"(g) kcextract extract command, speed-up with --jobs {jobs} (wall clock)": result["command"]["speed_up"],
        f"(g) kcextract verify command, speed-up with --jobs {jobs} (wall clock)": result["verify_command"]["speed_up"],
        f"(h) kcextract dataset command, speed-up with --jobs {jobs} (wall clock)": result["dataset"]["speed_up"],
    }
    for name, value in result["ratios"].items():
        print(f"  {name:50} {value:8.2f}", flush=True)

    result["html_to_text"] = html_rows(0.3 if args.quick else 1.5)
    for family, r in result["html_to_text"].items():
        print(f"  (e) HTML -> text {family:12} {r['pages_per_s']:8.1f} pages/s {r['mb_per_s']:7.2f} MB/s"
              f" ({r['pages']} pages)", flush=True)

    result["single_documents"] = single_rows(sizes, args.shared, verify=not args.no_single_verify)
    result["seed_f1"] = seed_f1()
    result["peak_rss_mb"] = _peak_mb()
    print(f"  seed-corpus F1: {result['seed_f1']}")
    print(f"  peak memory: {result['peak_rss_mb']:.0f} MB (this process), "
          f"{_children_peak_mb():.0f} MB (largest worker); first call (patterns, models) {cold:.2f} s,"
          f" first pass over the distinct documents {result['warm_up_pass_s']:.2f} s")
    for name, seconds in result["startup_s"].items():
        print(f"  start-up {name:34} {seconds:6.3f} s")
    if args.profile:
        profile_extract(texts.corpus(args.profile, args.shared), top=30)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
