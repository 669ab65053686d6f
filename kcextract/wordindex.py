"""Where the words of the frame cue lists stand in a text, found in one scan.

A figure's frame looks for cue words in its sentence before it (a scope head, a label head,
a plan word ...).  Scanning each sentence again for each list and each figure was most of
the frames stage.  :class:`WordIndex` scans the case-folded text once, with stdlib ``re``,
for every word of every list (one alternation shaped as a trie), and answers "the matches of
list L in [lo, hi)" by trying L's own regex only where one of L's words begins: the matches
``pattern.finditer(text, lo, hi)`` gives, without reading the text between them.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator

import regex

from kcextract.folded import folded_in_place

_WORD_CHAR = regex.compile(r"\w")
_UNSEEN = object()


def trie_alternation(words: list[str]) -> str:
    """One stdlib-``re`` alternation of ``words`` (case-folded, a space standing for any run of
    white space), shaped as a trie: a longer word is tried before a word it extends, so a match
    is the longest word found there, and each letter is compared once however many words
    share it (three times faster than the flat alternation)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + build(child)
                    for ch, child in node.items() if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


class WordLists:
    """Named word lists and their whole-word regexes (``cue_regex``/``word_regex``), prepared
    for :class:`WordIndex`: one scanner for all their words and, for each word found, the
    lists that may match where it begins."""

    def __init__(self, lists: dict):
        """``lists``: name -> (words, the list's compiled whole-word regex)."""
        for name, (_, pattern) in lists.items():
            # What the index relies on: each match begins with one of the words, after no word
            # character, and ends with one, before no word character (see WordIndex._edge).
            if not (pattern.pattern.startswith(r"(?<!\w)") and pattern.pattern.endswith(r"(?!\w)")
                    and pattern.flags & regex.IGNORECASE):
                raise ValueError(f"{name}: not a whole-word, case-insensitive regex of its words")
        self.patterns = {name: pattern for name, (_, pattern) in lists.items()}
        normal = {name: {" ".join(w.casefold().split()) for w in words} for name, (words, _) in lists.items()}
        every = sorted(set().union(*normal.values()))
        self.scanner = re.compile(trie_alternation(every))
        # The scanner reports the longest word found at a position; a list matches there only
        # with one of its words that is a prefix of it (both begin the text there).
        self.lists_of = {word: tuple(name for name, words in normal.items()
                                     if any(word.startswith(w) for w in words))
                         for word in every}
        # Characters of the words after which another word may begin inside one found
        # ('thị xã': 'xã' after the space; 'TP.' would allow one after its dot); for each word
        # holding one, where and which lists may match there (one of their words and the
        # rest of the word found begin alike).
        self.breaks = frozenset(ch for w in every for ch in w if not _WORD_CHAR.match(ch)) | {" "}
        self.inner = {}
        for word in every:
            inside = tuple((k, tuple(name for name, words in normal.items()
                                     if any(w.startswith(word[k:]) or word[k:].startswith(w) for w in words)))
                           for k in range(1, len(word)) if word[k - 1] in self.breaks)
            if inside:
                self.inner[word] = inside
        self.names = tuple(lists)
        # For each list, the words found that begin one of its matches there, and those
        # inside which one may begin (with where).
        self.words_for = {name: tuple(w for w in every if name in self.lists_of[w]) for name in lists}


class _Run:
    """The matches of one list from one place on, with the text whole, found so far (in order,
    with their ends), and where the search goes on: the next place to try and the end of the
    last match (places before it are inside it)."""

    __slots__ = ("found", "ends", "next", "pos")

    def __init__(self, i: int, lo: int):
        self.found: list = []
        self.ends: list = []
        self.next = i
        self.pos = lo


