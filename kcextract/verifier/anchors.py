"""Where in one document a cue can match: the places of its anchor words, found once.

A cue of ``patterns/relations.yaml`` may list ``anchors``: words one of which every match
of its regex contains ('tổng' for the total cue, 'đạt', 'bằng', 'hiện', 'thành' for the
ratio cue).  The document's case-folded copy is searched for each anchor word with plain
string search, once; a window of the text that holds none of a cue's anchors cannot match
the cue, so the cue's regex is not run there.  Skipping is only ever a shortcut: with
:data:`ENABLED` false every cue is searched everywhere, and the tests check that the
checks are then the same.
"""
from __future__ import annotations

import bisect
from typing import Optional

# Tests switch this off to show the shortcut changes no answer.
ENABLED = True


class AnchorIndex:
    """The anchor words of the cues in one text: their places, sorted, computed on demand."""

    def __init__(self, text: str):
        folded = text.casefold()
        # Case folding is done character by character only when it keeps every offset
        # ('ß' folds to 'ss', 'İ' to 'i̇'): otherwise the index is not used and every cue is
        # searched, as without it.
        self._folded = folded if ENABLED and len(folded) == len(text) else None
        self._places: dict = {}

    def places(self, cue) -> Optional[tuple[list, list]]:
        """(starts, ends) of every occurrence of the cue's anchors, sorted by start; None
        when the cue has no anchors or the index is off (then the cue may match anywhere)."""
        if self._folded is None or not cue.anchors:
            return None
        found = self._places.get(cue.id)
        if found is None:
            spans = []
            for word in cue.anchors:
                at = self._folded.find(word)
                while at >= 0:
                    spans.append((at, at + len(word)))
                    at = self._folded.find(word, at + 1)
            spans.sort()
            found = self._places[cue.id] = ([s for s, _ in spans], [e for _, e in spans])
        return found

    def anywhere(self, cue) -> bool:
        """Whether the cue can match somewhere in the text."""
        places = self.places(cue)
        return places is None or bool(places[0])

    def within(self, cue, start: int, end: int) -> bool:
        """Whether the cue can match inside ``text[start:end]``: one of its anchors lies there."""
        places = self.places(cue)
        if places is None:
            return True
        starts, ends = places
        k = bisect.bisect_left(starts, start)
        while k < len(starts) and starts[k] < end:
            if ends[k] <= end:
                return True
            k += 1
        return False

    def lines_or_sentences(self, cue, bounds: list) -> list:
        """The indexes of the spans ``bounds`` (sorted (start, end) pairs that do not overlap)
        in which the cue can match, in order."""
        places = self.places(cue)
        if places is None:
            return list(range(len(bounds)))
        return [k for k, (s, e) in enumerate(bounds) if self.within(cue, s, e)]
