"""What surrounds a figure: its qualifier, its label and its period.

All three are read from the normalised text around the figure, with the word
lists of ``patterns/lexicon.yaml``.
"""
from __future__ import annotations

import bisect
import functools
from typing import Optional

import regex

from kcextract.patterns import load_patterns, word_regex


@functools.lru_cache(maxsize=1)
def _qualifier_re():
    lex = load_patterns().lexicon
    return regex.compile(
        r"(?:^|(?<=[^\w]))(?P<q>" + lex.alternation("QUALIFIER") + r")\s*$",
        regex.IGNORECASE | regex.VERSION0,
    )


@functools.lru_cache(maxsize=1)
def _not_qualifier_before_re():
    lex = load_patterns().lexicon
    return regex.compile(r"(?:^|(?<=[^\w]))" + lex.alternation("NOT_QUALIFIER_BEFORE") + r"\s*$",
                         regex.IGNORECASE | regex.VERSION0)


def find_qualifier(text: str, start: int) -> tuple[str, Optional[int]]:
    """The qualifier written right before ``text[start:]`` and where it starts.

    >>> find_qualifier("hỗ trợ gần 6,7 tỷ đồng", 11)
    ('under', 7)
    >>> find_qualifier("nhiều hơn 82 cơ sở", 10)
    ('exact', None)
    >>> find_qualifier("doanh thu ước đạt 7.456,43", 18)
    ('approx', 10)
    """
    window_start = max(0, start - 30)
    m = _qualifier_re().search(text[window_start:start])
    if not m:
        return "exact", None
    q_start = window_start + m.start("q")
    if _not_qualifier_before_re().search(text[max(0, q_start - 15):q_start]):
        return "exact", None
    meaning = load_patterns().lexicon.meaning("QUALIFIER", m.group("q"))
    return meaning, q_start


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    return frozenset(w.casefold() for w in load_patterns().lexicon.lists["LABEL_STOP"])


def _extend_phrase(words: list[str], limit: int = 6) -> list[str]:
    """Take words until a stop word (single or two-syllable), punctuation or a number."""
    stops = _stop_words()
    kept: list[str] = []
    for i, word in enumerate(words[:limit]):
        pair = " ".join(words[i:i + 2]).casefold()
        bare = word.strip(",.;:()“”\"")
        if not bare or not bare[0].isalpha() or word.casefold() in stops or pair in stops:
            break
        kept.append(bare)
        if bare != word:  # punctuation glued to the word ends the phrase
            break
    return kept


_RESTATING_HEADS = frozenset(("tổng kinh phí", "kinh phí", "tổng số", "tổng cộng", "tổng vốn", "vốn"))
_HEADING = regex.compile(r"[ \t\-–•+*]*(?P<label>[^:\n;,.]{3,40}?)[ \t]*:(?!\d)")


def label_before(text: str, sentence_start: int, start: int) -> Optional[str]:
    """The last measuring phrase (LABEL_HEAD + modifiers) before ``start`` in its sentence.

    >>> s = "tổng kinh phí khuyến công thực hiện năm 2016 là 56.147 triệu đồng"
    >>> label_before(s, 0, s.index("56"))
    'tổng kinh phí khuyến công'
    >>> s = "Kinh phí KCQG: Tổng kinh phí thực hiện là 23.436 triệu đồng"
    >>> label_before(s, 0, s.index("23"))
    'Kinh phí KCQG'
    """
    heads = list(word_regex("LABEL_HEAD").finditer(text, sentence_start, start))
    if not heads:
        return None
    head = heads[-1]
    tail = text[head.end():start].split()
    extra = _extend_phrase(tail)
    # A heading before a colon names what the line is about, and a bare 'tổng kinh phí'
    # after it only restates it: 'Kinh phí KCQG: Tổng kinh phí thực hiện là 23.436 triệu
    # đồng' -> 'Kinh phí KCQG'.  ('kế hoạch', 'tỷ lệ' … say something else: kept.)
    heading = _HEADING.match(text, sentence_start, start)
    if (heading and not extra and heads[0].start() < heading.end("label")
            and head.group(0).casefold() in _RESTATING_HEADS):
        return " ".join(heading.group("label").split())
    return " ".join([head.group(0)] + extra)


def label_after(text: str, end: int, sentence_end: int, unit: str) -> Optional[str]:
    """The noun phrase a count stands before: '48 cơ sở công nghiệp nông thôn' -> 'cơ sở công nghiệp nông thôn'.

    >>> t = "hỗ trợ 48 cơ sở công nghiệp nông thôn được chuyển giao"
    >>> label_after(t, t.index(" công"), len(t), "cơ sở")
    'cơ sở công nghiệp nông thôn'
    """
    words = text[end:sentence_end].split()
    extra = _extend_phrase(words, limit=5)
    return " ".join([unit] + extra) if unit else None


def period_for(periods: list, sentence: tuple[int, int], start: int) -> Optional[str]:
    """The period stated closest before the figure in its sentence, else the first after it.

    ``periods`` is sorted by start: (start, end, text) of each period expression.

    >>> ps = [(0, 8, "năm 2016"), (40, 60, "6 tháng đầu năm 2017")]
    >>> period_for(ps, (0, 70), 30), period_for(ps, (20, 70), 30), period_for(ps, (20, 35), 30)
    ('năm 2016', '6 tháng đầu năm 2017', None)
    """
    s0, s1 = sentence
    i = bisect.bisect_right(periods, (start, float("inf"), ""))
    for p in reversed(periods[max(0, i - 8):i]):     # the few periods just before the figure
        if p[0] < s0:
            break
        if p[1] <= start:
            return p[2]
    for p in periods[i:i + 8]:
        if p[0] >= s1:
            break
        if p[0] >= start and p[1] <= s1:
            return p[2]
    return None
