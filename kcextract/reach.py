"""How far a pattern's match can reach from where it starts, read from its regex.

A match is made of the characters its regex consumes (look-arounds consume none): the
segmented count ('12' in '12 giải pháp', the noun read by a look-ahead) of digits, dots
and commas; the scaled count ('45,2 triệu', a noun after it) of those, spaces and the
letters of the scale words.  A match therefore ends, at the latest, where the run of such
characters from its start ends.  The extractor uses that bound to leave out matches that
would start in a span already taken (kcextract/extractor.py), knowing they could not have
moved its scan past the next place it tries.

The same reading gives the fewest characters a match consumes (:func:`shortest`): the
pattern loader (kcextract/patterns.py) refuses a regex that can match an empty string, so
that every scan resumes at the end of a match by one rule.

The regex is read with the standard library's parser (the same syntax for what these
patterns use; groups that share a name, which only the ``regex`` module allows, are read
under names of their own); a pattern it cannot read, or that consumes any character but
one (a negated class, '.'), has no bound.
"""
from __future__ import annotations

import functools
import itertools
import re
from typing import Optional

import regex

try:                                    # Python 3.11+
    from re import _constants as sre, _parser as sre_parse
except ImportError:                     # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

# \p{L}, \P{Lu}...: the standard parser knows none; each stands in as a character of the
# private use area, then is written back into the class of what a match consumes.
_PROPERTY = re.compile(r"(?<!\\)((?:\\\\)*)(\\[pP]\{[^}]*\})")
_PRIVATE = 0xE000

_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}

# A run longer than this is not followed to its end: the bound is then "anywhere".
LIMIT = 64
BEYOND = float("inf")


# A named group, '(?P<name>' or the ``regex`` module's '(?<name>': read under a name of its own
# (the ``regex`` module lets two groups share a name, the standard parser does not); a named
# back-reference '(?P=name)' follows its group's new name.
_NAMED = re.compile(r"(?<!\\)((?:\\\\)*)(?:\(\?P?<(?![=!])(\w+)>|\(\?P=(\w+)\))")
# A numbered back-reference or a conditional: what a renamed group could make mean another group.
_NUMBERED = re.compile(r"(?<!\\)(?:\\\\)*(?:\\[1-9]|\(\?\()")


def _parsed(source: str, flags: int):
    """``source`` (a ``regex`` pattern compiled with ``flags``) read by the standard parser,
    with the properties it stands in for; None when it cannot be read."""
    if any(_PRIVATE <= ord(c) <= 0xF8FF for c in source):
        return None
    properties: list = []

    def stand_in(m) -> str:
        properties.append(m.group(2))
        return m.group(1) + chr(_PRIVATE + len(properties) - 1)

    names, latest = itertools.count(), {}

    def rename(m) -> str:
        if m.group(2) is None:      # a back-reference: to the group of that name opened last
            return f"{m.group(1)}(?P=" + latest.get(m.group(3), m.group(3)) + ")"
        latest[m.group(2)] = f"g{next(names)}"
        return f"{m.group(1)}(?P<{latest[m.group(2)]}>"

    renamed = _NAMED.sub(rename, source)
    if renamed != source and _NUMBERED.search(source):
        return None
    try:
        parsed = sre_parse.parse(_PROPERTY.sub(stand_in, renamed), re.VERBOSE if flags & regex.VERBOSE else 0)
    except (re.error, OverflowError, RecursionError):
        return None
    return parsed, properties


@functools.lru_cache(maxsize=None)
def consumed_run(source: str, flags: int) -> Optional["regex.Pattern"]:
    """A regex for the run of characters a match of the ``regex`` pattern ``source``
    (compiled with ``flags``) can be made of: every character it consumes, in one class,
    matched as the pattern matches them (same engine and flags, and case-insensitively,
    which only widens it); None when that is any character or the regex cannot be read.

    >>> consumed_run(r"(?=\\d)(?<![\\p{L}]-)\\d+(?:,\\d+)?(?=[ ]+\\p{L})", 0).pattern
    '[\\\\U0000002c\\\\d]*'
    >>> consumed_run(r"\\d+[^x]", 0), consumed_run(r"(\\d)\\1", 0), consumed_run(r"\\d.", 0)
    (None, None, None)
    """
    read = _parsed(source, flags)
    if read is None:
        return None
    parsed, properties = read
    items: set = set()
    if not _consumed(parsed, items, properties):
        return None
    if not items:
        return None
    return regex.compile("[" + "".join(sorted(items)) + "]*", (flags & ~regex.VERBOSE) | regex.IGNORECASE)


def shortest(source: str, flags: int) -> Optional[int]:
    """The fewest characters a match of the ``regex`` pattern ``source`` consumes (0: it can
    match an empty string); None when the regex cannot be read.

    >>> shortest(r"(?<=\\s)\\d+(?:\\s*%)?", 0), shortest(r"(?=\\d)\\d*", 0), shortest(r"(?<n>a)|(?<n>bc)", 0)
    (1, 0, 1)
    >>> shortest(r"(?P<noun>ab)(?:,(?!(?P=noun))cd)?", 0)    # a named back-reference follows its group
    2
    """
    read = _parsed(source, flags)
    return None if read is None else read[0].getwidth()[0]


def reach(run: "regex.Pattern", text: str, at: int) -> float:
    """Where a match from ``at`` ends at the latest: the end of the run of ``run``'s
    characters (not followed past ``LIMIT`` characters: then anywhere)."""
    end = run.match(text, at, at + LIMIT).end()
    return end if end < at + LIMIT else BEYOND


def _consumed(items, found: set, properties: list) -> bool:
    """Add to ``found`` (as class items) every character ``items`` consume; False when one
    is any character, a negated class or a construct not read here."""
    for op, av in items:
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue                    # zero-width
        if op is sre.LITERAL:
            found.add(_char(av, properties))
        elif op is sre.IN:
            if not _class(av, found, properties):
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)):
            if not _consumed(av[2], found, properties):
                return False
        elif op is sre.SUBPATTERN:
            if not _consumed(av[-1], found, properties):
                return False
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            if not _consumed(av, found, properties):
                return False
        elif op is sre.BRANCH:
            if not all(_consumed(branch, found, properties) for branch in av[1]):
                return False
        else:
            return False                # any character, a back-reference, a conditional...
    return True


def _class(items, found: set, properties: list) -> bool:
    for op, av in items:
        if op is sre.LITERAL:
            found.add(_char(av, properties))
        elif op is sre.RANGE:
            if any(_PRIVATE <= code < _PRIVATE + len(properties) for code in av):
                return False
            found.add("\\U%08x-\\U%08x" % av)
        elif op is sre.CATEGORY and av in _CATEGORIES:
            found.add(_CATEGORIES[av])
        else:
            return False                # a negated class, a category not read here
    return True


def _char(code: int, properties: list) -> str:
    """A consumed character as a class item: a property it stands in for, else escaped."""
    if _PRIVATE <= code < _PRIVATE + len(properties):
        return properties[code - _PRIVATE]
    return "\\U%08x" % code
