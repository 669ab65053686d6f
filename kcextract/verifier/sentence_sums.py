"""Totals whose parts follow in the next sentences, each named by its own words.

``Quý I/2024, tỉnh thu hút 465 dự án. Trong KCN có 292 dự án … Ngoài KCN có 173 dự án``:
the parts are not introduced by a cue, so which figures they are is inferred — a run of
consecutive amounts of the total's unit, in the few sentences after it, that adds up to
it exactly.  An inferred breakdown confirms a total; it never accuses one (a run that
does not add up may simply not be a breakdown).
"""
from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from decimal import Decimal
from itertools import accumulate, compress
from typing import Optional

import regex

from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.layout import BULLET
from kcextract.verifier.tolerance import contains, outside_bounds
from kcextract.verifier.workspace import AMOUNT_KINDS, Context, amount_text, fig_interval, operand

_SEMICOLON = regex.compile(";")
_NOUN_SPLIT = regex.compile(r"[,\s]+")
FOLLOWING_SENTENCES = 6
MAX_PARTS = 14
INTERLEAVED_POOL = 10
PRECEDING_SENTENCES = 2
_ZERO = Decimal(0)


def _eligible_figures(ctx: Context) -> list[bool]:
    """For each figure: a positive amount, not a range, not a claim's base, not quoted
    (a total or a part of one); decided once per document."""
    eligible = ctx.memo.get("sentence_sums.eligible")
    if eligible is None:
        eligible = ctx.memo["sentence_sums.eligible"] = [
            f.kind in AMOUNT_KINDS and f.value is not None and f.value > 0 and f.value_max is None
            and not quoted for f, quoted in zip(ctx.figures, ctx.quoted)]
        for i in ctx.bases:
            eligible[i] = False
    return eligible


def _list_item(ctx: Context, memo: dict, pos: int) -> bool:
    """Whether the line holding ``pos`` opens with a list marker (read once per line: ``memo``
    holds it by line number)."""
    lay = ctx.layout
    k = bisect_right(lay.line_starts, pos) - 1
    found = memo.get(k)
    if found is None:
        found = memo[k] = BULLET.match(ctx.text[lay.line_starts[k]:lay.line_ends[k]]) is not None
    return found


def _contiguous_run(ctx: Context, candidates: list, t_iv) -> list:
    """The first run of consecutive candidates (≥ 2) whose sum is the total (the candidates
    are eligible figures, all positive: see :func:`_eligible_figures`)."""
    values = [Decimal(ctx.figures[j].value) for j in candidates]
    high = t_iv[1]
    near_low, near_high = outside_bounds(t_iv)
    n = len(candidates)
    for a in range(n - 1):
        # The sums of the runs from ``a`` (at most MAX_PARTS long), as a loop adding one
        # part after another would find them (sums[k]: the first k parts).  The parts are
        # positive, so the sums grow: the runs worth the exact test are found by bisection,
        # up to the first run whose sum passes the total's upper end.
        sums = list(accumulate(values[a:a + MAX_PARTS], initial=_ZERO))
        last = len(sums) - 1 if high is None else min(len(sums) - 1, bisect_right(sums, high, 1))
        for k in range(bisect_left(sums, near_low, 2), last + 1):
            total = sums[k]
            if total > near_high:
                break
            if contains(t_iv, total):
                return candidates[a:a + k]
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
    values = [Decimal(ctx.figures[j].value) for j in pool]
    low, high = outside_bounds(t_iv)
    ordered = sorted(values)
    fits = {}
    for size in (2, 3):
        if sum(ordered[-size:]) < low or sum(ordered[:size]) > high:
            continue      # (every set of this size falls short, or every one overshoots: most totals)
        # (the same combinations of the figures and of their values, side by side)
        for combo, parts in zip(itertools.combinations(pool, size), itertools.combinations(values, size)):
            total = sum(parts)
            if low <= total <= high and contains(t_iv, total):
                fits.setdefault(tuple(sorted(ctx.figures[j].value for j in combo)), list(combo))
        if fits:
            break
    return next(iter(fits.values())) if len(fits) == 1 else []


