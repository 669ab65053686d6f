"""Count-of-a-list claims: a count followed by the list of what it counts.

``13/28 tỉnh, thành phố …, bao gồm: Nghệ An, Thanh Hóa, …`` must list 13 names;
``04/10 đề án … bao gồm: đề án “…”; đề án “…”; …`` four đề án.  Items are split on
';' (or, when there is none, on ',' and 'và'), never inside quotes or parentheses.
A list fails only when its cue is a word (gồm, bao gồm …), it stands in one
sentence, holds no figures and does not say it is partial (như, …, và các …).
"""
from __future__ import annotations

import bisect
import operator
import re
from decimal import Decimal
from itertools import compress, repeat
from typing import Optional

import regex

from kcextract.verifier.check import Check, Operand
from kcextract.verifier.workspace import Context, compatible
from kcextract.verifier.layout import BULLET

_SPLIT_MAJOR = regex.compile(r";")
_COMMA = regex.compile(",")
_OPEN_BRACKET = regex.compile(r"[ \t]*\(")
_LETTER = regex.compile(r"\p{L}")
# (possessive: blanks and lower-case words alternate, so the one way they can run is the
# longest, and nothing is tried again shorter when the capital is missing)
_NAMES_GAP = regex.compile(r"(?:\s+\p{Ll}+){0,3}+\s++(?=\p{Lu})")
# The words one of which the list_lead cue's regex (patterns/relations.yaml) holds when it
# does not end at a ':' ('bao gồm', 'gồm có', 'là', 'như sau'): widen both together.
_LEAD_CUE_WORDS = ("gồm", "là", "như")
# The words of the or_and_joint cue (patterns/relations.yaml), which _joints looks for
# before the regex confirms them: widen both together.
_JOINT_WORDS = ("và", "hoặc")
LEAD_LOOK_BACK = 3     # sentences between a count and the 'Các … gồm:' sentence that lists it
_STRIP = " \t.;:,–-—…"
# The checks of a list after the count name their resolver when they are made.
_RESOLVED = {"resolved_by": "listed items", "binding": "stated"}


def _masked(ctx: Context, start: int, end: int) -> str:
    """``Layout.masked`` of [start, end), made once per span: a list's span is read for its
    items, its ';' and its partial words."""
    memo = ctx.memo.setdefault("lists.masked", {})
    found = memo.get((start, end))
    if found is None:
        lay = ctx.layout
        # (a span in which no bracket or quotation opens is its own mask: the slice, not a
        # copy made character by character)
        bracketed = _opens_in(lay.parens, start, end) or _opens_in(lay.quotes, start, end)
        found = memo[start, end] = lay.masked(start, end) if bracketed else ctx.text[start:end]
    return found


def _opens_in(spans: list, start: int, end: int) -> bool:
    """Whether one of the (open, close) spans, sorted, opens in [start, end)."""
    k = bisect.bisect_left(spans, (start,))
    return k < len(spans) and spans[k][0] < end


