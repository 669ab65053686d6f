"""Quick noes for the cue lists of patterns/frames.yaml: whether one may match in a window.

An entry of a cue list can only match where its first word stands.  The first words of a
list, case-folded, are searched for in the case-folded copy of the text (kcextract/folded.py)
with one stdlib ``re`` alternation, at C speed; only where one stands is the list's ``regex``
run.  Most windows before a figure hold none (one in ten holds a change word, 'tăng', 'giảm').
Without a folded copy that keeps every offset, every window is searched.

Why not the one scan of kcextract/wordindex.py, or the anchor places of
kcextract/verifier/anchors.py: these first words ('tăng', 'so', 'có', 'tỷ', 'đã' …) stand
hundreds of times in a report, and a figure asks about the 25 to 60 characters before it.
Searching those few characters costs less than finding every place of the words once: with
these lists in the WordIndex scan, extraction took 0.3% more instructions; with each word's
places found by ``str.find`` (as for the anchors), the questions took 2.7 times as long.
"""
from __future__ import annotations

import functools
import re

from kcextract.folded import folded_in_place
from kcextract.patterns import load_patterns

# The white space of ``regex`` (its \s), for stdlib ``re`` patterns that must read text as a
# ``regex`` pattern does: the \s of ``re`` (str.isspace) also takes U+001C..U+001F
# (tests/test_frames.py compares the two).
REGEX_SPACE = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


@functools.lru_cache(maxsize=None)
def first_words(name: str) -> "re.Pattern":
    """The first word of any entry of the cue list ``name``, case-folded, as one alternation."""
    words = dict.fromkeys(word.split()[0].casefold() for word in load_patterns().frames.cue_words[name])
    return re.compile("|".join(re.escape(word) for word in words))


def may_hold(text: str, name: str, lo: int, hi: int) -> bool:
    """False when no entry of the cue list ``name`` can match inside ``text[lo:hi]``."""
    folded = folded_in_place(text)
    if folded is None:
        return True
    return first_words(name).search(folded, lo, hi) is not None


def search_in(text: str, name: str, lo: int, hi: int):
    """``cue(name).search(text, lo, hi)``, asked only where it may find something."""
    return load_patterns().frames.cues[name].search(text, lo, hi) if may_hold(text, name, lo, hi) else None
