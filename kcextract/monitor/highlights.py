"""The figures of a new article worth a look: its totals, then its largest amounts.

The rules (which words make a total, how many figures) are data, in ``highlights.yaml``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


from kcextract.exceptions import PatternFileError
from kcextract.patterns import read_data_file

RULES_FILE = Path(__file__).with_name("highlights.yaml")
RULE_KEYS = {"total_roles", "total_label_starts", "total_label_examples", "largest_amounts", "max_figures"}


@lru_cache(maxsize=1)
def rules() -> dict:
    """``highlights.yaml``, validated: closed keys, and every label example behaving as stated."""
    data = read_data_file(RULES_FILE)
    for key in data:
        if key not in RULE_KEYS:
            raise PatternFileError(RULES_FILE, "highlights", key, f"unknown key; allowed: {', '.join(sorted(RULE_KEYS))}")
    examples = data.get("total_label_examples", {})
    for label in examples.get("match", []):
        if not _is_total_label(label, data):
            raise PatternFileError(RULES_FILE, "highlights", "total_label_examples", f"{label!r} is not read as a total")
    for label in examples.get("no_match", []):
        if _is_total_label(label, data):
            raise PatternFileError(RULES_FILE, "highlights", "total_label_examples", f"{label!r} is read as a total")
    return data


def _is_total_label(label, data) -> bool:
    words = (label or "").strip().lower().split()
    for start in data["total_label_starts"]:
        cue = start.split()
        if words[:len(cue)] == cue:
            return True
    return False


def is_total(figure: dict) -> bool:
    """True for a figure the report presents as a total.

    >>> is_total({"label": "tổng kinh phí khuyến công", "role": None})
    True
    >>> is_total({"label": "tổ chức", "role": None}), is_total({"label": None, "role": "total"})
    (False, True)
    """
    data = rules()
    return figure.get("role") in data["total_roles"] or _is_total_label(figure.get("label"), data)


def worth_a_look(snapshot: list[dict]) -> list[dict]:
    """Totals (in text order), then the largest money amounts, without repeats, capped.

    >>> figs = [{"kind": "money", "text": "3 tỷ đồng", "value": 3e9, "label": "kinh phí quốc gia"},
    ...         {"kind": "money", "text": "5,2 tỷ đồng", "value": 5.2e9, "label": "tổng kinh phí"},
    ...         {"kind": "count", "text": "48 cơ sở", "value": 48, "label": "cơ sở"}]
    >>> [f["text"] for f in worth_a_look(figs)]
    ['5,2 tỷ đồng', '3 tỷ đồng']
    """
    data = rules()
    chosen, seen = [], set()
    money = sorted((f for f in snapshot if f["kind"] == "money" and f.get("value") is not None),
                   key=lambda f: f["value"], reverse=True)
    largest = 0
    for figure in [f for f in snapshot if is_total(f)] + money:
        key = (figure["kind"], figure.get("value"), figure.get("unit"))
        if key in seen:
            continue            # a total repeated later in the text, or a total that is also the largest
        if not is_total(figure):
            if largest >= data["largest_amounts"]:
                break
            largest += 1
        seen.add(key)
        chosen.append(figure)
    return [{k: f.get(k) for k in ("kind", "text", "value", "unit", "label", "period")}
            for f in chosen[:data["max_figures"]]]
