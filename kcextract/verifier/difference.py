"""Difference claims: ``145 cơ sở (… nhiều hơn 82 cơ sở so với giai đoạn 2018-2020)``.

The claim implies the earlier figure (145 − 82 = 63); it is checked only where the
document states that earlier figure, otherwise it is recorded as unverifiable with
the implied value in its explanation.
"""
from __future__ import annotations

from decimal import Decimal

from kcextract.verifier.check import Check
from kcextract.verifier.plausibility import MAX_FACTOR
from kcextract.verifier.claims import Claim
from kcextract.verifier.workspace import Context, amount_text, fig_interval, operand, operand_interval
from kcextract.verifier.ratio_share_growth import by_period
from kcextract.verifier.tolerance import overlaps, scale, add


def evaluate(ctx: Context, claim: Claim) -> Check:
    """The check of one difference claim (tăng/giảm/nhiều hơn/ít hơn N … so với …)."""
    n = ctx.figures[claim.fig]
    rep_iv = fig_interval(n, ignore_qualifier=claim.comparative)
    up = claim.direction != "down"
    word = claim.cue or ("nhiều hơn" if up else "ít hơn")

    def check(status, expected=None, ops=(), explanation=""):
        shown = "" if expected is None else amount_text([n], expected, with_unit=True)[1]
        by = "" if len(ops) < 2 else ("stated base" if explicit else "same thing, named period")
        return Check("difference", status, claim.text, claim.start, claim.end, claim.reported,
                     expected, tuple(operand(ctx.figures[i]) for i in ops), explanation,
                     ctx.source, shown, resolved_by=by, binding="stated" if explicit else "inferred")

    explicit = claim.base is not None

    subjects = [i for i in ctx.subjects_before(claim.cue_start, like=n) if i != claim.fig]
    if not subjects:
        return check("unverifiable", explanation=f"không xác định được số liệu {word} {n.text}")
    base = claim.base if explicit else by_period(ctx, claim, subjects[0])
    x = ctx.figures[subjects[0]]
    if base is not None and not explicit:
        # A base found by its period that makes the difference absurd (145 − 7 = 138 for a
        # reported 'ít hơn 02') is the wrong figure: fall back to the implied one.
        gap = abs(Decimal(x.value) - Decimal(ctx.figures[base].value))
        if n.value and not (Decimal(n.value) / MAX_FACTOR <= gap <= Decimal(n.value) * MAX_FACTOR):
            base = None
    if base is None:
        implied = Decimal(x.value) - Decimal(n.value) if up else Decimal(x.value) + Decimal(n.value)
        nums, imp = amount_text([x, n], implied, with_unit=True)
        sign = "−" if up else "+"
        where = f" ({claim.period})" if claim.period else ""
        return check("unverifiable", ops=[subjects[0]], explanation=(
            f"Số liệu so sánh{where} không được nêu trong bài; ngầm định "
            f"{nums[0]} {sign} {nums[1]} = {imp}"))
    y = ctx.figures[base]
    tried = []
    for s in subjects:
        x = ctx.figures[s]
        xi, yi = operand_interval(x), operand_interval(y)
        diff_iv = add(xi, scale(yi, Decimal(-1))) if up else add(yi, scale(xi, Decimal(-1)))
        point = (Decimal(x.value) - Decimal(y.value)) if up else (Decimal(y.value) - Decimal(x.value))
        nums, e = amount_text([x, y, n], point, with_unit=True)
        formula = f"{nums[0]} − {nums[1]}" if up else f"{nums[1]} − {nums[0]}"
        explanation = f"{formula} = {e}, báo cáo ghi {word} {nums[2]}"
        tried.append((s, point, explanation))
        if overlaps(rep_iv, diff_iv):
            return check("ok", point, [s, base], explanation)
    s, point, explanation = tried[0]
    if explicit and len(subjects) == 1:
        return check("fail", point, [s, base], explanation)
    return check("unverifiable", point, [s, base], explanation + " (số liệu so sánh được suy ra)")


