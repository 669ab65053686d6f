"""Where in one document a cue can match: the places of its anchor and start words, found once.

A cue of ``patterns/relations.yaml`` may list ``anchors``: words one of which every match
of its regex contains ('ngoài' for the besides cue).  It may list ``starts`` instead, words
one of which every match begins with ('tổng' or 'trong' for the total cue; 'đạt', 'bằng',
'thực', 'hoàn' for the ratio cue); they are its anchors too.  The document's case-folded
copy is scanned once for all such words, every place of each.  A window of the text that
holds none of a cue's anchors cannot match the cue, so its regex is not run there; a cue
with start words is tried only where one of them begins, instead of at every position of
a long report.  The matches found are the regex's own: the same as its ``search`` or
``finditer`` over the whole text or window.  With :data:`ENABLED` false every regex runs
as it is written, and the tests check that the checks are then the same.
"""
from __future__ import annotations

import bisect
import functools
import operator
import re
from dataclasses import dataclass
from itertools import accumulate, chain, repeat
from typing import Optional

from kcextract.folded import folded_in_place
from kcextract.wordindex import trie_alternation

# Tests switch this off to show the shortcut changes no answer.
ENABLED = True

_START, _END = operator.itemgetter(0), operator.itemgetter(1)


@dataclass(frozen=True)
class AnyOf:
    """Several cues at once: one of them can match only where one of their anchors stands
    (no anchors when one of the cues has none: then any may match anywhere)."""

    id: str
    anchors: tuple
    starts: tuple = ()

    @classmethod
    def of(cls, name: str, cues) -> "AnyOf":
        anchors = [] if any(not c.anchors for c in cues) else sorted({a for c in cues for a in c.anchors})
        return cls(f"any of {name}", tuple(anchors))


@functools.lru_cache(maxsize=None)
def _may_share_places(words: tuple) -> bool:
    """Whether two of ``words`` can begin at one place (one begins with another: 'chi', 'chia')."""
    return any(a != b and b.startswith(a) for a in words for b in words)


class _Scanner:
    """Every place of each of some words in a text, by one regex scan instead of a string
    search per word (most words stand nowhere in an article: each search would read it all).

    The scan (the words as one trie-shaped alternation, kcextract/wordindex.py) reports the
    longest word at a place and goes on after it; the places of substring search, overlapping
    ones included, are recovered from it: the words that begin the word found ('chi' in
    'chia') stand at its place, and a word may begin inside it ('cao' at the last letter of
    'các', 'ngoài' inside 'trong' when 'trongoài' is written), checked where it can."""

    def __init__(self, words: tuple):
        # (a word with a space, or none, is left to plain search: the trie reads a space as
        # any run of white space)
        words = self.words = tuple(w for w in dict.fromkeys(words) if w and " " not in w)
        self.scan = re.compile(trie_alternation(list(words))) if words else None
        # word found -> the words that stand at its place (itself and those that begin it)
        self.prefixes = {w: tuple(v for v in words if w.startswith(v)) for w in words}
        # word found -> (offset k, the words that may begin k letters into it: those that
        # agree with its rest as far as both go), by offset
        self.inner = {w: tuple((k, inside) for k in range(1, len(w))
                               for inside in (tuple(v for v in words if v.startswith(w[k:]) or w[k:].startswith(v)),)
                               if inside)
                      for w in words}

    @classmethod
    @functools.lru_cache(maxsize=None)
    def of(cls, words: tuple) -> "_Scanner":
        return cls(words)

    def places(self, folded: str) -> dict:
        """word -> where it begins in ``folded``, in order (every word, [] when absent)."""
        found = {w: [] for w in self.words}
        if self.scan is None:
            return found
        startswith, prefixes, inner = folded.startswith, self.prefixes, self.inner
        # (matches do not overlap and are found in order, and inside one a word begins at a
        # later place than the match: each list is filled in order)
        for m in self.scan.finditer(folded):
            word, at = m[0], m.start()
            for w in prefixes[word]:
                found[w].append(at)
            for k, inside in inner[word]:
                if startswith(inside, at + k):
                    for w in inside:
                        if startswith(w, at + k):
                            found[w].append(at + k)
        return found


