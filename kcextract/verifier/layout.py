"""Where a position of a document stands: its line, sentence, clause, parentheses and quotes.

Relations are read inside these units: a claim's numerator is in its clause, a
base in the parenthesis after it, a list runs to the end of its sentence or over
the bullet lines that follow.  Offsets are always into the original text.
"""
from __future__ import annotations

import bisect
from typing import Optional

import regex

from kcextract.sentences import split_sentences

BULLET = regex.compile(r"^[ \t]*(?:[-–—•+*▪●]|\d{1,2}[.)](?!\d)|[a-zđ][.)])[ \t]*")


class Layout:
    """Lines, sentences, parentheses and quotes of one text, computed once."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in regex.finditer(r"\n", text)]
        # The extractor's sentence splitter (abbreviations such as 'TP.' are data in
        # patterns/lexicon.yaml), so figures and claims agree on what a sentence is.
        starts = {0} | {s for s, _ in split_sentences(text)}
        self.sentence_starts = sorted(starts)
        self.parens = self._pairs("(", ")")
        self.quotes = self._quotes()

    def _pairs(self, opening: str, closing: str) -> list[tuple[int, int]]:
        """Matched bracket spans (open, close), nested allowed, never across a line."""
        pairs, stack = [], []
        for i, ch in enumerate(self.text):
            if ch == "\n":
                stack.clear()
            elif ch == opening:
                stack.append(i)
            elif ch == closing and stack:
                pairs.append((stack.pop(), i))
        return sorted(pairs)

    def _quotes(self) -> list[tuple[int, int]]:
        """Quoted spans “…” (and straight "…" pairs) within a line; a stray ” is ignored."""
        spans = []
        for m in regex.finditer(r"“[^”“\n]*”|\"[^\"\n]*\"", self.text):
            spans.append((m.start(), m.end() - 1))
        return spans

    # --- units around a position ------------------------------------------------
    def line(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, pos) - 1
        start = self.line_starts[i]
        end = self.text.find("\n", start)
        return start, (len(self.text) if end < 0 else end)

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        start = self.sentence_starts[i]
        nxt = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        end = nxt
        while end > start and self.text[end - 1] in " \t\n":
            end -= 1
        return start, end

    def paren(self, pos: int) -> Optional[tuple[int, int]]:
        """The innermost parenthesis span (open, close) strictly containing ``pos``."""
        best = None
        for o, c in self.parens:
            if o < pos <= c and (best is None or o > best[0]):
                best = (o, c)
            if o >= pos:
                break
        return best

    def in_quote(self, pos: int) -> bool:
        return self.quote(pos) is not None

    def quote(self, pos: int) -> Optional[tuple[int, int]]:
        """The quoted span “…” holding ``pos``, if any."""
        return next(((o, c) for o, c in self.quotes if o < pos < c), None)

    def clause_start(self, pos: int) -> int:
        """Start of the clause holding ``pos``: after the last ';' or ':' (not a time
        like 8:52) in its sentence, outside quotes and outside closed parentheses."""
        s_start, _ = self.sentence(pos)
        i = pos - 1
        while i >= s_start:
            ch = self.text[i]
            if ch == ")":
                o = next((o for o, c in self.parens if c == i), None)
                if o is not None and o >= s_start:
                    i = o - 1
                    continue
            if ch in ";:" and not self.in_quote(i):
                if not (ch == ":" and i + 1 < len(self.text) and self.text[i + 1].isdigit()):
                    return i + 1
            i -= 1
        return s_start

    def masked(self, start: int, end: int) -> str:
        """The text of [start, end) with quoted and parenthesised parts blanked out,
        so separators inside them do not split a list (same length as the slice)."""
        chars = list(self.text[start:end])
        for o, c in self.quotes + self.parens:
            if o < start or c >= end:
                continue                      # only brackets wholly inside the slice
            for k in range(o, c + 1):
                if self.text[k] != "\n":
                    chars[k - start] = "_"
        return "".join(chars)
