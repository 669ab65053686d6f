"""A count split into counts of other things: confirmed when they make it, never accused.

``trên 23.000 cơ sở sản xuất kinh doanh, trong đó gần 4.400 doanh nghiệp và 18.600 hộ kinh
doanh cá thể`` and ``34 nghề truyền thống, làng nghề … được công nhận (04 nghề truyền thống,
30 làng nghề …)``: Vietnamese reports break a count of establishments into enterprises and
households, or of crafts into crafts and craft villages, naming each part by its own noun.
:mod:`~kcextract.verifier.sums` adds parts of the total's own unit; counts of other nouns may
as well be details (``trong đó 20 doanh nghiệp FDI và 300 lao động``), so they are taken for
the parts only when every one of them, together, makes the total: such a sum is reported
when it holds (resolver 'counts of other nouns that make it') and says nothing otherwise.
"""
from __future__ import annotations

import dataclasses
from typing import Iterator

import regex

from kcextract.verifier.check import Check
from kcextract.verifier.sums import evaluate_parts
from kcextract.verifier.workspace import Context

RESOLVED = {"resolved_by": "counts of other nouns that make it", "binding": "inferred"}
# Where the parts after a cue end: the clause's ';', a bracket, a line, or the sentence's end.
_PARTS_END = regex.compile(r"[;()\n]")
MAX_PARTS = 6


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): each count made exactly by counts of other nouns."""
    checks, seen = [], set()
    for total, parts in (*_after_cues(ctx), *_in_brackets(ctx)):
        if total in seen:
            continue
        g = evaluate_parts(ctx, total, parts, may_fail=False, quiet=True, whole=True)
        if g is not None and g.check.status == "ok":
            seen.add(total)
            checks.append(dataclasses.replace(g.check, **RESOLVED))
    return checks


def _counts(ctx: Context, start: int, end: int) -> list[int]:
    return [i for i in ctx.figures_in(start, end) if ctx.figures[i].kind == "count"]


def _parts(ctx: Context, total: int, found: list[int]) -> bool:
    """Whether ``found`` may be the parts: two to six counts, none of them quoted, a range or
    the total's own unit but one (two of its unit are :mod:`sums`' work)."""
    figures, like = ctx.figures, ctx.like(total)
    return (2 <= len(found) <= MAX_PARTS and sum(i in like for i in found) <= 1
            and all(figures[i].value is not None and figures[i].value_max is None and not ctx.quoted[i]
                    for i in found))


def _after_cues(ctx: Context) -> Iterator[tuple[int, list[int]]]:
    """(total, parts) of 'N X, trong đó a Y và b Z': the last count before a parts cue in its
    sentence, outside brackets, and the counts after the cue to the end of its clause."""
    lay = ctx.layout
    for cue in ctx.cues.role("parts"):
        for m in ctx.anchors.finditer(cue):
            s0, s1 = lay.sentence(m.start())
            before = [i for i in _counts(ctx, s0, m.start()) if ctx.parens[i] is None]
            if not before:
                continue
            stop = _PARTS_END.search(ctx.text, m.end(), s1)
            parts = _counts(ctx, m.end(), stop.start() if stop else s1)
            if _parts(ctx, before[-1], parts):
                yield before[-1], parts


def _in_brackets(ctx: Context) -> Iterator[tuple[int, list[int]]]:
    """(total, parts) of 'N X … (a Y, b Z)': a bracket holding only counts, after a count of
    its sentence with no other figure between them."""
    lay = ctx.layout
    for opening, closing in lay.parens:
        inside = ctx.figures_in(opening + 1, closing)
        if not inside or any(ctx.figures[i].kind != "count" for i in inside):
            continue
        s0, _ = lay.sentence(opening)
        before = ctx.figures_in(s0, opening)
        if before and ctx.figures[before[-1]].kind == "count" and ctx.parens[before[-1]] is None \
                and _parts(ctx, before[-1], inside):
            yield before[-1], inside
