"""A case-folded copy of a text that keeps every offset, for the prefilter scans.

The period rules' ``starts`` (patterns/frames.yaml) and the cue words of the frames
(kcextract/wordindex.py) are found with stdlib ``re`` on this copy: plain alternations
without case folding scan two to three times faster there than ``regex`` with IGNORECASE
on the text itself.  What they find is then matched with the ``regex`` patterns on the
text, at the same offsets.
"""
from __future__ import annotations

from typing import Optional


# The last text folded and its copy: the periods, the cue words and the prefiltered patterns of
# one text all read it.  Kept by identity, not by value: a cache keyed by value compares a new
# text with an equal old one character by character on every call (an equal text read again,
# as 'extract' then 'verify' do), which made a 10 MB report take a minute.
_LAST: tuple = (None, None)


def folded_in_place(text: str) -> Optional[str]:
    """``text`` case-folded, when every character keeps its offset and stdlib ``re`` reads its
    digits as ``regex`` does; else None (the caller then scans the text itself).

    A character that folds to two ('ß', 'İ') would shift every offset after it.  The digits
    only ``regex`` knows (its Unicode is newer than this Python's) all lie outside the Basic
    Multilingual Plane, as does anything else where the two could disagree on a character of
    Vietnamese text.  For the letters of Vietnamese, one case-folded letter is the same letter
    ``regex`` matches case-insensitively (tests/test_periods.py checks every letter).
    """
    global _LAST
    last_text, last_folded = _LAST
    if last_text is text:
        return last_folded
    folded = text.casefold()
    # (UTF-16 takes two units for a character outside the BMP, one for any other.)
    if len(folded) != len(text) or len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text):
        folded = None
    _LAST = (text, folded)
    return folded
