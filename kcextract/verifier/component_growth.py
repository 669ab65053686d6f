"""A total's growth against its parts' growths: the parts' earlier levels make the total's.

``… đạt 22.099,5 tỷ đồng, tăng 14,5%. Trong đó, kinh tế tập thể đạt 254,1 tỷ đồng, tăng
13,5%; kinh tế cá thể đạt 14.046,2 tỷ đồng, tăng 14,3% và kinh tế tư nhân đạt 7.799,2 tỷ
đồng, tăng 14,9%`` → the earlier total is 254,1/1,135 + 14.046,2/1,143 + 7.799,2/1,149 =
19.300,6 tỷ, so the total grew 22.099,5 / 19.300,6 − 1 = 14,5%.  The breakdown is the one
the sums claim type confirmed; a growth that does not fit is no evidence on its own (the
parts may not be the whole), so this confirms and never accuses.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

import regex

from kcextract.verifier.check import Check, format_in_scale, scale_of
from kcextract.verifier.tolerance import overlaps
from kcextract.verifier.workspace import Context, fig_interval, operand, pct

HUNDRED = Decimal(100)


def _growth_of(ctx: Context, i: int) -> Optional[tuple[int, Decimal]]:
    """The percentage right after amount ``i`` that says how it grew ('…, tăng 13,5%')."""
    f = ctx.figures[i]
    k = i + 1
    if k >= len(ctx.figures) or ctx.figures[k].kind != "percent":
        return None
    p = ctx.figures[k]
    m = ctx.cues.phrase("change_word_between").match(ctx.text[f.end:p.start])
    if not m or p.value is None:
        return None
    return k, (-Decimal(p.value) if m.group("down") else Decimal(p.value))


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry)."""
    totals: dict = {}
    for part, total in ctx.part_of.items():
        totals.setdefault(total, []).append(part)
    out = []
    for total, parts in totals.items():
        head = _growth_of(ctx, total)
        grown = [_growth_of(ctx, p) for p in sorted(parts)]
        if head is None or len(parts) < 2 or None in grown:
            continue
        earlier = sum(Decimal(ctx.figures[p].value) / (1 + g / HUNDRED) for p, (_, g) in zip(sorted(parts), grown))
        if earlier <= 0:
            continue
        t = ctx.figures[total]
        rate = (Decimal(t.value) / earlier - 1) * HUNDRED
        k, g_t = head
        claim = ctx.figures[k]
        rep = fig_interval(claim)
        # The parts' growths are printed rounded: half a last digit either way on each.
        slack = sum(fig_interval(ctx.figures[j])[1] - Decimal(ctx.figures[j].value) for j, _ in grown)
        if not overlaps((abs(rep[0]), abs(rep[1])), (abs(rate) - slack, abs(rate) + slack)):
            continue
        explanation = (f"kỳ trước = {' + '.join(f'{ctx.figures[p].text} / (1 + {ctx.figures[j].text})' for p, (j, _) in zip(sorted(parts), grown))}"
                       f" = {format_in_scale(earlier, *scale_of(t.text), max_decimals=1)}; {t.text} so với đó tăng {pct(rate, 2)}, báo cáo ghi {claim.text}")
        out.append(Check("growth", "ok", claim.text, claim.start, claim.end, Decimal(claim.value),
                         abs(rate).quantize(Decimal("0.01")), tuple(operand(ctx.figures[p]) for p in sorted(parts)),
                         explanation, ctx.source, pct(abs(rate), 2), resolved_by="parts and their growths",
                         binding="inferred"))
    return out
