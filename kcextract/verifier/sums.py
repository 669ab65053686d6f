"""Sum claims: a total and its listed parts.

``tổng kinh phí gần 3,6 tỷ đồng, trong đó ngân sách tỉnh hỗ trợ 2 tỷ đồng, đối ứng …
gần 1,6 tỷ đồng`` → 2 + 1,6 = 3,6 ✓.  Parts may follow in the same sentence, in the
next sentences or list items ("Trong đó:" at the end of a line), or the total may be
a labelled ``Tổng số …: 145 cơ sở`` followed by its categories.  Parts are the
figures of the same unit that are not bases of other claims; the first run of ≥ 2
parts whose sum matches the total is the breakdown.  A breakdown that never
matches fails only when it is explicit (a parts cue) and confined to one sentence
and the parts exceed the total; fewer parts than the total may just be a partial
list ("trong đó" often names only the main items), so that is unverifiable.
Fractions of one whole (``02/10 … 04/10 … 02/10 … 02/10``) must add up to the whole.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, compress, count
from typing import Optional

import regex

from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.workspace import (AMOUNT_KINDS, Context, amount_text, compatible,
                                      fig_interval, operand, operand_interval, unit_key)
from kcextract.verifier.layout import BULLET, BULLET_OPENERS
from kcextract.verifier.tolerance import add, overlaps

MAX_LINES = 8          # a "Trong đó:" breakdown is looked for in the next lines only
_HEADING = regex.compile(r"^\s*(?:\d+\s*\.\s*\p{Lu}|[IVX]+\.\s)")
_BRACKET_SOON = regex.compile(r"[^()\d\n]{0,40}\(")          # a bracket after a few words
_BRACKET_LATER = regex.compile(r"[^()\n]{0,120}?\(")         # … or after other amounts
_DIGITS = regex.compile(r"\d+")
# Every sum check names its resolver when it is made (not copied with it afterwards).
_RESOLVED = {"resolved_by": "listed parts", "binding": "stated"}


@dataclass
class SumGroup:
    total: int
    parts: list
    check: Check
    whole: bool = True         # the parts make the total (not just stay within it)


def _eligible_figures(ctx: Context) -> list[bool]:
    """For each figure: an amount that can be a total or a part (not a claim's base, not the
    end of a range, not quoted); decided once per document."""
    eligible = ctx.memo.get("sums.eligible")
    if eligible is None:
        eligible = ctx.memo["sums.eligible"] = [f.kind in AMOUNT_KINDS and f.value is not None
                                                for f in ctx.figures]
        # (the few bases, range ends and quoted figures struck off after: one test per figure)
        for i in chain(ctx.bases, ctx.range_ends, compress(count(), ctx.quoted)):
            eligible[i] = False
    return eligible


def _open_totals(ctx: Context) -> tuple[list[int], list[int]]:
    """The eligible figures outside parentheses (the totals a sum may have), in text order:
    those with two figures of their unit after them (a total whose parts follow it), and
    those with two before them (a total under its list); found once per document for the
    four kinds of total that ask."""
    found = ctx.memo.get("sums.open totals")
    if found is None:
        eligible, parens = _eligible_figures(ctx), ctx.parens
        followed, preceded = [], []
        # (unit by unit: a figure has two of its unit after it when it comes before the second
        # last of them, two before it when it comes after the second)
        for group, like in ctx.like_groups():
            if len(like) < 3:
                continue
            second, second_last = like[1], like[-2]
            for i in group:
                if eligible[i] and parens[i] is None:
                    if i < second_last:
                        followed.append(i)
                    if i > second:
                        preceded.append(i)
        found = ctx.memo["sums.open totals"] = (sorted(followed), sorted(preceded))
    return found


def _total_words(ctx: Context) -> Optional[list[int]]:
    """The sorted places where a total cue ('tổng …', 'trong số') can begin (None: anywhere),
    found once per document: a line or label with none of them need not be read."""
    found = ctx.memo.get("sums.total words", False)
    if found is False:
        found = ctx.memo["sums.total words"] = ctx.anchors.begins_of_any(ctx.cues.role("total"))
    return found


def _begins_in(places: Optional[list[int]], start: int, end: int) -> bool:
    """Whether one of the sorted ``places`` (None: any place) lies in [start, end)."""
    if places is None:
        return True
    k = bisect_left(places, start)
    return k < len(places) and places[k] < end


def reported_text(ctx: Context, f) -> str:
    """The figure as the report writes it, its qualifier included ('gần 6,7 tỷ đồng')."""
    if f.qualifier_start is not None and f.qualifier_start < f.start:
        return ctx.text[f.qualifier_start:f.end]
    return f.text


def evaluate_parts(ctx: Context, total: int, parts: list[int], may_fail: bool,
                   quiet: bool, closed: bool = False, subset: bool = False,
                   whole: bool = False) -> Optional[SumGroup]:
    """First prefix (≥ 2 parts) whose sum matches ``total`` (``whole``: only all the
    parts together); else fail/unverifiable/None (``quiet``: None).  Also the arithmetic of
    :mod:`~kcextract.verifier.mixed_sums`."""
    figures = ctx.figures
    t = figures[total]
    t_iv, t_value = fig_interval(t), Decimal(t.value)
    acc = (Decimal(0), Decimal(0))
    point = Decimal(0)
    chosen, best, chosen_sum = None, None, None
    for k, i in enumerate(parts, 1):
        f = figures[i]
        acc = add(acc, operand_interval(f))
        point += Decimal(f.value)
        if k >= 2 and (not whole or k == len(parts)) and overlaps(acc, t_iv):
            # Rounded parts ('2 tỷ') make several prefixes possible: the closest sum wins.
            distance = abs(point - t_value)
            if best is None or distance <= best:
                chosen, best, chosen_sum = parts[:k], distance, point
    used = chosen or parts
    if len(used) < 2 or (quiet and not chosen):
        return None
    figs = [figures[i] for i in used]
    # (the sum of the parts used: the running sum where they end, added in the same order)
    s = chosen_sum if chosen else point
    nums, e = amount_text(figs, s, with_unit=True, scale_too=(t,))
    r = reported_text(ctx, t)
    explanation = f"{' + '.join(nums)} = {e}, báo cáo ghi {r}"
    status = "ok"
    if not chosen:
        if quiet:
            return None
        if may_fail and acc[0] is not None and t_iv[1] is not None and acc[0] > t_iv[1]:
            status = "fail"
        elif may_fail and closed and acc[1] is not None and t_iv[0] is not None and acc[1] < t_iv[0]:
            status = "fail"        # a closed enumeration ('A, B và C') that falls short
        elif may_fail and point and t_iv[0] is not None and t_iv[1] is not None and \
                t_iv[0] <= point * 1000 <= t_iv[1]:
            status = "fail"        # '8.250 nghìn cơ sở' whose parts make 8,25 nghìn: a unit slip
        elif subset and not closed and t_iv[1] is not None and point <= t_iv[1] and point * 3 >= t_iv[0]:
            # 'tổng thu 1.784,8 nghìn tỷ, trong đó thu nội địa 1.421,8 …': 'trong đó' (among
            # which) names some parts; that they stay within the total is all it claims (parts
            # that make a small fraction of it are more likely not its parts).
            explanation += " (trong đó chỉ nêu một số phần; cộng lại không vượt tổng)"
        else:
            status = "unverifiable"
            explanation += " (các phần liệt kê có thể chưa đầy đủ)"
    check = Check("sum", status, t.text, t.start, t.end, t_value, s,
                  tuple(operand(f) for f in figs), explanation, ctx.source, e, **_RESOLVED)
    return SumGroup(total, used, check, whole=bool(chosen))


def _previous_sentence(ctx: Context, pos: int) -> tuple[int, int]:
    """The sentence before ``pos``; an empty span ``(pos, pos)`` when only blanks precede it (a
    text that opens with 'Cụ thể, …' has no earlier sentence: its own would hold the total)."""
    i = pos - 1
    while i >= 0 and ctx.text[i] in " \t\n":
        i -= 1
    if i < 0:
        return pos, pos
    return ctx.layout.sentence(i)


def _scope_lines(ctx: Context, after: int) -> int:
    """End of the block of lines after ``after`` that a 'Trong đó:' breakdown may span."""
    pos, seen = after, 0
    while pos < len(ctx.text) and seen < MAX_LINES:
        start, end = ctx.layout.line(pos)
        if ctx.text[start:end].strip():
            if seen and _HEADING.match(ctx.text[start:end]):
                return start
            seen += 1
        pos = end + 1
    return min(pos, len(ctx.text))


def cue_groups(ctx: Context) -> list[SumGroup]:
    """Breakdowns introduced by a parts cue (trong đó, cụ thể, bao gồm …)."""
    # (a total has two parts of its unit after it: a region holding none of the figures that
    # have two, the open totals, yields no group, not even through an earlier total of the
    # unit; a text with none need not look for cues)
    followed = _open_totals(ctx)[0]
    if not followed:
        return []
    groups = []
    lay = ctx.layout
    eligible, parens = _eligible_figures(ctx), ctx.parens
    for cue in ctx.cues.role("parts"):
        for m in ctx.anchors.finditer(cue):
            c = m.start()
            if lay.in_quote(c):
                continue
            s0, s1 = lay.sentence(c)
            if ctx.text[s0:c].strip(" \t-–•+*"):
                region = (s0, c)                      # total earlier in the same sentence
            else:
                region = _previous_sentence(ctx, s0)  # "…là 56.147 triệu đồng. Trong đó:"
            if not _begins_in(followed, ctx.index_at(region[0]), ctx.index_at(region[1])):
                continue                              # (no open total before the cue)
            totals, candidates, others = {}, {}, {}
            for i in ctx.figures_in(*region, kinds=AMOUNT_KINDS):
                if eligible[i] and parens[i] is None:
                    key = unit_key(ctx.figures[i])
                    if key in totals:
                        others.setdefault(key, []).append(totals[key])
                    totals[key] = i                           # nearest of each unit first
                    candidates[key] = candidates.get(key, 0) + 1
            if not totals:
                continue                              # (no total before the cue: its parts need not be read)
            if ctx.text[m.end():s1].strip(" \t:"):
                sentence_end = s1                     # parts follow in this sentence (and paragraph)
                scope_end = lay.line(c)[1]
            else:                                     # "Trong đó:" ends its line: parts below
                sentence_end = None
                scope_end = _scope_lines(ctx, lay.line(c)[1] + 1)
            # (the amounts after the cue that may be parts, read once for all its totals)
            after = [i for i in ctx.figures_in(m.end(), scope_end, kinds=AMOUNT_KINDS) if eligible[i]]
            if len(after) < 2:
                continue                              # (a sum has two parts at least)
            for key, earlier in others.items():
                # '… cho 11 sản phẩm OCOP … Chương trình Mỗi xã một sản phẩm. Trong đó, … 1 sản
                # phẩm, … 10 sản phẩm': the nearest figure of the unit is not always the total;
                # an earlier one whose parts add up exactly is (found by value: confirms only).
                t_near = totals[key]
                like = ctx.like(t_near)
                parts_all = [i for i in after if i in like]
                near = evaluate_parts(ctx, t_near, parts_all, may_fail=False, quiet=True)
                if near is None or near.check.status != "ok":
                    for j in reversed(earlier):
                        g = evaluate_parts(ctx, j, parts_all, may_fail=False, quiet=True)
                        if g is not None and g.check.status == "ok":
                            groups.append(g)
                            break
            # A failure needs an unambiguous total: in the cue's own sentence and the only
            # figure of its unit there ('Cụ thể: …' after a sentence holding a total and
            # its parts could be breaking down either).
            same_sentence = region == (s0, c)
            subset = m.group(0).lower().startswith("trong")
            for total in totals.values():
                t = ctx.figures[total]
                # (a bracket describes the part before it — '1.071 tỉ đồng (so với 79 tỉ đồng
                # cùng kỳ)' — its amounts are not parts of the total)
                like = ctx.like(total)
                parts = [i for i in after if i in like and parens[i] == parens[total]]
                if len(parts) < 2:
                    continue
                g = evaluate_parts(ctx, total, parts, may_fail=False, quiet=False)
                if g and g.check.status == "ok" and sentence_end is not None:
                    # 'Trong đó, nhóm A có 10 sản phẩm; nhóm B có 3 …; nhóm C có 2 …; nhóm D có 1 …':
                    # every ';'-separated part of the sentence is a part, not just a prefix that
                    # happens to add up; parts that together exceed the total contradict it.
                    listed = [i for i in parts if ctx.figures[i].end <= sentence_end]
                    nested_cue = any(ctx.anchors.search(c, m.end(), sentence_end) for c in ctx.cues.role("parts"))
                    if (len(listed) > len(g.parts) and _semicolon_separated(ctx, listed) and not nested_cue
                            and not _breaks_down_another(ctx, total, listed, region)):
                        whole = evaluate_parts(ctx, total, listed, may_fail=candidates[unit_key(t)] == 1,
                                               quiet=False, closed=True, whole=True)
                        if whole:
                            groups.append(whole)
                            continue
                in_sentence = []
                if g and g.check.status != "ok" and sentence_end is not None:
                    # Only a breakdown confined to its sentence, with no nested 'trong đó',
                    # is explicit enough to fail.
                    in_sentence = [i for i in parts if ctx.figures[i].end <= sentence_end]
                    nested = any(ctx.anchors.search(p, m.end(), sentence_end) for p in ctx.cues.role("parts"))
                    # (the total may stand in the sentence before 'Trong đó, …' when it is the
                    # only figure of its unit there and the parts end with 'còn lại': the rest)
                    unambiguous = (candidates[unit_key(t)] == 1
                                   and (same_sentence or _names_the_rest(ctx, m, in_sentence)))
                    g = evaluate_parts(ctx, total, in_sentence, may_fail=unambiguous and not nested,
                                       quiet=False, closed=_closed_enumeration(ctx, m, in_sentence),
                                       subset=subset) or g
                if g and g.check.status == "unverifiable" and subset and not (
                        sentence_end is not None and _closed_enumeration(ctx, m, in_sentence)):
                    g = evaluate_parts(ctx, total, parts, may_fail=False, quiet=False, subset=True) or g
                if g:
                    groups.append(g)
    return groups


def _breaks_down_another(ctx: Context, total: int, parts: list[int], region) -> bool:
    """The parts add up to another figure stated before the cue ('sẽ có 62 CCN … có 58 CCN
    đã phê duyệt … Trong đó, có 21 CCN …; 37 CCN …; 4 CCN vẫn chưa được thành lập': the
    list breaks down the 62, and its first two items the 58)."""
    s = sum(Decimal(ctx.figures[i].value) for i in parts)
    start, _ = _previous_sentence(ctx, region[0]) if region[0] > 0 else region
    return any(j != total and compatible(ctx.figures[j], ctx.figures[total]) and ctx.figures[j].value == s
               for j in ctx.figures_in(start, region[1]))


def _semicolon_separated(ctx: Context, parts: list[int]) -> bool:
    """Each part stands in its own ';'-separated item."""
    return all(";" in ctx.layout.masked(ctx.figures[a].end, ctx.figures[b].start)
               for a, b in zip(parts, parts[1:]))




def _names_the_rest(ctx: Context, cue, parts: list[int]) -> bool:
    """The last part is introduced as 'the rest' ('…, còn lại là vốn đối ứng … 1,96 tỷ'):
    the breakdown claims to be whole."""
    if len(parts) < 2:
        return False
    before_last = ctx.text[ctx.figures[parts[-2]].end:ctx.figures[parts[-1]].start]
    return bool(ctx.cues.first("remainder").pattern.search(before_last))


def _closed_enumeration(ctx: Context, cue, parts: list[int]) -> bool:
    """'…, trong đó 11 sản phẩm cấp quốc gia, 23 sản phẩm cấp khu vực và 32 sản phẩm cấp
    tỉnh': three or more parts whose last is joined by 'và' name every part, and so do
    the ';'-separated parts after 'gồm:' (consists of); parts that fall short of the
    total are then an error.  Not after 'trong đó có' (among them are …), nor with a
    word that says the list is partial (như, các … khác, chủ yếu, …)."""
    if _names_the_rest(ctx, cue, parts):
        return True
    if len(parts) < 2 or ctx.cues.phrase("among_them").match(ctx.text[cue.end():cue.end() + 12]):
        return False
    last, before = ctx.figures[parts[-1]], ctx.figures[parts[-2]]
    joint = ctx.text[before.end:last.start]
    consists_of = ctx.cues.phrase("consists_of").match(cue.group(0))
    and_joint = ctx.cues.phrase("and_joint")
    joints = [ctx.text[ctx.figures[a].end:ctx.figures[b].start] for a, b in zip(parts, parts[1:])]
    if consists_of and (all(";" in j for j in joints)
                        or (len(parts) == 2 and and_joint.search(joints[0]) and "," not in joints[0])):
        pass    # 'gồm: A; B; C; D' or 'gồm A và B' — 'gồm' (consists of) names every part
    elif len(parts) < 3 or not and_joint.search(joint) or "," in joint or ";" in joint:
        return False
    _, sentence_end = ctx.layout.sentence(last.start)
    span = ctx.layout.masked(cue.end(), sentence_end)      # '… và các sản phẩm khác' may follow
    return not any(p.pattern.search(span) for p in ctx.cues.role("partial"))


def _label(ctx: Context, pos: int) -> str:
    """The words before a figure that say what it is: back to the last ';' of its sentence."""
    s0, _ = ctx.layout.sentence(pos)
    start = max(s0, pos - 120)
    # (a ';' is looked for only where it could move the start: not back to the text's start)
    start = max(start, ctx.text.rfind(";", start, pos) + 1)
    return ctx.text[start:pos]


def labelled_groups(ctx: Context, taken: set) -> list[SumGroup]:
    """A figure labelled as a total (``Tổng số cơ sở …: 145 cơ sở``) followed, in its
    sentence, by parts that add up to it; reported only when they do."""
    groups = []
    eligible, words = _eligible_figures(ctx), _total_words(ctx)
    for i in _open_totals(ctx)[0]:                 # (its parts follow it)
        if i in taken:
            continue
        t = ctx.figures[i]
        if not _begins_in(words, t.start - 120, t.start):
            continue                  # (no total word in the 120 characters the label may span)
        _, s1 = ctx.layout.sentence(t.start)
        parts = [j for j in ctx.like_in(i, t.end, s1) if eligible[j]]
        if len(parts) < 2:
            continue                  # (a sum has two parts at least: the label need not be read)
        like = ctx.like(i)
        label = _label(ctx, t.start)
        if not ctx.any_match("total", t.start - len(label), t.start):
            continue
        between = [j for j in ctx.figures_in(t.start - len(label), t.start, kinds=AMOUNT_KINDS)
                   if j != i and j in like]
        if between:            # the 'tổng' names an earlier figure of the same unit
            continue
        g = evaluate_parts(ctx, i, parts, may_fail=False, quiet=True)
        if g and g.check.status == "ok":
            groups.append(g)
    return groups


def _marker_type(line: str) -> str:
    """The kind of list marker a line opens with: digits, a letter, or a dash/bullet sign."""
    first = line.lstrip(" \t")[:1]
    if not first or not (first in BULLET_OPENERS or first.isnumeric()):
        return ""             # (most lines: no marker can open them, BULLET need not run)
    m = BULLET.match(line)
    if not m:
        return ""
    mark = m.group(0).strip()
    return "digit" if mark[:1].isdigit() else "letter" if mark[:1].isalpha() else "sign"


def _list_next_to(ctx: Context, pos: int, forward: bool) -> bool:
    """Whether the first non-blank line next to position ``pos`` (below it when ``forward``,
    else above it) opens with a list marker, as the first item :func:`_bullet_amounts` reads
    must (found once per place: the figures of a line ask for the same one)."""
    # (one memo for each way, by place; the lines looked up in the layout's lists in place)
    memos = ctx.memo.get("sums.list next to")
    if memos is None:
        memos = ctx.memo["sums.list next to"] = ({}, {})
    memo = memos[forward]
    found = memo.get(pos)
    if found is None:
        found, at, text, lay = False, pos, ctx.text, ctx.layout
        while 0 < at < len(text):
            k = bisect_right(lay.line_starts, at) - 1
            s0, e0 = lay.line_starts[k], lay.line_ends[k]
            line = text[s0:e0]
            if line.strip():
                found = bool(_marker_type(line))
                break
            at = e0 + 1 if forward else s0 - 1
        memo[pos] = found
    return found


def list_total_groups(ctx: Context, taken: set) -> list[SumGroup]:
    """A total stated right after the list it adds up: numbered or bulleted items, each
    with exactly one amount of the total's unit, then 'Tổng kinh phí … là 2.420 triệu
    đồng' (or '3. Tổng kinh phí: 3.800 triệu đồng').  The items are explicit, so a total
    that differs from their sum either way fails."""
    groups = []
    lay, words = ctx.layout, _total_words(ctx)
    for i in _open_totals(ctx)[1]:                 # (its items stand above it)
        if i in taken:
            continue
        t = ctx.figures[i]
        line_start, _ = lay.line(t.start)
        # (a total word before it on its line and a list just above: looked at before the label is read)
        if not _begins_in(words, line_start, t.start) or not _list_next_to(ctx, line_start - 1, forward=False) \
                or not ctx.any_match("total", line_start, t.start):
            continue
        like = ctx.like(i)
        if any(j in like for j in ctx.figures_in(line_start, t.start)):
            continue          # only the line's first amount is the one its 'Tổng …' names
        # The list that ends just above (blank lines between are fine).
        items = _bullet_amounts(ctx, line_start - 1, i, forward=False)
        if len(items) < 2:
            continue
        g = evaluate_parts(ctx, i, items, may_fail=True, quiet=False, closed=True)
        if g:
            groups.append(g)
    return groups


def _bullet_amounts(ctx: Context, pos: int, total: int, forward: bool) -> list[int]:
    """The amounts of the bulleted/numbered lines next to position ``pos`` (after it when
    ``forward``, else before it), one per line, all with the same kind of marker; empty
    when any line holds no amount or more than one of the unit of figure ``total``."""
    lay = ctx.layout
    like, eligible = ctx.like(total), _eligible_figures(ctx)
    items, kind = [], None
    while 0 < pos < len(ctx.text):
        s0, e0 = lay.line(pos)
        line = ctx.text[s0:e0]
        step = e0 + 1 if forward else s0 - 1
        if not line.strip():
            if items:
                break
            pos = step
            continue
        marker = _marker_type(line)
        if not marker or (kind and marker != kind):
            break
        kind = kind or marker
        amounts = [j for j in ctx.figures_in(s0, e0) if eligible[j] and j in like]
        if len(amounts) != 1:
            return []
        items.append(amounts[0])
        pos = step
    return sorted(items)


def heading_total_groups(ctx: Context, taken: set) -> list[SumGroup]:
    """An amount that ends its line, with the lines below it each giving one part:
    '2. Kinh phí thực hiện: 3.500.000.000 đồng (Ba tỷ năm trăm triệu đồng chẵn).' then
    'a) …: 2.100.000.000 đồng; b) …'.  A mismatch fails only when the parts are
    numbered one level below the total's line ('2.' above 'a)')."""
    groups = []
    lay, words = ctx.layout, _total_words(ctx)
    for i in _open_totals(ctx)[0]:                 # (its parts stand below it)
        if i in taken:
            continue
        t = ctx.figures[i]
        s0, e0 = lay.line(t.start)
        colon = ctx.text.find(":", s0, t.start) >= 0
        if not colon and not _begins_in(words, s0, t.start):
            continue          # (neither a ':' nor a total word before it on its line)
        if not _list_next_to(ctx, e0 + 1, forward=True):
            continue          # (no list below: the label need not be read)
        if not colon and not ctx.any_match("total", s0, t.start):
            continue
        like = ctx.like(i)
        same_line = [j for j in ctx.figures_in(s0, e0) if j != i and j in like]
        if any(ctx.figures[j].value != t.value for j in same_line) or any(j < i for j in same_line):
            continue          # the line states more than this one amount (a spelled copy is fine)
        parts = _bullet_amounts(ctx, e0 + 1, i, forward=True)
        if len(parts) < 2:
            continue
        # (the first part's line alone: a marker never runs past its line)
        own, first = _marker_type(ctx.text[s0:e0]), _marker_type(ctx.text[slice(*lay.line(ctx.figures[parts[0]].start))])
        if own == first:
            continue          # a sibling item ('a) …: 2.100 triệu' above 'b) …'), not a heading
        nested = bool(own)
        g = evaluate_parts(ctx, i, parts, may_fail=nested, quiet=False, closed=nested)
        if g:
            groups.append(g)
    return groups


