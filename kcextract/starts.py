"""A pattern's matches, tried only where its ``starts`` say one can begin.

A ``regex`` pattern scanned over a whole text tries every character; a pattern that can only
begin with certain words ('năm', 'giai đoạn', 'http') or at certain places wastes most of
that.  Its ``starts`` (stdlib ``re`` regexes on the case-folded text, kcextract/folded.py,
compiled by :func:`kcextract.patterns.start_scanners`) find those positions at C speed, and the
pattern is matched there only, resuming after each match as ``finditer`` does: the same
matches, in the same order (tests/test_patterns.py compares them on every test text).
"""
from __future__ import annotations

from typing import Iterator

from kcextract.folded import folded_in_place


def matches_at_starts(pattern, scanners: tuple, text: str) -> Iterator:
    """The non-empty matches of ``pattern.finditer(text)``, tried only where one of
    ``scanners`` matches the case-folded text (all of them when it cannot be folded in place)."""
    folded = folded_in_place(text)
    if folded is None:
        yield from (m for m in pattern.finditer(text) if m.end() > m.start())
        return
    match, searches = pattern.match, [scan.search for scan in scanners]
    never = len(text) + 1

    def next_start(search, pos: int) -> int:
        hit = search(folded, pos)
        return hit.start() if hit is not None else never

    nexts = [next_start(search, 0) for search in searches]     # each scanner's next position
    while True:
        at = min(nexts, default=never)
        if at >= never:
            return
        m = match(text, at)
        resume = at + 1
        if m is not None and m.end() > at:
            yield m
            resume = m.end()        # finditer goes on after the match found
        for k, pos in enumerate(nexts):
            if pos < resume:
                nexts[k] = next_start(searches[k], resume)
