"""One document read once: original and normalised text, sentences, paragraphs, tables, figures.

The figures stage builds it (:func:`read_document`) and later stages (the
verifier) take it as it is, so a text is split into sentences and tables only
once. Every offset a :class:`Document` exposes points into the ORIGINAL text
(``doc.text``); only ``doc.norm`` (the normalised copy the patterns run on) has
offsets of its own, with ``doc.norm.to_original`` to map them back.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Optional

from kcextract.figure import Figure
from kcextract.sentences import SentenceIndex, line_spans
from kcextract.tables import Table
from kcextract.textnorm import NormalisedText


@dataclass
class Document:
    """A text and everything the figures stage found in it (offsets into ``text``).

    ``paragraphs`` are the non-empty lines (web and report text put each
    paragraph, heading and list item on a line of its own); ``periods`` the
    periods it states with their years ('năm nay', 'cùng kỳ năm trước' resolved).
    """

    source: Optional[str]
    text: str
    norm: NormalisedText
    sentences: SentenceIndex
    paragraphs: list = field(default_factory=list)    # (start, end) of each non-empty line, trimmed
    tables: list = field(default_factory=list)        # kcextract.tables.Table, spans into ``text``
    figures: list = field(default_factory=list)       # kcextract.figure.Figure, sorted by position
    periods: list = field(default_factory=list)       # kcextract.periods.Period stated, sorted; ``base``
                                                      # marks a comparison's ('so với cùng kỳ năm 2015')
    year: Optional[int] = None                        # the year the text is about, when it says

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding ``offset``."""
        return self.sentences.around(offset)

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        """The (start, end) of the paragraph (line) holding ``offset``; (0, 0) before the first."""
        i = bisect.bisect_right(self.paragraphs, (offset, float("inf"))) - 1
        return self.paragraphs[i] if i >= 0 else (0, 0)

    def figures_in(self, start: int, end: int) -> list[Figure]:
        """The figures lying inside ``[start, end)``, in order."""
        starts = [f.start for f in self.figures]
        i = bisect.bisect_left(starts, start)
        out = []
        for f in self.figures[i:]:
            if f.start >= end:
                break
            if f.end <= end:
                out.append(f)
        return out


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line, white space trimmed: :func:`kcextract.sentences.line_spans`."""
    return line_spans(text)


def read_document(text: str, source: Optional[str] = None,
                  on_problem: Optional[Callable[[str], None]] = None) -> Document:
    """Read ``text`` once: normalise, split, find tables and figures with their frames.

    ``on_problem`` receives a one-line message for a number that matched a
    pattern but could not be read (else an UnreadableNumberWarning is issued).

    >>> doc = read_document("Năm 2016 hỗ trợ 6,7 tỷ đồng.\\nChiếm 93,71%.")
    >>> [(f.kind, f.text) for f in doc.figures], len(doc.sentences.spans), doc.paragraphs
    ([('money', '6,7 tỷ đồng'), ('percent', '93,71%')], 2, [(0, 28), (29, 42)])
    """
    from kcextract.extractor import figures_of

    return figures_of(text, source, on_problem)


__all__ = ["Document", "Table", "read_document", "paragraphs_of"]
