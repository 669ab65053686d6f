"""Quick noes for the cue lists of patterns/frames.yaml: whether one may match in a window.

An entry of a cue list can only match where its first word stands.  The first words of a
list, case-folded, are searched for in the case-folded copy of the text (kcextract/folded.py)
with one stdlib ``re`` alternation, at C speed; only where one stands is the list's ``regex``
run.  Most windows before a figure hold none (one in ten holds a change word, 'tăng', 'giảm').
Without a folded copy that keeps every offset, every window is searched.
"""
from __future__ import annotations

import functools
import re

from kcextract.folded import folded_in_place
from kcextract.patterns import load_patterns


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
