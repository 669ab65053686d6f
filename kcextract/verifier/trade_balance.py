"""Trade balances: ``xuất siêu`` / ``nhập siêu`` X against the exports and imports stated before.

``… giá trị xuất khẩu ước đạt 65,7 tỷ USD …; giá trị nhập khẩu ước đạt 63,5 tỷ USD …
Cán cân thương mại hàng hóa xuất siêu 2,2 tỷ USD`` → 65,7 − 63,5 = 2,2 ✓.  The two
terms are the nearest earlier amounts of the balance's currency that the words before
them name as exports and as imports ('xuất, nhập khẩu', total trade, is neither); found
by words, so they confirm a balance and never accuse it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from kcextract.verifier.check import Check
from kcextract.verifier.tolerance import add, overlaps, scale
from kcextract.verifier.workspace import Context, amount_text, compatible, fig_interval, operand

LOOK_BACK_SENTENCES = 3


def _named(ctx: Context, i: int, words) -> bool:
    f = ctx.figures[i]
    start = max(ctx.layout.clause_start(f.start), f.start - 80, ctx.text.rfind(",", 0, f.start) + 1)
    before = ctx.text[start:f.start]
    return bool(words.search(before)) and not ctx.cues.phrase("total_trade").search(before)


def _side(ctx: Context, candidates: list, words) -> Optional[int]:
    named = [i for i in candidates if _named(ctx, i, words)]
    return named[-1] if named else None


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry)."""
    balance_cue = ctx.cues.first("balance")
    if not ctx.anchors.anywhere(balance_cue):
        return []
    export_words = next(c for c in ctx.cues.role("balance_side") if c.id == "export_words").pattern
    import_words = next(c for c in ctx.cues.role("balance_side") if c.id == "import_words").pattern
    out = []
    for m in ctx.anchors.finditer(balance_cue):
        i = ctx.first_figure_after(m.end(), m.end() + 40)
        if i is None or ctx.figures[i].kind != "money" or not ctx.figures[i].value:
            continue
        balance = ctx.figures[i]
        start = ctx.layout.start_sentences_back(m.start(), LOOK_BACK_SENTENCES)
        candidates = [j for j in ctx.figures_in(start, m.start()) if compatible(ctx.figures[j], balance)
                      and ctx.figures[j].value and ctx.figures[j].value > balance.value]
        x, n = _side(ctx, candidates, export_words), _side(ctx, candidates, import_words)
        if x is None or n is None or x == n:
            continue
        xf, nf = ctx.figures[x], ctx.figures[n]
        point = abs(Decimal(xf.value) - Decimal(nf.value))
        surplus = Decimal(xf.value) >= Decimal(nf.value)
        iv = add(fig_interval(xf), scale(fig_interval(nf), Decimal(-1)))
        if not surplus:
            iv = scale(iv, Decimal(-1))
        if not overlaps(fig_interval(balance), iv):
            continue          # found by words: a mismatch is no evidence
        nums, e = amount_text([xf, nf], point, with_unit=True)
        explanation = f"{nums[0]} − {nums[1]} = {e}, báo cáo ghi {m.group(0)} {balance.text}" if surplus else \
            f"{nums[1]} − {nums[0]} = {e}, báo cáo ghi {m.group(0)} {balance.text}"
        out.append(Check("difference", "ok", balance.text, balance.start, balance.end, Decimal(balance.value), point,
                         (operand(xf), operand(nf)), explanation, ctx.source, e,
                         resolved_by="exports and imports named", binding="inferred"))
    return out