def _items(ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
    """Item spans of the list written in [start, end)."""
    masked = _masked(ctx, start, end)
    joint = ctx.cues.phrase("or_and_joint")

    def split(lo, hi, cuts):
        out, pos = [], lo
        for a, b in cuts:
            out.append((pos, start + a))
            pos = start + b
        out.append((pos, hi))
        return out

    def clean(spans):
        res = []
        for a, b in spans:
            seg = ctx.text[a:b]
            lead = len(seg) - len(seg.lstrip(_STRIP))
            trail = len(seg) - len(seg.rstrip(_STRIP))
            if b - trail > a + lead:
                res.append((a + lead, b - trail))
        return res

    # (no ';', one item: most lists are written with ',' and 'và')
    items = clean(split(start, end, [m.span() for m in _SPLIT_MAJOR.finditer(masked)])
                  if ";" in masked else [(start, end)])
    if len(items) == 1:
        lo, hi = items[0]
        return clean(split(lo, hi, _joints(joint, masked, lo - start, hi - start)))
    # 'đề án “A”; đề án “B”; đề án “C” và đề án “D”': the last two items are joined by
    # 'và' instead of ';' — split there when what follows opens like the other items.
    # The items' shared first word ('đề án “…”', 'khu ẩm thực …'), if they have one.
    first_words = {_first_word(ctx, span) for span in items}
    head = first_words.pop() if len(first_words) == 1 else None
    out = []
    for a, b in items:
        pos = a
        for m_start, m_end in _joints(joint, masked, a - start, b - start):
            if masked[m_start] == ",":
                continue
            cut = start + m_start
            after = start + m_end
            if head and _first_word(ctx, (after, b)) == head:
                out.append((pos, cut))
                pos = after
        out.append((pos, b))
    return clean(out)


def _joints(joint, masked: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The spans of ``joint.finditer(masked, lo, hi)`` (the or_and_joint cue: ',' or 'và' or
    'hoặc' between blanks), found from the places of ',' and of its words: the regex, tried
    at every character, costs more than the few matches it is asked to confirm.  (Its words
    are ``_JOINT_WORDS``: widen both together.)"""
    # (only [lo, hi) is lower-cased: _items asks item after item of the same list)
    lowered = masked[lo:hi].lower()
    if len(lowered) != hi - lo:
        return [m.span() for m in joint.finditer(masked, lo, hi)]     # (places would shift)
    found = []
    at = masked.find(",", lo, hi)
    while at >= 0:
        found.append((at, at + 1))
        at = masked.find(",", at + 1, hi)
    # (a word's match starts at the blank before it; matches do not overlap, the first wins;
    # lower-cased: the cue matches case-insensitively, and no other character folds to
    # the words' letters)
    blanks_before = []
    for word in _JOINT_WORDS:
        at = lowered.find(word, 1)
        while at >= 0:
            blanks_before.append(lo + at - 1)
            at = lowered.find(word, at + 1)
    taken_to = lo
    for at in sorted(blanks_before):
        m = joint.match(masked, at, hi) if at >= taken_to else None
        if m:
            found.append(m.span())
            taken_to = m.end()
    found.sort()
    return found


def _comma_items(ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
    """Items split on ',' only: names such as 'Trung tâm Khuyến công và Xúc tiến
    thương mại' hold a 'và' of their own."""
    masked = _masked(ctx, start, end)
    if ";" in masked:
        return _items(ctx, start, end)
    spans, pos = [], start
    for m in _COMMA.finditer(masked):
        spans.append((pos, start + m.start()))
        pos = start + m.end()
    spans.append((pos, end))
    return [(a, b) for a, b in spans if ctx.text[a:b].strip(_STRIP)]


def _bullet_block(ctx: Context, after: int) -> tuple[int, int, list]:
    """The run of bullet lines right after position ``after`` (a list under 'gồm:'),
    and its items; a line starting in lower case continues the item above it."""
    pos, first, last, items = after, None, None, []
    while pos < len(ctx.text):
        s, e = ctx.layout.line(pos)
        line = ctx.text[s:e]
        if not line.strip():
            pos = e + 1
            continue
        b = BULLET.match(line)
        if b and line[b.end():].strip():
            items.append((s + b.end(), e))
        elif items and line.lstrip()[:1].islower():
            items[-1] = (items[-1][0], e)
        else:
            break
        first = s if first is None else first
        last = e
        pos = e + 1
    return (first, last, items) if first is not None else (after, after, [])


def _first_word(ctx: Context, span) -> str:
    # (only the first word is split off and lower-cased: an item can be a long passage)
    words = ctx.text[span[0]:span[1]].strip(_STRIP).split(None, 1)
    return words[0].lower() if words else ""


def _head(ctx: Context, span) -> str:
    """The first word pair of a list item, lower-cased ('đề án' of 'Đề án “…”')."""
    return " ".join(ctx.text[span[0]:span[1]].lower().split()[:2])


def _count_lines_ending_colon(ctx: Context) -> list[tuple[int, int]]:
    r"""The lines (start, end), in order, that hold a count and end with ':': the only ones
    where the announce cue ('… như sau:', its regex ending ``\s* : \s* $`` at the line's end)
    can announce a list that a count of the line counts.  (Found from the counts, before the
    cue's words are looked for in the whole text: few lines do both.)"""
    text, lay = ctx.text, ctx.layout
    starts, ends = lay.line_starts, lay.line_ends
    lines = sorted({bisect.bisect_right(starts, ctx.figures[i].start) - 1 for i in ctx.indexes("count")})
    # (str.rstrip strips every character the regex's \s matches, and four more)
    return [(starts[k], ends[k]) for k in lines if text[starts[k]:ends[k]].rstrip().endswith(":")]


def announced_lists(ctx: Context, done: set) -> list[Check]:
    """'… thực hiện 03 đề án … Kết quả thực hiện từng đề án như sau:' then bullet items
    each starting with the counted noun: the items are counted against the count.
    Only confirmed (ok) or unverifiable: the count is a sentence or more away."""
    checks = []
    announce = ctx.cues.first("announce")
    for ls, le in _count_lines_ending_colon(ctx):
        m = ctx.anchors.search(announce, ls, le)
        if not m:
            continue
        start, end, items = _bullet_block(ctx, le + 1)
        if len(items) < 2 or len({_head(ctx, it) for it in items}) != 1:
            continue
        head = _head(ctx, items[0])
        counts = [i for i in ctx.figures_in(ls, m.start(), kinds=("count",))
                  if (ctx.figures[i].unit or "").lower() == head and i not in ctx.bases]
        if not counts or counts[-1] in done:
            continue
        f = ctx.figures[counts[-1]]
        n = len(items)
        status = "ok" if Decimal(n) == Decimal(f.value) else "unverifiable"
        listed = [ctx.text[a:b] for a, b in items]
        explanation = (f"Danh sách liệt kê {n} mục: {_shown(listed)}; báo cáo ghi {f.text}")
        checks.append(Check("count_list", status, f.text, f.start, f.end, Decimal(f.value),
                            Decimal(n), tuple(Operand(ctx.text[a:b], a, b, None) for a, b in items),
                            explanation, ctx.source, str(n), **_RESOLVED))
    return checks


def _starts_with(item: str, noun: str | None) -> bool:
    """Whether a list item opens with the counted noun ('Đề án “…”' for 'đề án')."""
    return bool(noun) and item.strip(" \t-–•+*").lower().startswith(noun.lower())


def _shown(listed: list[str]) -> str:
    shown = ", ".join(x if len(x) <= 30 else x[:28] + "…" for x in listed[:3])
    return shown + (f", … ({len(listed)} mục)" if len(listed) > 3 else "")


def find_lists(ctx: Context) -> list[Check]:
    """A count_list check for every count directly followed by the list it counts."""
    checks = []
    lay = ctx.layout
    list_cue = ctx.cues.first("list")
    partial = ctx.cues.first("partial").pattern
    # (read once: most counts are passed over in the first lines below)
    text, figures, bases, quoted, sentences = ctx.text, ctx.figures, ctx.bases, ctx.quoted, ctx.sentences
    for i in ctx.indexes("count"):
        f = figures[i]
        if f.kind != "count" or f.value is None or i in bases or quoted[i]:
            continue
        s0, s1 = sentences[i]
        # (a bracket right after the count: looked for as plain text first, as most have none)
        paren = _OPEN_BRACKET.match(text, f.end, s1) if text.find("(", f.end, s1) >= 0 else None
        word_cue, bullets, major, needs_head, names_only = False, False, False, False, False
        later_count = False
        span = None
        if paren:
            span = lay.paren_opening_at.get(paren.end() - 1)
            items = [] if span is None else _items(ctx, span[0] + 1, span[1])
            if span is not None and ";" not in _masked(ctx, span[0] + 1, span[1]):
                # '5 tỉnh (Kon Tum, Gia Lai, Đắk Lắk, Đắk Nông và Lâm Đồng)': names only,
                # each capitalised, are the things counted; anything else is a remark
                # ('6 thị trường (nhóm thị trường) …, gồm: …': the list comes after it).
                names_only = len(items) >= 2 and all(ctx.text[a:b].strip()[:1].isupper() for a, b in items)
                if not names_only:
                    span, paren = None, None
        if span is not None:
            list_start, list_end = span[0] + 1, span[1]
        else:
            m = ctx.anchors.search(list_cue, f.end, s1)
            if not m:
                continue
            between = ctx.text[f.end:m.start()]
            word_cue = ":" not in m.group(0) or bool(_LETTER.search(m.group(0)))
            limit = 160 if word_cue else 40
            if ";" in between or len(between) > limit:
                continue
            if not word_cue and partial.search(lay.masked(f.end, m.start())):
                continue                                  # '12 giải pháp, trong đó …:' is a subset
            between_figs = [j for j in ctx.figures_in(f.end, m.start()) if ctx.figures[j].kind != "percent"]
            if any(compatible(ctx.figures[j], f) for j in between_figs):
                continue                                  # the cue belongs to a later figure
            # '21 đề án … thực hiện 05 nội dung, bao gồm: …': the cue belongs to the later
            # count, unless the items that name this count's noun are exactly as many.
            later_count = any(ctx.figures[j].kind == "count" for j in between_figs)
            # '04 đề án với tổng kinh phí 2.150 triệu đồng, gồm: Đề án “…”; …': an amount
            # between is fine only when every item names the counted noun again.
            needs_head = any(ctx.figures[j].kind == "money" for j in between_figs)
            list_start = m.end()
            line_end = lay.line(m.end())[1]
            if ctx.text[list_start:line_end].strip(" \t:"):
                # ('… là: gạo, cà phê và hạt điều đã đạt lần lượt …': the items end where
                # what each of them did begins)
                after = ctx.cues.phrase("respectively").search(ctx.text, list_start, s1)
                list_end = after.start() if after else s1
            else:
                bullets = True
                list_start, list_end, items = _bullet_block(ctx, line_end + 1)
            if not bullets:
                items = _items(ctx, list_start, list_end)
                major = ";" in _masked(ctx, list_start, list_end)
                if not major and len(items) != f.value:
                    alt = _comma_items(ctx, list_start, list_end)
                    items = alt if len(alt) == f.value else items
        if len(items) < 2:
            continue
        headed = [(a, b) for a, b in items if _starts_with(ctx.text[a:b], f.unit)]
        if bullets and 2 <= len(headed) < len(items) and Decimal(len(headed)) == Decimal(f.value):
            # '05 đề án và 02 nội dung chi khác, cụ thể:' then seven bullets, five opening
            # with 'Đề án': the five are what the count counts.
            items = headed
        elif later_count:
            continue
        # (every item names the counted noun when every one is among the headed)
        named_items = len(headed) == len(items)
        in_list = ctx.figures_in(list_start, list_end)
        loose_money = any(ctx.figures[j].kind == "money" and lay.paren(ctx.figures[j].start) is None
                          for j in in_list)
        named_things = major and all(ctx.text[a:b].strip()[:1].isupper() for a, b in items)
        if needs_head and loose_money and not named_things and not named_items:
            continue      # the amounts are the list's: 'kinh phí … gồm: A 100 triệu; B …
        # Amounts in brackets inside an item ('… (gồm 13 đề án với kinh phí 2,035 tỉ đồng)')
        # describe the item; they do not make the list a breakdown of amounts.
        inner = [j for j in in_list if paren or lay.paren(ctx.figures[j].start) is None]
        # '… lần lượt là A, B và C': names after 'là' are the list
        names_are = not paren and bool(ctx.cues.phrase("la_before_count").search(m.group(0).strip() + " "))
        if not paren and not bullets and ":" not in m.group(0) and not named_items and not names_are:
            continue      # 'tối đa 02 gian hàng, bao gồm chi phí thuê …': 'including', not a list
        if not named_items and not named_things and any(
                compatible(ctx.figures[j], f) or ctx.figures[j].kind == "money" for j in inner):
            continue                                      # parts with amounts: a sum, not a list
        # ('6 thị trường … gồm: Mỹ tăng 10,7 tỷ USD; EU tăng 3,3 tỷ USD; …': named things,
        # one an item, each with its amount, are what the count counts.)
        # ('02 mô hình: mô hình A …, 450 triệu đồng; mô hình B …': items that name the
        # counted noun are the things counted, amounts or not.)
        n = len(items)
        listed = [ctx.text[a:b] for a, b in items]
        explanation = f"Danh sách liệt kê {n} mục: {_shown(listed)}; báo cáo ghi {f.text}"
        if Decimal(n) == Decimal(f.value):
            status = "ok"
        elif names_only:
            status = "unverifiable"        # a bracket of names may be examples only
            explanation += " (danh sách trong ngoặc có thể chỉ là ví dụ)"
        elif (word_cue and (major or (bullets and named_items))
              and not partial.search(lay.masked(f.end, max(f.end, list_start - 1)))
              and not partial.search(_masked(ctx, list_start, list_end))):
            # Only a list whose items are separated by ';', or bullet lines that each name
            # the counted noun ('- Đề án “…”'), is split surely enough to fail.
            status = "fail"
        else:
            status = "unverifiable"
            explanation += " (danh sách có thể không đầy đủ hoặc không tách được chắc chắn)"
        ops = tuple(Operand(ctx.text[a:b], a, b, None) for a, b in items)
        checks.append(Check("count_list", status, f.text, f.start, f.end, Decimal(f.value),
                            Decimal(n), ops, explanation, ctx.source, str(n), **_RESOLVED))
    done = {c.claim_start for c in checks}
    return checks + [c for c in announced_lists(ctx, set()) if c.claim_start not in done]


# The first characters of sentences already looked at, and those of them that may open a
# sentence opening with a list_lead word, by the cue's words: decided once per character.
_FIRSTS: dict = {}


def _opening_firsts(words: tuple, firsts) -> set:
    """The characters among ``firsts`` (and others seen before) that may open a sentence that
    opens with one of ``words`` after any bullet: a blank, a bullet, or a letter that
    lower-cases to a word's first letter ('C' or 'c' for 'các'; 'Σ', which lower-cases by
    what follows it, is let through)."""
    seen, opening = _FIRSTS.setdefault(words, (set(), set()))
    initials = tuple(w[:1] for w in words)
    for first in set(firsts).difference(seen):
        if first.isspace() or first in "-–•+*Σ" or first.lower().startswith(initials):
            opening.add(first)
        seen.add(first)
    return opening


def _lead_sentences(ctx: Context, lead_cue):
    r"""The sentences (start, end) that open with one of the list_lead cue's words ('Các',
    'Những'), after any bullet: its regex, anchored at the sentence's start, can match no
    other.  (Looked at once per sentence start: the words stand in most sentences of a
    report, but open few.)  The characters stepped over are the regex's leading
    ``[\s\-–•+*]*`` in ``patterns/relations.yaml``: widen both together."""
    text, words = ctx.text, lead_cue.anchors
    longest = max(map(len, words))
    starts, spans = ctx.layout.sentence_starts, ctx.layout.sentence_spans
    if len(starts) > 1 and starts[-1] < len(text):
        # (the sentences' first characters read at once: most sentences open with a letter
        # no word begins with, and are passed over without a look at their words)
        firsts = operator.itemgetter(*starts)(text)
        spans = compress(spans, map(_opening_firsts(words, firsts).__contains__, firsts))
    for s0, s1 in spans:
        at = s0
        while at < s1 and (text[at].isspace() or text[at] in "-–•+*"):
            at += 1                   # (the regex's leading [\s\-–•+*]*)
        if text[at:at + longest].lower().startswith(words) and _may_hold_lead_cue(text, at, s1):
            yield s0, s1


def _may_hold_lead_cue(text: str, at: int, end: int) -> bool:
    """Whether the list_lead cue ('gồm', 'là', 'như sau' or ':') may follow the word at
    ``at``: the noun between them holds none of ':;,.()' (nor a digit), so the cue stands
    before the first of those or is that ':'.  (A cheap test before the regex, which tries
    each of the noun's 50 lengths; its words are in ``_LEAD_CUE_WORDS``: widen both together.)"""
    stop = min([p for p in map(text.find, ":;,.()", repeat(at), repeat(end)) if p >= 0], default=end)
    if text[stop:stop + 1] == ":":
        return True
    # (casefolded: the regex matches its words case-insensitively, with full case folding)
    before = text[at:stop].casefold()
    return any(word in before for word in _LEAD_CUE_WORDS)


def lead_sentence_lists(ctx: Context, done: set) -> list[Check]:
    """'… nghiệm thu 2 đề án khuyến công địa phương. Các đề án gồm: Đề án A và Đề án B.': a
    sentence that opens with 'Các <noun> gồm:' lists what a count of the sentence before
    counted.  The count is the one whose counted noun is the list's noun, else the only
    count of that sentence.  Such a list a sentence away confirms its count; it fails it
    only when the noun is the count's own and every item opens with it ('Đề án …')."""
    lead_cue = ctx.cues.first("list_lead")
    lead = lead_cue.pattern
    lay = ctx.layout
    checks = []
    # (each sentence once: a walk over positions read a sentence again for each blank after
    # it, adding the same check twice)
    for s0, s1 in _lead_sentences(ctx, lead_cue):
        m = lead.match(ctx.text[s0:s1])
        if not m or s0 < 2:
            continue
        lead_end = s0 + m.end()
        p0 = lay.start_sentences_back(s0, LEAD_LOOK_BACK)   # a caption may stand between count and list
        counts = [i for i in ctx.figures_in(p0, s0, kinds=("count",))
                  if ctx.figures[i].value and i not in ctx.bases and ctx.figures[i].start not in done]
        noun = " ".join(m.group("noun").lower().split())
        same = [i for i in counts if (ctx.figures[i].unit or "").lower().startswith(noun)
                or noun.startswith((ctx.figures[i].unit or "#").lower())]
        chosen = same[-1:] if same else counts      # the nearest count of the noun, else the only count
        if len(chosen) != 1:
            continue
        f = ctx.figures[chosen[0]]
        line_end = lay.line(lead_end)[1]
        if ctx.text[lead_end:line_end].strip(" \t:"):
            items = _items(ctx, lead_end, s1)
        else:
            _, _, items = _bullet_block(ctx, line_end + 1)
        if same and items and _starts_with(ctx.text[slice(*items[0])], f.unit):
            # 'Đề án A của HTX X, xã Y và Đề án B': every item opens with the noun; a piece
            # that does not is the tail of the item before it.
            merged = []
            for a, b in items:
                if merged and not _starts_with(ctx.text[a:b], f.unit):
                    merged[-1] = (merged[-1][0], b)
                else:
                    merged.append((a, b))
            items = merged
        elif items and len(items) + 1 == f.value:
            # '…; hộ kinh doanh C và HTX D': the last two items joined by 'và' before a name.
            a, b = items[-1]
            cut = ctx.cues.phrase("and_before_name").search(ctx.text[a:b])
            if cut:
                items = items[:-1] + [(a, a + cut.start()), (a + cut.end(), b)]
        if len(items) < 2:
            continue
        n = len(items)
        listed = [ctx.text[a:b] for a, b in items]
        explanation = f"Câu sau liệt kê {n} mục: {_shown(listed)}; báo cáo ghi {f.text}"
        named = bool(same) and all(_starts_with(it, f.unit) for it in listed)
        if Decimal(n) == Decimal(f.value):
            status = "ok"
        elif named and not ctx.cues.first("partial").pattern.search(lay.masked(lead_end, s1)):
            status = "fail"
        else:
            status = "unverifiable"
            explanation += " (danh sách ở câu sau có thể không cùng đếm một thứ)"
        checks.append(Check("count_list", status, f.text, f.start, f.end, Decimal(f.value), Decimal(n),
                            tuple(Operand(ctx.text[a:b], a, b, None) for a, b in items), explanation,
                            ctx.source, str(n), resolved_by="listed items",
                            binding="stated" if named else "inferred"))
    return checks


_NAME = regex.compile(r"\p{Lu}[\p{L}\d.\-’']*(?:\s+(?:\p{Lu}[\p{L}\d.\-’']*|-|\d+))*")


def _names_at(text: str, pos: int, end: int, separator) -> list[tuple[int, int]]:
    """Capitalised names written one after another from ``pos`` ('Việt Nam, Trung Quốc và
    Thái Lan'), up to the first piece that is not a name."""
    spans = []
    while pos < end:
        m = _NAME.match(text, pos, end)
        if not m:
            break
        stop = m.end() - (len(m.group(0)) - len(m.group(0).rstrip(".")))   # 'Thái Lan.' ends the sentence
        spans.append((m.start(), stop))
        sep = separator.match(text, m.end(), end)
        if not sep:
            break
        pos = sep.end()
    return spans


def apposed_names(ctx: Context, done: set) -> list[Check]:
    """A count with the names of what it counts beside it, no cue between: '3 nước Việt Nam,
    Trung Quốc và Thái Lan', '3 siêu thị Co.op Mart, Big C, Bách hóa xanh', or before it:
    'Bắc Giang, Cần Thơ, Vĩnh Long là ba địa phương …'.  Where such a run of names ends
    is a guess, so it confirms a count and never accuses one."""
    out = []
    text, figures, sentences = ctx.text, ctx.figures, ctx.sentences
    separator = ctx.cues.phrase("name_separator")
    la_before_count = ctx.cues.phrase("la_before_count")
    for i in ctx.indexes("count"):
        f = figures[i]
        if not f.value or f.of_total is not None or f.value > 30 or f.start in done:
            continue
        s0, s1 = sentences[i]
        # The names follow the counted noun, perhaps after a word or two of it the
        # extractor left out ('3 chuỗi siêu thị Co.op Mart, …').
        # (a window whose cased letters are all lower case holds no capital to open a name:
        # most, and str.islower tells at once; the windows' ends by comparison, not min/max)
        reach = f.end + 30 if f.end + 30 < s1 else s1
        gap = None if text[f.end:reach].islower() else _NAMES_GAP.match(text, f.end, reach)
        after = _names_at(text, gap.end(), s1, separator) if gap else []
        before = []
        window = text[f.start - 8 if f.start - 8 > s0 else s0:f.start]
        # (la_before_count, looked for only where 'là' stands: its case-insensitive 'l' and
        # 'à' are the letters that lower-case to them)
        lead = la_before_count.search(window) if "là" in window.lower() else None
        if lead:
            # The longest run of names that ends right before 'là' ('Trong đó, Bắc Giang,
            # Cần Thơ, Vĩnh Long là ba địa phương': the run starts after 'Trong đó, ').
            names_end = f.start - len(lead.group(0))
            while names_end > 0 and text[names_end - 1].isspace():
                names_end -= 1        # (the blanks before 'là', as rstrip drops them)
            starts = [s0] + [s0 + m.end() for m in separator.finditer(ctx.text[s0:names_end])]
            for start in starts:
                start += len(ctx.text[start:names_end]) - len(ctx.text[start:names_end].lstrip())
                spans = _names_at(ctx.text, start, names_end, separator)
                if spans and spans[-1][1] == names_end:
                    before = spans
                    break
        for items in (after, before):
            if len(items) >= 2 and Decimal(len(items)) == Decimal(f.value):
                listed = [ctx.text[a:b] for a, b in items]
                out.append(Check("count_list", "ok", f.text, f.start, f.end, Decimal(f.value), Decimal(len(items)),
                                 tuple(Operand(ctx.text[a:b], a, b, None) for a, b in items),
                                 f"Các tên đi kèm: {_shown(listed)}; báo cáo ghi {f.text}", ctx.source,
                                 str(len(items)), resolved_by="names beside the count", binding="inferred"))
                break
    return out


_LINE_NUMBER = regex.compile(r"^[ \t]*(\d{1,2})[.)][ \t]+\S", regex.MULTILINE)
_FIRST_LINE_NUMBER = regex.compile(r"^[ \t]*1[.)][ \t]+\S", regex.MULTILINE)
# Where a line that _FIRST_LINE_NUMBER may match starts, found from the newline before it
# (in re, which finds a literal first character at C speed; _FIRST_LINE_NUMBER confirms).
_NEWLINE_ONE = re.compile(r"\n[ \t]*1[.)]")
_INLINE_NUMBER = regex.compile(r"\((\d{1,2})\)\s*\S")
NUMBERED_REACH = 400          # characters after a count where its numbered items may begin


def _numbered_run(matches) -> list:
    """The marks 1, 2, 3 … in order from the first '1', stopping at the first gap."""
    run = []
    for m in matches:
        k = int(m.group(1))
        if (not run and k == 1) or (run and k == len(run) + 1):
            run.append(m)
        elif run and k == 1:
            break                 # a second list starts
    return run


def _numbered_tables(ctx: Context) -> tuple[list, dict]:
    """Where each table's header starts, sorted, with the table's place in the list; and the
    first cells of the tables whose rows are numbered 1, 2, 3 … ('STT'), by place: read once."""
    found = ctx.memo.get("lists.table heads")
    if found is None:
        heads = sorted((table.rows[0][0][0], k) for k, table in enumerate(ctx.tables or ()) if table.rows[0])
        numbered = {}
        for k, table in enumerate(ctx.tables or ()):
            firsts = [row[0] for row in table.rows[1:] if row]
            numbers = [ctx.text[a:b].strip().rstrip(".") for a, b in firsts]
            if len(numbers) >= 2 and numbers == [str(n) for n in range(1, len(numbers) + 1)]:
                numbered[k] = firsts
        found = ctx.memo["lists.table heads"] = (heads, numbered)
    return found


def _numbered_table_rows(ctx: Context, pos: int) -> list:
    """The rows of a table that starts right after ``pos`` and numbers them 1, 2, 3 … in
    its first column ('STT'): the (start, end) of each row's first cell."""
    heads, numbered = _numbered_tables(ctx)
    if not numbered:
        return []
    near = sorted(k for _, k in heads[bisect.bisect_left(heads, (pos,)):
                                      bisect.bisect_right(heads, (pos + NUMBERED_REACH, len(heads)))])
    return next((numbered[k] for k in near if k in numbered), [])


def _first_numbered_lines(ctx: Context) -> tuple[list[int], list[int]]:
    """(starts, ends) of the matches of _FIRST_LINE_NUMBER (a line opening '1.' or '1)'), in
    order: found once per document from the places of '1.' and '1)', as a regex run over
    the text after every count would read the same lines again and again."""
    found = ctx.memo.get("lists.first numbered lines")
    if found is None:
        text = ctx.text
        # (the lines that may match, from the newline before them: one scan of the text by
        # re's search for its literal first character, where a find for each of '1.' and
        # '1)' read it twice; the first line, which no newline opens, is tried when it may)
        line_starts = [m.start() + 1 for m in _NEWLINE_ONE.finditer(text)]
        if text[:1] in (" ", "\t", "1"):
            line_starts.insert(0, 0)
        matches = [m for m in map(_FIRST_LINE_NUMBER.match, repeat(text), line_starts) if m]
        found = ctx.memo["lists.first numbered lines"] = ([m.start() for m in matches], [m.end() for m in matches])
    return found


def _first_numbered_line(ctx: Context, start: int, end: int) -> Optional[int]:
    """``_FIRST_LINE_NUMBER.search(text, start, end).start()``, or None."""
    starts, ends = _first_numbered_lines(ctx)
    k = bisect.bisect_left(starts, start)
    # (a match that runs past ``end`` is cut there, and fails; any later one starts later still)
    return starts[k] if k < len(starts) and starts[k] < end and ends[k] <= end else None


def _inline_ones(ctx: Context) -> list[int]:
    """Where a bracketed '(1)' stands (the first mark of an inline numbered list, as
    _numbered_run reads it: one or two digits worth 1), in order; from the document's
    brackets, once."""
    found = ctx.memo.get("lists.inline ones")
    if found is None:
        text = ctx.text
        found = ctx.memo["lists.inline ones"] = [
            o for o, c in ctx.layout.parens
            if 2 <= c - o <= 3 and text[o + 1:c].isdecimal() and int(text[o + 1:c]) == 1]
    return found


def numbered_lists(ctx: Context, done: set) -> list[Check]:
    """A count and the numbered items that follow it: '12 nhiệm vụ: (1) …; (2) …' or a
    title '10 thị trường xuất khẩu lớn nhất' above sections '1. Mỹ', '2. EU', … .  Items
    numbered inline right after the count's cue are its list (a shortfall fails); numbered
    sections further on only confirm it."""
    out = []
    ones = _inline_ones(ctx)
    if not ones and not _first_numbered_lines(ctx)[0] and not _numbered_tables(ctx)[1]:
        return out        # (most texts: no '(1)', no line opening '1.', no table numbering its rows)
    for i in ctx.indexes("count"):
        f = ctx.figures[i]
        if f.kind != "count" or not f.value or f.start in done or f.of_total is not None or not 2 <= f.value <= 40:
            continue
        s0, s1 = ctx.sentences[i]
        # (the numbered items may run past a full stop: '(7) cải cách hành chính. (8) chuyển đổi số')
        inline_end = max(s1, ctx.layout.line(f.start)[1])
        # (a run of inline marks starts with '(1)': where none follows, there is no run)
        k = bisect.bisect_left(ones, f.end)
        inline = (_numbered_run(_INLINE_NUMBER.finditer(ctx.text, f.end, inline_end))
                  if k < len(ones) and ones[k] < inline_end else [])
        if len(inline) >= 2 and inline[0].start() - f.end <= 160 and ":" in ctx.text[f.end:inline[0].start()]:
            run, stated = inline, True
        else:
            reach = min(len(ctx.text), s1 + NUMBERED_REACH)
            # (a line numbered '1.' or '1)' must stand within reach)
            first = _first_numbered_line(ctx, s1, reach)
            if first is None:
                rows = _numbered_table_rows(ctx, s1)
                if rows and Decimal(len(rows)) == Decimal(f.value):
                    out.append(Check("count_list", "ok", f.text, f.start, f.end, Decimal(f.value), Decimal(len(rows)),
                                     tuple(Operand(ctx.text[a:b], a, b, None) for a, b in rows),
                                     f"Bảng ngay sau có {len(rows)} dòng đánh số; báo cáo ghi {f.text}", ctx.source,
                                     str(len(rows)), resolved_by="numbered items", binding="inferred"))
                continue              # (most counts: no '1.' line below them, nothing more to read)
            run = _numbered_run(_LINE_NUMBER.finditer(ctx.text, first, min(len(ctx.text), s1 + NUMBERED_REACH * 20)))
            if len(run) < 2:
                continue
            stated = False
        n = len(run)
        status = "ok" if Decimal(n) == Decimal(f.value) else ("fail" if stated else None)
        if status is None:
            continue
        shown = ", ".join(f"({m.group(1)})" if stated else f"{m.group(1)}." for m in run[:3])
        out.append(Check("count_list", status, f.text, f.start, f.end, Decimal(f.value), Decimal(n),
                         tuple(Operand(ctx.text[m.start():m.end()], m.start(), m.end(), None) for m in run),
                         f"Các mục đánh số {shown} … đến {run[-1].group(1)}: {n} mục; báo cáo ghi {f.text}",
                         ctx.source, str(n), resolved_by="numbered items",
                         binding="stated" if stated else "inferred"))
    return out


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): the items are listed in the text."""
    checks = find_lists(ctx)
    checks += lead_sentence_lists(ctx, {c.claim_start for c in checks})
    checks += apposed_names(ctx, {c.claim_start for c in checks})
    return checks + numbered_lists(ctx, {c.claim_start for c in checks if c.status != "unverifiable"})
