"""Extract figures (money, percent, count, project) from Vietnamese text.

The patterns of ``patterns/`` run over a normalised copy of the text in
priority order; a span claimed by an earlier pattern (a blocker such as a date
or a legal number, or a figure) cannot be claimed again.  Each match is turned
into :class:`~kcextract.figure.Figure` records whose offsets point into the
original text.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import warnings

import regex
from decimal import Decimal
from typing import Callable, Iterator, Optional


from kcextract.frames import find_qualifier, frame_figures, qualifier_after
from kcextract.periods import PeriodIndex
from kcextract.exceptions import UnreadableNumberWarning
from kcextract.figure import Figure
from kcextract.nouns import counted_noun
from kcextract.numbers import parse_vn_number, spelled_to_int
from kcextract.patterns import Lexicon, Pattern, load_patterns, word_regex
from kcextract.document import Document, paragraphs_of
from kcextract.sentences import SentenceIndex
from kcextract.folded import folded_in_place
from kcextract.reach import reach
from kcextract.starts import matches_at_starts, tried_outside_claims
from kcextract.tables import map_table, read_tables
from kcextract.textnorm import NormalisedText, normalise


class _Claims:
    """Spans already taken, as a mask over the text's characters: a test or a claim costs
    the span's length, however many spans are taken (a sorted list paid a shift per claim,
    quadratic over a report of many megabytes)."""

    def __init__(self, size: int):
        self.mask = bytearray(size + 1)

    def overlaps(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, max(end, start + 1)) != -1

    def add(self, start: int, end: int) -> None:
        end = max(end, start + 1)            # an empty span still takes its position
        self.mask[start:end] = b"\x01" * (end - start)

    def claim_free(self, start: int, end: int) -> None:
        """Take the span unless it overlaps a span already taken (``overlaps`` then ``add``,
        written inline: it runs for every match of every pattern)."""
        end = max(end, start + 1)
        if self.mask.find(1, start, end) == -1:
            self.mask[start:end] = b"\x01" * (end - start)


class _Work:
    """One text being extracted: original, normalised copy, its sentences."""

    def __init__(self, text: str, source: Optional[str]):
        self.original = text
        self.source = source
        self.norm: NormalisedText = normalise(text)
        self.sentences = SentenceIndex(self.norm.text)
        # One string per sentence, shared by all its figures: a figure-dense sentence would
        # otherwise hold a copy per figure (memory, and the pickles --jobs workers send back).
        self._sentence_texts: dict = {}
        # What the patterns and the periods of this text share: each gate's windows, the
        # index of its numbers (kcextract/starts.py).
        self.shared: dict = {}

    def span(self, start: int, end: int) -> tuple[int, int, str]:
        o_start, o_end = self.norm.to_original(start, end)
        return o_start, o_end, self.original[o_start:o_end]

    def figure(self, kind: str, start: int, end: int, qualifier: Optional[tuple] = None, **fields) -> Figure:
        """A Figure for the normalised span [start, end), with provenance and context;
        ``qualifier``: its (qualifier, normalised start) when the pattern says, else the
        word written before it decides."""
        norm = self.norm
        s0, s1 = self.sentences.around(start)
        if norm.starts is None:         # normalisation kept every offset (the common case)
            o_start, o_end, os0, os1 = start, end, s0, s1
        else:
            o_start, o_end = norm.to_original(start, end)
            os0, os1 = norm.to_original(s0, s1)
        word, q_start = qualifier or find_qualifier(norm.text, start)
        if word == "exact" and qualifier is None:
            word = qualifier_after(norm.text, end) or word      # ('từ 1 tỷ USD trở lên')
        if q_start is not None and norm.starts is not None:
            q_start = norm.to_original(q_start, q_start)[0]
        if "value" in fields:
            fields["value"] = _whole(fields["value"])
        if "value_max" in fields:
            fields["value_max"] = _whole(fields["value_max"])
        original = self.original
        sentence = self._sentence_texts.get(os0)
        if sentence is None or len(sentence) != os1 - os0:
            sentence = self._sentence_texts[os0] = original[os0:os1]
        return Figure.found(kind, original[o_start:o_end], o_start, o_end, qualifier=word, qualifier_start=q_start,
                            sentence=sentence, sentence_start=os0, source=self.source, **fields)


def _whole(value: Optional[Decimal]) -> Optional[Decimal]:
    """6,7 × 10⁹ is Decimal('6700000000.0'): a whole amount shown as a whole number."""
    if value is not None:
        whole = value.to_integral_value()
        if value == whole:
            return whole
    return value


_ONE = Decimal(1)


def _scale(lex: Lexicon, word: Optional[str]) -> Decimal:
    """The value of a scale word ('triệu': 10⁶); 1 without one."""
    return Decimal(lex.meaning("SCALE", word)) if word else _ONE


def _number(g: dict, suffix: str, prefer_integer: bool = False) -> Decimal:
    """The value of group ``num<suffix>`` (digits) or ``spelled<suffix>`` (words)."""
    if g.get("spelled" + suffix):
        return Decimal(spelled_to_int(g["spelled" + suffix]))
    return parse_vn_number(g["num" + suffix], prefer_integer=prefer_integer)


def _money(doc: _Work, pattern: Pattern, m, lex: Lexicon) -> Optional[list[Figure]]:
    g = m.groupdict()
    if pattern.requires_context:
        s0, _ = doc.sentences.around(m.start())
        window = doc.norm.text[max(s0, m.start() - pattern.context_window):m.start()]
        if not word_regex(pattern.requires_context).search(window):
            return None
    if g.get("scur"):
        scale, currency = Decimal(lex.meaning("SCALE_CURRENCY", g["scur"])), "VND"
    else:
        scale = _scale(lex, g.get("scale"))
        currency = lex.meaning("CURRENCY", g["cur"]) if g.get("cur") else pattern.currency
    if currency is None:
        return None
    # Without a scale word an amount is in whole đồng/dollars: '24,000 USD' is 24000.
    value = _number(g, "", prefer_integer=not g.get("scale") and not g.get("scur")) * scale
    if g.get("half"):
        value += scale / 2          # 'hai tỷ rưỡi': two and a half billion
    previous = scale
    for suffix in ("2", "3"):
        if g.get("num" + suffix) or g.get("spelled" + suffix):
            part_scale = _scale(lex, g["scale" + suffix])
            if part_scale >= previous:
                return None  # '5 triệu 200 tỷ' is not one amount
            part = _number(g, suffix)
            last = not (g.get("num3") or g.get("spelled3")) or suffix == "3"
            if g.get("spelled") and last and part * part_scale >= previous:
                # Legal writing spells a number of triệu đồng: 'hai tỷ, bốn trăm nghìn triệu
                # đồng' is 2.000.400.000 triệu đồng (a later part larger than the scale before
                # it means every word before the last scale belongs to the number).
                value = (value + part) * part_scale
                break
            value += part * part_scale
            previous = part_scale
    figures = []
    if g.get("pair"):
        # '8.420,5/7.900 triệu đồng': the first amount shares the second's unit.
        first = parse_vn_number(g["pair"], prefer_integer=not g.get("scale")) * scale
        figures.append(doc.figure("money", m.start("pair"), m.end("pair"), value=first,
                                  currency=currency, unit=currency))
        figures.append(doc.figure("money", m.start("num"), m.end(), value=value, currency=currency,
                                  unit=currency, qualifier=("exact", None)))
        return figures
    if g.get("lo"):
        lo_scale = _scale(lex, g["loscale"]) if g.get("loscale") else scale
        lo_value = parse_vn_number(g["lo"]) * lo_scale
        if lo_value >= value and not g.get("loscale"):
            # 'từ 350.000 đến 1,2 triệu đồng': a lower end that the upper end's scale
            # would make the larger is written in đồng.
            lo_value = parse_vn_number(g["lo"], prefer_integer=True)
        if lo_value >= value:
            return None  # '2019 - 2020 triệu' or a list, not a range
        lo_end = m.end("loscale") if g.get("loscale") else m.end("lo")
        figures.append(doc.figure("money", m.start("lo"), lo_end, value=lo_value, value_max=value,
                                  currency=currency, unit=currency))
        main_start = m.start("num")
        qualifier = ("exact", None)
    else:
        main_start = m.start()
        qualifier = None
    figures.append(doc.figure("money", main_start, m.end(), qualifier, value=value, currency=currency,
                              unit=currency))
    return figures


def _percent(doc: _Work, pattern: Pattern, m, lex: Lexicon) -> Optional[list[Figure]]:
    g = m.groupdict()
    value = _number(g, "")
    if g.get("lo"):
        lo = parse_vn_number(g["lo"])
        if lo >= value:
            return None
        lo_end = m.end("lopct") if m.group("lopct") else m.end("lo")
        return [
            doc.figure("percent", m.start("lo"), lo_end, value=lo, value_max=value, unit="%"),
            doc.figure("percent", m.start("num"), m.end(), value=value, unit="%", qualifier=("exact", None)),
        ]
    return [doc.figure("percent", m.start(), m.end(), value=value, unit="%")]


def _count(doc: _Work, pattern: Pattern, m, lex: Lexicon) -> Optional[list[Figure]]:
    g = m.groupdict()
    end = m.end()
    if pattern.unit_by == "segmenter":
        noun = counted_noun(g["rest"])
        if noun is None:
            return None
        line_start = doc.norm.text.rfind("\n", 0, m.start()) + 1
        if noun[0].isupper() and not doc.norm.text[line_start:m.start()].strip():
            return None  # '1 Khuyến công quốc gia 2.400': a row number before a capitalised row label
        end = m.start("rest") + len(noun)
        unit = noun
    else:
        unit = " ".join(g["unit"].split())
    if g.get("spelled") and g["spelled"].casefold() == "một":
        return None  # 'một cơ sở' is 'a facility', not a reported count
    value = _number(g, "", prefer_integer=True) * _scale(lex, g.get("scale"))
    of_total = Decimal(int(g["den"])) if g.get("den") else None
    if of_total is not None and value > of_total:
        return None  # '15/10' is not a part of a whole
    if g.get("lo"):
        lo = parse_vn_number(g["lo"], prefer_integer=True)
        if lo >= value:
            return None
        return [doc.figure("count", m.start("lo"), m.end("lo"), value=lo, value_max=value, unit=unit),
                doc.figure("count", m.start("num"), end, value=value, unit=unit, qualifier=("exact", None))]
    return [doc.figure("count", m.start(), end, value=value, unit=unit, of_total=of_total)]


def _project(doc: _Work, pattern: Pattern, m, lex: Lexicon) -> Optional[list[Figure]]:
    name = " ".join(m.group("name").split()).strip(" ,.;:")
    if len(name) < 3:
        return None
    if _generic_programme(m.group(0), m.group("kw"), name):
        return None
    return [doc.figure("project", m.start(), m.end(), name=name, qualifier=("exact", None))]


def _generic_programme(matched: str, keyword: str, name: str) -> bool:
    """An unquoted name that opens with a generic reference ('Đề án khuyến công địa phương
    năm 2021', 'Chương trình OCOP'); a programme that names its period is one decision."""
    if any(q in matched for q in "“”\"«»"):
        return False
    if not word_regex("PROJECT_GENERIC").match(name):
        return False
    dated = regex.search(r"(?<!\w)(?:" + load_patterns().lexicon.alternation("PROGRAMME_PERIOD_LEAD")
                         + r")\s+(?:19|20)\d\d", name, regex.IGNORECASE)
    return not (dated and keyword.casefold().startswith("chương"))


def _malformed(doc: _Work, pattern: Pattern, m, lex: Lexicon) -> None:
    """Never a figure: the number of a malformed-number pattern ('12..5 tỷ đồng') is read only
    to raise the ValueError that reports it as unreadable (a shape that does read gives nothing:
    the money or percent patterns, run before, chose not to take it)."""
    parse_vn_number(m["num"])
    return None


_BUILDERS = {"money": _money, "percent": _percent, "count": _count, "project": _project,
             "malformed": _malformed}


def _place(text: str, offset: int) -> str:
    """'line:column' (1-based) of an offset, for messages a person can follow."""
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def extract_figures(text: str, source: Optional[str] = None,
                    on_problem: Optional[Callable[[str], None]] = None) -> list[Figure]:
    """Every figure in ``text``, sorted by position, offsets into ``text`` itself.

    A number that matches a pattern but cannot be read is skipped and reported
    (source, line:column, the text) to ``on_problem``, or as an
    :class:`UnreadableNumberWarning` when no callback is given.

    >>> [(f.kind, f.text, f.value, f.qualifier) for f in extract_figures("hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở")]
    [('money', '6,7 tỷ đồng', Decimal('6700000000'), 'under'), ('count', '48 cơ sở', Decimal('48'), 'exact')]
    """
    return figures_of(text, source, on_problem).figures


def figures_of(text: str, source: Optional[str] = None,
               on_problem: Optional[Callable[[str], None]] = None) -> Document:
    """The :class:`~kcextract.document.Document` of ``text`` (see :func:`kcextract.document.read_document`)."""
    doc = _Work(text or "", source)
    tables, cells = read_tables(doc.norm.text)
    figures = _find_figures(doc, cells, on_problem) if text else []
    periods = PeriodIndex(doc.norm.text, doc.shared)
    figures = frame_figures(doc.norm, doc.sentences, tables, figures, periods)
    norm = doc.norm
    same = norm.starts is None      # normalisation kept every offset (the common case)
    return Document(
        source=source, text=text or "", norm=norm,
        sentences=doc.sentences if same else doc.sentences.mapped(norm.to_original),
        paragraphs=paragraphs_of(text or ""),
        tables=tables if same else [map_table(t, norm.to_original) for t in tables],
        figures=figures,
        periods=periods.periods if same else [
            dataclasses.replace(p, start=norm.to_original(p.start, p.end)[0], end=norm.to_original(p.start, p.end)[1])
            for p in periods.periods],
        year=periods.doc_year,
    )


def _find_figures(doc: _Work, cells: list, on_problem) -> list[Figure]:
    patterns = load_patterns()
    norm = doc.norm.text
    claims, projects = _Claims(len(norm)), _Claims(len(norm))
    figures = _cell_figures(doc, cells, claims)
    windows = doc.shared
    for pattern in patterns.patterns:
        taken = projects if pattern.kind == "project" else claims
        matches = _matches(pattern, norm, patterns.gates, windows, taken.mask)
        if pattern.kind in ("blocked", "period"):
            _block(matches, taken)
        else:
            figures.extend(_pattern_figures(doc, pattern, matches, taken, patterns.lexicon, on_problem))
    figures = _outside_project_names(figures)
    figures.sort(key=lambda f: (f.start, f.end))
    return figures


def _cell_figures(doc: _Work, cells: list, claims: _Claims) -> list[Figure]:
    """The figures of the table cells, claimed first: a bare number under 'Kinh phí (triệu
    đồng)' is money, and no pattern (not even the bare-year blocker) may read it otherwise."""
    norm = doc.norm.text
    figures = []
    for cell in cells:
        column = cell.column
        number = norm[cell.start:cell.end]
        sign = -1 if number[:1] in "-−" else 1            # '-4,19' in a growth column
        value = sign * parse_vn_number(number.lstrip("+-−").lstrip(),
                                       prefer_integer=column.kind == "count" or column.scale == 1)
        figures.append(doc.figure(column.kind, cell.start, cell.end, value=value * column.scale,
                                  currency=column.currency, unit=column.unit))
        claims.add(cell.start, cell.end)
    return figures


def _block(matches: Iterator, taken: _Claims) -> None:
    """Claim each match of a blocker (a date, a legal number, a period) that no earlier
    pattern claimed: no later pattern may read a figure there."""
    claim_free = taken.claim_free
    for m in matches:
        claim_free(*m.span())


def _pattern_figures(doc: _Work, pattern: Pattern, matches: Iterator, taken: _Claims, lexicon: Lexicon,
                     on_problem) -> list[Figure]:
    """The figures a figure pattern's matches give, each claiming its span; a match that
    overlaps a claimed span, or that its builder refuses, gives none."""
    # (looked up once a pattern: the loop runs for tens of thousands of matches a MB)
    build, overlaps, add = _BUILDERS[pattern.kind], taken.overlaps, taken.add
    segmented = pattern.unit_by == "segmenter"
    figures: list[Figure] = []
    for m in matches:
        start, end = m.span()
        if overlaps(start, end):
            continue
        try:
            built = build(doc, pattern, m, lexicon)
        except ValueError as exc:
            _unreadable(doc, start, end, exc, on_problem)
            continue
        if not built:
            continue
        # A segmented count ends after its noun, past the regex match
        # (the noun is read from a look-ahead window).
        if segmented:
            end = m.start("rest") + len(built[0].unit)
        add(start, end)
        figures.extend(built)
    return figures


def _unreadable(doc: _Work, start: int, end: int, exc: ValueError, on_problem) -> None:
    """Report a number a pattern matched but that cannot be read (source, line:column, the
    text) to ``on_problem``, or as an :class:`UnreadableNumberWarning` to the caller of
    :func:`extract_figures`."""
    o_start, _, surface = doc.span(start, end)
    message = (f"{doc.source or '<text>'}:{_place(doc.original, o_start)}: could not read the number in "
               f"{surface!r} ({exc}); skipped")
    if on_problem is not None:
        on_problem(message)
    else:
        # (_unreadable, _pattern_figures, _find_figures, figures_of, extract_figures: its caller)
        warnings.warn(message, UnreadableNumberWarning, stacklevel=6)


def _matches(pattern: Pattern, text: str, gates: dict, windows: dict, claimed: Optional[bytearray] = None) -> Iterator:
    """The pattern's matches in ``text``: a pattern with prefilters (``starts``...) is tried
    only where they hold, a gated pattern only in the windows around its gate's hits;
    the same matches as a scan of the whole text.  ``windows`` is the document's cache of
    what its patterns share: each gate's windows, the index of its numbers.  ``claimed``:
    the mask of the spans taken (read as the matches are taken): a match that would start
    in one may be left out when leaving it out changes no other match (the caller refuses
    it anyway).  (An iterator, not a generator of its own: one level less for each of the
    many matches.)"""
    if pattern.gate is None and (pattern.starts or pattern.starts_after or pattern.number_then
                                 or pattern.number_ends_then):
        return matches_at_starts(pattern.regex, pattern.starts, text, pattern.starts_after,
                                 pattern.number_then, windows, pattern.number_ends_then,
                                 claimed, _reach(pattern, text) if claimed is not None else None)
    if pattern.gate is None:
        return pattern.regex.finditer(text)
    gate = gates[pattern.gate]
    if gate.id not in windows:
        windows[gate.id] = gate.windows(text, windows)
    if gate.anchored:
        spans = windows[gate.id]
        folded = folded_in_place(text) if pattern.gate_starts else None
        if folded is not None:
            # Its own starts checked first, at C speed: most hits of a shared gate are not its.
            check = pattern.gate_starts.match
            spans = [span for span in spans if check(folded, span[0])]
        if not spans:
            return iter(())
        # Tried where the gate's hits start, each within its window: the matches of a scan of
        # the whole text, since they can start nowhere else; a match ends by its window's end.
        starts, ends = zip(*spans)
        return tried_outside_claims(pattern.regex.match, text, starts,
                                    bytearray(len(text) + 1) if claimed is None else claimed, ends)
    finditer = pattern.regex.finditer
    return itertools.chain.from_iterable(finditer(text, lo, hi) for lo, hi in windows[gate.id])


def _reach(pattern: Pattern, text: str):
    """How far a match of ``pattern`` from a position of ``text`` can end (kcextract/reach.py:
    the end of the run of the characters its regex consumes), or None when that is not known."""
    run = pattern.run
    return None if run is None else functools.partial(reach, run, text)


def _outside_project_names(figures: list[Figure]) -> list[Figure]:
    """Drop numbers that are part of a project's name ('Đề án “Hỗ trợ 05 cơ sở …”')."""
    names = sorted((f.start, f.end) for f in figures if f.kind == "project")
    if not names:
        return figures
    starts = [s for s, _ in names]

    def inside(f: Figure) -> bool:
        i = bisect.bisect_right(starts, f.start) - 1
        return i >= 0 and f.end <= names[i][1]

    return [f for f in figures if f.kind == "project" or not inside(f)]
