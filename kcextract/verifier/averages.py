"""Averages: ``bình quân`` / ``trung bình`` X per unit against a stated total and count.

``… 28.451 doanh nghiệp thành lập mới với tổng vốn đăng ký 375,5 nghìn tỷ đồng; vốn đăng
ký bình quân một doanh nghiệp đạt 13,2 tỷ đồng`` → 375,5 nghìn tỷ / 28.451 = 13,2 tỷ ✓.
The total and the count are found by value among the amounts of the average's sentence
and the two before it: a pair that gives the average confirms it; the binding is
inferred, so a pair that does not never accuses the report.
"""
from __future__ import annotations

import bisect
from decimal import Decimal
from itertools import repeat
from typing import Optional

from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.tolerance import interval, overlaps, precision_unit
from kcextract.verifier.workspace import Context, amount_text, compatible, fig_interval, operand

LOOK_BACK_SENTENCES = 4
AVERAGE_REACH = 80        # characters before an average amount in which its cue stands
HUNDRED = Decimal(100)


def _after_a_cue(ctx: Context, cue, indexes: list[int], reach: Optional[int] = None) -> list[int]:
    """Those of ``indexes`` (figures in text order) before which a place where ``cue`` can
    begin stands within ``reach`` characters (None: in the figure's sentence): before any
    other the cue cannot match.  All of them when the cue may begin anywhere (none when
    it has anchors and none stands in the report).  (The last such place before each figure,
    found by bisection at once: the cue's words begin a few times in a report, its figures
    stand there by the hundred.)"""
    begins = ctx.anchors.begins(cue)
    if begins is None:
        return indexes if ctx.anchors.anywhere(cue) else []
    if not begins:
        return []
    figures = ctx.figures
    starts = [figures[i].start for i in indexes]
    if reach is None:
        sentences = ctx.sentences
        lows = [sentences[i][0] for i in indexes]
    else:
        lows = [start - reach for start in starts]
    return [i for i, low, k in zip(indexes, lows, map(bisect.bisect_left, repeat(begins), starts))
            if k and begins[k - 1] >= low]


def _signed_growth(ctx: Context, i: int):
    """The growth a percentage states ('tăng 34,8%' → +34,8; 'giảm 5%' → −5), or None."""
    f = ctx.figures[i]
    if f.kind != "percent" or f.value is None:
        return None
    direction = ctx.change_direction(f)
    if direction is None:
        return None
    return -Decimal(f.value) if direction == "down" else Decimal(f.value)


def average_growths(ctx: Context) -> list[Check]:
    """The growth of an average from the growths of its total and its count: 'tăng 6,2% về
    số doanh nghiệp và tăng 34,8% về số vốn đăng ký …; vốn đăng ký bình quân một doanh
    nghiệp … tăng 26,9%' → 1,348 / 1,062 − 1 = 26,9%.  The one pair of stated growths
    before it that gives the claim confirms it (found by value: never accuses)."""
    average = ctx.cues.first("average")
    out = []
    for i in _after_a_cue(ctx, average, ctx.indexes("percent")):
        f = ctx.figures[i]
        claim = _signed_growth(ctx, i)
        if claim is None:
            continue
        s0, _ = ctx.sentences[i]
        if not ctx.anchors.search(average, s0, f.start):
            continue
        rep = fig_interval(f)
        growths = [(j, _signed_growth(ctx, j)) for j in ctx.figures_in(ctx.layout.start_sentences_back(f.start, LOOK_BACK_SENTENCES), f.start)]
        growths = [(j, g) for j, g in growths if g is not None and g > -100]
        fits = []
        for a, ga in growths:
            for b, gb in growths:
                if a == b:
                    continue
                q = ((HUNDRED + ga) / (HUNDRED + gb) - 1) * HUNDRED
                if overlaps(tuple(abs(x) if x is not None else x for x in rep), (abs(q), abs(q))) and (q >= 0) == (claim >= 0):
                    fits.append((a, b, q))
        if len(fits) != 1:
            continue
        a, b, q = fits[0]
        explanation = (f"(1 + {ctx.figures[a].text}) / (1 + {ctx.figures[b].text}) − 1 = "
                       f"{format_auto(q, 2)}%, báo cáo ghi {f.text}")
        out.append(Check("growth", "ok", f.text, f.start, f.end, Decimal(f.value), abs(q).quantize(Decimal("0.01")),
                         (operand(ctx.figures[a]), operand(ctx.figures[b])), explanation, ctx.source,
                         format_auto(abs(q), 2) + "%", resolved_by="growths of total and count stated",
                         binding="inferred"))
    return out


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): averages confirmed by a total and a count,
    and their growth by the growths of the total and the count."""
    return average_amounts(ctx) + average_growths(ctx)


def average_amounts(ctx: Context) -> list[Check]:
    """Averages confirmed by a total and a count."""
    average = ctx.cues.first("average")
    out = []
    for i in _after_a_cue(ctx, average, ctx.indexes("money"), AVERAGE_REACH):
        avg = ctx.figures[i]
        if avg.kind != "money" or not avg.value or i in ctx.bases or avg.value_max is not None:
            continue
        s0, s1 = ctx.sentences[i]
        if not ctx.anchors.search(average, max(s0, avg.start - AVERAGE_REACH), avg.start):
            continue
        lo = ctx.layout.start_sentences_back(avg.start, LOOK_BACK_SENTENCES)
        totals = [j for j in ctx.figures_in(lo, s1) if j != i and compatible(ctx.figures[j], avg)
                  and ctx.figures[j].value and ctx.figures[j].value > avg.value]
        counts = [j for j in ctx.figures_in(lo, s1, kinds=("count",)) if ctx.figures[j].value]
        # The average as written ('13,2 tỷ' is 13,15–13,25 tỷ), rounding kept as the report did.
        rep = interval(Decimal(avg.value), precision_unit(avg.text, Decimal(avg.value)))
        fits = []
        for t in totals:
            for n in counts:
                q = Decimal(ctx.figures[t].value) / Decimal(ctx.figures[n].value)
                if overlaps(rep, (q, q)):
                    fits.append((t, n, q))
        if len({(ctx.figures[t].value, ctx.figures[n].value) for t, n, _ in fits}) != 1:
            continue
        t, n, q = fits[0]
        nums, shown = amount_text([ctx.figures[t], avg], q, with_unit=True)
        explanation = f"{nums[0]} / {ctx.figures[n].text} = {shown}, báo cáo ghi bình quân {avg.text}"
        out.append(Check("average", "ok", avg.text, avg.start, avg.end, Decimal(avg.value), q,
                         (operand(ctx.figures[t]), operand(ctx.figures[n])), explanation, ctx.source, shown,
                         resolved_by="total and count stated", binding="inferred"))
    return out
