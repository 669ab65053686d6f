"""The verifier reads the normalised text, and reports offsets into the original.

Its cue words are written in NFC with the new tone placement ('hòa'); a page delivered
in NFD, with old tone marks ('hoà'), non-breaking spaces or zero-width characters would
hide 'trong đó' or 'chiếm' from them.  The figures stage already made a normalised copy
with a map back (:class:`kcextract.textnorm.NormalisedText`); the verifier works on that
copy and every check it returns is mapped back, so offsets always point into the text
the user gave.
"""
from __future__ import annotations

import bisect
import dataclasses
from typing import Callable

from kcextract.tables import map_table


def reading(document) -> tuple[str, list, list, list, Callable]:
    """(text, figures, sentence spans, tables) in the normalised text's offsets, and the
    function that maps a check back to the original text."""
    norm, original = document.norm, document.text
    if norm.starts is None:
        # Same length, same offsets (only tone placement and spaces changed).
        return (norm.text, list(document.figures), list(document.sentences.spans), list(document.tables),
                lambda check: _mapped(check, original, lambda s, e: (s, e)))
    starts = norm.starts

    def to_norm(s: int, e: int) -> tuple[int, int]:
        return bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)

    figures = []
    for f in document.figures:
        s, e = to_norm(f.start, f.end)
        ss, se = to_norm(f.sentence_start, f.sentence_start + len(f.sentence))
        figures.append(dataclasses.replace(f, start=s, end=e, text=norm.text[s:e],
                                           sentence=norm.text[ss:se], sentence_start=ss))
    spans = [to_norm(s, e) for s, e in document.sentences.spans]
    tables = [map_table(t, to_norm) for t in document.tables]
    return norm.text, figures, spans, tables, lambda check: _mapped(check, original, norm.to_original)


def _mapped(check, original: str, to_original: Callable):
    """The check with its claim and operand spans (and texts) in the original text."""
    s, e = to_original(check.claim_start, check.claim_end)
    operands, same = [], (s, e, original[s:e]) == (check.claim_start, check.claim_end, check.claim_text)
    for o in check.operands:
        os_, oe = to_original(o.start, o.end)
        if (os_, oe, original[os_:oe]) == (o.start, o.end, o.text):
            operands.append(o)
        else:
            same = False
            operands.append(dataclasses.replace(o, start=os_, end=oe, text=original[os_:oe]))
    if same:
        return check            # (most checks: the normalised text reads the same there)
    return dataclasses.replace(check, claim_start=s, claim_end=e, claim_text=original[s:e], operands=tuple(operands))