def paren_groups(ctx: Context, taken: set) -> list[SumGroup]:
    """A figure followed by a parenthesis that splits it: '19 đề án khuyến công (4 đề án
    khuyến công quốc gia, 15 đề án khuyến công địa phương)'.  Reported only when the
    parts add up (a parenthesis may also just give examples)."""
    lay = ctx.layout
    if not lay.parens:
        return []             # (a text with no bracket splits no total in one)
    groups = []
    eligible = _eligible_figures(ctx)
    for i in _open_totals(ctx)[0]:                 # (its parts follow it, in the bracket)
        if i in taken:
            continue
        t = ctx.figures[i]
        if ctx.text.find("(", t.end, t.end + 122) < 0:
            continue                  # (no bracket follows closely enough)
        m = _BRACKET_SOON.match(ctx.text[t.end:t.end + 42])
        if not m:
            # '465 dự án đầu tư nước ngoài với tổng vốn hơn 33,103 tỷ USD (trong KCN 292 dự án …;
            # ngoài KCN 173 dự án …)': the bracket may follow an amount of another unit that
            # describes the total; no figure of the total's unit stands between.
            m = _BRACKET_LATER.match(ctx.text[t.end:t.end + 122])
            if not m or any(j in ctx.like(i) for j in ctx.figures_in(t.end, t.end + m.end())):
                continue
        span = lay.paren_opening_at.get(t.end + m.end() - 1)
        if span is None:
            continue
        inside = ctx.figures_in(span[0] + 1, span[1])
        # ('465 dự án (trong KCN 292 dự án với vốn 15,4 tỷ USD; ngoài KCN 173 dự án …)': the
        # bracket may describe each part with other amounts; the parts are the figures of
        # the total's unit, and only a sum that holds is reported.)
        parts = [j for j in inside if eligible[j] and j in ctx.like(i)]
        if len(parts) < 2:
            continue
        g = evaluate_parts(ctx, i, parts, may_fail=False, quiet=True)
        if g and g.check.status == "ok" and len(g.parts) == len(parts):
            groups.append(g)
    return groups


