"""Totals whose parts follow in the next sentences, each named by its own words.

``Quý I/2024, tỉnh thu hút 465 dự án. Trong KCN có 292 dự án … Ngoài KCN có 173 dự án``:
the parts are not introduced by a cue, so which figures they are is inferred — a run of
consecutive amounts of the total's unit, in the few sentences after it, that adds up to
it exactly.  An inferred breakdown confirms a total; it never accuses one (a run that
does not add up may simply not be a breakdown).
"""
from __future__ import annotations

from decimal import Decimal

from kcextract.verifier.check import Check
from kcextract.verifier.layout import BULLET
from kcextract.verifier.tolerance import overlaps
from kcextract.verifier.workspace import AMOUNT_KINDS, Context, amount_text, fig_interval, operand, same_head

FOLLOWING_SENTENCES = 4
MAX_PARTS = 14


def _scope_end(ctx: Context, pos: int) -> int:
    _, end = ctx.layout.sentence(pos)
    for _ in range(FOLLOWING_SENTENCES):
        nxt = end
        while nxt < len(ctx.text) and ctx.text[nxt] in " \t\r\n.":
            nxt += 1
        if nxt >= len(ctx.text):
            break
        _, end = ctx.layout.sentence(nxt)
    return end


def _eligible(ctx: Context, i: int) -> bool:
    f = ctx.figures[i]
    return (f.kind in AMOUNT_KINDS and f.value is not None and f.value > 0 and i not in ctx.bases
            and f.value_max is None and not ctx.layout.in_quote(f.start))


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): totals confirmed by the run of parts after them."""
    out = []
    for i, t in enumerate(ctx.figures):
        # Not a part of a breakdown already read, nor a bracketed copy ('(Ba tỷ năm trăm triệu đồng)').
        if (not _eligible(ctx, i) or i in ctx.part_of or ctx.layout.paren(t.start) is not None
                or t.of_total is not None or BULLET.match(ctx.text[slice(*ctx.layout.line(t.start))])):
            continue      # a fraction ('04/10 đề án') or a list item is no total of what follows
        # The parts begin in a later sentence: within its own sentence a total's parts are
        # introduced by a cue (sums), and a run there is likelier a coincidence.
        _, own_end = ctx.layout.sentence(t.start)
        candidates = [j for j in ctx.figures_in(own_end, _scope_end(ctx, t.start))
                      if _eligible(ctx, j) and same_head(ctx.figures[j], t) and ctx.figures[j].value < t.value]
        t_iv = fig_interval(t)
        found = None
        for a in range(len(candidates)):
            total = Decimal(0)
            for b in range(a, min(len(candidates), a + MAX_PARTS)):
                total += Decimal(ctx.figures[candidates[b]].value)
                if b > a and overlaps(t_iv, (total, total)):
                    found = candidates[a:b + 1]
                    break
                if total > (t_iv[1] if t_iv[1] is not None else total):
                    break
            if found:
                break
        if not found:
            continue
        figs = [ctx.figures[j] for j in found]
        s = sum(Decimal(f.value) for f in figs)
        nums, e = amount_text(figs + [t], s, with_unit=True)
        explanation = f"{' + '.join(nums[:-1])} = {e}, báo cáo ghi {t.text} (các phần ở các câu sau)"
        out.append(Check("sum", "ok", t.text, t.start, t.end, Decimal(t.value), s,
                         tuple(operand(f) for f in figs), explanation, ctx.source, e,
                         resolved_by="parts named in following sentences", binding="inferred"))
    return out
