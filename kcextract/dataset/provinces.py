"""Province names, normalised to the 34 provinces of the 2025 merger (``patterns/provinces.yaml``).

A name as written (``tỉnh Hoà Bình``, ``TP.HCM``, ``Quảng Nam``) resolves to a pair: the new
province it now belongs to and the pre-merger province it names.

>>> resolve("Sở Công Thương tỉnh Hoà Bình")
('Phú Thọ', 'Hòa Bình')
>>> resolve("TP.HCM")
('TP. Hồ Chí Minh', 'TP. Hồ Chí Minh')
>>> resolve("Quảng Nam", published="2023-05-04")
('Đà Nẵng', 'Quảng Nam')
>>> resolve("Lâm Đồng", published="2025-09-01")     # after the merger: the old part is unknown
('Lâm Đồng', None)
>>> resolve("Trung ương (Bộ Công Thương)") is None
True
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Optional

import regex

from kcextract.exceptions import PatternFileError
from kcextract.patterns import PATTERN_DIR, read_data_file
from kcextract.textnorm import match_key

PROVINCES_FILE = "provinces.yaml"
TOP_KEYS = {"effective", "provinces", "aliases"}
ENTRY_KEYS = {"kind", "old"}
KINDS = {"province", "city"}


@dataclass(frozen=True)
class ProvinceTable:
    """The merger as data: old name -> new name, every spelling -> old name."""

    effective: date
    new_of_old: dict          # official old name -> new name
    kind_of_new: dict         # new name -> province | city
    old_of_key: dict          # match_key of any spelling -> official old name
    pattern: regex.Pattern    # any spelling, as whole words

    @property
    def new_names(self) -> list:
        return list(self.kind_of_new)

    @property
    def old_names(self) -> list:
        return list(self.new_of_old)


def _fail(path, entry, key, reason):
    raise PatternFileError(path, entry, key, reason)


def parse_provinces(doc, path) -> ProvinceTable:
    """Validate and index the parsed YAML of ``provinces.yaml``."""
    if not isinstance(doc, dict):
        _fail(path, None, None, "expected a mapping at the top level")
    for key in doc:
        if key not in TOP_KEYS:
            _fail(path, None, key, f"unknown key; expected one of {sorted(TOP_KEYS)}")
    effective = doc.get("effective")
    if not isinstance(effective, date):
        _fail(path, None, "effective", "expected a date (YYYY-MM-DD)")
    new_of_old, kind_of_new = {}, {}
    for new, entry in (doc.get("provinces") or {}).items():
        if not isinstance(entry, dict) or set(entry) - ENTRY_KEYS:
            _fail(path, new, "provinces", f"expected {{kind, old}}, got {entry!r}")
        if entry.get("kind") not in KINDS:
            _fail(path, new, "kind", f"expected one of {sorted(KINDS)}")
        olds = entry.get("old") or []
        if not olds:
            _fail(path, new, "old", "a new province needs its pre-merger names")
        kind_of_new[new] = entry["kind"]
        for old in olds:
            if old in new_of_old:
                _fail(path, new, "old", f"{old!r} is already part of {new_of_old[old]!r}")
            new_of_old[old] = new
    old_of_key = {match_key(old): old for old in new_of_old}
    for alias, old in (doc.get("aliases") or {}).items():
        if old not in new_of_old:
            _fail(path, alias, "aliases", f"{old!r} is not a pre-merger province")
        old_of_key[match_key(alias)] = old
    # Longest spelling first, so 'Thừa Thiên Huế' wins over 'Huế' and 'TP.HCM' over 'HCM'.
    spellings = sorted(old_of_key, key=len, reverse=True)
    pattern = regex.compile(r"(?<!\w)(?:" + "|".join(regex.escape(s) for s in spellings) + r")(?!\w)")
    return ProvinceTable(effective, new_of_old, kind_of_new, old_of_key, pattern)


@functools.lru_cache(maxsize=None)
def province_table(directory: Optional[str] = None) -> ProvinceTable:
    """The table in ``patterns/provinces.yaml`` (or in ``directory``), loaded once."""
    path = (PATTERN_DIR if directory is None else __import__("pathlib").Path(directory)) / PROVINCES_FILE
    return parse_provinces(read_data_file(path), str(path))   # the one reader of patterns/ files


def _published_date(published) -> Optional[date]:
    if published is None:
        return None
    if isinstance(published, date):
        return published if not hasattr(published, "date") else published.date()
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError:
        return None


def _pair(old: str, published, table: ProvinceTable) -> tuple:
    new = table.new_of_old[old]
    day = _published_date(published)
    merged = len([o for o, n in table.new_of_old.items() if n == new]) > 1
    # From the merger on, a name shared by an old and a new province means the new one:
    # which of its former parts is meant cannot be told from the name.
    if merged and old == new and day is not None and day >= table.effective:
        return new, None
    return new, old


def resolve(name: Optional[str], published=None, table: Optional[ProvinceTable] = None):
    """``(new province, pre-merger province)`` of the first province named in ``name``, or None."""
    found = provinces_in(name, published, table)
    return found[0] if found else None


def provinces_in(text: Optional[str], published=None, table: Optional[ProvinceTable] = None) -> list:
    """Every distinct province named in ``text``, in order, as ``(new, old)`` pairs.

    >>> provinces_in("Bắc Giang và Bắc Ninh hợp tác; Bắc Giang đứng đầu")
    [('Bắc Ninh', 'Bắc Giang'), ('Bắc Ninh', 'Bắc Ninh')]
    """
    if not text:
        return []
    table = table or province_table()
    out: list = []
    for match in table.pattern.finditer(match_key(text)):
        pair = _pair(table.old_of_key[match.group(0)], published, table)
        if pair not in out:
            out.append(pair)
    return out
