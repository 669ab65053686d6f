"""Where in one document a cue can match: the places of its anchor words, found once.

A cue of ``patterns/relations.yaml`` may list ``anchors``: words one of which every match
of its regex contains ('tổng' for the total cue; 'đạt', 'bằng', 'thực', 'hoàn' for the
ratio cue).  The document's case-folded copy is searched for each anchor word with plain
string search, once; a window of the text that holds none of a cue's anchors cannot match
the cue, so the cue's regex is not run there.  A cue may also list ``starts``, words one of
which every match begins with: its regex is then tried only where one of them begins.
Skipping is only ever a shortcut: with :data:`ENABLED` false every cue is searched
everywhere, and the tests check that the checks are then the same.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Optional

# Tests switch this off to show the shortcut changes no answer.
ENABLED = True


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


class AnchorIndex:
    """The anchor words of the cues in one text: their places, sorted, computed on demand."""

    def __init__(self, text: str):
        folded = text.casefold()
        # Case folding is done character by character only when it keeps every offset
        # ('ß' folds to 'ss', 'İ' to 'i̇'): otherwise the index is not used and every cue is
        # searched, as without it.
        self._folded = folded if ENABLED and len(folded) == len(text) else None
        self._places: dict = {}
        self._begins: dict = {}
        self._words: dict = {}

    def _at(self, word: str) -> list[int]:
        """Where ``word`` begins in the case-folded text (found once per word)."""
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
        if self._folded is None or not cue.anchors:
            return None
        found = self._places.get(cue.id)
        if found is None:
            spans = sorted((at, at + len(word)) for word in cue.anchors for at in self._at(word))
            first_ends, least = [0] * len(spans), None
            for k in range(len(spans) - 1, -1, -1):
                end = spans[k][1]
                least = end if least is None or end < least else least
                first_ends[k] = least
            found = self._places[cue.id] = ([s for s, _ in spans], first_ends)
        return found

    def begins(self, cue) -> Optional[list]:
        """The sorted places where a match of the cue can begin (one of its start words
        begins there); None when the cue has no start words or the index is off."""
        if self._folded is None or not cue.starts:
            return None
        found = self._begins.get(cue.id)
        if found is None:
            found = self._begins[cue.id] = sorted({at for word in cue.starts for at in self._at(word)})
        return found

    def anywhere(self, cue) -> bool:
        """Whether the cue can match somewhere in the text."""
        places = self.places(cue)
        return places is None or bool(places[0])

    def within(self, cue, start: int, end: int) -> bool:
        """Whether the cue can match inside ``text[start:end]``: one of its anchors lies there
        (the first occurrence that starts at or after ``start`` and ends by ``end``)."""
        places = self.places(cue)
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
