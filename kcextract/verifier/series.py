"""Series: a level stated for each year, and the claims a report makes between them.

``Năm 1997, kim ngạch xuất khẩu … đạt 20,4 triệu USD … năm 2016 đạt 22.809 triệu USD …
bình quân mỗi năm từ 1997-2016, kim ngạch xuất khẩu … tăng 42%`` → (22.809 / 20,4)^(1/19)
− 1 = 44,7% a year.  ``Năm 2019 đạt 52 tỷ USD, tăng 8,3% so với năm 2018`` with 2018's
level stated earlier; ``tăng 4,1 tỷ USD`` between two stated levels.

The levels are found by the figures stage's frames: the years a figure is about
(``period_years``, never a comparison base's) and what it measures (``label``).  A level
is taken only when it is the one figure of that measure, unit and year; the binding is
then stated by the text (each level carries its own year), so a mismatch fails.
"""
from __future__ import annotations

import bisect
import functools
import math
from decimal import Decimal
from typing import Optional

import regex

from kcextract.verifier.anchors import AnyOf
from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.cues import Cues
from kcextract.verifier.named_base import words
from kcextract.verifier.tolerance import decimals_in, overlaps
from kcextract.verifier.workspace import AMOUNT_KINDS, Context, compatible, fig_interval, operand, pct

HUNDRED = Decimal(100)
_YEAR = regex.compile(r"(?:19|20)\d\d")


def _years(f) -> tuple:
    return tuple(getattr(f, "period_years", ()) or ())


def _label_words(f) -> set:
    return words(getattr(f, "label", None) or "")


def _same_scope(a, b) -> bool:
    """Whose the figures are, when both frames say: a province's level is not the country's."""
    sa, sb = (" ".join((getattr(f, "scope", None) or "").lower().split()) for f in (a, b))
    return not sa or not sb or sa == sb


SERIES_REACH = 20000      # characters either way
BASE_REACH = 60           # characters after a claim in which it names its base year


def _level(ctx: Context, like, year: int, exclude: set) -> Optional[int]:
    """The one figure of ``like``'s measure and unit stated for ``year`` alone."""
    want = _label_words(like)
    window = ctx.amounts_by_year().get((like.kind, year), [])
    # (the levels of a series stand in the same section of a report as its claims)
    lo = bisect.bisect_left(window, ctx.index_at(like.start - SERIES_REACH))
    hi = bisect.bisect_right(window, ctx.index_at(like.start + SERIES_REACH))
    found = [i for i in window[lo:hi] for f in (ctx.figures[i],)
             if i not in exclude and compatible(f, like)
             and _years(f) == (year,) and getattr(f, "role", "actual") in ("actual", "estimate", None)
             and (not want or len(want & _label_words(f)) >= min(2, len(want)))
             and _same_scope(like, f)]
    values = {ctx.figures[i].value for i in found}
    return found[0] if len(values) == 1 else None


