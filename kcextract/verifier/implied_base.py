"""Growth whose base is implied by a stated change: the level, the change, the percentage.

``xuất khẩu đạt 136,8 tỷ USD, tăng 16 tỷ USD (13,2%)``: the base is the level minus
the change (120,8 tỷ), so the percentage is 16 / 120,8 = 13,25%.  ``… 119 trường hợp,
tăng 37 trường hợp, tương ứng 47%``: 37 / 82 = 45,1%.  A reader checks these in the
head; the binding is stated (level, change and percentage stand in one clause), so a
mismatch beyond the rounding of every operand is a failure.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.tolerance import decimals_in, divide, overlaps, scale
from kcextract.verifier.workspace import (AMOUNT_KINDS, Context, amount_text, compatible, fig_interval,
                                          operand, pct)

HUNDRED = Decimal(100)
MAX_GAP = 40          # characters between the level and the change cue


def _cue(ctx: Context, cue_id: str):
    return next(c for c in ctx.cues.role("implied") if c.id == cue_id).pattern


def _triples(ctx: Context):
    """(level, change, percent, direction) index triples written 'L, tăng C (P%)' or
    'L, tăng P% (tương ứng tăng C)'."""
    change_cue, percent_cue = _cue(ctx, "implied_change"), _cue(ctx, "implied_percent")
    change_after = _cue(ctx, "implied_change_after")
    generic_unit = _cue(ctx, "generic_unit")
    figs = ctx.figures
    for k in range(len(figs) - 2):
        level, first, second = figs[k], figs[k + 1], figs[k + 2]
        if first.kind == "percent" and second.kind != "percent":
            # 'đạt 136,8 tỷ USD, tăng 13,2% (tương ứng tăng 16 tỷ USD)'
            change, percent = second, first
            # (the words are read only where the figures can make such a triple)
            if (change.start - percent.end <= 40 and level.kind in AMOUNT_KINDS and level.value
                    and change.value and level.value_max is None
                    and len(ctx.text[level.end:percent.start]) <= MAX_GAP and compatible(level, change)):
                m = change_cue.search(ctx.text[level.end:percent.start])
                if m and change_after.search(ctx.text[percent.end:change.start]):
                    yield k, k + 2, k + 1, "down" if m.group("down") else "up"
            continue
        change, percent = first, second
        if (level.kind not in AMOUNT_KINDS or percent.kind != "percent"
                or not level.value or not change.value or level.value_max is not None):
            continue
        # ('119 doanh nghiệp …, tăng 37 trường hợp': a generic unit stands for the level's)
        if not (compatible(level, change) or (level.kind == change.kind == "count" and generic_unit.search(
                " ".join((change.unit or "").lower().split())))):
            continue
        gap = ctx.text[level.end:change.start]
        if len(gap) > MAX_GAP or percent.start - change.end > 30:
            continue
        m = change_cue.search(gap)
        if not m:
            continue
        if not percent_cue.search(ctx.text[change.end:percent.start]):
            continue
        direction = "down" if m.group("down") else "up"
        yield k, k + 1, k + 2, direction


def _check(ctx: Context, li: int, ci: int, pi: int, direction: str) -> Optional[Check]:
    level, change, percent = ctx.figures[li], ctx.figures[ci], ctx.figures[pi]
    up = direction == "up"
    lv, cv = Decimal(level.value), Decimal(change.value)
    base = lv - cv if up else lv + cv
    if base <= 0:
        return None
    point = cv / base * HUNDRED
    # Every operand within its written precision: '16 tỷ USD' may be 15,5–16,5.
    l_iv, c_iv = fig_interval(level), fig_interval(change)
    if None in l_iv or None in c_iv:
        base_iv = (None, None)
    elif up:
        base_iv = (l_iv[0] - c_iv[1], l_iv[1] - c_iv[0])
    else:
        base_iv = (l_iv[0] + c_iv[0], l_iv[1] + c_iv[1])
    iv = scale(divide(c_iv, base_iv), HUNDRED) if None not in base_iv and base_iv[0] > 0 else (None, None)
    rep_iv = fig_interval(percent)
    decimals = decimals_in(percent.text)
    expected = point.quantize(Decimal(1).scaleb(-max(decimals, 1)))
    nums, base_txt = amount_text([change, level], base, with_unit=True)
    sign = "−" if up else "+"
    explanation = (f"{nums[0]} / ({nums[1]} {sign} {nums[0]} = {base_txt}) = {pct(point, max(decimals, 2))}, "
                   f"báo cáo ghi {'tăng' if up else 'giảm'} {percent.text}")
    status = "ok" if overlaps(rep_iv, iv) else "fail"
    return Check("growth", status, percent.text, percent.start, percent.end, Decimal(percent.value), expected,
                 (operand(level), operand(change)), explanation, ctx.source, format_auto(expected, 2) + "%",
                 resolved_by="implied by a stated change", binding="stated")


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry)."""
    out = []
    for li, ci, pi, direction in _triples(ctx):
        check = _check(ctx, li, ci, pi, direction)
        if check is not None:
            out.append(check)
    return out
