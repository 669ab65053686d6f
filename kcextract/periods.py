"""Periods stated in a text: their years, whether they are a comparison base, and which one
is a figure's own.

Rules of annotation.md ("periods"): a figure's period is its own, never its comparison
base's (in 'năm 2016 là 230,9 tỷ, tăng 6,2% so với cùng kỳ năm 2015', 2015 belongs to the
base); a period stated earlier (a heading, a paragraph's or a list lead's) carries to the
figures after it until another is stated; 'năm nay', 'cùng kỳ năm trước' resolve against
the latest year stated before them, else the year the text is about.  The period phrases
and cue words are data (``patterns/frames.yaml``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from kcextract.cue_prefilter import REGEX_SPACE, may_hold
from kcextract.starts import matches_at_starts
from kcextract.patterns import load_patterns


def _cues():
    return load_patterns().frames



@dataclass(frozen=True)
class Period:
    """A time stated in the text (normalised offsets), its years, and whether it is a comparison base."""

    start: int
    end: int
    text: str
    years: tuple = ()                 # absolute years named (a range keeps its two ends)
    relative: Optional[int] = None    # for 'năm nay' (0), 'năm trước' (-1): resolved later
    base: bool = False


def _years(m, y1: Optional[str] = None) -> tuple:
    y1 = int(y1 or m.group("y1"))
    y2 = m.group("y2") if "y2" in m.re.groupindex else None     # (groupdict builds every group)
    if not y2:
        return (y1,)
    end = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)   # '2017/18' -> 2018
    return tuple(sorted({y1, end})) if end >= y1 else (y1,)


# A clause ends at punctuation followed by white space (or the end), a line break, or a dash
# between spaces.  (Stdlib ``re`` with the white space of ``regex``: searched after every
# figure, where setting up a ``regex`` search cost more than the search.)
CLAUSE_PUNCT = re.compile(f"[,;:.!?](?:{REGEX_SPACE}|$)|\n|{REGEX_SPACE}[-–]{REGEX_SPACE}")


def find_periods(text: str, cache: Optional[dict] = None) -> list[Period]:
    """Every period stated in ``text``, leftmost-longest, comparison bases marked.
    ``cache``: what the patterns of this document share (the index of its numbers).

    >>> t = "Năm 2016 tổng kinh phí là 230,9 tỷ đồng, tăng 6,2% so với cùng kỳ năm 2015."
    >>> [(p.text, p.years, p.base) for p in find_periods(t)]
    [('Năm 2016', (2016,), False), ('năm 2015', (2015,), True)]
    """
    rules = _cues()
    periods = []
    # At each position the first rule of frames.yaml that matches wins (the longer, more
    # specific shapes are listed first).
    for m in _period_matches(text, rules, cache):
        rule = rules.periods[int(m.lastgroup[4:]) if m.lastgroup and m.lastgroup.startswith("rule")
                             else next(i for i in range(len(rules.periods)) if m.group(f"rule{i}") is not None)]
        start, end = m.span()
        y1 = m.group("y1")
        years = _years(m, y1) if y1 else ()
        base = rule.base or after_base_cue(text, start)
        periods.append(_period(start, end, " ".join(m.group(0).split()), years,
                               None if years else rule.relative, base))
    return periods


def _period(start: int, end: int, text: str, years: tuple, relative: Optional[int], base: bool) -> Period:
    """``Period(...)`` without the frozen dataclass's ``__init__``, which sets each field
    through ``object.__setattr__`` (a third of the cost of a period found)."""
    period = object.__new__(Period)
    object.__setattr__(period, "__dict__", {"start": start, "end": end, "text": text, "years": years,
                                            "relative": relative, "base": base})
    return period


def _period_matches(text: str, rules, cache: Optional[dict] = None):
    """The matches of the period alternation, left to right, as its ``finditer`` gives them (no
    empty ones): tried only where a rule's ``starts`` holds, which is everywhere one can begin
    (those beginning with a digit checked at the digits of the text's numbers only)."""
    number_first = rules.period_number_starts
    letters = tuple(scanner for scanner in rules.period_starts if all(scanner is not s for s, _ in number_first))
    return matches_at_starts(rules.period_regex, letters, text, cache=cache, number_scanners=number_first)


def after_base_cue(text: str, start: int, reach: int = 40, amount: bool = False) -> bool:
    """Whether ``text[start:]`` follows a comparison cue ('so với') in the same clause
    (for an ``amount``, also with no verb between: it is then the base compared with)."""
    lo = max(0, start - reach)
    if not may_hold(text, "BASE", lo, start):          # (most windows)
        return False
    window = text[lo:start]
    cue = None
    for cue in _cues().cue("BASE").finditer(window):
        pass
    if cue is None:
        return False
    between = window[cue.end():]
    if amount and _cues().cue("BASE_AMOUNT_BREAK").search(between):
        return False
    return not CLAUSE_PUNCT.search(between) and not _cues().cue("CLAUSE_BREAK").search(between)


class PeriodIndex:
    """The periods of a text in order, with relative ones resolved, to find a figure's own period."""

    def __init__(self, text: str, cache: Optional[dict] = None):
        raw = find_periods(text, cache)
        own_years = [p.years[-1] for p in raw if p.years and not p.base]
        # The year the text is about: the first it states as its own; failing that, the year
        # after a 'cùng kỳ năm 2016' comparison (the text compares with the year before it).
        # Failing both, a plan's year ('so với kế hoạch đề ra đầu năm 2022').
        same_period_bases = [p.years[-1] + 1 for p in raw if p.years and p.base
                             and "kỳ" in (text[max(0, p.start - 8):p.start] + p.text).casefold()]
        other_bases = [p.years[-1] for p in raw if p.years and p.base]
        self.doc_year = next(iter(own_years + same_period_bases + other_bases), None)
        resolved, last_year = [], None
        for p in raw:
            if p.relative is not None:
                ref = last_year if last_year is not None else self.doc_year
                p = _period(p.start, p.end, p.text, (ref + p.relative,) if ref else (), p.relative, p.base)
            elif not p.base:
                last_year = p.years[-1]
            resolved.append(p)
        self.periods = resolved
        self.starts = [p.start for p in resolved]

    def own(self, sentence: tuple, start: int, end: int, clause_end: int) -> Optional[Period]:
        """A figure's own period: the nearest non-base one before it in its sentence, else the
        first after it in its clause, else the latest stated before its sentence (carried),
        else the first after it in its sentence, else the year the text is about (a headline
        before any period is stated)."""
        s0, s1 = sentence
        periods, i = self.periods, bisect.bisect_left(self.starts, start)
        for k in range(i - 1, -1, -1):          # (index loops: no slice copies, linear overall)
            p = periods[k]
            if p.end <= s0:
                break
            if not p.base and p.end <= start:
                return p
        after = None
        for k in range(i, len(periods)):
            p = periods[k]
            if p.start >= s1:
                break
            if p.start >= end and not p.base:
                after = p
                break
        if after is not None and after.start < clause_end:
            return after
        for k in range(i - 1, -1, -1):
            p = periods[k]
            if not p.base and p.end <= s0 and p.years:
                return p
        if after is not None:
            return after
        if self.doc_year:
            return Period(start, start, "", (self.doc_year,))
        return None

    def base_in(self, lo: int, hi: int) -> Optional[Period]:
        """The last base period inside ``[lo, hi)``."""
        return self._last_in(lo, hi, base=True)

    def in_span(self, lo: int, hi: int) -> Optional[Period]:
        """The last non-base period inside ``[lo, hi)`` (a table header cell's)."""
        return self._last_in(lo, hi, base=False)

    def _last_in(self, lo: int, hi: int, base: bool) -> Optional[Period]:
        found = None
        for k in range(bisect.bisect_left(self.starts, lo), len(self.periods)):
            p = self.periods[k]
            if p.start >= hi:
                break
            if p.base == base:
                found = p
        return found
