"""CSV: one UTF-8 file per table (with a BOM, so Excel reads the Vietnamese correctly)."""
from __future__ import annotations

from kcextract.dataset.exports import ExportFormat


def write(frames, folder):
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%dT%H:%M:%S")
        paths.append(path)
    return paths


def read(folder, names):
    import pandas as pd

    # Everything as text first: the schema, not pandas' guess, decides each column's type.
    return {name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for name in names}


FORMAT = ExportFormat("csv", "one .csv file per table (UTF-8 with BOM)", write, read)
