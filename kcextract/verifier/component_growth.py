"""A total's growth against its parts' growths: the parts' earlier levels make the total's.

``… đạt 22.099,5 tỷ đồng, tăng 14,5%. Trong đó, kinh tế tập thể đạt 254,1 tỷ đồng, tăng
13,5%; kinh tế cá thể đạt 14.046,2 tỷ đồng, tăng 14,3% và kinh tế tư nhân đạt 7.799,2 tỷ
đồng, tăng 14,9%`` → the earlier total is 254,1/1,135 + 14.046,2/1,143 + 7.799,2/1,149 =
19.300,6 tỷ, so the total grew 22.099,5 / 19.300,6 − 1 = 14,5%.  The breakdown is the one
the sums claim type confirmed; a growth that does not fit is no evidence on its own (the
parts may not be the whole), so this confirms and never accuses.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from kcextract.verifier.check import Check, format_auto, format_in_scale, scale_of
from kcextract.verifier.tolerance import overlaps, scale
from kcextract.verifier.workspace import Context, compatible, fig_interval, operand, pct

HUNDRED = Decimal(100)


def _growth_of(ctx: Context, i: int) -> Optional[tuple[int, Decimal]]:
    """The percentage right after amount ``i`` that says how it grew ('…, tăng 13,5%')."""
    f = ctx.figures[i]
    k = i + 1
    if k >= len(ctx.figures) or ctx.figures[k].kind != "percent":
        return None
    p = ctx.figures[k]
    m = ctx.cues.phrase("change_word_between").match(ctx.text[f.end:p.start])
    if not m or p.value is None:
        return None
    return k, (-Decimal(p.value) if m.group("down") else Decimal(p.value))


def _stated_base(ctx: Context, part: int) -> Optional[int]:
    """The comparison base a part states in a bracket after it ('… 1,452 tỷ USD, vượt nhiều lần
    so với cùng kỳ năm 2023 (35,4 triệu USD)')."""
    p = ctx.figures[part]
    _, s1 = ctx.layout.sentence(p.start)
    for j in ctx.figures_in(p.end, s1):
        f = ctx.figures[j]
        if ctx.figures[j].kind == p.kind and compatible(f, p) and ctx.layout.paren(f.start) is not None:
            if ctx.cues.phrase("so_voi").search(ctx.text, p.end, f.start):
                return j
            return None
        if compatible(f, p):
            return None             # another amount of the part's unit comes first
    return None


def _claims_by_subject(ctx: Context) -> dict:
    """Growth and multiple claims with no stated base, by the index of the figure they are about."""
    out: dict = {}
    for claim in ctx.claims:
        if claim.relation in ("multiple", "growth") and claim.base is None:
            subjects = ctx.subjects_before(claim.cue_start)
            if subjects:
                out.setdefault(subjects[0], []).append(claim)
    return out


def _against_bases(ctx: Context, total: int, parts: list, claims_of: dict) -> list[Check]:
    """'tổng vốn … hơn 1,556 tỷ USD, tăng 15,5 lần so với cùng kỳ. Trong đó, … 1,452 tỷ USD … (35,4
    triệu USD); … 104,79 triệu USD … (37,37 triệu USD)': the total's base is its parts' stated
    bases added up, and its growth or multiple is checked against that."""
    bases = [_stated_base(ctx, p) for p in parts]
    if None in bases:
        return []
    t = ctx.figures[total]
    base = sum(Decimal(ctx.figures[b].value) for b in bases)
    lo_t, hi_t = fig_interval(t)
    lo_b = sum(fig_interval(ctx.figures[b])[0] for b in bases)
    hi_b = sum(fig_interval(ctx.figures[b])[1] for b in bases)
    if not base or None in (lo_t, hi_t) or lo_b <= 0:
        return []
    q_iv = (lo_t / hi_b, (hi_t if hi_t is not None else lo_t) / lo_b)
    q = Decimal(t.value) / base
    ops = (operand(t),) + tuple(operand(ctx.figures[b]) for b in bases)
    base_txt = " + ".join(ctx.figures[b].text for b in bases)
    out = []
    for claim in claims_of.get(total, []):
        rep = (claim.reported - Decimal("0.05"), claim.reported + Decimal("0.05")) if claim.fig is None \
            else fig_interval(ctx.figures[claim.fig])
        if claim.relation == "multiple":
            holds = overlaps(rep, q_iv) or (claim.direction == "up" and overlaps(rep, scale(q_iv, Decimal(1), Decimal(-1))))
            kind, expected, shown = "growth", q.quantize(Decimal("0.1")), f"{format_auto(q, 1)} lần"
        else:
            holds = overlaps(rep, scale(q_iv, HUNDRED, -HUNDRED))
            kind, expected, shown = "growth", ((q - 1) * HUNDRED).quantize(Decimal("0.01")), pct((q - 1) * HUNDRED, 2)
        explanation = f"kỳ trước = {base_txt}; {t.text} / kỳ trước = {format_auto(q, 2)} lần, báo cáo ghi {claim.cue or claim.text}"
        out.append(Check(kind, "ok" if holds else "fail", claim.text, claim.start, claim.end, claim.reported,
                         expected, ops, explanation, ctx.source, shown,
                         resolved_by="bases of the parts stated", binding="stated"))
    return out


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry)."""
    totals: dict = {}
    for part, total in ctx.part_of.items():
        totals.setdefault(total, []).append(part)
    out = []
    claims_of = _claims_by_subject(ctx) if totals else {}
    for total, parts in totals.items():
        out += _against_bases(ctx, total, sorted(parts), claims_of)
        head = _growth_of(ctx, total)
        grown = [_growth_of(ctx, p) for p in sorted(parts)]
        if head is None or len(parts) < 2 or None in grown:
            continue
        earlier = sum(Decimal(ctx.figures[p].value) / (1 + g / HUNDRED) for p, (_, g) in zip(sorted(parts), grown))
        if earlier <= 0:
            continue
        t = ctx.figures[total]
        rate = (Decimal(t.value) / earlier - 1) * HUNDRED
        k, g_t = head
        claim = ctx.figures[k]
        rep = fig_interval(claim)
        # The parts' growths are printed rounded: half a last digit either way on each.
        slack = sum(fig_interval(ctx.figures[j])[1] - Decimal(ctx.figures[j].value) for j, _ in grown)
        if not overlaps((abs(rep[0]), abs(rep[1])), (abs(rate) - slack, abs(rate) + slack)):
            continue
        explanation = (f"kỳ trước = {' + '.join(f'{ctx.figures[p].text} / (1 + {ctx.figures[j].text})' for p, (j, _) in zip(sorted(parts), grown))}"
                       f" = {format_in_scale(earlier, *scale_of(t.text), max_decimals=1)}; {t.text} so với đó tăng {pct(rate, 2)}, báo cáo ghi {claim.text}")
        out.append(Check("growth", "ok", claim.text, claim.start, claim.end, Decimal(claim.value),
                         abs(rate).quantize(Decimal("0.01")), tuple(operand(ctx.figures[p]) for p in sorted(parts)),
                         explanation, ctx.source, pct(abs(rate), 2), resolved_by="parts and their growths",
                         binding="inferred"))
    return out
