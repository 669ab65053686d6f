"""Parquet (pyarrow): one file per table, types kept by the format itself."""
from __future__ import annotations

from kcextract.dataset.exports import ExportFormat


def write(frames, folder):
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.parquet"
        frame.to_parquet(path, index=False, engine="pyarrow")
        paths.append(path)
    return paths


def read(folder, names):
    import pandas as pd

    return {name: pd.read_parquet(folder / f"{name}.parquet", engine="pyarrow") for name in names}


FORMAT = ExportFormat("parquet", "one .parquet file per table (pyarrow)", write, read)
