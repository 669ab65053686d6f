"""The shares of one whole, listed together: they cannot add up to more than 100%.

``… dân tộc Kinh chiếm 91,2%, Tày 5,4%, Nùng 2,1% và các dân tộc khác 1,3%`` — the
shares after a ``chiếm`` claim, each named by a short label and separated by ',' ';'
or 'và', are parts of the same whole.  Together they must not pass 100% (beyond the
rounding of each); a list closed by 'và', 'còn lại' or 'khác' must make 100%.
"""
from __future__ import annotations

from decimal import Decimal

from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.workspace import Context, fig_interval, operand

HUNDRED = Decimal(100)


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry)."""
    out, seen = [], set()
    for claim in ctx.claims:
        if claim.relation != "share" or claim.fig is None or claim.fig in seen:
            continue
        run = [claim.fig]
        _, s1 = ctx.layout.sentence(claim.start)
        k = claim.fig + 1
        while k < len(ctx.figures) and ctx.figures[k].start < s1:
            f, prev = ctx.figures[k], ctx.figures[run[-1]]
            between = ctx.text[prev.end:f.start]
            if (f.kind != "percent" or not ctx.cues.phrase("share_list_between").match(between)
                    or ctx.cues.phrase("not_a_share").search(between)):
                break
            run.append(k)
            k += 1
        seen.update(run)
        if len(run) < 3:
            continue
        figs = [ctx.figures[i] for i in run]
        total = sum(Decimal(f.value) for f in figs)
        ivs = [fig_interval(f) for f in figs]
        if any(lo is None or hi is None for lo, hi in ivs):
            continue
        lo, hi = sum(iv[0] for iv in ivs), sum(iv[1] for iv in ivs)
        closed = bool(ctx.cues.phrase("closing_item").search(ctx.text[figs[-2].end:figs[-1].start]))
        if lo > HUNDRED:
            status = "fail"
        elif closed and lo <= HUNDRED <= hi:
            status = "ok"
        else:
            continue
        listed = " + ".join(f.text for f in figs)
        explanation = f"{listed} = {format_auto(total, 2)}%: các tỷ trọng của cùng một tổng " + (
            "vượt 100%" if status == "fail" else "cộng lại 100%")
        first = figs[0]
        out.append(Check("sum", status, first.text, first.start, first.end, HUNDRED, total,
                         tuple(operand(f) for f in figs), explanation, ctx.source, format_auto(total, 2) + "%",
                         resolved_by="shares listed together", binding="stated"))
    return out
