"""The base a claim names in words rather than by a figure next to it.

``giải ngân … đạt 2,6 tỷ đồng, chiếm 68,4% tổng giải ngân`` names its base by the
words 'tổng giải ngân'; the figure they describe ('kinh phí đã giải ngân gần 3,2 tỷ
đồng') stands a sentence or a paragraph earlier.  A base is resolved when one
earlier figure of the right unit is described by the claim's words better than
every other, or when the words name a counted unit ('số lượt cơ sở tham quan')
that exactly one earlier figure has; only the latter is sure enough to report a
mismatch as a failure (see :func:`resolve`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

import regex

from kcextract.patterns import load_patterns, word_regex
from kcextract.verifier.workspace import Context, unit_key

LOOK_BACK = 2500        # how far before the claim a named base may stand (characters)
_BASE_WORDS, _DESCRIBED = "named_base.base words", "named_base.described"     # (keys of ctx.memo)
_WORD = regex.compile(r"[\p{L}\d]+")
_LETTER = regex.compile(r"\p{L}")
_YEAR = regex.compile(r"(?:19|20)\d\d")
_DESCRIPTION_STOP = regex.compile(r"[,;()]|\.(?!\d)")


@functools.lru_cache(maxsize=1)
def _noise() -> frozenset:
    """Syllables that say nothing about which figure is meant (lexicon.yaml NAMED_BASE_NOISE)."""
    return frozenset(w.casefold() for w in load_patterns().lexicon.lists["NAMED_BASE_NOISE"])


@dataclass(frozen=True)
class NamedBase:
    """A resolved base: the figure's index and how sure the match is."""

    index: int
    unambiguous: bool


@functools.lru_cache(maxsize=1 << 15)
def words(text: str) -> frozenset:
    """The telling words of a phrase, lower-cased, without the noise syllables (cached: a
    long report asks for the same figure's words once per nearby claim)."""
    noise = _noise()
    return frozenset(w for w in (found.lower() for found in _WORD.findall(text)) if w not in noise)


def base_words(ctx: Context, claim_end: int) -> str:
    """The words after a reported figure that name its base, to the end of the clause
    ('tổng giải ngân' in '…, chiếm 68,4% tổng giải ngân. Sở …').  (Read once per claim:
    each resolver of the claim, and every later claim looking for a plan, asks.)"""
    memo = ctx.memo.get(_BASE_WORDS)
    if memo is None:
        memo = ctx.memo[_BASE_WORDS] = {}
    found = memo.get(claim_end)
    if found is None:
        _, s_end = ctx.layout.sentence(claim_end)
        m = ctx.cues.phrase("base_words_stop").search(ctx.text, claim_end, s_end)
        found = memo[claim_end] = ctx.text[claim_end:m.start() if m else s_end]
    return found


def _part_start(ctx: Context, f, reach: int, past_figures: bool = False) -> int:
    """Where the words describing figure ``f`` begin: its own comma-separated part of its
    clause, at most ``reach`` characters back.  In 'tổng kinh phí 960 triệu đồng, trong đó
    kinh phí khuyến công địa phương 720 triệu đồng, các cơ sở đối ứng 240 triệu đồng' each
    amount is described by the words since the last comma.  ``past_figures``: a comma inside
    a figure parts nothing (the pair of nouns of 'tổng kế hoạch kinh phí … của 63 tỉnh, thành
    phố là 230,9 tỷ đồng', a decimal comma), as the words that describe a whole are read.  (The
    plan finders keep the comma: a plan word beyond it, as in 'kế hoạch kinh phí … của 20 tỉnh,
    thành phố là 64.710 triệu đồng', is the year's plan, rarely the plan of a later claim.)"""
    start = max(ctx.layout.clause_start(f.start), f.start - reach)
    # (a comma is looked for only where it could move the start: not back to the text's start)
    comma = ctx.text.rfind(",", start, f.start)
    while past_figures and comma >= 0 and ctx.inside_figure(comma):
        comma = ctx.text.rfind(",", start, comma)
    return max(start, comma + 1)


def _years(text: str) -> set:
    return set(_YEAR.findall(text or ""))


def described_words(ctx: Context, i: int) -> frozenset:
    """The words that describe figure ``i``: its clause up to it, the words right after
    it ('71 sản phẩm đăng ký tham gia'), its period; not its own unit, which every
    candidate of that unit shares.  (Read once per figure: every claim nearby asks.)"""
    memo = _described_memo(ctx)
    found = memo.get(i)
    if found is None:
        found = memo[i] = _described_words(ctx, i)
    return found


def _described_memo(ctx: Context) -> dict:
    """The document's :func:`described_words` found so far, by figure."""
    memo = ctx.memo.get(_DESCRIBED)
    if memo is None:
        memo = ctx.memo[_DESCRIBED] = {}
    return memo


