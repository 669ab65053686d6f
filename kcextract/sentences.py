"""Split text into sentences with offsets, cheaply (no model over the document).

A line break ends a sentence (reports put list items and headings on lines of
their own) unless it is a hard wrap in the middle of one, as text converted
from PDF or legal-document pages has it: a break after a word, before a word in
lower case ('tổng kinh phí khuyến công' / 'địa phương') joins the two lines.
Inside a line, '.', '!', '?' or '…' ends a sentence when white space and a
capital letter, a digit, a quote or a dash follow, except after an abbreviation
such as 'TP.' (lexicon.yaml SENTENCE_ABBREVIATION).
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Optional

import regex

from kcextract.patterns import load_patterns


@functools.lru_cache(maxsize=1)
def _boundary_re():
    abbreviations = load_patterns().lexicon.lists["SENTENCE_ABBREVIATION"]
    # Fixed-width look-behinds, one per abbreviation ('TP.' is not an end).
    not_abbrev = "".join(f"(?<!(?<!\\w){regex.escape(a)}\\.)" for a in abbreviations)
    # Every alternative starts with a character the scan can look for: a line break, or the
    # '.', '!', '?', '…' that ends a sentence, consumed and then dropped from the match by
    # \K (so the boundary still starts after it).  The look-ahead for the white space that
    # must follow comes before the abbreviation look-behinds, one per entry, so these run
    # only at a sentence end, not at every decimal point ('4.475').
    return regex.compile(
        r"(?=\n)(?<![\p{L}\d,][ \t]*)\n[\s]*"                         # a line break after punctuation,
        r"|\n[ \t]*\n[\s]*"                                          # a blank line,
        r"|\n[\s]*(?![\p{Ll}])"                                       # or before anything but a lower-case word
        r"|[.!?…]\K(?=[\"”’)]*[ \t])" + not_abbrev + r"(?<![\s\d]\p{Lu})[\"”’)]*[ \t]+(?=[\p{Lu}\d“\"'(–-])"
    )


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, white space trimmed.

    >>> t = "Sở Công Thương TP. Hồ Chí Minh họp. Hội nghị đạt 93,71%.\\n– 02/10 đề án"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Sở Công Thương TP. Hồ Chí Minh họp.', 'Hội nghị đạt 93,71%.', '– 02/10 đề án']
    >>> t = "kinh phí khuyến công địa phương 4.475 triệu đồng,\\nchiếm 68,4% tổng kinh phí.\\nNăm 2024"
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['kinh phí khuyến công địa phương 4.475 triệu đồng,\\nchiếm 68,4% tổng kinh phí.', 'Năm 2024']
    """
    spans, pos = [], 0
    for m in _boundary_re().finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return trimmed(text, spans)


def trimmed(text: str, spans) -> list[tuple[int, int]]:
    """The spans with white space trimmed off both ends, empty ones dropped."""
    result = []
    for s, e in spans:
        if s < e and not text[s].isspace() and not text[e - 1].isspace():
            result.append((s, e))            # the common case: nothing to trim
            continue
        piece = text[s:e]
        core = piece.strip()                 # str.strip trims what str.isspace calls white space
        if core:
            s += len(piece) - len(piece.lstrip())
            result.append((s, s + len(core)))
    return result


def line_spans(text: str) -> list[tuple[int, int]]:
    r"""(start, end) of every non-empty line, white space trimmed (web and report text put
    each paragraph, heading, list item or table cell on a line of its own).

    >>> t = "Tiêu đề\n\n  Đoạn một. Câu hai.\nĐoạn hai"
    >>> [t[s:e] for s, e in line_spans(t)]
    ['Tiêu đề', 'Đoạn một. Câu hai.', 'Đoạn hai']
    """
    return [m.span() for m in _LINE.finditer(text)]


# A line's text from its first to its last non-space character (the stdlib ``re``: its \s is
# str.isspace, as for trimmed(); only '\n' ends a line).
_LINE = re.compile(r"\S(?:[^\n]*\S)?")


class SentenceIndex:
    """Find the sentence around an offset by bisection."""

    def __init__(self, text: str = "", spans: Optional[list] = None):
        self.spans = split_sentences(text) if spans is None else list(spans)
        self._starts = [s for s, _ in self.spans]

    def mapped(self, to_original) -> "SentenceIndex":
        """The same sentences with their spans mapped by ``to_original(start, end)``."""
        return SentenceIndex(spans=[to_original(s, e) for s, e in self.spans])

    def around(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return (0, 0)
        return self.spans[i]
