"""The verifier (issue 3): every arithmetic claim of a document, recomputed.

``verify_text(text)`` reads the figures (from the extractor unless given), finds the
claims their cue words state (đạt, chiếm, tăng, giảm, gấp, trong đó, gồm …, see
``patterns/relations.yaml``), recomputes each from the other figures of the same
document and returns :class:`Check` records: ``ok``, ``fail`` (only when every
operand is unambiguous) or ``unverifiable``.
"""
from __future__ import annotations

from typing import Iterable, Optional

from kcextract.verifier.check import CHECK_FIELDS, CHECK_KINDS, Check, Operand
from kcextract.verifier.claims import read_claims
from kcextract.verifier.context import Context
from kcextract.verifier import difference, ratio_share_growth
from kcextract.verifier.lists import find_lists
from kcextract.verifier.sums import find_sums
from kcextract.verifier.table_sums import (document_tables, find_declared_sums, find_table_shares,
                                           find_table_sums)

_RANK = {"ok": 0, "fail": 1, "unverifiable": 2}


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
    claims = read_claims(ctx)
    checks = [g.check for g in find_sums(ctx)]
    for claim in claims:
        if claim.relation == "difference":
            checks.append(difference.evaluate(ctx, claim))
        else:
            checks.append(ratio_share_growth.evaluate(ctx, claim))
    checks += find_lists(ctx)
    tables = document_tables(ctx)          # read once, checked two ways
    checks += find_table_sums(ctx, tables) + find_declared_sums(ctx) + find_table_shares(ctx, tables)
    # One check per reported figure and kind: a confirmed reading wins over a doubtful one.
    best: dict = {}
    for c in checks:
        key = (c.kind, c.claim_start, c.claim_end)
        if key not in best or _RANK[c.status] < _RANK[best[key].status]:
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.claim_start, c.kind))


__all__ = ["Check", "Operand", "CHECK_FIELDS", "CHECK_KINDS", "verify_text"]
