"""A pattern's matches, tried only where its prefilters say one can begin.

A ``regex`` pattern scanned over a whole text tries every character; a pattern that can only
begin with certain words ('năm', 'giai đoạn', 'http') or at certain places wastes most of
that.  Its prefilters find those positions at C speed on the case-folded text
(kcextract/folded.py), and the pattern is matched there only, resuming after each match as
``finditer`` does: the same matches, in the same order (tests/test_patterns.py compares them on
every article of the project).  A pattern or a gate may have four kinds (patterns/*.yaml):

- ``starts``: stdlib ``re`` regexes that match where a match begins;
- ``starts_after``: ``re`` regexes that end where a match begins (a label before a number);
- ``number_then``: words one of which follows the number a match begins with (or a character
  class, '[a-z\\x80-\\uffff]', the first character after it belongs to); those numbers come
  from one scan of the text for numbers (:func:`number_index`), shared by every pattern and
  gate of the document;
- ``number_ends_then``: the same, for a match that begins at the number's last digit (a range
  '5 - 7', a pair '02/10').

A pattern on an anchored gate may have ``starts`` too: kcextract/extractor.py checks them at
the gate's hits.  A ``starts`` regex whose every match begins with a digit (the periods'
'\\d\\d?\\s+tháng') is tried only at the digits of the numbers (:func:`number_starts`).
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import Iterator, Optional

from kcextract.folded import folded_in_place

# A number: a digit and the digits, dots and commas after it ('56.147', '6,7', '2023'), then
# its spaces.  The prefix of this many characters after it is the key the numbers are filed by.
NUMBER_KEY = 4
_NUMBER = re.compile(r"\d[\d.,]*\s*")
_RUN = re.compile(r"[\d.,]*")
_INDEX = "number-index"          # its key in the per-document cache


def number_index(folded: str) -> dict:
    """Where each number of ``folded`` begins, filed by the ``NUMBER_KEY`` characters that
    follow it and its spaces ('5 tỷ đồng' under 'tỷ đ').

    A number here runs over every digit, dot and comma: a pattern's number followed by a word
    that begins with none of them (nor with a space) ends where this one ends, so that word
    is what the key begins with."""
    index: dict = {}
    for m in _NUMBER.finditer(folded):
        end = m.end()
        key = folded[end:end + NUMBER_KEY]
        found = index.get(key)
        if found is None:
            index[key] = [m.start()]
        else:
            found.append(m.start())
    return index


def document_numbers(folded: str, cache: Optional[dict]) -> tuple[dict, list]:
    """The :func:`number_index` of ``folded`` and its sorted keys, kept in ``cache`` (which
    belongs to this one document) for its other patterns and gates."""
    if cache is None:
        cache = {}
    if _INDEX not in cache:
        index = number_index(folded)
        cache[_INDEX] = (index, sorted(index))
    return cache[_INDEX]


def number_starts(folded: str, scanner, numbers: list) -> list:
    """Every position where ``scanner``, whose every match begins with a digit, matches
    (overlapping matches too): tried at each digit, dot and comma of each of ``numbers``
    (their starts; every digit of the text is in a number: the few numbers a start can begin
    in hold a few hundred characters, where a scan of the whole text tries every one)."""
    match, run = scanner.match, _RUN.match
    found = []
    for at in numbers:
        for pos in range(at, run(folded, at).end()):
            if match(folded, pos):
                found.append(pos)
    return found


def is_class(word: str) -> bool:
    """A ``number_then`` entry that is a character class ('[a-z…]'): what the first character
    after the number must be, rather than a word it must begin."""
    return len(word) > 2 and word[0] == "[" and word[-1] == "]"


@functools.lru_cache(maxsize=None)
def _classes(words: tuple):
    """The character classes among ``words`` as one regex (None when there is none)."""
    classes = [word for word in words if is_class(word)]
    return re.compile("|".join(classes)) if classes else None


def numbers_before(index: dict, words: tuple, keys: Optional[list] = None) -> list:
    """The sorted starts of the numbers followed by one of ``words`` (each cut to
    ``NUMBER_KEY`` characters, case-folded), or by a character of one of its classes.
    ``keys``: the index's keys, sorted (a document's thousands of keys are then looked up by
    prefix, not each compared with every word)."""
    classes = _classes(words)
    if classes is not None:
        prefixes = tuple(word for word in words if not is_class(word))
        lists = [starts for key, starts in index.items() if key.startswith(prefixes) or classes.match(key)]
    elif keys is None or len(keys) < 8 * len(words):
        # A short text has few keys: each compared with all the words at once, in C.
        lists = [starts for key, starts in index.items() if key.startswith(words)]
    else:
        lists = []
        for word in words:
            i = bisect.bisect_left(keys, word)
            while i < len(keys) and keys[i].startswith(word):
                lists.append(index[keys[i]])
                i += 1
    if len(lists) == 1:
        return lists[0]
    return sorted(itertools.chain.from_iterable(lists))


def candidates(folded: str, scanners: tuple = (), after: tuple = (), number_words: tuple = (),
               cache: Optional[dict] = None, number_end_words: tuple = ()) -> tuple:
    """The prefilters on ``folded``: the ``starts`` scanners (their positions listed by the loop)
    and a sorted list of fixed positions (where a ``starts_after`` scanner's match ends, where
    a number followed by one of ``number_words`` begins, where one followed by one of
    ``number_end_words`` has its last character).  ``cache``: what the patterns and gates of
    this one document share (its number index)."""
    fixed: list = []
    for scanner in after:
        fixed.append([m.end() for m in scanner.finditer(folded)])
    if number_words or number_end_words:
        index, keys = document_numbers(folded, cache)
        if number_words:
            fixed.append(numbers_before(index, number_words, keys))
        if number_end_words:
            run = _RUN.match
            fixed.append([run(folded, at).end() - 1 for at in numbers_before(index, number_end_words, keys)])
    positions = fixed[0] if len(fixed) == 1 else sorted(itertools.chain.from_iterable(fixed))
    return scanners, positions


def positions(folded: str, scanners: tuple, fixed: list) -> set:
    """Every position of ``folded`` the prefilters let through (to check them on examples)."""
    found = set(fixed)
    for scanner in scanners:
        found.update(at for at in range(len(folded) + 1) if scanner.match(folded, at))
    return found


def tried_at(match, text: str, folded: str, scanners: tuple, fixed: list, overlapped: bool = False,
             claimed: Optional[bytearray] = None, reach=None) -> Iterator:
    """``match(text, at)`` at every candidate position ``at`` in order: the matches, each search
    resuming after the last match as ``finditer`` does, or with ``overlapped`` every match at
    every candidate (as ``finditer(overlapped=True)``).  ``claimed`` and ``reach``: see
    :func:`tried_outside_claims`.  No pattern matches an empty string (kcextract/patterns.py refuses a
    regex that can)."""
    if scanners:
        # Every position a scanner matches at, listed first (then the loop skips those inside a
        # match, as searching again from its end would): one plain loop tries them all.
        fixed = sorted(itertools.chain(fixed, *(_every_start(scanner.search, folded) for scanner in scanners)))
    if reach is not None and claimed is not None and not overlapped:
        return tried_outside_claims(match, text, fixed, claimed, reach=reach)
    return _tried_at_fixed(match, text, fixed, overlapped)


def _every_start(search, folded: str) -> list:
    """Every position where a scanner matches (overlapping matches too)."""
    found, pos = [], 0
    while True:
        hit = search(folded, pos)
        if hit is None:
            return found
        found.append(hit.start())
        pos = hit.start() + 1


def _tried_at_fixed(match, text: str, fixed: list, overlapped: bool) -> Iterator:
    """:func:`tried_at` over the sorted candidate positions, in one plain loop."""
    resume = 0
    for at in fixed:
        if at < resume:
            continue        # inside the last match, or a position listed twice
        m = match(text, at)
        if m is not None:
            yield m
            resume = at + 1 if overlapped else m.end()
        else:
            resume = at + 1


def tried_outside_claims(match, text: str, starts, claimed: bytearray, ends=None, reach=None) -> Iterator:
    """``match(text, at)`` at each of the sorted candidate positions ``starts`` (a sequence),
    or with ``ends`` ``match(text, at, end)`` in each window ``[at, end)``: the matches, each
    search resuming after the last match as ``finditer`` does, leaving out the runs of
    candidates in claimed text :func:`claimed_run` says may be: the same matches, but for
    some that start in claimed text (the caller refuses those anyway).

    The one loop of a pattern's candidate positions (``reach(at)``: how far a match from
    ``at`` can end, read from its regex) and of the windows of an anchored gate
    (kcextract/extractor.py: a match ends by its window's end)."""
    resume, skip_to, checked_to = 0, 0, 0
    for i, at in enumerate(starts):
        if at < resume or i < skip_to:
            continue        # inside the last match, or a candidate listed twice
        if i >= checked_to and claimed[at]:
            checked_to, skippable = claimed_run(starts, i, claimed, ends, reach)
            if skippable:
                skip_to = checked_to
                continue
        m = match(text, at) if ends is None else match(text, at, ends[i])
        if m is not None:
            yield m
            resume = m.end()
        else:
            resume = at + 1


def claimed_run(starts, i: int, claimed: bytearray, ends=None, reach=None) -> tuple[int, bool]:
    """The index after the run of ``claimed`` candidates from ``starts[i]`` on, and whether
    the run may be left out.  How far a match from one of the run can end: by the furthest
    ``ends`` of the run's windows, or ``reach`` of its last position (the end of a run of
    characters, kcextract/reach.py: a run from an earlier position ends there too, or before).

    A match at a claimed position is refused by the caller; all that matters is how far it
    moves the scan (to its end, or one past the position).  When none of the run could move
    it past the next candidate, that one is tried whatever they matched, and the scan goes
    on exactly as if they had been tried."""
    j, n = i + 1, len(starts)
    while j < n and claimed[starts[j]]:
        j += 1
    if j == n:
        return j, True
    furthest = max(ends[i:j]) if ends is not None else reach(starts[j - 1])
    return j, max(furthest, starts[j - 1] + 1) <= starts[j]


def matches_at_starts(pattern, scanners: tuple, text: str, after: tuple = (), number_words: tuple = (),
                      cache: Optional[dict] = None, number_end_words: tuple = (),
                      claimed: Optional[bytearray] = None, reach=None, number_scanners: tuple = ()) -> Iterator:
    """The matches of ``pattern.finditer(text)``, tried only where a prefilter holds on the
    case-folded text (everywhere when it cannot be folded in place); with ``claimed`` and
    ``reach``, some that start in claimed text are left out (:func:`tried_outside_claims`).
    ``number_scanners``: ``starts`` regexes whose every match begins with a digit, each with
    the ``number_then`` words of the numbers it can begin in (None: any number), see
    :func:`number_starts`."""
    folded = folded_in_place(text)
    if folded is None:
        return pattern.finditer(text)
    scanners, fixed = candidates(folded, scanners, after, number_words, cache, number_end_words)
    if number_scanners:
        index, keys = document_numbers(folded, cache)
        fixed = sorted(itertools.chain(fixed, *(
            number_starts(folded, scanner, itertools.chain.from_iterable(index.values()) if then is None
                          else numbers_before(index, then, keys))
            for scanner, then in number_scanners)))
    return tried_at(pattern.match, text, folded, scanners, fixed, claimed=claimed, reach=reach)