def fraction_groups(ctx: Context) -> list[SumGroup]:
    """Fractions of one whole listed together (``02/10 … 04/10 … 02/10 … 02/10 đề án``)
    must add up to it: ok when they do, unverifiable otherwise (categories may overlap)."""
    if "/" not in ctx.text:
        return []             # (a fraction is written with '/': a text with none has no fraction)
    runs, current = [], []
    figures = ctx.figures
    for i in ctx.indexes("count"):
        f = figures[i]
        if f.of_total is None or f.value is None:
            continue
        if current:
            prev = ctx.figures[current[-1]]
            gap = ctx.text[prev.end:f.start]
            if (f.of_total != prev.of_total or not compatible(f, prev)
                    or gap.count("\n") > 4 or len(gap) > 1500):
                runs.append(current)
                current = []
        current.append(i)
    if current:
        runs.append(current)
    groups = []
    for run in runs:
        if len(run) < 2:
            continue
        first = ctx.figures[run[0]]
        whole = Decimal(first.of_total)
        total = sum(Decimal(ctx.figures[i].value) for i in run)
        # The whole as stated in words before the list ("được giao thực hiện 10 đề án"), if any.
        stated = None
        window_start = max(0, first.start - 600)
        for j in ctx.figures_in(window_start, first.start, kinds=("count",)):
            g = ctx.figures[j]
            if g.of_total is None and g.value == whole and compatible(g, first):
                stated = j
        if stated is not None:
            claim = ctx.figures[stated]
            c_text, c_start, c_end = claim.text, claim.start, claim.end
        else:
            k = first.text.index("/") + 1
            digits = _DIGITS.match(first.text[k:]).group(0)
            c_text, c_start, c_end = digits, first.start + k, first.start + k + len(digits)
        parts = " + ".join(ctx.figures[i].text.split()[0] for i in run)
        explanation = (f"{parts} = {format_auto(total)}/{format_auto(whole)}, "
                       f"báo cáo ghi tổng số {format_auto(whole)}")
        status = "ok" if total == whole else "unverifiable"
        if status != "ok":
            explanation += " (các nhóm có thể chồng lấn hoặc chưa đủ)"
        ops = tuple(operand(ctx.figures[i]) for i in run)
        check = Check("sum", status, c_text, c_start, c_end, whole, total, ops, explanation,
                      ctx.source, format_auto(total), **_RESOLVED)
        groups.append(SumGroup(stated if stated is not None else run[0], run, check))
    return groups


