"""Ratio, share, growth and multiple claims: a percentage (or 'gấp N lần') recomputed
from the figure it is about and the figure it is computed on.

ratio   ``X, đạt P% so với kế hoạch (Y)``      P = X / Y × 100
share   ``X, chiếm P% tổng … (Y)``             P = X / Y × 100
growth  ``X, tăng P% so với … (Y)``            P = (X / Y − 1) × 100  (giảm: 1 − X / Y)
multiple ``X, gấp N lần … (Y)``                N = X / Y  (reported as kind 'growth')
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

import regex

from kcextract.verifier.check import Check, format_auto, round_expected
from kcextract.verifier.claims import Claim
from kcextract.verifier.named_base import resolve as resolve_named_base
from kcextract.verifier.named_base import resolve_earlier_plan, resolve_plan
from kcextract.verifier.named_base import base_words, described_words, subject_candidates, words
from kcextract.verifier.named_base import resolve_subject as resolve_named_subject
from kcextract.verifier.workspace import (Context, amount_text, fig_interval, operand, pct,
                                          percentage_operand_interval)
from kcextract.verifier.tolerance import (decimals_in, decimals_written, divide, interval, overlaps,
                                        scale)

HUNDRED = Decimal(100)
_SLACK = Decimal("1e-9")
# A percentage written to this width or finer ('14,6%', not '30%') is unlikely to fit by chance.
_PRECISE = Decimal("0.2")
_CLAUSE_MARK = regex.compile(r"[;(),]")
_OPEN_BRACKET = regex.compile(r"[ \t]*\(")
_STOP_OR_BRACKET = regex.compile(r"[.;()]")
# How far from a claim (characters, either way) a base found by its period or its describing
# words may stand: a section of a long report, not the whole report (keeps verify linear).
REACH = 8000


def by_period(ctx: Context, claim: Claim, subject: int) -> Optional[int]:
    """The earlier figure a 'so với <period>' comparison points to, when the document
    states exactly one value of the same thing for that period elsewhere."""
    if not claim.period or claim.period.lower().startswith("cùng kỳ"):
        return None
    s = ctx.figures[subject]
    lay = ctx.layout
    own_start = lay.clause_start(s.start)
    period = claim.period.lower().replace("–", "-").replace(" ", "")
    own_sentence = lay.sentence(s.start)
    found = {}
    figures, bases, text = ctx.figures, ctx.bases, ctx.text
    for i in ctx.like_in(subject, max(0, claim.start - REACH), claim.end + REACH):
        if i == subject or i in bases or i == claim.fig:
            continue
        f = figures[i]
        clause_start = lay.clause_start(f.start)
        if clause_start == own_start and lay.sentence(f.start) == own_sentence:
            continue
        # The period must be named around the candidate: its own, or in its clause up to it,
        # or just after it.
        words = (f.period or "").lower().replace("–", "-").replace(" ", "")
        if period not in words:
            after = text[f.end:f.end + 30]
            mark = _CLAUSE_MARK.search(after)          # (the words after it, to the clause's end)
            context = text[clause_start:f.end] + (after[:mark.start()] if mark else after)
            if period not in context.lower().replace("–", "-").replace(" ", ""):
                continue
        found.setdefault(f.value, i)
    return next(iter(found.values())) if len(found) == 1 else None


def _percent_decimals(text: str) -> int:
    return max(2, decimals_in(text))


def _compute(relation: str, direction: Optional[str], x, y):
    """(interval, point) of the recomputed number for operand intervals/points x, y."""
    return _interval(relation, direction, x[0], y[0]), _point(relation, direction, x[1], y[1])


def _interval(relation: str, direction: Optional[str], x_iv, y_iv):
    """The interval of the recomputed number for operand intervals x_iv, y_iv."""
    q_iv = divide(x_iv, y_iv)
    if relation in ("ratio", "share"):
        return scale(q_iv, HUNDRED)
    if relation == "multiple":
        return q_iv
    if direction == "down":
        return scale(q_iv, -HUNDRED, HUNDRED)
    return scale(q_iv, HUNDRED, -HUNDRED)


def _point(relation: str, direction: Optional[str], x, y) -> Decimal:
    """The recomputed number for operand values x, y."""
    q = Decimal(x) / Decimal(y)
    if relation in ("ratio", "share"):
        return q * HUNDRED
    if relation == "multiple":
        return q
    if direction == "down":
        return HUNDRED - q * HUNDRED
    return q * HUNDRED - HUNDRED


def _formula(relation, direction, a, b, e, r, unit):
    if relation == "multiple":
        return f"{a} / {b} = {e} lần, báo cáo ghi gấp {r} lần"
    if relation == "growth" and direction == "down":
        return f"1 − {a} / {b} = {e}{unit}, báo cáo ghi giảm {r}{unit}"
    if relation == "growth":
        return f"{a} / {b} − 1 = {e}{unit}, báo cáo ghi tăng {r}{unit}"
    return f"{a} / {b} = {e}{unit}, báo cáo ghi {r}{unit}"


def _implied(relation, direction, reported: Decimal, x: Decimal) -> Optional[Decimal]:
    """The base the claim implies: X / (P/100) for a ratio, X / (1 ± P/100) for growth."""
    try:
        if relation in ("ratio", "share"):
            return x * HUNDRED / reported
        if relation == "multiple":
            return x / reported
        factor = (HUNDRED - reported) if direction == "down" else (HUNDRED + reported)
        return x * HUNDRED / factor
    except ArithmeticError:
        return None


_BASE_NAME = {"ratio": "kế hoạch (mốc so sánh)", "share": "tổng số", "growth": "số liệu so sánh",
              "multiple": "số liệu so sánh"}


def _point_bounds(rep_iv) -> tuple:
    """The bounds the recomputed value itself must lie within: what the report wrote (a
    search for a base must not lean on operand tolerances: 'ước đạt 6.200 tỷ' would then fit
    anything), with a hair of slack; None for an unbounded end."""
    lo, hi = rep_iv
    return None if lo is None else lo - _SLACK, None if hi is None else hi + _SLACK


def _fitting_bases(ctx: Context, claim: Claim, a: int, candidates: list, rep_iv, bounds,
                   within_rounding=False) -> list:
    """(subject, base, recomputed value) for each candidate base that makes the claim
    hold for subject ``a`` by its value (equal figures prove nothing).  A search among
    any nearby figures needs the exact quotient to fit; among figures already named by
    the claim's words (``within_rounding``) any reading of the operands as printed will do.
    ``bounds`` is :func:`_point_bounds` of ``rep_iv`` (found once per claim)."""
    figures, x = ctx.figures, ctx.figures[a]
    x_value = x.value
    x_iv = None
    relation, direction = claim.relation, claim.direction
    part_of_whole = relation in ("ratio", "share")
    low, high = bounds
    like = ctx.like(a)
    fits = []
    for i in candidates:
        if i not in like or i == a:
            continue
        b = figures[i]
        b_value = b.value
        if not b_value or b_value == x_value or (part_of_whole and b_value < x_value):
            continue
        point = _point(relation, direction, x_value, b_value)
        if (low is None or point >= low) and (high is None or point <= high):
            fits.append((a, i, point))
        elif within_rounding:
            # (the operands' intervals only when the exact quotient does not fit)
            x_iv = percentage_operand_interval(x) if x_iv is None else x_iv
            if overlaps(rep_iv, _interval(relation, direction, x_iv, percentage_operand_interval(b))):
                fits.append((a, i, point))
    return fits


def _confirm_with_nearby_base(ctx: Context, claim: Claim, subject: int, rep_iv, decimals, unit, r_txt,
                              base_hint: Optional[int] = None):
    """A base the report does not point at, but that the claim fits exactly.

    'Doanh thu đạt 1.250 tỷ đồng … Lợi nhuận 150 tỷ đồng, chiếm 12% doanh thu': the
    share is computed on a figure stated just before.  A figure of the same unit in the
    claim's sentence or the one before it that makes the claim hold confirms it, when it
    is the only one that does and is not already the base of another claim (the
    '(1.000 tỷ đồng)' of a growth).  A base that does not fit is no evidence of an
    error, so this never fails.
    """
    lay = ctx.layout
    s0, _ = lay.sentence(ctx.figures[subject].start)
    p0, _ = lay.sentence(max(s0 - 2, 0)) if s0 > 1 else (s0, s0)
    figures, bases = ctx.figures, ctx.bases
    nearby = [i for i in ctx.figures_in(p0, claim.start, kinds=("money", "count"))
              if i != claim.fig and i not in bases and figures[i].value]
    if base_hint is not None and base_hint not in nearby:
        nearby.append(base_hint)
    # The subject the clause points at first; other nearby figures only when the claim is
    # written precisely enough ('14,6%', not '30%') for a chance fit to be unlikely.
    precise = rep_iv[0] is not None and rep_iv[1] is not None and rep_iv[1] - rep_iv[0] <= _PRECISE
    subjects = [subject] + ([i for i in nearby if i != subject] if precise else [])
    # 'lao động nữ chiếm 60% (720 người)': the bracket right after the percentage holds
    # the part itself, and the subject the clause pointed at is then the whole.
    bracket = _OPEN_BRACKET.match(ctx.text[claim.end:claim.end + 4])
    if bracket:
        part = ctx.first_figure_after(claim.end + bracket.end(), len(ctx.text))
        if (part is not None and ctx.figures[part].start == claim.end + bracket.end()
                and ctx.figures[part].kind in ("money", "count")):
            subjects = [part] + subjects
            nearby = nearby + [subject]
    fits = []
    bounds = _point_bounds(rep_iv)
    for a in subjects:
        fits = _fitting_bases(ctx, claim, a, nearby, rep_iv, bounds)
        if fits:
            break       # the pointed-at subject wins over a search among the others
    if not fits and precise:
        # '… với 421 đề án (19,6%)': the total may stand paragraphs before; for the
        # pointed-at subject alone, a single figure of the document that fits a
        # percentage written to a tenth or better is no coincidence.
        # (only figures of the subject's unit can fit: _fitting_bases drops the others)
        earlier = [i for i in ctx.like_in(subject, max(0, p0 - REACH), p0) if i not in bases]
        fits = _fitting_bases(ctx, claim, subject, earlier, rep_iv, bounds)
    # The same figure written twice ('58 cơ sở …; Trong số 58 cơ sở này') is one base: keep the nearest.
    by_value: dict = {}
    for a, i, point in fits:
        by_value[(a, ctx.figures[i].value)] = (a, i, point)
    fits = list(by_value.values())
    if len(fits) != 1:
        return None
    a, i, point = fits[0]
    expected = round_expected(point, decimals)
    nums, _ = amount_text([ctx.figures[a], ctx.figures[i]])
    e_txt = format_auto(expected, decimals) if unit == "" else pct(expected, decimals)[:-1]
    return a, i, expected, _formula(claim.relation, claim.direction, nums[0], nums[1],
                                    e_txt, r_txt, unit)


MIN_SHARED_WORDS = 2


def _confirm_with_described_base(ctx: Context, claim: Claim, subject: int, rep_iv, decimals, unit, r_txt):
    """A plan or whole stated anywhere in the document and described by the same words as
    the subject or the claim ('… 4 đề án khuyến công địa phương với tổng kinh phí 578 triệu
    đồng, đạt 63% kế hoạch' and, paragraphs before, 'tổng kinh phí khuyến công địa phương …
    được phân bổ là 918 triệu đồng').  It must make the claim hold and be the only such
    figure: a described base confirms, it never accuses."""
    x = ctx.figures[subject]
    nearby = ctx.like_in(subject, max(0, claim.start - REACH), claim.end + REACH)
    quoted, figures = ctx.quoted, ctx.figures
    candidates = [i for i in nearby
                  if figures[i].value and figures[i].value != x.value
                  and i not in (subject, claim.fig) and not quoted[i]]
    # (the words only of the candidates that fit: both tests are kept, the cheaper first)
    fits = _fitting_bases(ctx, claim, subject, candidates, rep_iv, _point_bounds(rep_iv), within_rounding=True)
    if not fits:
        return None
    wanted = described_words(ctx, subject) | words(base_words(ctx, claim.end))
    fits = [fit for fit in fits if len(wanted & described_words(ctx, fit[1])) >= MIN_SHARED_WORDS]
    if len({ctx.figures[i].value for _, i, _ in fits}) != 1:
        return None
    a, i, point = fits[0]
    expected = round_expected(point, decimals)
    nums, _ = amount_text([ctx.figures[a], ctx.figures[i]])
    e_txt = pct(expected, decimals)[:-1]
    return a, i, expected, _formula(claim.relation, claim.direction, nums[0], nums[1], e_txt, r_txt, unit)


def _confirm_with_derived_plan(ctx: Context, claim: Claim, subject: int, rep_iv, decimals, r_txt):
    """'Thu ngân sách 6 tháng đạt 4.250 tỷ đồng, đạt 85% dự toán … Đến hết tháng 9 thu 6.300 tỷ
    đồng, đạt 126% dự toán': the plan the first claim implies (4.250 / 85% = 5.000 tỷ) is the
    base of a later claim naming the same plan in the same words.  Confirms only."""
    if claim.relation != "ratio" or claim.fig is None:
        return None
    x = ctx.figures[subject]
    named = words(base_words(ctx, claim.end))
    if not named:
        return None
    # (the claims that start within REACH before this one: the rest cannot be its source)
    for earlier in ctx.claims_between(claim.start - REACH, claim.start):
        if earlier is claim or earlier.relation != "ratio" or earlier.fig is None:
            continue
        if words(base_words(ctx, earlier.end)) != named:
            continue
        subjects = ctx.subjects_before(earlier.cue_start, like=x)
        if not subjects or subjects[0] == subject or not earlier.reported:
            continue
        e = ctx.figures[subjects[0]]
        e_iv = fig_interval(ctx.figures[earlier.fig])
        if None in e_iv or e_iv[0] <= 0:
            continue
        lo_x, hi_x = percentage_operand_interval(x)
        lo_e, hi_e = percentage_operand_interval(e)
        # x / (e / p) × 100 = p × x / e, over every reading of the three printed numbers.
        iv = (e_iv[0] * lo_x / hi_e, e_iv[1] * hi_x / lo_e)
        point = Decimal(earlier.reported) * Decimal(x.value) / Decimal(e.value)
        if overlaps(rep_iv, iv):
            plan = Decimal(e.value) * HUNDRED / Decimal(earlier.reported)
            nums, plan_txt = amount_text([x, e], plan, with_unit=True)
            expected = round_expected(point, decimals)
            return expected, [subject, subjects[0], earlier.fig], (
                f"kế hoạch suy từ {e.text} đạt {earlier.text}: {plan_txt}; {nums[0]} / {plan_txt} = "
                f"{pct(expected, decimals)}, báo cáo ghi {r_txt}%")
    return None


def evaluate(ctx: Context, claim: Claim) -> Check:
    """The check of one ratio/share/growth/multiple claim."""
    kind = "growth" if claim.relation == "multiple" else claim.relation
    if claim.fig is not None:
        rfig = ctx.figures[claim.fig]
        rep_iv = fig_interval(rfig, ignore_qualifier=claim.comparative)
        decimals = _percent_decimals(rfig.text)
        unit = "%"
    else:
        d = decimals_written(claim.text) if claim.text[:1].isdigit() else 0
        step = Decimal(1).scaleb(-d)
        rep_iv = interval(claim.reported, step)
        decimals = max(2, d)
        unit = ""
    r_txt = format_auto(claim.reported, 3)

    def check(status, expected=None, ops=(), explanation="", by="", stated=False):
        shown = "" if expected is None else (
            pct(expected, decimals) if unit else format_auto(expected, decimals) + " lần")
        return Check(kind, status, claim.text, claim.start, claim.end, claim.reported,
                     expected, tuple([operand(ctx.figures[i]) for i in ops]), explanation,
                     ctx.source, shown, resolved_by=by, binding="stated" if stated else "inferred")

    explicit = claim.base is not None
    base = claim.base
    by = "stated base" if explicit else ""
    if explicit:
        subjects = ctx.subjects_before(claim.cue_start, like=ctx.figures[base])
    else:
        subjects = ctx.subjects_before(claim.cue_start)
        if subjects:
            s = subjects[0]
            if claim.relation == "share" and s in ctx.part_of:
                base = ctx.part_of[s]            # 'chiếm P% kinh phí toàn vùng': the total above
                by = "total of a sum"
            elif claim.relation in ("growth", "multiple"):
                plan = resolve_earlier_plan(ctx, claim.start, claim.end, s) if claim.fig is not None else None
                if plan is not None:         # 'so với kế hoạch năm 2023': that year's plan
                    # (found by words and a year: good to confirm, never to accuse; a
                    # comparison year is easily the figure's own period misread)
                    base, explicit, by = plan.index, plan.unambiguous, "plan of the named year"
                else:
                    base = by_period(ctx, claim, s)
                    by = "same thing, named period" if base is not None else by
            subjects = [s]
    if not subjects and claim.fig is not None:
        # 'Kinh phí khuyến công địa phương chiếm 75% tổng kinh phí đề án': the subject is
        # named by words, its figure stands in an earlier sentence.  Good enough to
        # confirm the claim, never to accuse it.
        named = resolve_named_subject(ctx, claim.cue_start)
        if named is not None:
            confirmed = _confirm_with_nearby_base(ctx, claim, named, rep_iv, decimals, unit, r_txt,
                                                  base_hint=base)
            if confirmed is not None:
                s, base_i, expected, explanation = confirmed
                return check("ok", expected, [s, base_i], explanation, by="named subject, value fit")
        if claim.relation in ("ratio", "share"):
            # 'Xuất khẩu … sang Hàn Quốc hiện chiếm 34% tổng giá trị xuất khẩu': the words fit
            # this month's and the year's figure alike; the one that a described whole
            # makes hold is the subject (confirms only).
            for candidate in subject_candidates(ctx, claim.cue_start):
                confirmed = _confirm_with_described_base(ctx, claim, candidate, rep_iv, decimals, unit, r_txt)
                if confirmed is not None:
                    s, base_i, expected, explanation = confirmed
                    return check("ok", expected, [s, base_i], explanation, by="named subject, value fit")
    if not subjects and claim.relation == "share" and claim.fig is not None:
        # 'thương nghiệp chiếm tỷ trọng cao nhất với 82,14%, đạt trên 20.283 tỷ đồng': the
        # part follows its share; the whole is found by value (confirms only).
        after = ctx.first_figure_after(claim.end, claim.end + 30)
        if (after is not None and ctx.figures[after].kind in ("money", "count")
                and not _STOP_OR_BRACKET.search(ctx.text[claim.end:ctx.figures[after].start])):
            confirmed = _confirm_with_nearby_base(ctx, claim, after, rep_iv, decimals, unit, r_txt)
            if confirmed is not None:
                s, base_i, expected, explanation = confirmed
                return check("ok", expected, [s, base_i], explanation, by="value fit")
    if not subjects:
        return check("unverifiable", explanation=(
            f"không xác định được số liệu mà {r_txt}{unit} được tính cho"))
    if base is None and claim.fig is not None and claim.relation == "ratio":
        plan = resolve_plan(ctx, claim.start, claim.end, subjects[0])
        if plan is not None:
            base, explicit, by = plan.index, plan.unambiguous, "plan in the sentence"
    if base is None and claim.fig is not None:
        named = resolve_named_base(ctx, claim.start, claim.end, subjects[0])
        if named is not None:
            # Words name a category ('tổng số lao động của làng'), not a figure: a base
            # found by them confirms a claim, it never accuses one.
            base, explicit, by = named.index, False, "named base"
    if base is None:
        confirmed = _confirm_with_nearby_base(ctx, claim, subjects[0], rep_iv, decimals, unit, r_txt)
        if confirmed is not None:
            s, base_i, expected, explanation = confirmed
            return check("ok", expected, [s, base_i], explanation, by="value fit")
        if claim.relation in ("ratio", "share") and claim.fig is not None:
            described = _confirm_with_described_base(ctx, claim, subjects[0], rep_iv, decimals, unit, r_txt)
            if described is not None:
                s, base_i, expected, explanation = described
                return check("ok", expected, [s, base_i], explanation, by="described like its subject")
        derived = _confirm_with_derived_plan(ctx, claim, subjects[0], rep_iv, decimals, r_txt)
        if derived is not None:
            expected, ops, explanation = derived
            return check("ok", expected, ops, explanation, by="plan implied by an earlier claim")
        x = ctx.figures[subjects[0]]
        implied = _implied(claim.relation, claim.direction, claim.reported, Decimal(x.value))
        _, imp = amount_text([x], implied, with_unit=True, max_decimals=0)
        where = f" ({claim.period})" if claim.period else ""
        name = _BASE_NAME[claim.relation]
        tail = f"; {name} ngầm định ≈ {imp}" if imp else ""
        return check("unverifiable", ops=[subjects[0]], explanation=(
            f"Bài không nêu {name}{where} của {x.text}{tail}"))

    b = ctx.figures[base]
    b_iv = (percentage_operand_interval(b), Decimal(b.value))
    tried = []
    for s in subjects:
        x = ctx.figures[s]
        if b_iv[1] == 0:
            continue
        iv, point = _compute(claim.relation, claim.direction, (percentage_operand_interval(x), x.value),
                             b_iv)
        expected = round_expected(point, decimals)
        nums, _ = amount_text([x, b])
        e_txt = format_auto(expected, decimals) if unit == "" else \
            pct(expected, decimals)[:-1]
        explanation = _formula(claim.relation, claim.direction, nums[0], nums[1], e_txt,
                               r_txt, unit)
        tried.append((s, expected, explanation))
        if overlaps(rep_iv, iv) or (claim.relation == "multiple" and claim.direction == "up"
                                     and overlaps(rep_iv, scale(iv, Decimal(1), Decimal(-1)))):
            return check("ok", expected, [s, base], explanation, by=by, stated=explicit)
    if not tried:
        return check("unverifiable", explanation="mẫu số bằng 0", by=by)
    s, expected, explanation = tried[0]
    if explicit and len(subjects) == 1:
        return check("fail", expected, [s, base], explanation, by=by, stated=True)
    if claim.relation in ("ratio", "share") and claim.fig is not None:
        # An inferred base that does not fit is no evidence; a figure described like the
        # subject that does fit confirms the claim.
        described = _confirm_with_described_base(ctx, claim, subjects[0], rep_iv, decimals, unit, r_txt)
        if described is not None:
            s, base_i, expected, explanation = described
            return check("ok", expected, [s, base_i], explanation, by="described like its subject")
    why = ("nhiều số liệu có thể là tử số" if len(subjects) > 1
           else f"{_BASE_NAME[claim.relation]} được suy ra từ lời văn, không chắc chắn")
    return check("unverifiable", expected, [s, base], f"{explanation} ({why})", by=by)


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): every cue-introduced ratio, share, growth,
    multiple and difference claim."""
    from kcextract.verifier import difference

    return [difference.evaluate(ctx, c) if c.relation == "difference" else evaluate(ctx, c)
            for c in ctx.claims]
