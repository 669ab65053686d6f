"""Where a position of a document stands: its line, sentence, clause, parentheses and quotes.

Relations are read inside these units: a claim's numerator is in its clause, a
base in the parenthesis after it, a list runs to the end of its sentence or over
the bullet lines that follow.  Offsets are always into the original text.
"""
from __future__ import annotations

import bisect
import operator
from itertools import accumulate
from typing import Optional

import regex

from kcextract.sentences import split_sentences

BULLET = regex.compile(r"^[ \t]*(?:[-–—•+*▪●]|\d{1,2}[.)](?!\d)|[a-zđ][.)])[ \t]*")
# What a BULLET match can open with besides a digit; widen it with BULLET (sums._marker_type
# skips the regex on lines that open with none of these; a test checks the two agree).
BULLET_OPENERS = frozenset("-–—•+*▪●abcdefghijklmnopqrstuvwxyzđ")
_QUOTED = regex.compile(r"“[^”“\n]*”|\"[^\"\n]*\"")
_QUOTE_MARKS = "“\""                  # (every match of _QUOTED begins with one of these)
_BLANK = " \t\n"
_GAP = " \t\r\n."                      # what stands between two sentences
_START = operator.itemgetter(0)


def _places(text: str, chars: str) -> list[int]:
    """Where any of ``chars`` stands in ``text``, in order.  (Found with plain string
    search: a regex character class tests every character of a long report, and these
    characters are few.)"""
    found = []
    for ch in chars:
        at = text.find(ch)
        while at >= 0:
            found.append(at)
            at = text.find(ch, at + 1)
    return sorted(found) if len(chars) > 1 else found


def _breaks(text: str) -> list[int]:
    """Where a clause breaks: each ';' and each ':' not followed by a digit (not a time
    like 8:52)."""
    return [at for at in _places(text, ";:")
            if text[at] == ";" or not text[at + 1:at + 2].isdecimal()]