def _earlier_parts(ctx: Context, i: int) -> list:
    """A total labelled as one after its parts: '… 28.451 DN thành lập mới … Trong quý có
    15.050 DN quay trở lại hoạt động, nâng tổng số DN … lên hơn 43.500 DN'."""
    t = ctx.figures[i]
    s0, _ = ctx.sentences[i]
    if not ctx.any_match("total", max(s0, t.start - 120), t.start):
        return []
    start = ctx.layout.start_sentences_back(s0, PRECEDING_SENTENCES)
    eligible, figures = _eligible_figures(ctx), ctx.figures
    candidates = [j for j in ctx.same_heads_in(i, start, t.start) if eligible[j] and figures[j].value < t.value]
    return _parts_among(ctx, candidates, t)


def _parts_among(ctx: Context, candidates: list, t) -> list:
    """The parts of the total ``t`` among ``candidates``: a run of them, else a few of them
    (none to look for when fewer than two: most totals, whose interval is then not needed)."""
    if len(candidates) < 2:
        return []
    t_iv = fig_interval(t)
    return _contiguous_run(ctx, candidates, t_iv) or _interleaved(ctx, candidates, t, t_iv)


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): totals confirmed by the run of parts after them."""
    out = []
    eligible, figures = _eligible_figures(ctx), ctx.figures
    part_of, parens, sentences, layout = ctx.part_of, ctx.parens, ctx.sentences, ctx.layout
    list_items: dict = {}
    for i in compress(range(len(figures)), eligible):
        t = figures[i]
        # Not a part of a breakdown already read, nor a bracketed copy ('(Ba tỷ năm trăm triệu đồng)').
        if i in part_of or parens[i] is not None or t.of_total is not None:
            continue      # a fraction ('04/10 đề án') is no total of what follows
        # (two parts of its head noun stand after it, or before it: else no sum, most figures)
        heads = ctx.same_heads_sorted(i)
        parts_after = len(heads) - bisect_right(heads, i) >= 2
        if (not parts_after and bisect_left(heads, i) < 2) or _list_item(ctx, list_items, t.start):
            continue      # nor is a list item
        # The parts begin in a later sentence: within its own sentence a total's parts are
        # introduced by a cue (sums), and a run there is likelier a coincidence.
        s0, s1 = sentences[i]
        own_end = s1
        # (where no total word stands in the 120 characters before, neither of the two
        # look-ups of one below can find it: most figures)
        total_before = ctx.may_match("total", max(s0, t.start - 120), t.start)
        if total_before and ctx.any_match("total", max(s0, t.start - 40), t.start):
            own_end = t.end       # 'trong tổng mức 370 nghìn tỷ đồng, doanh thu bán lẻ đạt …'
        found = []
        if parts_after:
            candidates = [j for j in ctx.among(heads, own_end, layout.end_sentences_ahead(s1, FOLLOWING_SENTENCES))
                          if eligible[j] and figures[j].value < t.value]
            found = _parts_among(ctx, candidates, t)
        if not found and total_before:
            found = _earlier_parts(ctx, i)
        if not found:
            continue
        figs = [ctx.figures[j] for j in found]
        s = sum(Decimal(f.value) for f in figs)
        nums, e = amount_text(figs, s, with_unit=True, scale_too=(t,))
        where = "các câu sau" if figs[0].start > t.start else "các câu trước"
        explanation = f"{' + '.join(nums)} = {e}, báo cáo ghi {t.text} (các phần ở {where})"
        out.append(Check("sum", "ok", t.text, t.start, t.end, Decimal(t.value), s,
                         tuple(operand(f) for f in figs), explanation, ctx.source, e,
                         resolved_by="parts named in following sentences", binding="inferred"))
        paired = _paired_count(ctx, i, found)
        if paired is not None:
            out.append(paired)
    return out


def _listed_items(ctx: Context, parts: list) -> Optional[list]:
    """The ';'-separated items of a list after 'gồm:' that hold the parts, one part each
    (None when the parts are not such a list)."""
    first = ctx.figures[parts[0]]
    s0, _ = ctx.layout.sentence(first.start)
    cue = ctx.anchors.search(ctx.cues.first("list"), s0, first.start)
    if not cue or cue.group(0).strip()[-1:] != ":":
        return None
    end = ctx.layout.sentence(ctx.figures[parts[-1]].start)[1]
    masked = ctx.layout.masked(cue.end(), end)
    bounds = [cue.end()] + [cue.end() + k.start() + 1 for k in _SEMICOLON.finditer(masked)] + [end]
    items = list(zip(bounds, bounds[1:]))
    # '…; 04 chương trình, 193 triệu đồng và chi phí quản lý 141 triệu đồng': the last two
    # items are joined by 'và' instead of ';'.
    a, b = items[-1]
    last_two = [j for j in parts if a <= ctx.figures[j].start < b]
    if len(last_two) == 2:
        joint = list(ctx.cues.phrase("and_joint").finditer(ctx.text[ctx.figures[last_two[0]].end:ctx.figures[last_two[1]].start]))
        if joint:
            cut = ctx.figures[last_two[0]].end + joint[-1].start()
            items[-1:] = [(a, cut), (cut, b)]
    holders = [next((k for k, (a, b) in enumerate(items) if a <= ctx.figures[j].start < b), None) for j in parts]
    if None in holders or len(set(holders)) != len(holders):
        return None
    return items


def _paired_count(ctx: Context, total: int, parts: list) -> Optional[Check]:
    """'… 25 chương trình, đề án … với tổng kinh phí 2.874 triệu đồng', then 'bao gồm: 19 đề án
    …, kinh phí 2.440 triệu đồng; 01 đề án …, 100 triệu đồng; … 04 chương trình, 193 triệu đồng
    và chi phí quản lý 141 triệu đồng': the list whose amounts make the total, to four
    significant digits and one amount an item, is the breakdown of the count stated beside
    the total too; its items' counts (none for an item that holds no count) must make it."""
    t = ctx.figures[total]
    if t.kind != "money" or len(parts) < 2:
        return None
    lo, hi = fig_interval(t)
    if lo is None or hi is None or (hi - lo) * 1000 > Decimal(t.value):
        return None           # a round total could be matched by chance
    items = _listed_items(ctx, parts)
    if items is None:
        return None
    s0, s1 = ctx.layout.sentence(t.start)
    counts = [j for j in ctx.figures_in(max(s0, t.start - 160), t.start, kinds=("count",))
              if ctx.figures[j].value and ctx.figures[j].of_total is None and j not in ctx.bases]
    if len(counts) != 1:
        return None
    c = ctx.figures[counts[0]]
    nouns = {w for w in _NOUN_SPLIT.split((c.unit or "").lower()) if w}
    in_items = []
    for a, b in items:
        here = [j for j in ctx.figures_in(a, b, kinds=("count",))
                if set(_NOUN_SPLIT.split((ctx.figures[j].unit or "").lower())) & nouns
                and ctx.layout.paren(ctx.figures[j].start) is None]
        if len(here) > 1:
            return None
        in_items += here
    if len(in_items) < 2:
        return None
    n = sum(Decimal(ctx.figures[j].value) for j in in_items)
    status = "ok" if n == Decimal(c.value) else "fail"
    listed = " + ".join(ctx.figures[j].text.split()[0] for j in in_items)
    explanation = (f"{listed} = {format_auto(n)}, báo cáo ghi {c.text}; các mục là các phần của "
                   f"{t.text} ({len(items)} mục, mỗi mục một khoản kinh phí)")
    return Check("sum", status, c.text, c.start, c.end, Decimal(c.value), n,
                 tuple(operand(ctx.figures[j]) for j in in_items), explanation, ctx.source, format_auto(n),
                 resolved_by="items of a listed breakdown", binding="stated")
