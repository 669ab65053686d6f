"""Totals whose parts follow in the next sentences, each named by its own words.

``Quý I/2024, tỉnh thu hút 465 dự án. Trong KCN có 292 dự án … Ngoài KCN có 173 dự án``:
the parts are not introduced by a cue, so which figures they are is inferred — a run of
consecutive amounts of the total's unit, in the few sentences after it, that adds up to
it exactly.  An inferred breakdown confirms a total; it never accuses one (a run that
does not add up may simply not be a breakdown).
"""
from __future__ import annotations

import itertools
from decimal import Decimal

from kcextract.verifier.check import Check
from kcextract.verifier.layout import BULLET
from kcextract.verifier.tolerance import overlaps
from kcextract.verifier.workspace import AMOUNT_KINDS, Context, amount_text, fig_interval, operand, same_head

FOLLOWING_SENTENCES = 6
MAX_PARTS = 14
INTERLEAVED_POOL = 10
PRECEDING_SENTENCES = 2


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


def _contiguous_run(ctx: Context, candidates: list, t_iv) -> list:
    """The first run of consecutive candidates (≥ 2) whose sum is the total."""
    for a in range(len(candidates)):
        total = Decimal(0)
        for b in range(a, min(len(candidates), a + MAX_PARTS)):
            total += Decimal(ctx.figures[candidates[b]].value)
            if b > a and overlaps(t_iv, (total, total)):
                return candidates[a:b + 1]
            if t_iv[1] is not None and total > t_iv[1]:
                break
    return []


def _interleaved(ctx: Context, candidates: list, t, t_iv) -> list:
    """Two or three candidates, not next to each other, whose sum is the total: 'Trong đó:
    KCQG được phê duyệt 120.000 triệu, thực hiện 118.579 triệu; KCĐP được phê duyệt
    178.300,98 triệu …' breaks down both the plan and the execution.  Only for a total
    written to at least three significant digits (a chance fit is then unlikely) and
    only when one set of values fits."""
    if t_iv[0] is None or t_iv[1] is None or (t_iv[1] - t_iv[0]) * 100 > Decimal(t.value):
        return []
    pool = candidates[:INTERLEAVED_POOL]
    fits = {}
    for size in (2, 3):
        for combo in itertools.combinations(pool, size):
            total = sum(Decimal(ctx.figures[j].value) for j in combo)
            if overlaps(t_iv, (total, total)):
                fits.setdefault(tuple(sorted(ctx.figures[j].value for j in combo)), list(combo))
        if fits:
            break
    return next(iter(fits.values())) if len(fits) == 1 else []


def _earlier_parts(ctx: Context, i: int, t_iv) -> list:
    """A total labelled as one after its parts: '… 28.451 DN thành lập mới … Trong quý có
    15.050 DN quay trở lại hoạt động, nâng tổng số DN … lên hơn 43.500 DN'."""
    t = ctx.figures[i]
    s0, _ = ctx.layout.sentence(t.start)
    if not ctx.cues.any_match("total", ctx.text[max(s0, t.start - 120):t.start]):
        return []
    start = s0
    for _ in range(PRECEDING_SENTENCES):
        if start < 2:
            break
        start, _ = ctx.layout.sentence(start - 2)
    candidates = [j for j in ctx.figures_in(start, t.start)
                  if _eligible(ctx, j) and same_head(ctx.figures[j], t) and ctx.figures[j].value < t.value]
    return _contiguous_run(ctx, candidates, t_iv) or _interleaved(ctx, candidates, t, t_iv)


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
        s0, own_end = ctx.layout.sentence(t.start)
        if ctx.cues.any_match("total", ctx.text[max(s0, t.start - 40):t.start]):
            own_end = t.end       # 'trong tổng mức 370 nghìn tỷ đồng, doanh thu bán lẻ đạt …'
        candidates = [j for j in ctx.figures_in(own_end, _scope_end(ctx, t.start))
                      if _eligible(ctx, j) and same_head(ctx.figures[j], t) and ctx.figures[j].value < t.value]
        t_iv = fig_interval(t)
        found = _contiguous_run(ctx, candidates, t_iv) or _interleaved(ctx, candidates, t, t_iv)
        if not found:
            found = _earlier_parts(ctx, i, t_iv)
        if not found:
            continue
        figs = [ctx.figures[j] for j in found]
        s = sum(Decimal(f.value) for f in figs)
        nums, e = amount_text(figs + [t], s, with_unit=True)
        where = "các câu sau" if figs[0].start > t.start else "các câu trước"
        explanation = f"{' + '.join(nums[:-1])} = {e}, báo cáo ghi {t.text} (các phần ở {where})"
        out.append(Check("sum", "ok", t.text, t.start, t.end, Decimal(t.value), s,
                         tuple(operand(f) for f in figs), explanation, ctx.source, e,
                         resolved_by="parts named in following sentences", binding="inferred"))
    return out
