"""The likely cause of a failed check, told the way an editor would tell it.

A reader who is told "23,23% is wrong" wants to know why: the writer rounded, divided
the wrong way, took the figure of another period (seed 003: 26,7% is 63 / 236, the
earlier period's share), left a part out, counted one twice, or slipped a unit
(``8.250 nghìn`` for ``8,25 nghìn``).  Each hypothesis is tried on the check's own
operands and the other figures of the document; the first that reproduces the
reported number is named.
"""
from __future__ import annotations

import bisect
import dataclasses
from decimal import Decimal
from typing import Callable, Optional

from kcextract.verifier.check import Check, format_auto, scale_of
from kcextract.verifier.tolerance import decimals_in
from kcextract.verifier.workspace import Context, unit_key

HUNDRED = Decimal(100)
REACH = 8000           # another pair of figures is looked for within a section of the claim


def _close(a: Decimal, b: Decimal, reported_text: str) -> bool:
    """``a`` rounds to what the report wrote as ``b`` (to the report's last digit)."""
    step = Decimal(1).scaleb(-decimals_in(reported_text))
    return abs(Decimal(a) - Decimal(b)) <= step / 2 + Decimal("1e-9")


def _rounding(ctx: Context, c: Check) -> Optional[str]:
    if c.kind in ("ratio", "share", "growth") and c.expected is not None:
        if abs(Decimal(c.expected) - Decimal(c.reported)) <= Decimal("0.11"):
            return "lệch ở chữ số cuối: có thể do làm tròn"
    return None


def _swapped(ctx: Context, c: Check) -> Optional[str]:
    if c.kind not in ("ratio", "share", "growth") or len(c.operands) != 2:
        return None
    x, y = (Decimal(o.value) for o in c.operands)
    if not x or not y:
        return None
    r = Decimal(c.reported)
    tries = {"y / x": y / x * HUNDRED}
    if c.kind == "growth":
        tries = {"(x − y) / x": abs(x - y) / x * HUNDRED, "y / x − 1": abs(y / x - 1) * HUNDRED}
    for formula, value in tries.items():
        if _close(value, r, c.claim_text):
            return f"khớp với phép tính {formula.replace('x', c.operands[0].text).replace('y', c.operands[1].text)}: có thể nhầm mẫu số"
    return None


def _other_figures(ctx: Context, c: Check) -> Optional[str]:
    """A pair of other figures of the document that gives exactly the reported percentage.

    For each possible whole, the part that would give the reported percentage is looked up
    among the amounts of its unit sorted by value, so a long report costs n log n, not n²."""
    if c.kind not in ("ratio", "share") or len(c.operands) != 2:
        return None
    r = Decimal(c.reported)
    own = ((c.operands[0].start, c.operands[0].end), (c.operands[1].start, c.operands[1].end))
    half = Decimal(1).scaleb(-decimals_in(c.claim_text)) / 2
    hits = []
    keys = set()
    for o in c.operands:
        i = ctx.index_at(o.start)
        if i < len(ctx.figures) and ctx.figures[i].start == o.start:
            keys.add((ctx.figures[i].kind, unit_key(ctx.figures[i])))
    lo_pos, hi_pos = c.claim_start - REACH, c.claim_end + REACH
    for key in keys:
        amounts, values = ctx.amounts_by_unit().get(key, []), ctx.amount_values(key) if key in ctx.amounts_by_unit() else []
        # (the wholes within reach, by position; which pair is found does not depend on the
        # order they are tried in, only on how many pairs there are)
        for b_value, b in ctx.amounts_between(key, lo_pos, hi_pos):
            lo, hi = (r - half) * b_value / HUNDRED, (r + half) * b_value / HUNDRED
            for k in range(bisect.bisect_left(values, lo), bisect.bisect_right(values, hi)):
                a = amounts[k][1]
                if a is not b and a.value < b.value and ((a.start, a.end), (b.start, b.end)) != own:
                    hits.append((a, b))
                    if len(hits) > 1:
                        return None
    if len(hits) == 1:
        a, b = hits[0]
        period = f" ({a.period})" if a.period else ""
        return f"{c.claim_text} đúng bằng {a.text} / {b.text}{period}: có thể lấy số liệu của kỳ hoặc mục khác"
    if not hits:
        return _implied_earlier(ctx, c, r, half)
    return None


