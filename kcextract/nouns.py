"""Find where a counted noun ends, with underthesea, on a few words only.

Word segmentation earns its cost here: after '12' in '12 giải pháp chính',
it tells that the noun is the two-syllable word 'giải pháp'.  It runs on a
window of at most four syllables after a number that no listed pattern
claimed, never over a whole document (underthesea segments ~0.2 MB/s).
"""
from __future__ import annotations

import functools
from typing import Optional

from kcextract.patterns import load_patterns

# POS tags (VLSP) of a counted noun: noun, classifier noun, abbreviation, unit-less noun;
# and M, which the tagger gives some compound nouns ('cổ phần', 'chiến lược') — the
# numerals it also marks M ('trăm', 'triệu') are refused by the word lists first.
_NOUN_TAGS = {"N", "Nc", "Ny", "Nb", "M"}


@functools.lru_cache(maxsize=4096)
def _tag_window(window: str) -> tuple:
    from underthesea import pos_tag  # lazy: loading the model costs ~1 s

    return tuple(pos_tag(window))


@functools.lru_cache(maxsize=1)
def _rejected_words() -> frozenset:
    lists = load_patterns().lexicon.lists
    words = lists["NOT_COUNT_NOUN"] + lists["TIME_UNIT"] + lists["SCALE"] + lists["SPELLED_DIGIT"]
    return frozenset(w.casefold() for w in words)


def counted_noun(window: str) -> Optional[str]:
    """The counted noun at the start of ``window`` (the words after a number), or None.

    >>> counted_noun("giải pháp chính để")
    'giải pháp'
    >>> counted_noun("trong 2 trung tâm") is None
    True
    >>> counted_noun("Bình Dương") is None
    True
    """
    syllables = window.split()
    if not syllables:
        return None
    first = syllables[0]
    if first.casefold() in _rejected_words() or not first[0].isalpha():
        return None
    is_abbreviation = len(first) >= 2 and first.isupper()
    # A proper noun ('năm 2016 Bình Dương') is not what a number counts; a common noun
    # written with a capital as an institution's name ('03 Hội đồng thẩm định') is: only
    # its first syllable is capitalised, and it is tagged as the lower-case word would be.
    capitalised = first[0].isupper() and not is_abbreviation
    if capitalised and (len(syllables) < 2 or not syllables[1][:1].islower()):
        return None
    if capitalised:
        syllables = [first.lower()] + syllables[1:]
    tags = _tag_window(" ".join(syllables))
    if not tags:
        return None
    token, tag = tags[0]
    if tag not in _NOUN_TAGS and not (is_abbreviation and tag == "Np"):
        return None
    size = len(token.split())
    if size > len(syllables):
        return None
    if capitalised and (tag != "N" or size < 2):
        return None
    noun = " ".join(syllables[:size])
    if noun.casefold() in _rejected_words():
        return None
    return first + noun[len(first):] if capitalised else noun


def load_tagger() -> None:
    """Load underthesea's tagger now, not on the first unlisted noun: a process about to fork
    worker processes loads it once for all of them (each would otherwise spend ~1 s on it)."""
    _tag_window("chiến lược")
