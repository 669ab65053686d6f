"""Whether a pattern's matches are made of a number's characters only, read from its regex.

A pattern such as the segmented count ('12' in '12 giải pháp', the noun read by a
look-ahead) or the bare year consumes digits, dots and commas only: a match of it ends,
at the latest, where the run of those characters from its start ends.  The extractor
uses that bound to leave out matches that would start in a span already taken
(kcextract/extractor.py), knowing how far each could have reached.

The regex is read with the standard library's parser (the same syntax for what these
patterns use); a pattern it cannot read, or that consumes anything else, has no bound.
"""
from __future__ import annotations

import functools
import re

import regex

try:                                    # Python 3.11+
    from re import _constants as sre, _parser as sre_parse
except ImportError:                     # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

# A number's characters: \d as the regex engine reads it (its Unicode is newer than the
# standard library's), the grouping dot and the decimal comma of '56.147', '6,7'.
NUMBER_RUN = regex.compile(r"[\d.,]*")
_DIGITS = frozenset("0123456789")
_PUNCTUATION = frozenset(".,")

# \p{L}, \P{Lu}...: the standard parser knows none; as a NUL (not a number character)
# they keep the pattern's shape and never pass for one.
_PROPERTY = re.compile(r"(?<!\\)((?:\\\\)*)\\[pP]\{[^}]*\}")


@functools.lru_cache(maxsize=None)
def number_only(source: str, flags: int) -> bool:
    """Whether every character a match of the ``regex`` pattern ``source`` (compiled with
    ``flags``) consumes is a digit, '.' or ','; look-arounds consume nothing.

    >>> number_only(r"(?=\\d)(?<![\\p{L}]-)\\d+(?:,\\d+)?(?=[ ]+\\p{L})", 0)
    True
    >>> number_only(r"\\d+\\s*%", 0), number_only(r"(?P<a>\\d)|(?P<a>x)", 0)
    (False, False)
    """
    std_flags = re.VERBOSE if flags & regex.VERBOSE else 0
    try:
        parsed = sre_parse.parse(_PROPERTY.sub(r"\1\\x00", source), std_flags)
    except (re.error, OverflowError, RecursionError):
        return False
    return _consumes_number_only(parsed)


def _consumes_number_only(items) -> bool:
    for op, av in items:
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue                    # zero-width
        if op is sre.LITERAL:
            if chr(av) not in _DIGITS and chr(av) not in _PUNCTUATION:
                return False
        elif op is sre.IN:
            if not _number_class(av):
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)):
            if not _consumes_number_only(av[2]):
                return False
        elif op is sre.SUBPATTERN:
            if not _consumes_number_only(av[-1]):
                return False
        elif op is getattr(sre, "ATOMIC_GROUP", None):
            if not _consumes_number_only(av):
                return False
        elif op is sre.BRANCH:
            if not all(_consumes_number_only(branch) for branch in av[1]):
                return False
        else:
            return False                # any character, a back-reference, a conditional...
    return True


def _number_class(items) -> bool:
    """Whether a character class ('[\\d.,]', '\\d', '[5-9]') holds number characters only."""
    for op, av in items:
        if op is sre.LITERAL:
            if chr(av) not in _DIGITS and chr(av) not in _PUNCTUATION:
                return False
        elif op is sre.RANGE:
            if not (chr(av[0]) in _DIGITS and chr(av[1]) in _DIGITS):
                return False
        elif op is sre.CATEGORY:
            if av is not sre.CATEGORY_DIGIT:
                return False
        else:
            return False                # a negated class
    return True
