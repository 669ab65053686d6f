"""The Check record: one arithmetic claim of a document, recomputed, with its evidence.

Also the Vietnamese number formatting used in explanations (``23,04%``,
``56.147 triệu``): a reader checks the explanation against the page, so it is
written the way the page writes numbers.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

import regex

from kcextract.figure import plain_number
from kcextract.patterns import load_patterns

CHECK_KINDS = ("ratio", "share", "growth", "difference", "sum", "count_list", "average")
BINDINGS = ("stated", "inferred")
STATUSES = ("ok", "fail", "unverifiable")

# The public output contract (issue 3): these columns, in this order.
CHECK_FIELDS = (
    "source", "kind", "status", "consistent", "claim_text", "claim_start", "claim_end",
    "reported", "expected", "operands", "explanation", "resolved_by", "binding", "cause",
)


# Check and Operand are frozen dataclasses with their own __init__: the generated one of a
# frozen dataclass sets each field through object.__setattr__ (24 thousand instructions a
# Check, 2% of verification); theirs store the fields at once.  Same parameters, order and
# defaults as the fields (tests/test_verify_check.py compares them).
@dataclass(frozen=True, init=False)
class Operand:
    """A figure used in a recomputation, with its offsets in the original text."""

    text: str
    start: int
    end: int
    value: Optional[Decimal]
    sentence: str = ""

    def __init__(self, text: str, start: int, end: int, value: Optional[Decimal], sentence: str = ""):
        self.__dict__.update(text=text, start=start, end=end, value=value, sentence=sentence)

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "value": plain_number(self.value),
                "sentence": self.sentence}


@dataclass(frozen=True, init=False)
class Check:
    """One claim (``23,23%``) recomputed from other figures of the same document.

    ``status`` is ``ok``, ``fail`` (operands unambiguous and the arithmetic does
    not hold) or ``unverifiable`` (an operand is missing or ambiguous).
    """

    kind: str
    status: str
    claim_text: str
    claim_start: int
    claim_end: int
    reported: Decimal
    expected: Optional[Decimal] = None
    operands: tuple = ()
    explanation: str = ""
    source: Optional[str] = None
    # Not in the output contract: the recomputed value written the report's way ('23,04%').
    expected_text: str = field(default="", compare=False)
    # How the operands were found: the resolver's name (see verifier/registry.py RESOLVERS)
    # and whether the text states the binding ('stated') or the verifier inferred it.
    resolved_by: str = ""
    binding: str = "inferred"
    # For a failure: the likely cause (rounding, swapped operands, another period, …).
    cause: str = ""

    def __init__(self, kind: str, status: str, claim_text: str, claim_start: int, claim_end: int,
                 reported: Decimal, expected: Optional[Decimal] = None, operands: tuple = (),
                 explanation: str = "", source: Optional[str] = None, expected_text: str = "",
                 resolved_by: str = "", binding: str = "inferred", cause: str = ""):
        if kind not in CHECK_KINDS:
            raise ValueError(f"unknown check kind {kind!r}")
        if status not in STATUSES:
            raise ValueError(f"unknown check status {status!r}")
        if binding not in BINDINGS:
            raise ValueError(f"unknown binding {binding!r}")
        self.__dict__.update(
            kind=kind, status=status, claim_text=claim_text, claim_start=claim_start, claim_end=claim_end,
            reported=reported, expected=expected, operands=operands, explanation=explanation,
            source=source, expected_text=expected_text, resolved_by=resolved_by, binding=binding,
            cause=cause)

    @property
    def consistent(self) -> Optional[bool]:
        return {"ok": True, "fail": False}.get(self.status)

    def to_dict(self) -> dict:
        """The public record (issue 3's contract), numbers as int/float."""
        return {
            "source": self.source, "kind": self.kind, "status": self.status,
            "consistent": self.consistent, "claim_text": self.claim_text,
            "claim_start": self.claim_start, "claim_end": self.claim_end,
            "reported": plain_number(self.reported), "expected": plain_number(self.expected),
            "operands": [o.to_dict() for o in self.operands],
            "explanation": self.explanation,
            "resolved_by": self.resolved_by, "binding": self.binding, "cause": self.cause,
        }


# (format_vn and format_auto are cached: their text depends only on the number's value,
# and a report formats the same figures for every check it is an operand of)
@functools.lru_cache(maxsize=1 << 14)
def format_vn(value: Decimal, decimals: int = 0) -> str:
    """A number the Vietnamese way: '.' groups thousands, ',' marks decimals.

    >>> format_vn(Decimal("56147"))
    '56.147'
    >>> format_vn(Decimal("23.0358"), 2)
    '23,04'
    >>> format_vn(Decimal("-8.007"), 1)
    '-8,0'
    >>> format_vn(Decimal("1234567.5"), 1)
    '1.234.567,5'
    """
    v = Decimal(value).quantize(_step(decimals), rounding=ROUND_HALF_UP)
    sign = "-" if v < 0 else ""
    whole, _, frac = f"{abs(v):f}".partition(".")
    out = sign + f"{int(whole):,}".replace(",", ".")
    return out + ("," + frac if decimals > 0 else "")


@functools.lru_cache(maxsize=1 << 14)
def format_auto(value: Decimal, max_decimals: int = 2) -> str:
    """Vietnamese format with only the decimals the value needs (up to ``max_decimals``).

    >>> format_auto(Decimal("3.60")), format_auto(Decimal("1.55")), format_auto(Decimal("63"))
    ('3,6', '1,55', '63')
    """
    for d in range(max_decimals + 1):
        if Decimal(value).quantize(_step(d)) == Decimal(value):
            return format_vn(value, d)
    return format_vn(value, max_decimals)


@functools.lru_cache(maxsize=1 << 14)
def scale_of(text: str) -> tuple[Decimal, str]:
    """The scale word a money figure is written in (lexicon SCALE), its multiplier and the
    name explanations use for it (lexicon SCALE_NAME).

    >>> scale_of("56.147 triệu đồng")
    (Decimal('1000000'), 'triệu')
    >>> scale_of("2,52 tỉ đồng")
    (Decimal('1000000000'), 'tỷ')
    >>> scale_of("1.784,8 nghìn tỷ đồng")
    (Decimal('1000000000000'), 'nghìn tỷ')
    >>> scale_of("24.000 USD")
    (Decimal('1'), '')
    """
    lexicon = load_patterns().lexicon
    m = _scale_words().search(text)
    if not m:
        return Decimal(1), ""
    mult = Decimal(lexicon.meaning("SCALE", m.group(0)))
    return mult, _scale_names().get(mult, " ".join(m.group(0).split()))


@functools.lru_cache(maxsize=1)
def _scale_names() -> dict:
    """Multiplier -> the name explanations give it (lexicon SCALE_NAME)."""
    return {Decimal(v): k for k, v in load_patterns().lexicon.meanings["SCALE_NAME"].items()}


@functools.lru_cache(maxsize=1)
def _scale_words() -> regex.Pattern:
    return regex.compile(r"(?<!\p{L})" + load_patterns().lexicon.alternation("SCALE") + r"(?!\p{L})",
                         regex.IGNORECASE)


def format_in_scale(value: Decimal, mult: Decimal, name: str, max_decimals: int = 3) -> str:
    """A money value written in a given scale: ``format_in_scale(56147000000, 10**6, 'triệu')``.

    >>> format_in_scale(Decimal("56147000000"), Decimal(10) ** 6, "triệu")
    '56.147 triệu'
    >>> format_in_scale(Decimal("3600000000"), Decimal(10) ** 9, "tỷ")
    '3,6 tỷ'
    """
    text = format_auto(Decimal(value) / mult, max_decimals)
    return f"{text} {name}" if name else text


def round_expected(value: Decimal, decimals: int) -> Decimal:
    """The recomputed number rounded to ``decimals`` (half up, like a report would).

    >>> round_expected(Decimal("93.71416"), 2)
    Decimal('93.71')
    """
    return Decimal(value).quantize(_step(decimals), rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=64)
def _step(decimals: int) -> Decimal:
    """One unit of the last of ``decimals`` decimals: 1E-2 for 2."""
    return Decimal(1).scaleb(-decimals)
