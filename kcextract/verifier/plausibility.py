"""The last word before a check may say ``fail``: is the binding sure, and is the result sane?

A recomputation a reader would find absurd (a share over 100%, a value several times
off the reported one, a figure against itself, operands of different periods) means
the verifier took the wrong operands, not that the report is wrong.  Such a check is
``unverifiable`` with that reason, never ``fail``.  So is a failure whose operands the
verifier only inferred (found by describing words or a nearby value): an inferred
binding may confirm a claim, it never accuses one.  This is the one gate every claim
type passes through (:func:`review`), so no resolver can accuse on its own.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Optional

from kcextract.verifier.check import Check

# How far a recomputed percentage may stand from the reported one before the pair of
# operands, not the report, is the likelier culprit (seed 003: 26,7% reported where
# the figures give 61,44%, a real error from another period, is 2.3× off).
MAX_FACTOR = Decimal(3)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _years(sentence: str) -> set:
    return set(_YEAR.findall(sentence or ""))


def absurdity(check: Check) -> Optional[str]:
    """Why the recomputation cannot be what the report meant, or None when it is sane."""
    if check.expected is None:
        return None
    e, r = Decimal(check.expected), Decimal(check.reported)
    spans = [(o.start, o.end) for o in check.operands]
    if len(set(spans)) < len(spans) or any(s == (check.claim_start, check.claim_end) for s in spans):
        return "một số liệu bị so với chính nó"
    values = [o.value for o in check.operands if o.value is not None]
    if check.kind in ("ratio", "share", "growth") and len(values) == 2 and values[0] == values[1]:
        return "hai số liệu bằng nhau: có lẽ là cùng một số liệu"
    if check.kind == "share" and e > 100 + Decimal("0.5"):
        return f"tỷ trọng tính ra {e}% (trên 100%)"
    if check.kind in ("ratio", "share", "growth", "difference", "average") and r and e:
        if (e > 0) != (r > 0) and check.kind != "growth":
            return "kết quả tính ra trái dấu với số báo cáo"
        q = abs(e / r)
        if q > MAX_FACTOR or q < 1 / MAX_FACTOR:
            return f"kết quả tính ra lệch {q:.1f} lần so với số báo cáo"
    if check.kind == "growth" and r and e and (e > 0) != (r > 0) and abs(abs(e) - abs(r)) > abs(r) / 2:
        return "tăng trưởng tính ra trái dấu và khác xa số báo cáo"
    if check.kind in ("ratio", "share") and len(check.operands) == 2:
        ya, yb = (_years(o.sentence) for o in check.operands)
        if ya and yb and not ya & yb and check.binding != "stated":
            return "hai số liệu thuộc hai kỳ khác nhau"
    return None


def _parts_off(check: Check) -> Optional[str]:
    """Parts several times their total are not its parts (unless the factor is a unit slip,
    '8.250 nghìn' for '8,25 nghìn', which is a real error)."""
    if check.kind != "sum" or not check.expected or not check.reported:
        return None
    q = abs(Decimal(check.expected) / Decimal(check.reported))
    if (q > MAX_FACTOR or q < 1 / MAX_FACTOR) and q not in (Decimal(1000), Decimal("0.001")):
        return f"các phần lệch {q:.1f} lần so với tổng: có lẽ không phải các phần của nó"
    return None


def review(check: Check) -> Check:
    """The check as it may be published: a ``fail`` on an inferred binding or with an
    absurd result becomes ``unverifiable``, with the reason added to its explanation; so
    does a sum 'confirmed' by parts many times an open-ended total ('trên 1 tỷ USD')."""
    if check.status == "ok":
        reason = _parts_off(check)
        if reason is None:
            return check
        return dataclasses.replace(check, status="unverifiable",
                                   explanation=f"{check.explanation} (không kết luận: {reason})")
    if check.status != "fail":
        return check
    reason = None
    if check.binding != "stated":
        reason = "số liệu so sánh được suy ra, không được nêu rõ"
    else:
        reason = _parts_off(check) if check.kind == "sum" else absurdity(check)
    if reason is None:
        return check
    return dataclasses.replace(check, status="unverifiable",
                               explanation=f"{check.explanation} (không kết luận: {reason})")
