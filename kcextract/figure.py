"""The Figure record: one number found in a document, with its provenance.

A figure keeps the text exactly as written next to its parsed value, and the
character offsets of that text in the ORIGINAL document (not the normalised
copy used for matching), so a user can always click back to where it came from.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Optional

KINDS = ("money", "percent", "count", "project")
QUALIFIERS = ("exact", "approx", "under", "over", "at_least", "at_most")

# The public output contract (issue 2): these columns, in this order.
OUTPUT_FIELDS = (
    "source", "kind", "text", "start", "end", "value", "value_max", "currency",
    "unit", "qualifier", "of_total", "name", "sentence", "label", "scope", "period", "period_years",
    "role", "per", "beneficiary", "place", "amount", "status",
)


def plain_number(value):
    """Decimal -> int when whole, else float; None stays None (for JSON/CSV export)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class Figure:
    """A money amount, percentage, count or named project found in a text.

    ``value``/``value_max``/``of_total`` are Decimals (exact arithmetic for the
    verifier); they become int/float only at export (:meth:`to_dict`).
    """

    kind: str
    text: str
    start: int
    end: int
    value: Optional[Decimal] = None
    value_max: Optional[Decimal] = None
    currency: Optional[str] = None
    unit: Optional[str] = None
    qualifier: str = "exact"
    of_total: Optional[Decimal] = None
    name: Optional[str] = None
    sentence: str = ""
    label: Optional[str] = None
    period: Optional[str] = None
    source: Optional[str] = None
    # The frame (kcextract/frames.py): whose, for which years, what part, per what.
    scope: Optional[str] = None
    period_years: tuple = ()
    role: Optional[str] = None
    per: Optional[str] = None
    # What the text says of a named project: who benefits, where, how much, how far along.
    beneficiary: Optional[str] = None
    place: Optional[str] = None
    amount: Optional[Decimal] = None
    status: Optional[str] = None
    # Provenance helpers (not in the output contract): where the sentence and
    # the qualifier word stand in the original text.
    sentence_start: int = 0
    qualifier_start: Optional[int] = field(default=None, compare=False)

    @classmethod
    def found(cls, kind: str, text: str, start: int, end: int, **fields) -> "Figure":
        """The Figure ``Figure(kind, text, start, end, **fields)``, built without the frozen
        dataclass's ``__init__`` (a guarded setattr for each of its fields): the extractor
        builds thousands a megabyte.  Same defaults, same checks."""
        values = dict(_DEFAULTS, kind=kind, text=text, start=start, end=end)
        values.update(fields)
        if len(values) != len(_DEFAULTS):
            unknown = sorted(set(values) - set(_DEFAULTS))
            raise TypeError(f"Figure has no field {unknown[0]!r}")
        figure = object.__new__(cls)
        figure.__dict__.update(values)
        figure.__post_init__()
        return figure

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown figure kind {self.kind!r}")
        if self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")
        if self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}-{self.end} does not fit text {self.text!r}")

    def __reduce__(self):
        """Pickled as its field values in declaration order, rebuilt without the checks it
        passed when found: worker processes send thousands a megabyte to the parent, which
        then unpickles a quarter fewer instructions than from a dict of field names."""
        return _figure_from_values, (_field_values(self.__dict__),)

    @property
    def sentence_end(self) -> int:
        return self.sentence_start + len(self.sentence)

    def to_dict(self) -> dict:
        """The public record (issue 2's contract), numbers as int/float.  Read straight from the
        fields: they hold strings, numbers and one tuple of years, so ``dataclasses.asdict``'s
        deep copy of all 25 (which cost ``extract`` about half its own time) is not needed."""
        d = self.__dict__
        out = {k: d[k] for k in OUTPUT_FIELDS}
        for k in ("value", "value_max", "of_total", "amount"):
            out[k] = plain_number(out[k])
        out["period_years"] = list(self.period_years)
        return out


# Every field with its default, in declaration order (for Figure.found); the four
# without one are always given.
_DEFAULTS = {f.name: f.default for f in fields(Figure)}
_FIELD_NAMES = tuple(_DEFAULTS)
# A figure's ``__dict__`` -> its field values in declaration order, in one C call.
_field_values = operator.itemgetter(*_FIELD_NAMES)


def _figure_from_values(values: tuple) -> Figure:
    """The Figure :meth:`Figure.__reduce__` pickled (its values already passed ``__post_init__``)."""
    figure = object.__new__(Figure)
    figure.__dict__.update(zip(_FIELD_NAMES, values))
    return figure


def figure_values(figures) -> list[tuple]:
    """The figures as rows of field values, the compact form in which a worker process sends a
    document's figures to the parent: pickling plain tuples skips a ``__reduce__`` call per
    figure (about 20% fewer instructions to pickle; unpickling costs about the same)."""
    return [_field_values(f.__dict__) for f in figures]


def figures_from_values(rows) -> tuple:
    """The Figures of :func:`figure_values`, rebuilt without the checks they passed when found."""
    return tuple(map(_figure_from_values, rows))


def figure_field_names() -> list[str]:
    return [f.name for f in fields(Figure)]