class AnchorIndex:
    """The cues' anchor and start words in one text, found at once, and the searches
    that use them."""

    def __init__(self, text: str, words: tuple = ()):
        self.text = text
        # The extractor's case-folded copy of the same text (kcextract/folded.py): None when
        # folding would move an offset ('ß' folds to 'ss'); then the index is not used and
        # every cue is searched, as without it.
        self._folded = folded_in_place(text) if ENABLED else None
        self._places: dict = {}
        self._begins: dict = {}
        # ``words`` (every anchor and start word of the cues) are found at once, all their
        # places in one scan: nearly all of them are asked for, and a short article holds few
        # of them (a cue none of whose words stand in it is passed over).
        self._words: dict = {} if self._folded is None else _Scanner.of(words).places(self._folded)
        self._absent = frozenset(word for word, found in self._words.items() if not found)

    def _at(self, word: str):
        """Where ``word`` begins in the case-folded text, in order (found once per word)."""
        found = self._words.get(word)
        if found is None:
            found, at = [], self._folded.find(word)
            while at >= 0:
                found.append(at)
                at = self._folded.find(word, at + 1)
            self._words[word] = found
        return found

    def places(self, cue) -> Optional[tuple[list, list]]:
        """(starts, first ends) of the occurrences of the cue's anchors, sorted by start:
        ``first_ends[k]`` is the smallest end among occurrences ``k, k+1, …``.  None when the
        cue has no anchors or the index is off (then the cue may match anywhere)."""
        found = self._places.get(cue.id)
        if found is None:
            if self._folded is None or not cue.anchors:
                return None
            if self._absent.issuperset(cue.anchors):
                found = self._places[cue.id] = ([], [])
                return found
            # (built with map and zip: the claim cues' words stand hundreds of times in a report)
            spans = sorted(chain.from_iterable(
                zip(places, map(operator.add, places, repeat(len(word))))
                for word in cue.anchors for places in (self._at(word),)))
            first_ends = list(accumulate(map(_END, reversed(spans)), min))
            first_ends.reverse()
            found = self._places[cue.id] = (list(map(_START, spans)), first_ends)
        return found

    def begins(self, cue) -> Optional[list]:
        """The sorted places where a match of the cue can begin (one of its start words
        begins there); None when the cue has no start words or the index is off."""
        found = self._begins.get(cue.id)
        if found is None:
            if self._folded is None or not cue.starts:
                return None
            if self._absent.issuperset(cue.starts):
                found = []
            elif _may_share_places(cue.starts):
                found = sorted(set().union(*map(self._at, cue.starts)))
            else:
                # (the words' places are sorted and apart: merged without a set)
                found = sorted(chain.from_iterable(map(self._at, cue.starts)))
            self._begins[cue.id] = found
        return found

    def begins_of_any(self, cues) -> Optional[list]:
        """The sorted places where a match of one of ``cues`` can begin (:meth:`begins` of
        them all at once); None when one of them may begin anywhere."""
        found = [self.begins(cue) for cue in cues]
        if None in found:
            return None
        return sorted(set().union(*found))

    def anywhere(self, cue) -> bool:
        """Whether the cue can match somewhere in the text."""
        places = self.places(cue)
        return places is None or bool(places[0])

    def within(self, cue, start: int, end: int) -> bool:
        """Whether the cue can match inside ``text[start:end]``: one of its anchors lies there
        (the first occurrence that starts at or after ``start`` and ends by ``end``)."""
        # (the places as found, without a call, once found: asked for nearly every figure)
        places = self._places.get(cue.id) or self.places(cue)
        if places is None:
            return True
        starts, first_ends = places
        k = bisect.bisect_left(starts, start)
        return k < len(starts) and first_ends[k] <= end

    def spans_with(self, cue, starts: list, ends: list) -> list[int]:
        """The indexes ``k``, in order, of the spans ``[starts[k], ends[k])`` (sorted and not
        overlapping, such as sentences or lines) in which the cue can match."""
        places = self.places(cue)
        if places is None:
            return list(range(len(starts)))
        seen = sorted({bisect.bisect_right(starts, at) - 1 for at in places[0]})
        return [k for k in seen if k >= 0 and self.within(cue, starts[k], ends[k])]

    # --- the cue's regex, run where it can match --------------------------------------
    def finditer(self, cue):
        """The matches of ``cue.pattern.finditer(text)``."""
        begins = self._begins.get(cue.id)
        if begins is None:
            begins = self.begins(cue)
        if begins is None:
            yield from (cue.pattern.finditer(self.text) if self.anywhere(cue) else ())
            return
        # As finditer: leftmost first, each next match searched from the end of the last
        # (a match begins with a start word, so it is never empty).
        end = 0
        for at in begins:
            if at >= end:
                m = cue.pattern.match(self.text, at)
                if m:
                    end = m.end()
                    yield m

    def search(self, cue, pos: int, endpos: int):
        """``cue.pattern.search(text, pos, endpos)``."""
        # (the start places as found, without a call, once found: asked for nearly every figure)
        begins = self._begins.get(cue.id)
        if begins is None:
            begins = self.begins(cue)
        if begins is None:
            return cue.pattern.search(self.text, pos, endpos) if self.within(cue, pos, endpos) else None
        k = bisect.bisect_left(begins, pos)
        while k < len(begins) and begins[k] < endpos:
            m = cue.pattern.match(self.text, begins[k], endpos)
            if m:
                return m
            k += 1
        return None

    def first_in(self, cues, start: int, end: int):
        """(cue, match) of the first of ``cues`` that ``search_in`` finds, or None."""
        window = None
        for cue in cues:
            begins = self._begins.get(cue.id)
            if begins is None:
                begins = self.begins(cue)
            if begins is None:
                m = self.search_in(cue, start, end)
                if m:
                    return cue, m
                continue
            # (search_in, written out: this runs for nearly every figure)
            k = bisect.bisect_left(begins, start)
            while k < len(begins) and begins[k] < end:
                window = self.text[start:end] if window is None else window
                m = cue.pattern.match(window, begins[k] - start)
                if m:
                    return cue, m
                k += 1
        return None

    def search_in(self, cue, start: int, end: int):
        """``cue.pattern.search(text[start:end])``: the window read as a string of its own
        (its first character has nothing before it, its last nothing after)."""
        begins = self._begins.get(cue.id)
        if begins is None:
            begins = self.begins(cue)
        if begins is None:
            return cue.pattern.search(self.text[start:end]) if self.within(cue, start, end) else None
        k = bisect.bisect_left(begins, start)
        window = None
        while k < len(begins) and begins[k] < end:
            window = self.text[start:end] if window is None else window
            m = cue.pattern.match(window, begins[k] - start)
            if m:
                return m
            k += 1
        return None