def _yearly_average(ctx: Context, i: int, years: tuple) -> Optional[Check]:
    """'bình quân mỗi năm từ 1997-2016 … tăng 42%': the compound yearly growth between the
    levels of the two end years (``years``, the figure's own)."""
    f = ctx.figures[i]
    if f.kind != "percent":
        return None
    s0, _ = ctx.layout.sentence(f.start)
    direction = ctx.change_direction(f)
    if direction is None:
        return None
    if not ctx.anchors.search_in(ctx.cues.entry("yearly_average"), max(s0, f.start - 120), f.end + 8):
        return None
    y1, y2 = years
    if y2 <= y1:
        return None
    # The levels are what the claim's own words measure: the nearest amount before it in
    # its sentence names the measure, else any amount of the document with the claim's label.
    likes = ctx.amounts_by_year().get((AMOUNT_KINDS[0], y1), []) + ctx.amounts_by_year().get((AMOUNT_KINDS[1], y1), [])
    likes = sorted(j for j in likes if ctx.figures[j].start < f.start)
    if not likes:
        return None
    first = _level(ctx, ctx.figures[likes[-1]], y1, {i})
    last = _level(ctx, ctx.figures[likes[-1]], y2, {i})
    if first is None or last is None:
        return None
    a, b = Decimal(ctx.figures[first].value), Decimal(ctx.figures[last].value)
    n = y2 - y1
    rate = (Decimal(math.pow(float(b / a), 1 / n)) - 1) * HUNDRED
    if direction == "down":
        rate = -rate
    # The levels are printed rounded: the rate of any reading within their precision fits.
    lo_a, hi_a = fig_interval(ctx.figures[first])
    lo_b, hi_b = fig_interval(ctx.figures[last])
    bounds = []
    for x, y in ((hi_a, lo_b), (lo_a, hi_b)):
        if x and y and x > 0 and y > 0:
            r = (Decimal(math.pow(float(y / x), 1 / n)) - 1) * HUNDRED
            bounds.append(-r if direction == "down" else r)
    iv = (min(bounds), max(bounds)) if len(bounds) == 2 else (rate, rate)
    status = "ok" if overlaps(fig_interval(f), iv) else "fail"
    expected = rate.quantize(Decimal("0.1"))
    explanation = (f"({ctx.figures[last].text} / {ctx.figures[first].text})^(1/{n}) − 1 = "
                   f"{pct(rate, 1)} mỗi năm ({y1}–{y2}, {n} năm), báo cáo ghi bình quân {f.text}")
    return Check("growth", status, f.text, f.start, f.end, Decimal(f.value), expected,
                 (operand(ctx.figures[first]), operand(ctx.figures[last])), explanation, ctx.source,
                 format_auto(expected, 1) + "%", resolved_by="levels of a series", binding="stated")


def _between_levels(ctx: Context, i: int, years: tuple) -> Optional[Check]:
    """'năm 2019 đạt 52 tỷ USD, tăng 8,3% so với năm 2018' (or 'tăng 4,1 tỷ USD'): the level
    of the claim's year (``years``, the figure's one) against the level of the year it names
    (or the year before)."""
    f = ctx.figures[i]
    # (the base named right after the claim is read first: few figures are followed by one)
    after = ctx.text[f.end:f.end + BASE_REACH]
    m = ctx.cues.phrase("year_after_so_voi").match(after)
    base_year = int(m.group("year")) if m else (
        years[0] - 1 if ctx.cues.phrase("previous_year").match(after) else None)
    if base_year is None or base_year == years[0]:
        return None
    direction = ctx.change_direction(f)
    if direction is None:
        return None
    subjects = [j for j in ctx.subjects_before(f.start) if _years(ctx.figures[j]) == years]
    if not subjects:
        return None
    s = subjects[0]
    base = _level(ctx, ctx.figures[s], base_year, {i, s})
    if base is None:
        return None
    x, y = ctx.figures[s], ctx.figures[base]
    xv, yv = Decimal(x.value), Decimal(y.value)
    lx, hx = fig_interval(x)
    ly, hy = fig_interval(y)
    if f.kind == "percent":
        point = (xv / yv - 1) * HUNDRED
        iv = ((lx / hy - 1) * HUNDRED, (hx / ly - 1) * HUNDRED)
        if direction == "down":
            point, iv = -point, (-iv[1], -iv[0])
        kind, shown = "growth", pct(point, 2)
        formula = f"{x.text} / {y.text} − 1 = {shown}"
    elif compatible(f, x):
        point = xv - yv if direction == "up" else yv - xv
        iv = (lx - hy, hx - ly) if direction == "up" else (ly - hx, hy - lx)
        kind, shown = "difference", format_auto(point, 3)
        formula = f"{x.text} − {y.text}" if direction == "up" else f"{y.text} − {x.text}"
    else:
        return None
    status = "ok" if overlaps(fig_interval(f), iv) else "fail"
    explanation = f"{formula} ({years[0]} so với {base_year}), báo cáo ghi {'tăng' if direction == 'up' else 'giảm'} {f.text}"
    return Check(kind, status, f.text, f.start, f.end, Decimal(f.value), point.quantize(Decimal("0.01")),
                 (operand(x), operand(y)), explanation, ctx.source, shown,
                 resolved_by="levels of a series", binding="stated")


