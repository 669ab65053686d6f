"""Averages: ``bình quân`` / ``trung bình`` X per unit against a stated total and count.

``… 28.451 doanh nghiệp thành lập mới với tổng vốn đăng ký 375,5 nghìn tỷ đồng; vốn đăng
ký bình quân một doanh nghiệp đạt 13,2 tỷ đồng`` → 375,5 nghìn tỷ / 28.451 = 13,2 tỷ ✓.
The total and the count are found by value among the amounts of the average's sentence
and the two before it: a pair that gives the average confirms it; the binding is
inferred, so a pair that does not never accuses the report.
"""
from __future__ import annotations

from decimal import Decimal

from kcextract.verifier.check import Check
from kcextract.verifier.tolerance import interval, overlaps, precision_unit
from kcextract.verifier.workspace import Context, amount_text, compatible, operand

LOOK_BACK_SENTENCES = 2


def _window_start(ctx: Context, pos: int) -> int:
    start, _ = ctx.layout.sentence(pos)
    for _ in range(LOOK_BACK_SENTENCES):
        if start <= 1:
            break
        start, _ = ctx.layout.sentence(start - 2)
    return start


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): averages confirmed by a total and a count."""
    cue = ctx.cues.first("average").pattern
    out = []
    for i, avg in enumerate(ctx.figures):
        if avg.kind != "money" or not avg.value or i in ctx.bases or avg.value_max is not None:
            continue
        s0, s1 = ctx.layout.sentence(avg.start)
        if not cue.search(ctx.text, max(s0, avg.start - 80), avg.start):
            continue
        lo = _window_start(ctx, avg.start)
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
