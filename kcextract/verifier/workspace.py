"""One document being verified: its text, figures, layout and the shared bookkeeping
(which figures are already used as bases, so they are never taken for a subject or a part).
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import operator
from decimal import Decimal
from itertools import chain, repeat
from typing import Optional

from kcextract.figure import Figure
from kcextract.verifier.check import (Operand, format_auto, format_in_scale, format_vn,
                                    scale_of)
from kcextract.verifier.anchors import AnchorIndex, AnyOf
from kcextract.verifier.cues import Cues, load_cues
from kcextract.verifier.layout import Layout
from kcextract.verifier.tolerance import Interval, interval, precision_unit

AMOUNT_KINDS = ("money", "count")
_BY_PLACE = operator.attrgetter("start", "end")


def unit_key(fig: Figure) -> str:
    """What a figure measures, for comparing like with like: currency or counted noun."""
    return _unit_key(fig.kind, fig.currency, fig.unit)


# (the three functions below are cached on the strings they read: a long report compares
# the same few units hundreds of thousands of times)
@functools.lru_cache(maxsize=1 << 12)
def _unit_key(kind: str, currency: Optional[str], unit: Optional[str]) -> str:
    if kind == "money":
        return (currency or "VND").upper()
    if kind == "percent":
        return "%"
    return " ".join((unit or "").lower().split())


def compatible(a: Figure, b: Figure) -> bool:
    """Same kind and same unit: money in the same currency, counts of the same thing
    (``cơ sở`` and ``cơ sở CNNT`` agree; ``lượt cơ sở`` is another thing)."""
    if a.kind != b.kind:
        return False
    return _compatible_units(a.kind, unit_key(a), unit_key(b))


@functools.lru_cache(maxsize=1 << 14)
def _compatible_units(kind: str, ua: str, ub: str) -> bool:
    if kind != "count" or not ua or not ub:
        return ua == ub or kind == "count"
    if ua == ub or ua.startswith(ub + " ") or ub.startswith(ua + " "):
        return True
    # A pair of nouns ('tỉnh, thành phố', '120 doanh nghiệp, hợp tác xã') counts things of
    # each: the 42 'sản phẩm' of the 46 'sản phẩm, nhóm sản phẩm' are some of them.
    if "," in ua or "," in ub:
        return any(_compatible_units(kind, a, b) for a in _nouns(ua) for b in _nouns(ub)
                   if (a, b) != (ua, ub))
    return False


def _nouns(unit: str) -> list:
    """The nouns of a count's unit: 'tỉnh, thành phố' -> ['tỉnh', 'thành phố']."""
    return [noun.strip() for noun in unit.split(",") if noun.strip()]


def same_head(a: Figure, b: Figure) -> bool:
    """Counts of the same head noun ('cơ sở sản xuất công nghiệp' and 'cơ sở công nghiệp
    nông thôn' are both 'cơ sở'): most Vietnamese nouns are two syllables, and what
    follows them qualifies the thing counted rather than naming another."""
    if a.kind != "count" or b.kind != "count":
        return compatible(a, b)
    return _same_head_units(unit_key(a), unit_key(b))


@functools.lru_cache(maxsize=1 << 14)
def _same_head_units(ua: str, ub: str) -> bool:
    ha, hb = ua.split()[:2], ub.split()[:2]
    # ('làng' and 'làng nghề' count the same villages: a one-syllable noun is the head.)
    short = min(len(ha), len(hb))
    return short > 0 and ha[:short] == hb[:short]


# A round amount ('2 tỷ đồng') is not read as ±0,5 tỷ: a reader takes it to within about
# a percent, so the rounding allowed for money is capped at 2% of the amount (±1%).
MONEY_ROUNDING_CAP = Decimal("0.02")


def fig_interval(fig: Figure, ignore_qualifier: bool = False) -> Interval:
    """The values a figure can stand for (its written precision and its qualifier)."""
    qualifier = "exact" if ignore_qualifier else fig.qualifier
    return _written_interval(fig.kind, fig.text, Decimal(fig.value), qualifier)