def _multiple(ctx: Context, claim) -> Optional[Check]:
    """'năm 2023 đạt 12,6 tỷ USD, gấp 2,1 lần so với năm 2020': the level of the subject's year
    over the level of the year named."""
    m = _YEAR.search(claim.period or "")
    subjects = ctx.subjects_before(claim.cue_start)
    if not m or not subjects:
        return None
    x = ctx.figures[subjects[0]]
    years = _years(x)
    base_year = int(m.group(0))
    if len(years) != 1 or years[0] == base_year:
        return None
    base = _level(ctx, x, base_year, {subjects[0]})
    if base is None:
        return None
    y = ctx.figures[base]
    lx, hx = fig_interval(x)
    ly, hy = fig_interval(y)
    point = Decimal(x.value) / Decimal(y.value)
    decimals = decimals_in(claim.text)
    step = Decimal(1).scaleb(-decimals)
    status = "ok" if overlaps((claim.reported - step / 2, claim.reported + step / 2), (lx / hy, hx / ly)) else "fail"
    explanation = f"{x.text} / {y.text} = {format_auto(point, 2)} lần ({years[0]} so với {base_year}), báo cáo ghi gấp {claim.text} lần"
    return Check("growth", status, claim.text, claim.start, claim.end, claim.reported, point.quantize(Decimal("0.01")),
                 (operand(x), operand(y)), explanation, ctx.source, format_auto(point, 2) + " lần",
                 resolved_by="levels of a series", binding="stated")


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry)."""
    out = [c for c in (_multiple(ctx, claim) for claim in ctx.claims if claim.relation == "multiple") if c]
    figures = ctx.figures
    found = []          # (figure index, check): the checks in the order of their figures
    # (a yearly average is a percentage over two years, a claim between levels names one)
    for i in ctx.indexes("percent"):
        years = _years(figures[i])
        if figures[i].value is not None and len(years) == 2:
            found.append((i, _yearly_average(ctx, i, years)))
    for i in _followed_by_a_base(ctx):
        f = figures[i]
        years = _years(f)
        if f.value is not None and f.kind != "project" and len(years) == 1:
            found.append((i, _between_levels(ctx, i, years)))
    found.sort(key=lambda pair: pair[0])
    return out + [check for _, check in found if check is not None]


@functools.lru_cache(maxsize=8)
def _base_named(cues: Cues) -> AnyOf:
    """The two phrases naming a base year after a claim, as one (built once per set of cues)."""
    return AnyOf.of("series base year", [cues.entry("year_after_so_voi"), cues.entry("previous_year")])


def _followed_by_a_base(ctx: Context) -> list[int]:
    """The indexes, in order, of the figures that an anchor of the phrases naming a base
    year ('so với năm 2018', 'so với năm trước') follows within :data:`BASE_REACH`: after
    any other figure neither can match.  Found from the anchor's places, a few in a report,
    rather than figure by figure (most figures have a year, few are followed by a base)."""
    figures = ctx.figures
    places = ctx.anchors.places(_base_named(ctx.cues))
    if places is None:          # (no anchor index: any figure may be followed by one)
        return list(range(len(figures)))
    if not places[0]:
        return []
    ends = [f.end for f in figures]
    by_end = sorted(range(len(ends)), key=ends.__getitem__)
    sorted_ends = [ends[i] for i in by_end]
    found = set()
    for at in places[0]:
        # (an anchor starting at ``at`` lies in text[end:end + BASE_REACH] only if end <= at < end + BASE_REACH)
        found.update(by_end[bisect.bisect_right(sorted_ends, at - BASE_REACH):bisect.bisect_right(sorted_ends, at)])
    return sorted(found)
