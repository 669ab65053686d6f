"""Test support for the verifier: Figures built from explicit spans of a real text.

``figs(doc, "56.147 triệu đồng", "93,71%", "gần 3,6 tỷ đồng", …)`` finds each span
in document order (each search starts after the previous one) and parses it the way
the contract says the extractor does, so verifier tests do not depend on the
extractor's recall.  (No tests here.)
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import regex

from kcextract.figure import Figure

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
_QUAL = {"gần": "under", "hơn": "over", "khoảng": "approx", "trên": "over",
         "ước": "approx", "ít nhất": "at_least", "tối đa": "at_most"}
_SCALE = {"nghìn": 3, "ngàn": 3, "triệu": 6, "tỷ": 9, "tỉ": 9}


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _num(tok: str) -> Decimal:
    if regex.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", tok) or "," in tok:
        return Decimal(tok.replace(".", "").replace(",", "."))
    return Decimal(tok)


def parse(spec: str, start: int) -> Figure:
    qualifier = "exact"
    for word, q in _QUAL.items():
        if spec.startswith(word + " "):
            qualifier, spec = q, spec[len(word) + 1:]
            start += len(word) + 1
            break
    m = regex.match(r"(\d+(?:[.,]\d+)*)(?:/(\d+))?\s*(.*)$", spec)
    number, of_total, rest = m.group(1), m.group(2), m.group(3)
    value = _num(number)
    if rest.startswith("%"):
        return Figure("percent", spec, start, start + len(spec), value, unit="%",
                      qualifier=qualifier)
    words = rest.split()
    if words and (words[0] in _SCALE or words[0] in ("đồng", "USD")):
        k = _SCALE.get(words[0], 0)
        cur = "USD" if "USD" in rest else "VND"
        return Figure("money", spec, start, start + len(spec), value * Decimal(10) ** k,
                      currency=cur, unit=cur, qualifier=qualifier)
    return Figure("count", spec, start, start + len(spec), value, unit=rest or None,
                  qualifier=qualifier, of_total=Decimal(of_total) if of_total else None)


def figs(doc: str, *specs, start: int = 0) -> list[Figure]:
    """Figures for ``specs`` located in order in ``doc`` (a spec may be ("text", "anchor")
    to start the search at an anchor string)."""
    out, pos = [], start
    for spec in specs:
        if isinstance(spec, tuple):
            spec, anchor = spec
            pos = doc.index(anchor, pos)
        at = doc.index(spec, pos)
        out.append(parse(spec, at))
        pos = at + len(spec)
    return out