@functools.lru_cache(maxsize=1 << 16)
def _written_interval(kind: str, text: str, value: Decimal, qualifier: str) -> Interval:
    # (cached: a long report asks for the same figure's interval once per candidate claim)
    unit = precision_unit(text, value)
    if qualifier in ("approx", "under", "over") and value:
        # 'gần 37.000 DN', 'khoảng 32.100 DN': a qualified round number is rounded to its
        # last non-zero digit (37.000 to the thousand), not to the unit.
        while value % (unit * 10) == 0 and unit * 100 <= abs(value):
            unit *= 10
    if kind == "money" and value and qualifier == "exact":
        # (a qualifier keeps its written width: 'gần 3,6 tỷ' accepts 3,55–3,6 tỷ)
        unit = min(unit, abs(value) * MONEY_ROUNDING_CAP)
    return interval(value, unit, qualifier, exact_integers=(kind == "count"))


def percentage_operand_interval(fig: Figure) -> Interval:
    """An operand of a percentage: as :func:`operand_interval`, and a round amount written
    with trailing zeros ('457.500 tỷ đồng') may stand for anything rounding to its last
    non-zero digit, since reports compute a percentage first and round the amounts they print."""
    if fig.kind != "money" or fig.qualifier != "exact" or not fig.value:
        return operand_interval(fig)
    return _round_amount_interval(fig.text, Decimal(fig.value))


@functools.lru_cache(maxsize=1 << 16)
def _round_amount_interval(text: str, value: Decimal) -> Interval:
    # (cached as _written_interval: the same base is tried against many claims)
    # ('2,1 triệu tỷ đồng, chiếm 75,2% tổng mức' of 2,86 triệu tỷ: 2,15 / 2,86 = 75,2%; the
    # cap that keeps '2 tỷ' from meaning 1,5–2,5 tỷ in a sum does not apply to a percentage's
    # operands, which the report printed after computing it.)
    unit = precision_unit(text, value)
    while value % (unit * 10) == 0 and unit * 1000 <= abs(value):
        unit *= 10
    return (value - unit / 2, value + unit / 2)


def operand_interval(fig: Figure) -> Interval:
    """The values an operand stands for: everything that rounds to it as written, and
    what its qualifier allows ('gần 3,6 tỷ' is 3,55–3,6).  Real reports compute from
    unrounded numbers and print both rounded: '3,8 tỷ USD, chiếm 15,3% của 24,5 tỷ' holds
    (3,76 / 24,55 = 15,3%), so a claim is consistent when some reading of its operands
    within their written precision gives it, and it fails only when none does."""
    return fig_interval(fig)


@functools.lru_cache(maxsize=64)
def _any_of(cues: Cues, role: str) -> AnyOf:
    """The cues of ``role`` taken as one (built once per set of cues, not per document)."""
    return AnyOf.of(role, cues.role(role))


def _with_sentence(fig: Figure, layout: Layout, text: str) -> Figure:
    s0, s1 = layout.sentence(fig.start)
    return dataclasses.replace(fig, sentence=text[s0:s1], sentence_start=s0)


def operand(fig: Figure) -> Operand:
    return Operand(fig.text, fig.start, fig.end, fig.value, _one_line(fig.sentence))


@functools.lru_cache(maxsize=1 << 12)
def _one_line(sentence: str) -> str:
    """The sentence on one line, single-spaced (an operand's evidence; cached: a figure is
    the operand of several checks)."""
    return " ".join(sentence.split())


def amount_text(figs: list[Figure], value: Optional[Decimal] = None, with_unit: bool = False,
                max_decimals: int = 3, scale_too: tuple = ()):
    """Numbers of ``figs`` (and optionally a computed ``value``) in one common scale,
    the way the report writes them: ``(['23.436', '101.735'], '23.436 triệu')``.
    ``scale_too``: figures whose scale words count for the common scale but whose numbers
    are not wanted (a sum's total, quoted as the report writes it)."""
    first = figs[0]
    if first.kind != "money":
        nums = [format_auto(Decimal(f.value), 2) for f in figs]
        extra = None if value is None else format_auto(Decimal(value), min(2, max_decimals))
        unit = f" {first.unit}" if (with_unit and first.unit) else ""
        return nums, (None if extra is None else extra + unit)
    mult, name = scale_of(first.text)
    same = all(scale_of(f.text)[1] == name for f in chain(figs, scale_too))
    shown = "" if same else name
    nums = [_figure_in_scale(f.value, mult, shown) for f in figs]
    extra = None
    if value is not None:
        extra = format_in_scale(Decimal(value), mult, name, max_decimals)
        if with_unit and first.currency == "USD":
            extra += " USD"
        elif with_unit:
            extra += " đồng"
    return nums, extra