def besides_groups(ctx: Context, taken: set) -> list[SumGroup]:
    """'Dự án … có tổng nguồn vốn 49 tỷ 282 triệu đồng. Ngoài khoản tiền gần 48 tỷ để …,
    dự án còn dành 312 triệu đồng …; 146 triệu đồng …': every amount of the sentence is a
    use of the total of the sentence before (its only figure of that unit), and together
    they make it whole, so a shortfall fails."""
    groups = []
    lay = ctx.layout
    besides = ctx.cues.first("besides")
    cue = besides.pattern
    eligible = _eligible_figures(ctx)
    for s0, s1 in ctx.sentences_with(besides):
        m = cue.match(ctx.text[s0:s1])
        if not m or s0 < 2:
            continue
        first = [i for i in ctx.figures_in(s0 + m.start("first"), s0 + m.end("first"), kinds=AMOUNT_KINDS)]
        if not first:
            continue                  # 'Ngoài khoản kinh phí …, còn dành 73 triệu': outside the total
        p0, p1 = _previous_sentence(ctx, s0)
        # The uses are the total's when the clause's subject is what the sentence before
        # named ('Dự án … tổng nguồn vốn … Ngoài …, dự án còn dành …'); 'Ngoài A, còn có B'
        # with no such subject may add money from elsewhere.
        subject = " ".join(m.group("subject").lower().split())
        if not subject or subject not in " ".join(ctx.text[p0:p1].lower().split()):
            continue
        for key in {unit_key(ctx.figures[i]) for i in first}:
            before = [i for i in ctx.figures_in(p0, p1, kinds=AMOUNT_KINDS)
                      if eligible[i] and unit_key(ctx.figures[i]) == key]
            if len(before) != 1 or before[0] in taken:
                continue
            t = ctx.figures[before[0]]
            parts = [i for i in ctx.figures_in(s0, s1, kinds=AMOUNT_KINDS)
                     if eligible[i] and compatible(ctx.figures[i], t) and lay.paren(ctx.figures[i].start) is None]
            g = evaluate_parts(ctx, before[0], parts, may_fail=True, quiet=False, closed=True, whole=True)
            if g:
                groups.append(g)
    return groups


def find_sums(ctx: Context) -> list[SumGroup]:
    """Every sum group; the parts of each matching breakdown are recorded in ``ctx.part_of``
    (a share with no stated base is then computed on their total)."""
    groups = cue_groups(ctx)
    # (the totals taken so far, in one set kept up to date: each kind of total after the
    # first passes over them)
    taken, counted = set(), 0
    for more in (labelled_groups, paren_groups, list_total_groups, heading_total_groups, besides_groups):
        for g in groups[counted:]:
            taken.add(g.total)
        counted = len(groups)
        groups += more(ctx, taken)
    for g in groups:
        if g.check.status == "ok" and g.whole:     # parts that only stay within it are not all of it
            for p in g.parts:
                ctx.part_of.setdefault(p, g.total)
    groups += fraction_groups(ctx)
    seen, out = set(), []
    for g in groups:
        key = (g.check.claim_start, tuple(g.parts))
        if key not in seen:
            seen.add(key)
            out.append(g)
    return out


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): every sum check of the document."""
    return [g.check for g in find_sums(ctx)]
