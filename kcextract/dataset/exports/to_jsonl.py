"""JSON Lines: one file per table, one JSON object per row, Vietnamese unescaped."""
from __future__ import annotations

from kcextract.dataset.exports import ExportFormat


def write(frames, folder):
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.jsonl"
        frame.to_json(path, orient="records", lines=True, force_ascii=False, date_format="iso",
                      date_unit="s")
        paths.append(path)
    return paths


def read(folder, names):
    import pandas as pd

    # dtype=False: no type guessing (dates stay text); the schema converts each column.
    return {name: pd.read_json(folder / f"{name}.jsonl", orient="records", lines=True, dtype=False,
                               encoding="utf-8")
            for name in names}


FORMAT = ExportFormat("jsonl", "one .jsonl file per table", write, read)