# (keyed on the figure's own Decimal, whose hash is computed once: the same figures are
# written out by several claims, a new quotient each time would be hashed anew)
@functools.lru_cache(maxsize=1 << 14)
def _figure_in_scale(value: Decimal, mult: Decimal, name: str) -> str:
    """:func:`format_in_scale` of a figure's value (three decimals at most)."""
    return format_in_scale(value, mult, name)


def pct(value: Decimal, decimals: int) -> str:
    return format_vn(value, decimals) + "%"


class Context:
    """Text + figures + layout of one document, and what has been used for what."""

    def __init__(self, text: str, figures: list[Figure], source=None, cues: Cues = None,
                 sentence_spans: Optional[list] = None, tables: Optional[list] = None):
        self.text = text
        self.source = source
        self.tables = tables             # the figures stage's tables, when handed over
        self.layout = Layout(text, sentence_spans)
        # Every figure carries its sentence (the evidence an explanation quotes), also
        # when a caller built the figures by hand.
        self.figures = sorted((f if f.sentence else _with_sentence(f, self.layout, text) for f in figures),
                              key=_BY_PLACE)
        self._starts = [f.start for f in self.figures]
        self.cues = cues or load_cues()
        self._bases: Optional[set[int]] = None
        self._amounts_by_unit: Optional[dict] = None
        self._amounts_by_year: Optional[dict] = None
        # Where the cues' anchor and start words stand (which of them stand at all, at once;
        # where each stands, on first use).
        self.anchors = AnchorIndex(text, self.cues.words)
        self._directions: dict = {}
        # What a claim type derives once per document (its eligible figures …), by its own key.
        self.memo: dict = {}
        # figure index -> :meth:`_like` and :meth:`_same_heads` of it
        self._like_at: dict = {}
        self._same_heads_at: dict = {}
        # part figure index -> total figure index: provided by the 'sums' claim type and read
        # by those that declare 'needs: [part_of]' (patterns/relations.yaml, checked at load)
        self.part_of: dict[int, int] = {}

    def amounts_by_unit(self) -> dict:
        """Money and count figures with a positive value, by unit key, sorted by value
        (built once: the look-ups of a long report stay n log n)."""
        if self._amounts_by_unit is None:
            groups: dict = {}
            for f in self.figures:
                if f.kind in AMOUNT_KINDS and f.value and f.value > 0:
                    groups.setdefault((f.kind, unit_key(f)), []).append((Decimal(f.value), f))
            self._amounts_by_unit = {k: sorted(v, key=lambda p: p[0]) for k, v in groups.items()}
            self._amount_values = {k: [v for v, _ in pairs] for k, pairs in self._amounts_by_unit.items()}
        return self._amounts_by_unit

    def indexes(self, kind: str) -> list[int]:
        """The indexes of the figures of one kind, in text order (listed once: most claim
        types read only counts, or only percentages)."""
        key = ("indexes", kind)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = [i for i, f in enumerate(self.figures) if f.kind == kind]
        return found

    def _by_unit(self) -> dict:
        """Figure indexes by (kind, unit key), in text order (built once)."""
        found = self.memo.get("by unit")
        if found is None:
            found = self.memo["by unit"] = {}
            for i, f in enumerate(self.figures):
                found.setdefault((f.kind, _unit_key(f.kind, f.currency, f.unit)), []).append(i)
        return found

    def like(self, i: int) -> frozenset:
        """The indexes ``j`` with ``compatible(figures[j], figures[i])``: the same kind and
        unit (found once per unit; a long report asks for every claim and every total)."""
        return self._like(i)[0]

    def like_in(self, i: int, start: int, end: int) -> list[int]:
        """:meth:`figures_in` ``(start, end)`` of the figures compatible with figure ``i``."""
        return self.among(self._like(i)[1], start, end)

    def like_groups(self, kinds=AMOUNT_KINDS):
        """(the figures of one kind and unit, the sorted indexes compatible with them) for
        each unit of ``kinds``: what :meth:`like` answers for each of those figures, found
        once per unit (a claim type that reads every figure need not ask figure by figure)."""
        with_others = self._count_units_with_others()
        for (kind, unit), group in self._by_unit().items():
            if kind in kinds:
                # (a unit compatible with no other unit is like its own figures alone: most are)
                yield group, self._like_of(kind, unit)[1] if kind == "count" and unit in with_others else group

    def _like(self, i: int) -> tuple[frozenset, list]:
        # (by figure first: asked for the same figures again and again, and the unit key
        # need then not be made)
        found = self._like_at.get(i)
        if found is None:
            found = self._like_at[i] = self._like_of_unit(i)
        return found

    def _like_of_unit(self, i: int) -> tuple[frozenset, list]:
        """(members, sorted members) of figure ``i``'s kind and unit, found once per unit."""
        f = self.figures[i]
        return self._like_of(f.kind, unit_key(f))

    def _like_of(self, kind: str, unit: str) -> tuple[frozenset, list]:
        """(members, sorted members) of one kind and unit key, found once."""
        key = ("like", kind, unit)
        found = self.memo.get(key)
        if found is None:
            by_unit = self._by_unit()
            if kind != "count":           # (money in one currency, percentages: one unit)
                members = list(by_unit.get((kind, unit), []))
            else:
                units = self._compatible_count_units(unit)
                # (most units agree with no other: their own figures, already in text order)
                members = (list(by_unit["count", unit]) if len(units) == 1 else
                           sorted(chain.from_iterable(by_unit["count", u] for u in units)))
            found = self.memo[key] = (frozenset(members), members)
        return found

    def _compatible_count_units(self, key: str):
        """The count units of the document compatible with ``key`` (``_compatible_units``):
        all of them for an empty key; else an empty unit, the same unit, the key's own first
        words ('cơ sở' for 'cơ sở CNNT') and the units that go on from it ('cơ sở CNNT' for
        'cơ sở'), found by bisection in the sorted units."""
        ordered, present = self._count_units()
        if not key:
            return ordered
        found = self._units_from(key, ordered, present)
        if "," in key:                # a pair of nouns: the units of each noun too
            for noun in _nouns(key):
                found |= self._units_from(noun, ordered, present)
        # (and the document's pairs with a noun that agrees: few units hold a comma)
        found.update(u for u in self._pair_units() if _compatible_units("count", key, u))
        return found

    @staticmethod
    def _units_from(key: str, ordered: list, present: set) -> set:
        """The units ``key`` agrees with word by word: an empty unit, the same unit, its own first
        words and the units that go on from it, found by bisection in the sorted units."""
        words = key.split(" ")
        found = {u for u in ("", key, *(" ".join(words[:k]) for k in range(1, len(words)))) if u in present}
        longer = key + " "
        k = bisect.bisect_left(ordered, longer)
        while k < len(ordered) and ordered[k].startswith(longer):
            found.add(ordered[k])
            k += 1
        return found

    def _pair_units(self) -> list:
        """The count units of the document that pair nouns ('tỉnh, thành phố'), found once."""
        pairs = self.memo.get("count pair units")
        if pairs is None:
            pairs = self.memo["count pair units"] = [u for u in self._count_units()[0] if "," in u]
        return pairs

    def _count_units(self) -> tuple[list, set]:
        """The count units of the document, sorted and as a set (found once)."""
        units = self.memo.get("count units")
        if units is None:
            units = sorted(u for kind, u in self._by_unit() if kind == "count")
            units = self.memo["count units"] = (units, set(units))
        return units

    def _count_units_with_others(self) -> set:
        """The count units compatible with another count unit of the document (those for which
        :meth:`_compatible_count_units` finds more than the unit), found once: with an empty
        unit, all of them; else each unit and those that go on from it ('cơ sở', 'cơ sở CNNT')."""
        found = self.memo.get("count units with others")
        if found is None:
            ordered, present = self._count_units()
            if "" in present:
                found = present if len(present) > 1 else set()
            else:
                found = set()
                for k, (unit, after) in enumerate(zip(ordered, ordered[1:])):
                    if not after.startswith(unit):
                        continue          # (the units that go on from it sort right after it)
                    longer = unit + " "
                    j = bisect.bisect_left(ordered, longer, k + 1)
                    while j < len(ordered) and ordered[j].startswith(longer):
                        found.update((unit, ordered[j]))
                        j += 1
                for pair in self._pair_units():   # (a pair agrees with the units of its nouns)
                    agree = [u for u in ordered if u != pair and _compatible_units("count", pair, u)]
                    if agree:
                        found.update((pair, *agree))
            self.memo["count units with others"] = found
        return found

    def same_heads(self, i: int) -> frozenset:
        """The indexes ``j`` with ``same_head(figures[j], figures[i])`` (found once per unit)."""
        return self._same_heads(i)[0]

    def same_heads_in(self, i: int, start: int, end: int) -> list[int]:
        """:meth:`figures_in` ``(start, end)`` of the figures with figure ``i``'s head noun."""
        return self.among(self._same_heads(i)[1], start, end)

    def same_heads_sorted(self, i: int) -> list[int]:
        """The figures with figure ``i``'s head noun, in text order: how many come before and
        after ``i`` is a bisection of it, and :meth:`among` reads a window of it (one look-up
        where a caller needs several)."""
        return self._same_heads(i)[1]

    def _same_heads(self, i: int) -> tuple[frozenset, list]:
        found = self._same_heads_at.get(i)
        if found is None:
            f = self.figures[i]
            kind_unit = (f.kind, unit_key(f))
            found = self._like_of(*kind_unit) if f.kind != "count" else self._same_heads_of(kind_unit[1])
            # (the same for every figure of its kind and unit: remembered for all of them at
            # once, as a claim type asks for figure after figure)
            self._same_heads_at.update(dict.fromkeys(self._by_unit()[kind_unit], found))
        return found

    def _same_heads_of(self, unit: str) -> tuple[frozenset, list]:
        """(members, sorted members) of the count figures whose unit has the head noun of
        ``unit`` (a count unit key), found once per unit."""
        key = ("same head", unit)
        found = self.memo.get(key)
        if found is None:
            # _same_head_units(unit, key) holds for the units whose first two words agree
            # with the key's as far as the shorter goes: looked up by those words.
            two, one, first = self._heads()
            head = unit.split()[:2]
            if len(head) == 2:
                members = sorted(two.get(tuple(head), []) + one.get(head[0], []))
            else:
                members = sorted(first.get(head[0], [])) if head else []
            found = self.memo[key] = (frozenset(members), members)
        return found

    def _heads(self) -> tuple[dict, dict, dict]:
        """Count figures by the head of their unit: by its two first words (units of two
        words or more), by its one word (units of one word), and by its first word (all)."""
        found = self.memo.get("heads")
        if found is None:
            two, one, first = {}, {}, {}
            for (kind, unit), group in self._by_unit().items():
                head = unit.split()[:2]
                if kind != "count" or not head:
                    continue
                (two.setdefault(tuple(head), []) if len(head) == 2 else one.setdefault(head[0], [])).extend(group)
                first.setdefault(head[0], []).extend(group)
            found = self.memo["heads"] = (two, one, first)
        return found

    def among(self, members: list[int], start: int, end: int) -> list[int]:
        """The figures of ``members`` (sorted indexes) lying within [start, end), in text order."""
        lo = bisect.bisect_left(members, bisect.bisect_left(self._starts, start))
        hi = bisect.bisect_left(members, bisect.bisect_left(self._starts, end))
        return [j for j in members[lo:hi] if self.figures[j].end <= end]

    # (per-figure lists read once, then plain attributes: the loops over figures index them)
    @functools.cached_property
    def parens(self) -> list:
        """For each figure, the innermost parenthesis holding it (``Layout.paren``)."""
        return list(map(self.layout.paren, self._starts))

    @functools.cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """For each figure, its sentence (``Layout.sentence``)."""
        # (Layout.sentence of each start, written out: one bisection per figure, no call;
        # a figure before the first sentence start is left to Layout.sentence)
        lay = self.layout
        spans = lay.sentence_spans
        return [spans[k - 1] if k else lay.sentence(pos)
                for k, pos in zip(map(bisect.bisect_right, repeat(lay.sentence_starts), self._starts),
                                  self._starts)]

    @functools.cached_property
    def quoted(self) -> list[bool]:
        """For each figure, whether it stands inside a quotation."""
        # (Layout.in_quote of each start, written out: the last quotation opened before it
        # holds it when it closes after it; one bisection per figure, no call)
        quotes = self.layout.quotes
        opens, closes = [o for o, _ in quotes], [c for _, c in quotes]
        return [k > 0 and closes[k - 1] > pos
                for k, pos in zip(map(bisect.bisect_left, repeat(opens), self._starts), self._starts)]

    def index_by_start(self) -> dict:
        """Figure index by start offset (the last figure starting there), built once."""
        found = self.memo.get("by start")
        if found is None:
            found = self.memo["by start"] = {f.start: i for i, f in enumerate(self.figures)}
        return found

    def amounts_between(self, key, start: int, end: int) -> list:
        """The (value, figure) pairs of :meth:`amounts_by_unit` ``[key]`` whose figure starts
        in [start, end] (both ends included), in text order."""
        found = self.memo.get(("by position", key))
        if found is None:
            pairs = sorted(self.amounts_by_unit().get(key, []), key=lambda p: p[1].start)
            found = self.memo[("by position", key)] = ([f.start for _, f in pairs], pairs)
        starts, pairs = found
        return pairs[bisect.bisect_left(starts, start):bisect.bisect_right(starts, end)]

    def amounts_worth(self, value: Decimal) -> list[Figure]:
        """The money and count figures whose (non-zero) value is ``value``, in text order."""
        found = self.memo.get("by value")
        if found is None:
            found = self.memo["by value"] = {}
            for f in self.figures:
                if f.value and f.kind in AMOUNT_KINDS:
                    found.setdefault(Decimal(f.value), []).append(f)
        return found.get(value, [])

    def amount_values(self, key) -> list:
        """The sorted values of :meth:`amounts_by_unit` ``[key]`` (for bisection)."""
        self.amounts_by_unit()
        return self._amount_values[key]

    def amounts_by_year(self) -> dict:
        """Money and count figures stated for one year alone (their frame's ``period_years``),
        by (kind, year), built once."""
        if self._amounts_by_year is None:
            index: dict = {}
            for i, f in enumerate(self.figures):
                years = tuple(getattr(f, "period_years", ()) or ())
                if f.kind in AMOUNT_KINDS and f.value and len(years) == 1:
                    index.setdefault((f.kind, years[0]), []).append(i)
            self._amounts_by_year = index
        return self._amounts_by_year

    # (the three below are cached properties: found once, then read as plain attributes,
    # as the loops over figures and claims do hundreds of thousands of times in a report)
    @functools.cached_property
    def range_ends(self) -> set[int]:
        """Figures that close a range opened by the figure before ('từ 2 – 3 sản phẩm': the
        '3 sản phẩm'): one amount with its neighbour, never a part or a total of its own."""
        return {i + 1 for i, f in enumerate(self.figures[:-1])
                if f.value_max is not None and self.figures[i + 1].value == f.value_max}

    @functools.cached_property
    def claims(self) -> list:
        """The cue-introduced claims of the document (read once; reading them marks
        their stated bases and change amounts in :attr:`bases`)."""
        from kcextract.verifier.claims import read_claims

        self._bases = set()
        return read_claims(self)

    def claims_between(self, start: int, end: int) -> list:
        """The claims whose reported figure starts in [start, end), in order."""
        starts = self.memo.get("claim starts")
        if starts is None:
            starts = self.memo["claim starts"] = [c.start for c in self.claims]
        return self.claims[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    @functools.cached_property
    def bases(self) -> set[int]:
        """Figures that are bases or change amounts of claims: never a subject or a part
        (the set reading the claims fills, also while it reads them)."""
        if self._bases is None:
            self.claims
        return self._bases

    def index(self, fig: Figure) -> int:
        return self.figures.index(fig)

    def figures_in(self, start: int, end: int, kinds=None) -> list[int]:
        """Indices of the figures lying within [start, end), in text order."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        figures = self.figures
        if kinds is None:
            return [i for i in range(lo, hi) if figures[i].end <= end]
        return [i for i in range(lo, hi) if figures[i].end <= end and figures[i].kind in kinds]

    def sentences_with(self, cue) -> list[tuple[int, int]]:
        """The sentences (start, end), in order, in which ``cue`` can match."""
        lay = self.layout
        spans = lay.sentence_spans
        return [spans[k] for k in self.anchors.spans_with(cue, lay.sentence_starts, lay.sentence_ends)]

    def lines_with(self, cue) -> list[tuple[int, int]]:
        """The lines (start, end), in order, in which ``cue`` can match."""
        lay = self.layout
        return [(lay.line_starts[k], lay.line_ends[k])
                for k in self.anchors.spans_with(cue, lay.line_starts, lay.line_ends)]

    def claim_words_before(self, ends: list) -> list[int]:
        """For each position of ``ends``, where the last place before it at which a claim cue
        can begin stands (-1: none does; the position itself when the cues may begin anywhere).
        A claim cue can match in a window before a figure only where that place lies in it."""
        begins = self.anchors.begins_of_any(self.cues.role("claim"))
        if begins is None:
            return list(ends)
        return [begins[k - 1] if k else -1 for k in map(bisect.bisect_left, repeat(begins), ends)]

    def claim_before(self, start: int, end: int):
        """:meth:`Cues.claim_before` of ``text[start:end]``, each cue run only where it can
        begin (asked where :meth:`claim_words_before` finds a place in the window)."""
        return self.anchors.first_in(self.cues.role("claim"), start, end)

    def may_match(self, role: str, start: int, end: int) -> bool:
        """Whether a cue of ``role`` can match inside ``text[start:end]`` (one of its anchors
        stands there)."""
        # (the role's cues as one: an anchor of any of them inside the window; asked for
        # every amount of a long report)
        return self.anchors.within(_any_of(self.cues, role), start, end)

    def any_match(self, role: str, start: int, end: int):
        """:meth:`Cues.any_match` of ``text[start:end]``, each cue run only where it can match."""
        found = self.anchors.first_in(self.cues.role(role), start, end)
        return found and found[1]

    def change_direction(self, fig: Figure) -> Optional[str]:
        """'up' or 'down' when a change word stands just before ``fig`` ('tăng 34,8%',
        'giảm gần 5%'; the phrase change_word_before of relations.yaml), else None."""
        if fig.start not in self._directions:
            m = self.anchors.search_in(self.cues.entry("change_word_before"), max(0, fig.start - 30), fig.start)
            self._directions[fig.start] = None if not m else "down" if m.group("down") else "up"
        return self._directions[fig.start]

    def index_at(self, pos: int) -> int:
        """The index of the first figure that starts at or after ``pos``."""
        return bisect.bisect_left(self._starts, max(0, pos))

    def inside_figure(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a figure's text ('56,6' of '56,6 tỷ đồng', the comma of
        '63 tỉnh, thành phố'), where a comma or a word is the figure's, not the sentence's."""
        k = bisect.bisect_right(self._starts, pos) - 1
        return k >= 0 and self.figures[k].end > pos

    def first_figure_after(self, pos: int, end: int) -> Optional[int]:
        i = bisect.bisect_left(self._starts, pos)
        if i < len(self.figures):
            return i if self.figures[i].end <= end else None
        return None

    def subjects_before(self, pos: int, like: Optional[Figure] = None,
                        kinds=AMOUNT_KINDS) -> list[int]:
        """Figures a claim at ``pos`` can be about, nearest first: amounts in the same
        clause (or, for a claim in parentheses, just before them), not used as bases,
        not inside another parenthesis or quotation, compatible with ``like`` when given."""
        lay = self.layout
        par = lay.paren(pos)
        start = lay.clause_start(par[0] if par else pos)
        figures, bases, quoted, parens = self.figures, self.bases, self.quoted, self.parens
        quote = False           # (the claim's own quotation: looked up at the first quoted figure)
        out = []
        # (figures_in written out: asked for every claim of every claim type)
        for i in range(bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, pos)):
            f = figures[i]
            if f.end > pos or f.kind not in kinds or i in bases:
                continue
            # A quoted figure is a subject only for a claim in the same quotation
            # (a speech: '“… doanh thu đạt 5,8 tỷ đồng, tăng 32% so với năm 2021 …”').
            if quoted[i]:
                if quote is False:
                    quote = lay.quote(pos)
                if lay.quote(f.start) != quote:
                    continue
            fp = parens[i]
            if fp is not None and fp != par:
                continue
            if like is not None and not compatible(f, like):
                continue
            out.append(i)
        if len(out) > 1:
            out.sort(key=lambda i: -figures[i].end)
        return out