def _implied_earlier(ctx: Context, c: Check, r: Decimal, half: Decimal) -> Optional[str]:
    """The reported share is an earlier period's, whose figure the text implies by a change
    ('145 cơ sở … nhiều hơn 82 cơ sở so với giai đoạn 2018-2020': 63 then; 26,7% = 63 / 236)."""
    whole = c.operands[-1]
    for claim, subjects in _differences(ctx):
        x = Decimal(ctx.figures[subjects[0]].value)
        earlier = x - claim.reported if claim.direction != "down" else x + claim.reported
        if whole.value and earlier > 0 and abs(earlier / Decimal(whole.value) * HUNDRED - r) <= half + Decimal("1e-9"):
            period = f" {claim.period}" if claim.period else ""
            return (f"{c.claim_text} đúng bằng {format_auto(earlier)} / {whole.text}, với {format_auto(earlier)} là số "
                    f"liệu của kỳ trước{period} ({ctx.figures[subjects[0]].text} − {claim.text}): có thể lấy tỷ lệ của kỳ trước")
    return None


def _differences(ctx: Context) -> list:
    """(claim, its subjects) of each difference claim whose subject is found, in order
    (read once per document: every failed share asks)."""
    found = ctx.memo.get("causes.differences")
    if found is None:
        found = ctx.memo["causes.differences"] = []
        for claim in ctx.claims:
            if claim.relation != "difference" or claim.fig is None:
                continue
            subjects = [i for i in ctx.subjects_before(claim.cue_start, like=ctx.figures[claim.fig]) if i != claim.fig]
            if subjects:
                found.append((claim, subjects))
    return found


def _sum_parts(ctx: Context, c: Check) -> Optional[str]:
    if c.kind != "sum" or c.expected is None:
        return None
    total, got = Decimal(c.reported), Decimal(c.expected)
    gap = total - got
    if got and total / got in (Decimal(1000), Decimal("0.001")):
        return "tổng và các phần lệch đúng 1.000 lần: nhầm đơn vị (nghìn/triệu/tỷ)"
    for o in c.operands:
        if o.value is not None and -gap == Decimal(o.value):
            return f"thừa một phần: bỏ {o.text} thì khớp"
    own = {(o.start, o.end) for o in c.operands}
    for f in ctx.amounts_worth(gap):
        if (f.start, f.end) not in own:
            return f"thiếu một phần: thêm {f.text} thì khớp"
    if gap > 0:
        return f"các phần thiếu {format_auto(gap / _unit(c), 3)} so với tổng"
    return f"các phần vượt tổng {format_auto(-gap / _unit(c), 3)}"


def _unit(c: Check) -> Decimal:
    return scale_of(c.claim_text)[0]


def _unit_slip(ctx: Context, c: Check) -> Optional[str]:
    if c.expected is None or not c.expected:
        return None
    q = Decimal(c.reported) / Decimal(c.expected)
    if q in (Decimal(1000), Decimal("0.001"), Decimal(10), Decimal("0.1")):
        return f"lệch đúng {format_auto(q, 3)} lần: có thể nhầm đơn vị hoặc dấu thập phân"
    return None


# Tried in this order; the first that explains the reported number is named.
HYPOTHESES: list[tuple[str, Callable]] = [
    ("unit slip", _unit_slip),
    ("rounding", _rounding),
    ("swapped operands", _swapped),
    ("another period or item", _other_figures),
    ("missing or extra part", _sum_parts),
]


def explain(ctx: Context, check: Check) -> Check:
    """A failed check with its likely cause (``cause`` and a sentence in the explanation)."""
    if check.status != "fail":
        return check
    for name, hypothesis in HYPOTHESES:
        text = hypothesis(ctx, check)
        if text:
            return dataclasses.replace(check, cause=name, explanation=f"{check.explanation}. Nguyên nhân có thể: {text}")
    return check