class Layout:
    """Lines, sentences, parentheses and quotes of one text, computed once."""

    def __init__(self, text: str, sentence_spans: Optional[list] = None):
        self.text = text
        # (the lines' lengths added up: every line starts one past the end of the one before)
        lines = text.split("\n")
        self.line_starts = list(map(operator.add, accumulate(map(len, lines[:-1]), initial=0), range(len(lines))))
        # (each line ends where the next starts, less its newline)
        self.line_ends = [s - 1 for s in self.line_starts[1:]] + [len(text)]
        # The extractor's sentences (handed over with its Document, else split here by
        # its splitter), so figures and claims agree on what a sentence is.
        spans = split_sentences(text) if sentence_spans is None else sentence_spans
        starts = set(map(_START, spans))
        starts.add(0)
        self.sentence_starts = starts = sorted(starts)
        # Each sentence's span, trailing blanks left out, computed once: a long report asks
        # for the sentence of a position hundreds of thousands of times.  (The blanks are
        # stepped over one by one, not stripped from a copy of the sentence: there are one or
        # two, and the copies cost more.)
        ends = []
        for start, end in zip(starts, starts[1:] + [len(text)]):
            while end > start and text[end - 1] in _BLANK:
                end -= 1
            ends.append(end)
        self.sentence_ends = ends
        self.sentence_spans = list(zip(starts, ends))
        self.parens = self._pairs("(", ")")
        self.quotes = self._quotes()
        # Indexes so that every question below costs a bisection, not a scan: a long
        # report is answered in n log n.
        self._paren_opens = [o for o, _ in self.parens]
        self._paren_parent = self._parents(self.parens)
        self._quote_opens = [o for o, _ in self.quotes]
        self._breaks = _breaks(text)
        self.paren_opening_at = {o: (o, c) for o, c in self.parens}
        self._ahead: dict = {}             # sentence end -> the next sentence's end
        self._ahead_by: dict = {}          # (sentence end, count) -> end_sentences_ahead
        self._plain: Optional[bool] = None  # see _plain_starts
        self._clause_starts: dict = {}     # position -> clause_start
        brackets = sorted(self.quotes + self.parens)
        self._bracket_opens = [o for o, _ in brackets]
        self._brackets = brackets

    def _pairs(self, opening: str, closing: str) -> list[tuple[int, int]]:
        """Matched bracket spans (open, close), nested allowed, never across a line."""
        pairs, stack = [], []
        # (only the brackets are visited; a line break between two of them empties the stack)
        line_end = -1
        for i in _places(self.text, opening + closing):
            ch = self.text[i]
            if i > line_end:
                stack.clear()
                line_end = self.text.find("\n", i)
                line_end = len(self.text) if line_end < 0 else line_end
            if ch == opening:
                stack.append(i)
            elif stack:
                pairs.append((stack.pop(), i))
        return sorted(pairs)

    @staticmethod
    def _parents(pairs: list[tuple[int, int]]) -> list[Optional[int]]:
        """For each bracket span (sorted by opening), the index of the span enclosing it."""
        parents, stack = [], []
        for k, (o, c) in enumerate(pairs):
            while stack and pairs[stack[-1]][1] < o:
                stack.pop()
            parents.append(stack[-1] if stack else None)
            stack.append(k)
        return parents

    def _quotes(self) -> list[tuple[int, int]]:
        """Quoted spans “…” (and straight "…" pairs) within a line; a stray ” is ignored."""
        # (as _QUOTED.finditer: tried only where a quote mark stands, leftmost first, each
        # next match from the end of the last)
        spans, end = [], 0
        for at in _places(self.text, _QUOTE_MARKS):
            if at >= end:
                m = _QUOTED.match(self.text, at)
                if m:
                    spans.append((at, m.end() - 1))
                    end = m.end()
        return spans

    # --- units around a position ------------------------------------------------
    def line(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, pos) - 1
        return self.line_starts[i], self.line_ends[i]

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_spans[i] if i >= 0 else self._span_of(i)

    def _span_of(self, i: int) -> tuple[int, int]:
        """Sentence ``i``'s (start, end), trailing blanks left out."""
        start = self.sentence_starts[i]
        nxt = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        if nxt <= start:
            return start, nxt
        return start, start + len(self.text[start:nxt].rstrip(_BLANK))

    def start_sentences_back(self, pos: int, count: int) -> int:
        """Where the sentence ``count`` sentences before the one holding ``pos`` starts."""
        start, _ = self.sentence(pos)
        for _ in range(count):
            if start < 2:
                break
            start, _ = self.sentence(start - 2)
        return start

    def end_sentences_ahead(self, end: int, count: int) -> int:
        """Where the sentence ``count`` (≥ 0) sentences after the one ending at ``end`` ends
        (the caller has the sentence of its figure at hand: no look-up of it here)."""
        ends = self.sentence_ends
        k = bisect.bisect_left(ends, end)
        if k < len(ends) and ends[k] == end and self._plain_starts():
            # (only blanks stand between a sentence's end and the next start, and no
            # sentence opens with a gap character: the next sentence is the next in the list)
            return ends[min(k + count, len(ends) - 1)]
        key = (end, count)
        found = self._ahead_by.get(key)
        if found is None:
            found, ahead = end, self._ahead
            for _ in range(count):
                # (the windows of a sentence's totals overlap: most steps are remembered)
                nxt = ahead[found] if found in ahead else self._next_end(found)
                if nxt is None:
                    break
                found = nxt
            self._ahead_by[key] = found
        return found

    def _plain_starts(self) -> bool:
        """Whether no sentence but the first opens with a character :meth:`_next_end` steps
        over (a full stop, a blank): then the sentence after sentence ``k`` is ``k + 1``
        (decided once, on first use)."""
        if self._plain is None:
            text, starts = self.text, self.sentence_starts
            opening = "".join(map(text.__getitem__, starts[1:])) if starts[-1] < len(text) else _GAP
            self._plain = not any(ch in opening for ch in _GAP)
        return self._plain

    def _next_end(self, end: int) -> Optional[int]:
        """Where the sentence after the one ending at ``end`` ends (None at the end of the
        text); remembered, as every figure of a sentence asks."""
        if end not in self._ahead:
            # (the blanks and full stops between, stepped over one by one: there are one
            # or two, and a regex call costs more than the loop)
            text, nxt = self.text, end
            size = len(text)
            while nxt < size and text[nxt] in _GAP:
                nxt += 1
            # (the end of the sentence holding nxt: :meth:`sentence` written out)
            self._ahead[end] = (None if nxt >= size else
                                self.sentence_ends[bisect.bisect_right(self.sentence_starts, nxt) - 1])
        return self._ahead[end]

    def paren(self, pos: int) -> Optional[tuple[int, int]]:
        """The innermost parenthesis span (open, close) strictly containing ``pos``.

        It is the last span opened before ``pos`` or one of the spans enclosing it."""
        k = bisect.bisect_left(self._paren_opens, pos) - 1
        while k is not None and k >= 0:
            o, c = self.parens[k]
            if c >= pos:
                return (o, c)
            k = self._paren_parent[k]
        return None

    def in_quote(self, pos: int) -> bool:
        return self.quote(pos) is not None

    def quote(self, pos: int) -> Optional[tuple[int, int]]:
        """The quoted span “…” holding ``pos``, if any (quotes do not nest)."""
        k = bisect.bisect_left(self._quote_opens, pos) - 1
        if k >= 0 and self.quotes[k][1] > pos:
            return self.quotes[k]
        return None

    def clause_start(self, pos: int) -> int:
        """Start of the clause holding ``pos``: after the last ';' or ':' (not a time
        like 8:52) in its sentence, outside quotes and outside closed parentheses."""
        found = self._clause_starts.get(pos)
        if found is None:
            found = self._clause_starts[pos] = self._clause_start(pos)
        return found

    def _clause_start(self, pos: int) -> int:
        s_start, _ = self.sentence(pos)
        k = bisect.bisect_left(self._breaks, pos) - 1
        while k >= 0 and self._breaks[k] >= s_start:
            b = self._breaks[k]
            inner = self.paren(b)
            if not self.in_quote(b) and (inner is None or inner[1] >= pos):
                return b + 1
            k -= 1
        return s_start

    def masked(self, start: int, end: int) -> str:
        """The text of [start, end) with quoted and parenthesised parts blanked out,
        so separators inside them do not split a list (same length as the slice)."""
        chars = list(self.text[start:end])
        lo = bisect.bisect_left(self._bracket_opens, start)
        hi = bisect.bisect_left(self._bracket_opens, end)
        for o, c in self._brackets[lo:hi]:
            if c >= end:
                continue                      # only brackets wholly inside the slice
            if "\n" in self.text[o:c + 1]:
                for k in range(o, c + 1):
                    if self.text[k] != "\n":
                        chars[k - start] = "_"
            else:                             # (brackets never span a line: the usual case)
                chars[o - start:c + 1 - start] = "_" * (c + 1 - o)
        return "".join(chars)