def _shared_words(ctx: Context, wanted: frozenset, candidates) -> list[tuple[int, int]]:
    """(number of ``wanted`` words describing it, index) of each candidate figure, in order
    (the memo read here directly: a claim scores every figure of a few sentences)."""
    memo = _described_memo(ctx)
    scored = []
    for i in candidates:
        found = memo.get(i)
        if found is None:
            found = memo[i] = _described_words(ctx, i)
        scored.append((len(wanted & found), i))
    return scored


def _described_words(ctx: Context, i: int) -> frozenset:
    f = ctx.figures[i]
    start = _part_start(ctx, f, 120, past_figures=True)
    after = ctx.text[f.end:f.end + 60]
    stop = _DESCRIPTION_STOP.search(after)
    found = words(ctx.text[start:f.start]) | words(after[:stop.start()] if stop else after)
    if len(found) < 2:
        # 'với tổng kinh phí giải ngân là: 900 triệu đồng': a label before a colon names it.
        s0, _ = ctx.layout.sentence(f.start)
        found |= words(ctx.text[max(s0, f.start - 120):f.start])
    if f.period:
        found |= words(f.period)
    return found - words(f.unit or "")


def _names(text: str, unit: str) -> bool:
    """Whether ``text`` holds the counted unit as whole words ('lượt cơ sở', not inside a
    longer word): no letter right before or after it."""
    at = text.find(unit)
    while at >= 0:
        end = at + len(unit)
        if (at == 0 or not _LETTER.match(text, at - 1)) and not _LETTER.match(text, end):
            return True
        at = text.find(unit, at + 1)
    return False


def resolve(ctx: Context, claim_start: int, claim_end: int, subject: int) -> Optional[NamedBase]:
    """The earlier figure the words after the claim name as its base, if one stands out.

    ``unambiguous`` is set only when the words name a counted unit that exactly one
    earlier figure has ('chiếm 17,4% số lượt cơ sở tham quan' and one 'lượt cơ sở'
    figure): only then may a mismatch be reported as a failure.  A base chosen by its
    describing words ('tổng giải ngân' ~ 'kinh phí đã giải ngân') is good enough to
    confirm a claim, never to accuse one: such words are too loose for that.
    """
    named = base_words(ctx, claim_end)
    wanted = words(named)
    if not wanted:
        return None
    s = ctx.figures[subject]
    lowered = " ".join(named.lower().split())
    figures, bases, quoted, like = ctx.figures, ctx.bases, ctx.quoted, ctx.like(subject)
    # (an amount of money is compared with those of its currency alone: found as such)
    start = max(0, claim_start - LOOK_BACK)
    nearby = (ctx.like_in(subject, start, claim_start) if s.kind == "money"
              else ctx.figures_in(start, claim_start, kinds=(s.kind,)))
    candidates = [i for i in nearby if i != subject and figures[i].value is not None and figures[i].value > 0
                  and i not in bases and not quoted[i]]
    if not candidates:
        return None
    # A counted unit named in the words ('số lượt cơ sở tham quan') picks the figures that count it.
    if s.kind == "count":
        units = {unit_key(ctx.figures[i]) for i in candidates}
        named_units = [u for u in units if u and _names(lowered, u)]
        if named_units:
            longest = max(named_units, key=len)
            with_unit = [i for i in candidates if unit_key(ctx.figures[i]) == longest]
            if len(with_unit) == 1:
                return NamedBase(with_unit[0], unambiguous=True)
            candidates = with_unit
        else:
            candidates = [i for i in candidates if i in like]
    if not candidates:
        return None
    scored = _shared_words(ctx, wanted, candidates)
    best, index = max(scored)
    # (it must share more words than every other candidate: found without sorting them)
    if best == 0 or [n for n, _ in scored].count(best) > 1:
        return None
    return NamedBase(index, unambiguous=False)


