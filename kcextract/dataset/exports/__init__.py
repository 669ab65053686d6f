"""Export formats: a registry, one module per format (``to_<name>.py``).

A format module defines ``FORMAT = ExportFormat(...)``: how to write the dataset's frames
into a folder and how to read them back. Reading back goes through the same schema
conversion as :func:`kcextract.load`, so every format returns the frames it was given
(the tests check this for each format). A new format is one new module, nothing else.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kcextract.dataset import schema


@dataclass(frozen=True)
class ExportFormat:
    """``write(frames, folder) -> [paths]`` and ``read(folder, names) -> {name: frame}``."""

    name: str
    description: str
    write: Callable
    read: Callable


def _discover() -> dict:
    formats = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("to_"):
            fmt = importlib.import_module(f"{__name__}.{info.name}").FORMAT
            formats[fmt.name] = fmt
    return formats


FORMATS = _discover()
DATAPACKAGE = "datapackage.json"
_TABLE_SCHEMA_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean",
                       "string": "string", "datetime": "datetime", "json": "string"}


def _docs() -> dict:
    return {schema.EXPORT_NAMES[t]: {c.name: c.doc for c in cols} for t, cols in schema.BASE_COLUMNS.items()}


def write_datapackage(folder: Path, fmt: str, paths: list, types: dict, frames: dict) -> Path:
    """A Frictionless Data Package descriptor: every table's columns, types and meaning."""
    docs = _docs()
    resources = []
    for name, frame in frames.items():
        path = next((p for p in paths if p.stem == name), paths[0])
        resources.append({
            "name": name, "path": path.name, "format": fmt,
            **({"sheet": name} if fmt == "xlsx" else {}),
            "schema": {"fields": [
                {"name": c, "type": _TABLE_SCHEMA_TYPES[types[name].get(c, "string")],
                 **({"format": "json"} if types[name].get(c) == "json" else {}),
                 "description": docs.get(name, {}).get(c, "")}
                for c in frame.columns]},
        })
    target = folder / DATAPACKAGE
    target.write_text(json.dumps({"name": "kcextract-dataset", "resources": resources},
                                 ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def export(dataset, fmt: str, folder, tables=None) -> list:
    """Write ``dataset`` (from :func:`kcextract.load`) as ``fmt`` into ``folder``; the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frames = {name: frame for name, frame in dataset.frames().items() if not tables or name in tables}
    paths = FORMATS[fmt].write(frames, folder)
    return paths + [write_datapackage(folder, fmt, paths, dataset.types, frames)]


def read_export(folder, fmt: str, types: dict = None) -> dict:
    """The frames an export wrote, with the dataset's dtypes (types from its datapackage.json)."""
    from kcextract.dataset.loader import apply_types

    folder = Path(folder)
    if types is None:
        package = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))
        types = {r["name"]: {f["name"]: ("json" if f.get("format") == "json" else f["type"])
                             for f in r["schema"]["fields"]} for r in package["resources"]}
    frames = FORMATS[fmt].read(folder, list(types))
    return {name: apply_types(frame, types[name])[list(types[name])] for name, frame in frames.items()}
