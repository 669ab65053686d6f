"""Extraction speed and quality, as ratios against reference rows run in the same process.

Rows (trafilatura's evaluate.py habit: always print the floor and the references):
- ``regex-scan``: one regex pass finding every digit run: the floor, the cost of just reading the text.
- ``naive-extractor``: number + unit regex with no blockers, no context: what a quick script does.
- ``kcextract``: the real extractor.
- ``underthesea-whole-text``: word segmentation over the whole text, which kcextract avoids
  (measured on a slice; reported per MB).
Speed is reported as MB/s and as a ratio to ``regex-scan``; quality as value-level F1 on the
gold corpus.  Usage: ``python benchmarks/bench_extract.py [--mb 2]``.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kcextract.evaluate import add_scores, micro, score  # noqa: E402
from kcextract.extractor import extract_figures  # noqa: E402
from kcextract.figure import Figure  # noqa: E402
from kcextract.gold import load_gold  # noqa: E402
from kcextract.numbers import parse_vn_number  # noqa: E402

NAIVE = re.compile(r"(\d[\d.,]*)\s*(%|triệu đồng|tỷ đồng|đồng|cơ sở|người|đề án)")


def naive_extract(text: str) -> list[Figure]:
    """A quick script's extractor: no blockers, no qualifiers, no context."""
    out = []
    for m in NAIVE.finditer(text):
        unit = m.group(2)
        kind = "percent" if unit == "%" else "money" if "đồng" in unit else "count"
        try:
            value = parse_vn_number(m.group(1).rstrip(".,"))
        except ValueError:
            continue
        value *= {"triệu đồng": 10**6, "tỷ đồng": 10**9}.get(unit, 1)
        out.append(Figure(kind=kind, text=m.group(0), start=m.start(), end=m.end(), value=value))
    return out


def timed(fn, text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the benchmark text in MB")
    args = parser.parse_args()
    docs = load_gold(ROOT / "corpus")
    base = "\n\n".join(d.text for d in docs)
    copies = max(1, int(args.mb * 1_000_000 / len(base.encode())))
    text = "\n\n".join([base] * copies)
    size_mb = len(text.encode()) / 1_000_000
    extract_figures(base)  # warm caches (pattern compilation, underthesea model) outside the timing

    rows = []
    scan = timed(lambda t: sum(1 for _ in re.finditer(r"\d[\d.,]*", t)), text)
    rows.append(("regex-scan", scan, None))
    rows.append(("naive-extractor", timed(naive_extract, text), naive_extract))
    rows.append(("kcextract", timed(extract_figures, text, repeat=1), extract_figures))

    from underthesea import word_tokenize

    slice_ = text[:100_000]
    t_ut = timed(lambda t: [word_tokenize(p) for p in t.split("\n") if p.strip()], slice_, repeat=1)
    rows.append(("underthesea-whole-text", t_ut * size_mb / (len(slice_.encode()) / 1_000_000), None))

    print(f"text: {size_mb:.2f} MB ({copies} copies of the {len(docs)}-document gold corpus)")
    print(f"{'row':24} {'MB/s':>9} {'time ratio':>11} {'F1':>6}")
    for name, seconds, fn in rows:
        f1 = ""
        if fn is not None:
            per_kind: dict = {}
            for d in docs:
                per_kind = add_scores(per_kind, score(fn(d.text), d.mentions))
            total = micro(per_kind)
            f1 = f"{total.f1:.3f}"
        print(f"{name:24} {size_mb / seconds:9.2f} {seconds / scan:11.1f} {f1:>6}")


if __name__ == "__main__":
    main()
