"""Excel: one workbook, ``dataset.xlsx``, a sheet per table (openpyxl).

Excel refuses ASCII control characters in cells and a cell holds at most 32 767
characters: both are replaced/cut on write (a crawled page can carry either), and the
rest reads back unchanged.
"""
from __future__ import annotations

import regex

from kcextract.dataset.exports import ExportFormat

WORKBOOK = "dataset.xlsx"
CELL_LIMIT = 32767
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_safe(value):
    if isinstance(value, str):
        return _CONTROL.sub(" ", value)[:CELL_LIMIT]
    return value


def write(frames, folder):
    import pandas as pd

    path = folder / WORKBOOK
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            safe = frame.copy()
            for column in safe.columns:
                if safe[column].dtype == "string" or safe[column].dtype == object:
                    safe[column] = safe[column].astype(object).map(_cell_safe)
            safe.to_excel(writer, sheet_name=name, index=False)
            writer.sheets[name].freeze_panes = "A2"
    return [path]


def read(folder, names):
    import pandas as pd

    sheets = pd.read_excel(folder / WORKBOOK, sheet_name=None, dtype=object, engine="openpyxl")
    return {name: sheets[name] for name in names}


FORMAT = ExportFormat("xlsx", "one dataset.xlsx workbook, a sheet per table (openpyxl)", write, read)
