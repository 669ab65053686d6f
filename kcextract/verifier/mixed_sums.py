"""A count split into counts of other things: confirmed when they make it, never accused.

``trên 12.000 cơ sở sản xuất kinh doanh, trong đó gần 2.400 doanh nghiệp và 9.600 hộ kinh
doanh`` and ``27 nghề truyền thống, làng nghề … được công nhận (06 nghề truyền thống, 21 làng
nghề)``: Vietnamese reports break a count of establishments into enterprises and households,
or of crafts into crafts and craft villages, naming each part by its own noun.
:mod:`~kcextract.verifier.sums` adds parts of the total's own unit; counts of other nouns may
as well be details (``trong đó 20 doanh nghiệp FDI và 300 lao động``), so they are taken for
the parts only when every one of them, together, makes the total: such a sum is reported
when it holds (resolver 'counts of other nouns that make it') and says nothing otherwise.
"""
from __future__ import annotations

import dataclasses

import regex

from kcextract.verifier.check import Check
from kcextract.verifier.sums import evaluate_parts, reported_text
from kcextract.verifier.workspace import Context, amount_text

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
            checks.append(dataclasses.replace(g.check, **RESOLVED, **_explained(ctx, total, parts, g.check)))
    return checks


def _explained(ctx: Context, total: int, parts: list[int], check: Check) -> dict:
    """The explanation in the parts' own nouns, and the sum in the total's: '2.400 doanh nghiệp +
    9.600 hộ = 12.000 cơ sở, báo cáo ghi trên 12.000 cơ sở' (the common wording would give the
    sum the first part's noun)."""
    t = ctx.figures[total]
    _, expected = amount_text([t], check.expected, with_unit=True)
    said = " + ".join(reported_text(ctx, ctx.figures[i]) for i in parts)
    return {"explanation": f"{said} = {expected}, báo cáo ghi {reported_text(ctx, t)}", "expected_text": expected}


def _parts(ctx: Context, total: int, found: list[int]) -> bool:
    """Whether ``found`` may be the parts: two to six counts, none of them quoted or a range,
    and none of the total's own unit but one (two of its unit are :mod:`sums`' work)."""
    if not 2 <= len(found) <= MAX_PARTS:
        return False
    figures, like = ctx.figures, ctx.like(total)
    return (sum(i in like for i in found) <= 1
            and all(figures[i].value is not None and figures[i].value_max is None and not ctx.quoted[i]
                    for i in found))


def _after_cues(ctx: Context) -> list[tuple[int, list[int]]]:
    """(total, parts) of 'N X, trong đó a Y và b Z': the last count before a parts cue in its
    sentence, outside brackets, and the counts after the cue to the end of its clause.  (Only
    sentences with three counts are read: few are.)"""
    by_sentence: dict = {}
    for i in ctx.indexes("count"):
        by_sentence.setdefault(ctx.sentences[i], []).append(i)
    found: list = []
    for (s0, s1), held in by_sentence.items():
        if len(held) < 3:
            continue
        for cue in ctx.cues.role("parts"):
            m = ctx.anchors.search(cue, s0, s1)
            while m is not None:
                stop = _PARTS_END.search(ctx.text, m.end(), s1)
                parts = ctx.among(held, m.end(), stop.start() if stop else s1)
                before = [i for i in ctx.among(held, s0, m.start()) if ctx.parens[i] is None]
                if before and _parts(ctx, before[-1], parts):
                    found.append((before[-1], parts))
                m = ctx.anchors.search(cue, m.end(), s1)
    return found


def _in_brackets(ctx: Context) -> list[tuple[int, list[int]]]:
    """(total, parts) of 'N X … (a Y, b Z)': a bracket holding only counts, two at least,
    after a count of its sentence with no other figure between them."""
    lay, parens = ctx.layout, ctx.parens
    bracketed, found = {}, []
    for i in ctx.indexes("count"):          # (the brackets that hold two counts: few)
        if parens[i] is not None:
            bracketed.setdefault(parens[i], []).append(i)
    for (opening, closing), held in bracketed.items():
        if len(held) < 2 or len(ctx.figures_in(opening + 1, closing)) != len(held):
            continue
        s0, _ = lay.sentence(opening)
        before = ctx.figures_in(s0, opening)
        if before and ctx.figures[before[-1]].kind == "count" and parens[before[-1]] is None \
                and _parts(ctx, before[-1], held):
            found.append((before[-1], held))
    return found
