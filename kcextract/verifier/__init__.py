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
from kcextract.verifier.registry import RESOLVERS, claim_types
from kcextract.verifier.repeats import carry_to_headline
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
                figures: Optional[Iterable] = None) -> list[Check]:
    """All checks of ``text``, sorted by the position of the reported figure.

    ``figures`` (a list of :class:`kcextract.figure.Figure` with offsets into
    ``text``) defaults to what the extractor finds.
    """
    if figures is None:
        from kcextract.extractor import extract_figures

        figures = extract_figures(text, source=source)
    ctx = Context(text, list(figures), source=source)
    checks = []
    for claim_type in claim_types():
        for check in claim_type.find(ctx):
            if check.kind not in claim_type.produces or check.resolved_by not in RESOLVERS:
                raise ValueError(f"claim type {claim_type.id} produced {check.kind!r} "
                                 f"by {check.resolved_by!r}, which it does not declare")
            checks.append(explain(ctx, review(check)))
    checks += carry_to_headline(ctx, checks)
    # One check per reported figure and kind.
    best: dict = {}
    for c in checks:
        key = (c.kind, c.claim_start, c.claim_end)
        if key not in best or _rank(c) < _rank(best[key]):
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.claim_start, c.kind))


__all__ = ["Check", "Operand", "CHECK_FIELDS", "CHECK_KINDS", "verify_text"]