class WordIndex:
    """The lists' matches in one text, by position (see the module's docstring).

    Not ``indexed``, or without a case-folded copy that keeps every offset
    (:func:`kcextract.folded.folded_in_place`), it answers by running each list's regex over
    the range, as a plain scan would.
    """

    def __init__(self, text: str, lists: WordLists, indexed: bool = True):
        self.text = text
        self.lists = lists
        self._caches: dict = {}
        folded = folded_in_place(text) if indexed else None
        self.indexed = folded is not None
        if folded is None:
            return
        # Each list's positions, appended as the words are found: in order, as within one word
        # its own place comes before the places inside it, and the words do not overlap.
        starts: dict = {name: [] for name in lists.names}
        lists_of, inner, breaks, names_all = lists.lists_of, lists.inner, lists.breaks, lists.names
        for m in lists.scanner.finditer(folded):
            word, at = m.group(), m.start()
            # A word found right after a letter or a digit ('ở' in 'sở') begins no match: every
            # list's regex opens with "no word character before" (a letter or a decimal digit for
            # str is one for regex).  Only the places after a break inside it are kept.
            before = text[at - 1] if at else " "
            own = not (before.isalpha() or before.isdecimal())
            names = lists_of.get(word)
            if names is not None:
                if own:
                    for name in names:
                        starts[name].append(at)
                for k, names_k in inner.get(word, ()):      # 'xã' in 'thị xã'
                    for name in names_k:
                        starts[name].append(at + k)
            else:
                # A word written with white space other than one space: found where it stands for
                # the lists of the word it is, and for any list after each break inside it.
                names = lists_of[" ".join(word.split())] if own else ()
                ks = [k for k in range(1, len(word)) if word[k - 1] in breaks or word[k - 1].isspace()]
                for name in names_all:
                    if name in names:
                        starts[name].append(at)
                    starts[name].extend(at + k for k in ks)
        self._starts = starts
        self._folded = folded
        self._full = {name: {} for name in lists.names}      # position -> match with no end set
        self._runs: dict = {}                                # (name, lo) -> _Run
        self._word_at: tuple = (None, None)                  # ((lo, hi), the word the scanner found at lo)

    def matches(self, name: str, lo: int, hi: int) -> list:
        """``list(lists.patterns[name].finditer(text, lo, hi))``."""
        if not self.indexed:
            return list(self.lists.patterns[name].finditer(self.text, lo, hi))
        starts = self._starts[name]
        i = bisect.bisect_left(starts, lo)
        if i == len(starts) or starts[i] >= hi:
            return []
        if self._edge(hi):
            return self._scan(name, i, lo, hi, True)
        # The figures of a sentence all ask from its start: the matches from ``lo`` with the text
        # whole are found once, and those ending by ``hi`` are the first ones ``finditer`` gives
        # with the text cut there (see _edge); from the first that runs past ``hi`` on, the text
        # cut at ``hi`` is scanned as before (it is the last, or none, of most answers).
        run = self._runs.get((name, lo))
        if run is None:
            run = self._runs[name, lo] = _Run(i, lo)
        found, ends = run.found, run.ends
        if not ends or ends[-1] <= hi:
            self._extend(name, run, hi)
        k = bisect.bisect_right(ends, hi)
        if k == len(found) or found[k].start() >= hi:
            return found[:k]
        return found[:k] + self._scan(name, bisect.bisect_left(starts, found[k].start()), found[k].start(), hi, False)

    def _extend(self, name: str, run: "_Run", hi: int) -> None:
        """Match ``run`` on, with the text whole, until a match ends past ``hi`` or the next
        place one of the list's words begins is at ``hi`` or after it."""
        starts, full, match, text = self._starts[name], self._full[name], self.lists.patterns[name].match, self.text
        found, ends, i, pos, n = run.found, run.ends, run.next, run.pos, len(starts)
        while i < n:
            at = starts[i]
            if at >= hi:
                break
            i += 1
            if at < pos:            # inside the match found last: finditer goes on after it
                continue
            m = full.get(at, _UNSEEN)
            if m is _UNSEEN:
                m = full[at] = match(text, at)
            if m is not None:
                found.append(m)
                ends.append(m.end())
                pos = m.end()
                if pos > hi:
                    break
        run.next, run.pos = i, pos

    def _scan(self, name: str, i: int, lo: int, hi: int, edge: bool) -> list:
        """The matches ``finditer`` gives over ``[lo, hi)``, trying the places from ``starts[i]`` on."""
        pattern = self.lists.patterns[name]
        starts = self._starts[name]
        found, pos, n = [], lo, len(starts)
        full, text, match = self._full[name], self.text, pattern.match
        while i < n:
            at = starts[i]
            i += 1
            if at >= hi:
                break
            if at < pos:            # inside the match found last: finditer goes on after it
                continue
            if edge:
                m = match(text, at, hi)
            else:                   # the match with the text whole, unless it runs past ``hi``
                m = full.get(at, _UNSEEN)
                if m is _UNSEEN:
                    m = full[at] = match(text, at)
                if m is not None and m.end() > hi:
                    m = match(text, at, hi)
            if m is not None:
                found.append(m)
                pos = m.end()
        return found

    def may_match(self, name: str, lo: int, hi: int) -> bool:
        """False when no match of the list can begin in ``[lo, hi)`` (none of its words begins
        there), so that nor can one over any range inside it; else True."""
        if not self.indexed:
            return True
        starts = self._starts[name]
        i = bisect.bisect_left(starts, lo)
        return i < len(starts) and starts[i] < hi

    def may_match_any(self, names: tuple, lo: int, hi: int) -> bool:
        """``may_match`` for any of the lists ``names``, in one call."""
        if not self.indexed:
            return True
        for name in names:
            starts = self._starts[name]
            i = bisect.bisect_left(starts, lo)
            if i < len(starts) and starts[i] < hi:
                return True
        return False

    def finditer(self, name: str, lo: int, hi: int) -> Iterator:
        """``lists.patterns[name].finditer(text, lo, hi)``."""
        return iter(self.matches(name, lo, hi))

    def cache(self, key: str) -> dict:
        """A dict kept with the index, for other answers worth computing once per text."""
        return self._caches.setdefault(key, {})

    def _edge(self, hi: int) -> bool:
        """Whether a match ending at ``hi`` may depend on the text ending there.

        A list's regex ends with "no word character next": a word ending right at ``hi``, glued
        to a word character after it, matches when the text is cut at ``hi`` and not otherwise.
        Elsewhere the match at a position with the text whole ends at or before ``hi`` exactly
        when the match with the text cut at ``hi`` does, and is the same match (it reads nothing
        from ``hi`` on); so each position is matched once per text, not once per figure.
        """
        text = self.text
        return 0 < hi < len(text) and not text[hi - 1].isspace() and _WORD_CHAR.match(text, hi) is not None

    def last(self, name: str, lo: int, hi: int):
        """The last match ``finditer`` gives, or None."""
        found = self.matches(name, lo, hi)
        return found[-1] if found else None

    def occurs(self, name: str, lo: int, hi: int) -> bool:
        """Whether ``lists.patterns[name].search(text[lo:hi])`` finds something: the words of
        ``text[lo:hi]`` read as a text of its own (nothing before ``lo`` is seen)."""
        pattern = self.lists.patterns[name]
        if not self.indexed:
            return pattern.search(self.text[lo:hi]) is not None
        starts, text = self._starts[name], self.text
        # At ``lo`` the slice has nothing before it, so a word may match there even inside a
        # word of the text ('ở' in 'sở', where the scan found 'sở'): ask the scanner there.
        if self._word_at[0] != (lo, hi):     # (a figure asks for two or three lists over one slice)
            found = self.lists.scanner.match(self._folded, lo, hi)
            self._word_at = ((lo, hi), found and " ".join(found.group().split()))
        word = self._word_at[1]
        if word is not None and name in self.lists.lists_of.get(word, ()):
            if pattern.match(text[lo:hi]) is not None:
                return True
        i = bisect.bisect_left(starts, lo)
        for k in range(i, len(starts)):
            at = starts[k]
            if at >= hi:
                break
            if at > lo and pattern.match(text, at, hi) is not None:
                return True
        return False
