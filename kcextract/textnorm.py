"""Normalise Vietnamese text for matching, keeping a map back to the original.

Patterns run on a normalised copy (NFC, one tone-mark placement, plain spaces,
no zero-width characters), but every offset a user sees must point into the
ORIGINAL text, so :class:`NormalisedText` carries the map between the two.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

import regex

# Same-length replacements: these never move an offset.
#  - odd spaces (NBSP from NukeViet icons, thin/narrow spaces, ideographic space) -> space
#  - U+01B0-lookalike 'ƣ' (U+01A3) that PDF extraction yields for 'ư'
_SAME_LENGTH = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ",
    "\u202f": " ", "\u205f": " ", "\u3000": " ", "\u2002": " ", "\u2003": " ",
    "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u01a3": "\u01b0", "\u01a2": "\u01af",
})

_SAME_LENGTH_PAIRS = tuple((chr(c), new) for c, new in _SAME_LENGTH.items())

# Characters dropped for matching (zero-width space/joiners, BOM, soft hyphen).
_DROPPED_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DROPPED = re.compile("[" + _DROPPED_CHARS + "]")

# Either kind: most texts hold none.  One substring test per character (a C-level
# character search each) says so faster than a scan for a character class.
_UNUSUAL_CHARS = tuple(chr(c) for c in _SAME_LENGTH) + tuple(_DROPPED_CHARS)

# Old ("hoà", "thuỷ") vs new ("hòa", "thủy") tone placement: the tone moves
# from the second vowel of oa/oe/uy to the first when the syllable ends there.
# We match on the new placement; both are correct Vietnamese and both occur,
# sometimes in one article.  Same length, so offsets do not move.
_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook", "\u0323": "dot"}


def _old_to_new_table() -> dict:
    table = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y"), ("O", "A"), ("O", "E"), ("U", "Y"),
                          ("o", "A"), ("O", "a"), ("u", "Y"), ("U", "y")):
        for mark in _TONES:
            old = first + unicodedata.normalize("NFC", second + mark)
            new = unicodedata.normalize("NFC", first + mark) + second
            table[old] = new
    return table


_OLD_TO_NEW = _old_to_new_table()
# Only at the end of a syllable: 'hoàn', 'toán', 'khuyến' keep their marks.
_OLD_TONE_RE = regex.compile(
    "(?<![qQ])(" + "|".join(sorted(_OLD_TO_NEW, key=len, reverse=True)) + r")(?!\p{L})"
)
# A cheap necessary condition for _OLD_TONE_RE, in the stdlib ``re`` (it scans for a
# character class several times faster than ``regex``): a toned a/e/y after o/u, not
# after 'qu' ('quả', 'quá'), and not followed by a Latin letter ('hoàn', 'toán').  Most
# texts use the new placement only, so the test nearly always says no.  The letters
# excluded are all \p{L}, so every text _OLD_TONE_RE changes passes the test.
_LATIN_LETTERS = "".join(ch for ch in map(chr, [*range(0x41, 0x7b), *range(0xc0, 0x1b1), *range(0x1ea0, 0x1efa)])
                         if regex.match(r"\p{L}", ch))
_OLD_TONE_HINT = re.compile(
    "[" + "".join(sorted({old[1:] for old in _OLD_TO_NEW})) + "]"     # the toned vowel first: rarer than o/u
    "(?<=[" + "".join(sorted({old[0] for old in _OLD_TO_NEW})) + "].)(?<![qQ]..)"
    "(?![" + _LATIN_LETTERS + "])"
)


@dataclass(frozen=True)
class NormalisedText:
    """A normalised copy of ``original`` and the map from its offsets back.

    ``starts[i]``/``ends[i]`` are the original offsets of normalised char ``i``;
    both are None when the normalisation kept every offset (the common case).
    """

    original: str
    text: str
    starts: Optional[list] = None
    ends: Optional[list] = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to the original text.

        >>> n = normalise("Ho\u0300a Bi\u0300nh 5 t\u1ef7")   # NFD: tones as combining marks
        >>> n.text[:8], n.to_original(4, 8)
        ('Hòa Bình', (5, 10))
        """
        if self.starts is None:
            return start, end
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _fold_tones(text: str) -> str:
    if not _OLD_TONE_HINT.search(text):
        return text
    return _OLD_TONE_RE.sub(lambda m: _OLD_TO_NEW[m.group(1)], text)


def normalise(original: str) -> NormalisedText:
    """NFC, new tone placement, plain spaces, no zero-width characters.

    >>> normalise("thu\u1ef7 \u0111i\u1ec7n\u00a0ho\u00e0").text
    'thủy điện hòa'
    >>> normalise("56.147\u200b tri\u1ec7u").to_original(0, 12)   # the zero-width space is dropped
    (0, 13)
    """
    # Most texts are NFC and hold no character to replace or drop: one scan says so.
    if not any(ch in original for ch in _UNUSUAL_CHARS) and unicodedata.is_normalized("NFC", original):
        return NormalisedText(original, _fold_tones(original))
    # str.translate looks every character up in a dict; str.replace of the few present is C-level.
    # No replacement is itself replaced, so the order does not matter.
    text = original
    for odd, plain in _SAME_LENGTH_PAIRS:
        if odd in text:
            text = text.replace(odd, plain)
    if unicodedata.is_normalized("NFC", text) and not _DROPPED.search(text):
        return NormalisedText(original, _fold_tones(text))
    # Slow path: walk base characters with their combining marks, so each
    # normalised character knows the original span it came from.
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        chunk = text[i:j]
        if _DROPPED.fullmatch(chunk[0]):
            chunk = chunk[1:]
        piece = unicodedata.normalize("NFC", chunk)
        for ch in piece:
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    folded = _fold_tones("".join(out))
    return NormalisedText(original, folded, starts, ends)


def match_key(text: str) -> str:
    """A key for comparing phrases: normalised and case-folded.

    >>> match_key("Sở Công thương") == match_key("SỞ CÔNG THƯƠNG")
    True
    """
    return " ".join(normalise(text).text.casefold().split())