def resolve_subject(ctx: Context, cue_start: int) -> Optional[int]:
    """The earlier figure that the words before a claim's cue name, when their clause
    holds no figure of its own ('Kinh phí khuyến công địa phương chiếm 75% …' after a
    sentence that gave 'kinh phí khuyến công địa phương 720 triệu đồng').

    The candidates are the amounts of the two sentences before; the one whose
    describing words share the most with the claim's words wins, if it wins alone.
    """
    lay = ctx.layout
    clause = ctx.text[lay.clause_start(cue_start):cue_start]
    wanted = words(clause)
    if not wanted:
        return None
    s0, _ = lay.sentence(cue_start)
    p0, _ = lay.sentence(max(s0 - 2, 0)) if s0 > 1 else (s0, s0)
    p0, _ = lay.sentence(max(p0 - 2, 0)) if p0 > 1 else (p0, p0)
    figures, bases = ctx.figures, ctx.bases
    candidates = [i for i in ctx.figures_in(p0, cue_start, kinds=("money", "count"))
                  if i not in bases and figures[i].value]
    scored = sorted(_shared_words(ctx, wanted, candidates), reverse=True)
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def subject_candidates(ctx: Context, cue_start: int, most: int = 4) -> list[int]:
    """The amounts of the two sentences before a claim whose describing words share a word
    with the claim's clause, best first (ties kept): candidates to try, not a choice."""
    lay = ctx.layout
    wanted = words(ctx.text[lay.clause_start(cue_start):cue_start])
    if not wanted:
        return []
    s0, _ = lay.sentence(cue_start)
    p0, _ = lay.sentence(max(s0 - 2, 0)) if s0 > 1 else (s0, s0)
    p0, _ = lay.sentence(max(p0 - 2, 0)) if p0 > 1 else (p0, p0)
    scored = sorted(((len(wanted & described_words(ctx, i)), -i, i)
                     for i in ctx.figures_in(p0, cue_start, kinds=("money", "count"))
                     if i not in ctx.bases and ctx.figures[i].value), reverse=True)
    return [i for n, _, i in scored if n >= 1][:most]


def resolve_plan(ctx: Context, claim_start: int, claim_end: int, subject: int) -> Optional[NamedBase]:
    """'… được giao là 4.500 triệu đồng, … giải ngân 4.185 triệu đồng, đạt 94% kế hoạch':
    a ratio to a plan whose plan is the one figure of the subject's unit, in the
    claim's sentence or the one before, that a plan word (PLAN_WORD) describes.
    One such figure is unambiguous; none or several give nothing."""
    claim_words, plan_words = word_regex("PLAN_CLAIM"), word_regex("PLAN_WORD")
    if not claim_words.search(base_words(ctx, claim_end)):
        return None
    s = ctx.figures[subject]
    lay = ctx.layout
    s0, _ = lay.sentence(claim_start)
    p0, _ = lay.sentence(max(s0 - 2, 0)) if s0 > 1 else (s0, s0)
    plans = []
    figures, bases, quoted = ctx.figures, ctx.bases, ctx.quoted
    claim_quoted, s_years = lay.in_quote(claim_start), _years(s.period)
    # (the figures of the subject's unit alone: compatible with it)
    for i in ctx.like_in(subject, p0, claim_start):
        f = figures[i]
        if (i == subject or i in bases or not f.value or quoted[i] != claim_quoted
                or _other_year(_years(f.period), s_years)):
            continue                  # another claim's base, or the plan of another year
        start = _part_start(ctx, f, 80)
        if plan_words.search(ctx.text, start, f.start):
            plans.append(i)
    if len(plans) != 1:
        return None
    # A plan in the claim's own sentence is the claim's; one a sentence before may be
    # another programme's ('Bộ Công Thương phê duyệt 02 đề án … 2,1 tỷ đồng.' before a
    # claim about the province's own plan): it may confirm, not accuse.
    return NamedBase(plans[0], unambiguous=lay.sentence(ctx.figures[plans[0]].start)[0] == s0)


def _other_year(ya: set, yb: set) -> bool:
    """Whether the years of two stated periods (:func:`_years`) differ ('năm 2016' vs '6 tháng
    đầu năm 2017')."""
    return bool(ya and yb and not ya & yb)


def resolve_earlier_plan(ctx: Context, claim_start: int, claim_end: int, subject: int) -> Optional[NamedBase]:
    """'11.500 triệu đồng, tăng 12,4% so với kế hoạch năm 2023': the one earlier figure of
    the subject's unit that a plan word describes and whose period names that year."""
    claim_words, plan_words = word_regex("PLAN_CLAIM"), word_regex("PLAN_WORD")
    named = base_words(ctx, claim_end)
    years = _years(named)
    if not claim_words.search(named) or len(years) != 1:
        return None
    plans = []
    # (the figures of the subject's unit alone: compatible with it)
    for i in ctx.like_in(subject, max(0, claim_start - LOOK_BACK), claim_start):
        f = ctx.figures[i]
        # (another claim's base may be this one's too: '… đạt 96,2% kế hoạch năm (10.235)')
        if i == subject or not f.value:
            continue
        start = _part_start(ctx, f, 80)
        described = ctx.text[start:f.start] + " " + (f.period or "")
        if plan_words.search(ctx.text, start, f.start) and years <= _years(described):
            plans.append(i)
    if len(plans) != 1:
        return None
    # A year that the candidate's own sentence names only as a comparison ('so với kế
    # hoạch năm 2015') is not the candidate's year: such a match may confirm, not accuse.
    s0, s1 = ctx.layout.sentence(ctx.figures[plans[0]].start)
    compared = {y for m in ctx.cues.phrase("comparison_year").finditer(ctx.text, s0, s1) for y in _years(m.group(0))}
    return NamedBase(plans[0], unambiguous=not (years & compared))

