"""How precisely a report wrote a number, as an interval of values it can stand for.

A figure written ``93,71%`` stands for anything that rounds to it (93,705–93,715);
``8 %`` for 7,5–8,5; ``gần 3,6 tỷ`` ("nearly 3,6 tỷ") for 3,55–3,6; ``hơn 1,63 tỷ``
("a little more than 1,63 tỷ") for 1,63–1,64 (a writer with 1,7 tỷ would say so).  The verifier compares intervals, never bare
numbers, so rounding the report did on purpose is never taken for an error.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Optional, Tuple

import regex

from kcextract.numbers import decimals_written, parse_vn_number
from kcextract.patterns import load_patterns

Interval = Tuple[Optional[Decimal], Optional[Decimal]]   # None = unbounded

_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")
_POWERS = {Decimal(10) ** k: Decimal(10) ** k for k in range(-4, 13)}   # (a ratio, looked up by value)
_ONE = Decimal(1)
_INFINITY = Decimal("Infinity")


@functools.lru_cache(maxsize=1 << 12)
def decimals_in(text: str) -> int:
    """Decimals written in a figure's text, its sign and unit aside.

    >>> decimals_in("93,71%"), decimals_in("-4,19"), decimals_in("15,5"), decimals_in("8 %")
    (2, 2, 1, 0)

    (Cached: every claim on a percentage asks, and a long report repeats its figures' texts.)
    """
    tokens = _NUMBER.findall(text)
    return decimals_written(tokens[-1]) if tokens else 0


def _tidy(d: Decimal) -> Decimal:
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def precision_unit(text: str, value: Decimal) -> Decimal:
    """The value of one unit in the last digit the report wrote, in the figure's own units.

    >>> precision_unit("56.147 triệu đồng", Decimal("56147000000"))
    Decimal('1000000')
    >>> precision_unit("2,52 tỉ đồng", Decimal("2520000000"))
    Decimal('10000000')
    >>> precision_unit("93,71%", Decimal("93.71"))
    Decimal('0.01')
    >>> precision_unit("5 tỷ 200 triệu đồng", Decimal("5200000000"))
    Decimal('1000000')
    >>> precision_unit("145 cơ sở", Decimal("145"))
    Decimal('1')
    """
    return _tidy(_precision_unit(text, value))


def _precision_unit(text: str, value: Decimal) -> Decimal:
    """Unrounded worker of :func:`precision_unit`."""
    tokens = _NUMBER.findall(text)
    if not tokens or value is None:
        return Decimal(1)
    last = tokens[-1]
    step = Decimal(10) ** -decimals_written(last)
    if len(tokens) == 1 or "/" in text:
        try:
            written = parse_vn_number(last if len(tokens) == 1 else tokens[0])
        except (ArithmeticError, ValueError):
            return step
        if written and "/" not in text:
            power = _POWERS.get((Decimal(value) / written).normalize())
            if power is not None:
                return step * power
        return step
    after = text[text.rfind(last) + len(last):]
    m = _scale_after().match(after)
    if m:
        return step * Decimal(load_patterns().lexicon.meaning("SCALE", m.group(1)))
    return step


@functools.lru_cache(maxsize=1)
def _scale_after() -> "regex.Pattern":
    """A scale word of lexicon.yaml SCALE ("56.147 triệu", "1 nghìn tỷ") right after a number."""
    return regex.compile(r"\s*(" + load_patterns().lexicon.alternation("SCALE") + r")(?!\w)",
                         regex.IGNORECASE | regex.VERSION0)


def interval(value: Decimal, unit: Decimal, qualifier: str = "exact",
             exact_integers: bool = False) -> Interval:
    """The values a written number can stand for, given its precision and qualifier.

    ``exact_integers``: a count of things (``145 cơ sở``) is not rounded.

    >>> interval(Decimal("93.71"), Decimal("0.01"))
    (Decimal('93.705'), Decimal('93.715'))
    >>> interval(Decimal("3.6"), Decimal("0.1"), "under")
    (Decimal('3.55'), Decimal('3.6'))
    >>> interval(Decimal("730"), Decimal("10"), "over")
    (Decimal('730'), Decimal('740'))
    >>> interval(Decimal("145"), Decimal("1"), exact_integers=True)
    (Decimal('145'), Decimal('145'))
    """
    half = Decimal(0) if exact_integers else unit / 2
    if qualifier == "under":           # gần, chưa đến, dưới: just under what is written
        return (value - unit / 2 if not exact_integers else value - unit, value)
    if qualifier == "over":            # hơn, trên: a little more, within the last digit written
        return (value, value + unit)
    if qualifier == "at_least":
        return (value, None)
    if qualifier == "at_most":
        return (None, value)
    if qualifier == "approx":          # khoảng, ước, xấp xỉ: a full unit either way
        return (value - unit, value + unit)
    return (value - half, value + half)


def overlaps(a: Interval, b: Interval, slack: Decimal = Decimal("1e-9")) -> bool:
    """Whether two intervals share a value (None ends are unbounded).

    >>> overlaps((Decimal(1), Decimal(2)), (Decimal("2.0000000001"), None))
    True
    >>> overlaps((Decimal(1), Decimal(2)), (Decimal(3), Decimal(4)))
    False
    """
    (a0, a1), (b0, b1) = a, b
    # (the larger lower end and the smaller upper end; written out, as this runs for every
    # candidate a claim is tried against)
    lo = b0 if a0 is None else a0 if b0 is None or b0 <= a0 else b0
    hi = b1 if a1 is None else a1 if b1 is None or a1 <= b1 else b1
    if lo is None or hi is None:
        return True
    scale = max(abs(lo), abs(hi), _ONE)
    return lo <= hi + slack * scale


def contains(a: Interval, x: Decimal, slack: Decimal = Decimal("1e-9")) -> bool:
    """``overlaps(a, (x, x))``: whether the interval holds the number ``x`` (same slack).

    >>> contains((Decimal(1), Decimal(2)), Decimal("2.0000000001")), contains((None, Decimal(2)), Decimal(3))
    (True, False)
    """
    a0, a1 = a
    lo = x if a0 is None else a0 if x <= a0 else x
    hi = x if a1 is None else a1 if a1 <= x else x
    return lo <= hi + slack * max(abs(lo), abs(hi), _ONE)


def outside_bounds(a: Interval) -> tuple[Decimal, Decimal]:
    """Bounds beyond which no number is in the interval ``a`` even with :func:`contains`'s slack
    (1e-9 of the larger number): each end moved out by a thousandth of itself plus one, far
    wider, so a loop over many candidate sums skips the exact test for most of them (an
    unbounded end: no bound).

    >>> outside_bounds((Decimal(100), None))
    (Decimal('98.9'), Decimal('Infinity'))
    >>> lo, hi = outside_bounds((Decimal(-5), Decimal(10**12)))
    >>> contains((Decimal(-5), Decimal(10**12)), hi), contains((Decimal(-5), Decimal(10**12)), Decimal(10**12) * (1 + Decimal("1e-9")))
    (False, True)
    """
    lo, hi = a
    return (-_INFINITY if lo is None else lo - abs(lo) / 1000 - 1,
            _INFINITY if hi is None else hi + abs(hi) / 1000 + 1)


def add(a: Interval, b: Interval) -> Interval:
    """Sum of two intervals.

    >>> add((Decimal(1), Decimal(2)), (Decimal(3), None))
    (Decimal('4'), None)
    """
    lo = None if a[0] is None or b[0] is None else a[0] + b[0]
    hi = None if a[1] is None or b[1] is None else a[1] + b[1]
    return (lo, hi)


def divide(a: Interval, b: Interval) -> Interval:
    """Quotient of two intervals of positive numbers (an unbounded end stays unbounded).

    >>> divide((Decimal(1), Decimal(2)), (Decimal(4), Decimal(5)))
    (Decimal('0.2'), Decimal('0.5'))
    """
    lo = None if a[0] is None or b[1] is None or b[1] == 0 else a[0] / b[1]
    if a[1] is None or b[0] is None or b[0] <= 0:
        hi = None
    else:
        hi = a[1] / b[0]
    return (lo, hi)


def scale(a: Interval, factor: Decimal, offset: Decimal = Decimal(0)) -> Interval:
    """``a * factor + offset`` (a negative factor swaps the ends).

    >>> scale((Decimal(1), Decimal(2)), Decimal(-100), Decimal(100))
    (Decimal('-100'), Decimal('0'))
    """
    lo = None if a[0] is None else a[0] * factor + offset
    hi = None if a[1] is None else a[1] * factor + offset
    return (lo, hi) if factor >= 0 else (hi, lo)
