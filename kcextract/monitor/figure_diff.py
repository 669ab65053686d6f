"""Figure snapshots of a document, and what differs between two of them.

A snapshot is the list of a document's figures in text order, each reduced to what a
reader compares (kind, text, value, unit, label, period).  Diffing two snapshots is how
a silent correction is caught: ``tổng kinh phí 5,2 tỷ đồng`` becoming ``4,5 tỷ đồng``
between two fetches of the same page is one ``changed`` figure, not a new article.
"""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable, Optional

from kcextract.figure import plain_number

# Figure attributes kept in a snapshot; read with getattr because the extractor's
# figures are gaining frame fields (scope, role, period_years) while this is written.
SNAPSHOT_FIELDS = ("kind", "text", "value", "value_max", "unit", "currency", "qualifier",
                   "label", "period", "role", "start")


def snapshot(figures: Iterable) -> list[dict]:
    """The JSON-ready snapshot of extracted figures (projects left out: they carry no value).

    >>> from decimal import Decimal
    >>> from kcextract.figure import Figure
    >>> snapshot([Figure("money", "5,2 tỷ đồng", 0, 11, Decimal("5.2E9"), currency="VND", unit="VND",
    ...                  label="tổng kinh phí")])[0]["value"]
    5200000000
    """
    out = []
    for figure in figures:
        if getattr(figure, "kind", None) == "project":
            continue
        record = {name: getattr(figure, name, None) for name in SNAPSHOT_FIELDS}
        for name in ("value", "value_max"):
            record[name] = plain_number(record[name])
        out.append(record)
    return out


def _key(figure: dict) -> tuple:
    """What must match for two figures to be 'the same number' (its wording may differ)."""
    return (figure["kind"], figure["value"], figure.get("value_max"), figure.get("unit"))


def _change(change: str, old: Optional[dict], new: Optional[dict]) -> dict:
    shown = new or old
    return {
        "change": change,
        "text": shown["text"],
        "old_text": old["text"] if old else None,
        "old_value": old["value"] if old else None,
        "new_value": new["value"] if new else None,
        "kind": shown["kind"],
        "unit": shown.get("unit"),
        "label": (new or {}).get("label") or (old or {}).get("label"),
        "period": (new or {}).get("period") or (old or {}).get("period"),
    }


def _pair(olds: list[dict], news: list[dict]) -> list[dict]:
    """Changes inside one differing stretch: same kind, unit and label first, then in order
    when both sides hold the same kinds in the same order; the rest added or removed."""
    changes, free = [], list(news)
    unpaired_old = []
    for old in olds:
        match = next((n for n in free if old.get("label") and n["kind"] == old["kind"]
                      and n.get("unit") == old.get("unit") and n.get("label") == old.get("label")), None)
        if match is None:
            unpaired_old.append(old)
            continue
        free.remove(match)
        if _key(match) != _key(old):
            changes.append(_change("changed", old, match))
    if unpaired_old and [(o["kind"], o.get("unit")) for o in unpaired_old] == \
            [(n["kind"], n.get("unit")) for n in free]:
        changes += [_change("changed", o, n) for o, n in zip(unpaired_old, free) if _key(o) != _key(n)]
        return changes
    changes += [_change("removed", o, None) for o in unpaired_old]
    changes += [_change("added", None, n) for n in free]
    return changes


def diff_figures(old: list[dict], new: list[dict]) -> list[dict]:
    """``{"change": "added"|"removed"|"changed", "text", "old_value", "new_value", "label", …}``
    for every figure that differs between two snapshots; [] when the numbers are the same.

    >>> a = [{"kind": "money", "text": "5,2 tỷ đồng", "value": 5200000000, "unit": "VND",
    ...       "label": "tổng kinh phí"},
    ...      {"kind": "count", "text": "48 cơ sở", "value": 48, "unit": "cơ sở", "label": None}]
    >>> b = [dict(a[0], text="4,5 tỷ đồng", value=4500000000), a[1],
    ...      {"kind": "percent", "text": "93,71%", "value": 93.71, "unit": "%", "label": None}]
    >>> [(c["change"], c["text"], c["old_value"], c["new_value"]) for c in diff_figures(a, b)]
    [('changed', '4,5 tỷ đồng', 5200000000, 4500000000), ('added', '93,71%', None, 93.71)]
    >>> diff_figures(a, [dict(a[0], text="5.200 triệu đồng"), a[1]])   # same number, other words
    []
    """
    matcher = SequenceMatcher(a=[_key(f) for f in old], b=[_key(f) for f in new], autojunk=False)
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changes += _pair(old[i1:i2], new[j1:j2])
    return changes
