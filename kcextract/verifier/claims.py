"""Reading claims: a reported figure, the cue before it and the base it names.

``…, đạt 93,71% so với kế hoạch năm (59.913 triệu đồng)`` is a ratio claim on
``93,71%`` with the explicit base ``59.913 triệu đồng``; ``nhiều hơn 82 cơ sở so
với giai đoạn 2018-2020`` is a difference claim on ``82 cơ sở`` with no stated base.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from kcextract.verifier.workspace import AMOUNT_KINDS, Context, compatible

# The words these read are phrases of patterns/relations.yaml: so_voi, period_after_so_voi
# (the time the base figure belongs to), clause_break, comparative ('nhiều hơn 82': the 'hơn'
# belongs to the cue, it is not the qualifier 'more than').


@dataclass
class Claim:
    """A reported figure and the relation its cue states."""

    relation: str            # ratio, share, growth, difference, multiple
    direction: Optional[str]
    start: int               # the reported number as written
    end: int
    text: str
    reported: Decimal
    cue_start: int
    fig: Optional[int] = None          # index of the reported figure (None for 'gấp N lần')
    base: Optional[int] = None         # index of an explicitly stated base
    period: Optional[str] = None       # 'so với <period>' when stated
    comparative: bool = False          # cue ends in 'hơn' (nhiều hơn, ít hơn …)
    cue: str = ""                      # the cue words as written ('tăng', 'ít hơn')


def _clause_end(ctx: Context, pos: int) -> int:
    """Where the clause that continues after ``pos`` ends (',' ';' ')' or the sentence)."""
    _, s_end = ctx.layout.sentence(pos)
    m = ctx.cues.phrase("clause_break").search(ctx.text, pos, s_end)
    return m.start() if m else s_end


def find_base(ctx: Context, pos: int) -> Optional[int]:
    """The figure a claim ending at ``pos`` is computed on, when the text names it:
    in the parenthesis after it or after 'so với' / 'trên tổng số' in the same clause."""
    _, s_end = ctx.layout.sentence(pos)
    i = ctx.first_figure_after(pos, s_end)
    if i is None:
        return None
    f = ctx.figures[i]
    if f.kind not in AMOUNT_KINDS:
        return None
    between = ctx.text[pos:f.start]
    for cue in ctx.cues.role("base"):
        if cue.pattern.search(between):
            return i
    return None


def _period_after(ctx: Context, pos: int, end: Optional[int] = None) -> Optional[str]:
    """The period of 'so với <period>' in the clause after ``pos`` (``end``: where that
    clause ends, when the caller has found it)."""
    end = _clause_end(ctx, pos) if end is None else end
    m = ctx.cues.phrase("so_voi").search(ctx.text, pos, end)
    if not m:
        return None
    p = ctx.cues.phrase("period_after_so_voi").search(ctx.text, m.end(), end)
    return " ".join(p.group(0).split()) if p else None


# The relation a percentage states, by its cue's relation.
_PERCENT_RELATION = {"ratio": "ratio", "share": "share", "change": "growth"}


def read_claims(ctx: Context) -> list[Claim]:
    """Every claim of the document, with explicit bases marked in ``ctx.bases``."""
    claims = []
    text = ctx.text
    figures = ctx.figures
    lay = ctx.layout
    comparative_words = ctx.cues.phrase("comparative")
    so_voi = ctx.cues.phrase("so_voi")
    # (a cue stands in a window before a figure only where a claim word begins in it: the
    # last such place before each figure, found for every figure at once, tells)
    starts = [f.start for f in figures]
    nearest = ctx.claim_words_before(starts)
    parens = ctx.parens
    # Both ends of a range ('khoảng 10-30% tổng vốn') state a span, not a claim to recompute.
    range_ends = ctx.range_ends
    # A cue is looked for within the 80 characters before a figure, or before the parenthesis
    # the figure opens: the figures with no claim word that near and in no parenthesis are
    # passed over at once (most figures of a report).
    candidates = [i for i, start, near, par in zip(range(len(figures)), starts, nearest, parens)
                  if near >= start - 80 or par]
    for i in candidates:
        f = figures[i]
        if f.value is None or f.kind == "project" or f.value_max is not None or i in range_ends:
            continue
        par = parens[i]
        near = nearest[i]
        hit = None
        # (the cue stands in the figure's clause, within the 80 characters before it and
        # after its opening parenthesis: the clause is found only when a claim word begins there)
        floor = f.start - 80
        if par and par[0] >= floor:
            floor = par[0] + 1
        if near >= floor:
            before_start = lay.clause_start(f.start)
            if before_start < floor:
                before_start = floor
            if near >= before_start:
                hit = ctx.claim_before(before_start, f.start)
        if not hit and par and not text[par[0] + 1:f.start].strip():
            # '421 đề án (19,6%)': the cue is the bracket itself, read with what precedes it.
            before_start = max(lay.clause_start(par[0]), par[0] - 60)
            if near >= before_start:
                hit = ctx.claim_before(before_start, f.start)
        if not hit:
            continue
        cue, m = hit
        if f.kind == "percent":
            if "điểm" in f.text.lower():
                continue      # '1,5 điểm phần trăm': a change of a rate, not a growth of an amount
            relation = _PERCENT_RELATION[cue.relation]
        elif f.kind in AMOUNT_KINDS and cue.relation == "change":
            relation = "difference"
        else:
            continue
        comparative = bool(comparative_words.search(m.group(0)))
        clause_end = None
        if relation == "difference" and not comparative:
            # An amount after tăng/giảm is a difference only when compared to something.
            clause_end = _clause_end(ctx, f.end)
            if not so_voi.search(text, f.end, clause_end):
                continue
        cue_start = before_start + m.start()
        claim = Claim(relation, cue.direction, f.start, f.end, f.text, Decimal(f.value),
                      cue_start, fig=i, comparative=comparative,
                      cue=" ".join(m.group(0).split()))
        claim.base = find_base(ctx, f.end)
        if relation == "difference":
            b = claim.base
            if b is not None and not compatible(figures[b], f):
                claim.base = None
            ctx.bases.add(i)
        if relation in ("growth", "difference"):
            claim.period = _period_after(ctx, f.end, clause_end)
        if claim.base is not None:
            ctx.bases.add(claim.base)
        claims.append(claim)
    for cue in ctx.cues.role("multiple"):
        for m in ctx.anchors.finditer(cue):
            g = next(k for k in ("n", "n2", "w") if m.group(k))
            word = m.group(g)
            value = (Decimal(word.replace(",", ".")) if g != "w"
                     else Decimal(str(cue.values[word.lower()])))
            # 'tăng N lần' (n2) is written for ×N and for ×(N + 1) alike: the check accepts both.
            claim = Claim("multiple", "up" if g == "n2" else None, m.start(g), m.end(g), word, value, m.start(),
                          cue=" ".join(m.group(0).split()))
            claim.base = find_base(ctx, m.end())
            claim.period = _period_after(ctx, m.end())
            if claim.base is not None:
                ctx.bases.add(claim.base)
            claims.append(claim)
    return sorted(claims, key=lambda c: c.start)
