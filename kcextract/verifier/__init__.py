"""The verifier: every arithmetic claim of a document, recomputed.

``verify_text(text)`` reads the figures (from the extractor unless given) and runs
each claim type of the registry (``patterns/relations.yaml`` ``claim_types``; see
:mod:`kcextract.verifier.registry`) over them.  Each claim type detects its claims,
resolves their operands with named resolvers, computes and explains.  Every check
then passes one gate (:mod:`kcextract.verifier.plausibility`): a failure must rest
on a stated binding and a sane recomputation, or it is ``unverifiable``; a failure
that stands is given its likely cause (:mod:`kcextract.verifier.causes`).  A headline
that repeats a claim of the body shares the body's check (:mod:`kcextract.verifier.repeats`).
"""
from __future__ import annotations

from typing import Iterable, Optional

from kcextract.verifier.causes import explain
from kcextract.verifier.check import CHECK_FIELDS, CHECK_KINDS, Check, Operand
from kcextract.verifier.plausibility import review
from kcextract.verifier.normalised import reading
from kcextract.verifier.registry import RESOLVERS, claim_types
from kcextract.verifier.repeats import carry_to_headline, carry_to_restated_counts
from kcextract.verifier.workspace import Context

def _rank(check: Check) -> int:
    """Which of two readings of one claim is reported: a conclusion on a stated binding,
    then a confirmation on an inferred one, then no conclusion (a stated failure is not
    hidden by an inferred confirmation that happens to fit)."""
    if check.status == "unverifiable":
        return 3
    if check.binding == "stated":
        return 0 if check.status == "ok" else 1
    return 2


def verify_text(text: str, source: Optional[str] = None,
                figures: Optional[Iterable] = None, document=None) -> list[Check]:
    """All checks of ``text``, sorted by the position of the reported figure.

    ``document`` (a :class:`kcextract.document.Document` of ``text``) is the figures
    stage's reading, taken as it is: its figures and its sentences.  Without it,
    ``figures`` (Figures with offsets into ``text``) are used, or the text is read here.
    """
    if document is None and figures is None:
        from kcextract.document import read_document

        document = read_document(text, source=source)
    back = None
    if document is not None:
        # Cue words match the normalised copy; checks are mapped back to ``text``.
        norm_text, norm_figures, spans, tables, back = reading(document)
        ctx = Context(norm_text, norm_figures, source=source, sentence_spans=spans, tables=tables)
    else:
        ctx = Context(text, list(figures), source=source)
    checks = []
    for claim_type in claim_types():
        for check in claim_type.find(ctx):
            if check.kind not in claim_type.produces or check.resolved_by not in RESOLVERS:
                raise ValueError(f"claim type {claim_type.id} produced {check.kind!r} "
                                 f"by {check.resolved_by!r}, which it does not declare")
            checks.append(explain(ctx, review(check)))
    checks += carry_to_headline(ctx, checks) + carry_to_restated_counts(ctx, checks)
    # One check per reported figure and kind.
    best: dict = {}
    for c in checks:
        key = (c.kind, c.claim_start, c.claim_end)
        if key not in best or _rank(c) < _rank(best[key]):
            best[key] = c
    out = best.values() if back is None else [back(c) for c in best.values()]
    return sorted(out, key=lambda c: (c.claim_start, c.kind))


__all__ = ["Check", "Operand", "CHECK_FIELDS", "CHECK_KINDS", "verify_text"]
