"""Numbers in flattened tables, which take their unit from the column header.

Reports pasted or scraped as text keep their tables as rows of cells::

    STT | Nội dung | Kinh phí (triệu đồng)
    1 | Đào tạo nghề cho 105 lao động | 285

A cell holding nothing but a number is a figure whose unit is the one its
column header names in brackets ('Kinh phí (triệu đồng)'), or the table's
'ĐVT: triệu đồng' line; a column without a unit ('STT', 'Năm') gives nothing.
Rows may be separated by blank lines (HTML tables become one paragraph a
row) and a row with fewer cells than the header is aligned from the right
(empty leading cells vanish in HTML-to-text).  The unit words are the
lexicon's (SCALE, CURRENCY, SCALE_CURRENCY, COUNT_UNIT, TABLE_UNIT_LABEL).

Three layouts are read: cells separated by '|' or tabs (:func:`find_tables`),
cells flattened with single spaces and read from the right
(:func:`space_tables`), and appendices that declare their unit once and then
list 'Kinh phí: 360' lines (:func:`declared_unit_cells`).  The verifier checks
their total rows and percentage columns (kcextract/verifier/table_sums.py).
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

import regex

from kcextract.patterns import load_patterns
from kcextract.sentences import line_spans

SEPARATORS = ("|", "\t")


@dataclass(frozen=True)
class ColumnUnit:
    """What the numbers of a column are: kind, multiplier, currency, counted noun."""

    kind: str
    scale: Decimal = Decimal(1)
    currency: Optional[str] = None
    unit: Optional[str] = None


@dataclass(frozen=True)
class TableCell:
    """A number alone in a cell, its span in the text and its column's unit."""

    start: int
    end: int
    column: ColumnUnit


@functools.lru_cache(maxsize=1)
def _regexes():
    ps = load_patterns()
    lex = ps.lexicon
    flags = regex.IGNORECASE | regex.VERSION0
    return {
        "money": regex.compile(rf"(?P<scale>{lex.alternation('SCALE')})?\.?\s*(?P<cur>{lex.alternation('CURRENCY')})",
                               flags),
        "scur": regex.compile(lex.alternation("SCALE_CURRENCY"), flags),
        "count": regex.compile(rf"(?:số\s+(?:lượng\s+)?)?(?P<unit>(?:lượt\s+)?{lex.alternation('COUNT_UNIT')})", flags),
        "label": regex.compile(rf"(?:{lex.alternation('TABLE_UNIT_LABEL')})\s*:\s*(?P<unit>[^|\t\n)]+)", flags),
        "number": regex.compile(ps.fragments["NUMBER"], regex.VERSION0),
        # A header's unit columns, in order: 'Số đề án', 'Kinh phí (triệu đồng)', 'Tỷ lệ (%)'.
        "unit_phrase": regex.compile(
            rf"(?<!\w)số\s+(?:lượng\s+)?(?:lượt\s+)?{lex.alternation('COUNT_UNIT')}(?:\s+(?!số\b)(?-i:\p{{Ll}}+)){{0,3}}"
            r"|(?<!\w)(?!số\b)(?:\p{L}+\s+){0,3}\p{L}+\s*\([^()]{1,20}\)", flags),
        # The run of numbers a row ends with: ' 3 640 5'.
        "trailing_numbers": regex.compile(r"(?:[ \t]+\d[\d.,]*)+[ \t]*$"),
        # 'Kinh phí: 360' — a measuring label, a colon, a number and nothing after it.
        "labelled_number": regex.compile(
            rf"(?<!\w)(?:{lex.alternation('LABEL_HEAD')})[^\n:;.]{{0,30}}?:\s*(?P<num>{ps.fragments['NUMBER']})"
            r"(?=\s*(?:[.;,)]|$))", flags | regex.MULTILINE),
    }


def column_unit(words: str) -> Optional[ColumnUnit]:
    """The unit a header names, or None.

    >>> column_unit("triệu đồng")
    ColumnUnit(kind='money', scale=Decimal('1000000'), currency='VND', unit='VND')
    >>> column_unit("%").kind, column_unit("người").unit, column_unit("Ghi chú")
    ('percent', 'người', None)
    """
    words = " ".join(words.split()).strip(" .:")
    if not words:
        return None
    r = _regexes()
    lex = load_patterns().lexicon
    if words == "%":
        return ColumnUnit("percent", unit="%")
    m = r["money"].fullmatch(words)
    if m:
        scale = Decimal(lex.meaning("SCALE", m.group("scale"))) if m.group("scale") else Decimal(1)
        currency = lex.meaning("CURRENCY", m.group("cur"))
        return ColumnUnit("money", scale, currency, currency)
    if r["scur"].fullmatch(words):
        return ColumnUnit("money", Decimal(lex.meaning("SCALE_CURRENCY", words)), "VND", "VND")
    m = r["count"].fullmatch(words)
    if m:
        return ColumnUnit("count", unit=" ".join(m.group("unit").split()))
    return None


def _header_unit(cell: str) -> Optional[ColumnUnit]:
    """'Kinh phí (triệu đồng)' -> money in millions; 'Số người' -> count of người."""
    brackets = regex.findall(r"\(([^()]*)\)", cell)
    if brackets:
        return column_unit(brackets[-1])
    m = _regexes()["label"].search(cell)
    if m:
        return column_unit(m.group("unit"))
    m = _regexes()["count"].match(cell.strip())
    if cell.strip().lower().startswith("số ") and m and not regex.match(r"\w", cell.strip()[m.end():]):
        return ColumnUnit("count", unit=" ".join(m.group("unit").split()))   # 'Số cơ sở thụ hưởng'
    if "%" in cell:
        return ColumnUnit("percent", unit="%")                                # '↑↓%', 'Tỷ lệ % 2018'
    return None


def _cells(line: str, offset: int) -> list[tuple[int, int]]:
    """Cell spans of a row line (offsets into the whole text)."""
    sep = "|" if line.count("|") >= line.count("\t") else "\t"
    spans, pos = [], 0
    for part in line.split(sep):
        spans.append((offset + pos, offset + pos + len(part)))
        pos += len(part) + 1
    if line.strip().startswith(sep):          # '| Tổng cộng | 3.460': no cell before the first bar
        spans = spans[1:]
    return spans


def _rows(text: str):
    """Blocks of consecutive row lines (blank lines between rows allowed)."""
    block, pos = [], 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if any(line.count(s) >= 1 for s in SEPARATORS) and len(line.strip()) > 1:
            block.append((line, start))
        elif line.strip():
            if len(block) >= 2:
                yield block
            block = []
    if len(block) >= 2:
        yield block


@dataclass(frozen=True)
class Table:
    """A flattened table: its rows (cell spans), the unit of each column, and its number cells."""

    rows: tuple                      # tuple of rows, each a tuple of (start, end) cell spans
    units: tuple                     # ColumnUnit or None per header column
    cells: tuple                     # TableCell, in reading order

    def column_of(self, row: int, cell: int) -> int:
        """The header column a cell belongs to (short rows are aligned from the right)."""
        return cell + max(0, len(self.rows[0]) - len(self.rows[row]))


def find_tables(text: str) -> list[Table]:
    """Every table block whose header names a unit for at least one column."""
    if "|" not in text and "\t" not in text:       # no row line, so no block (most news text)
        return []
    r = _regexes()
    tables = []
    for block in _rows(text):
        header_line, header_start = block[0]
        header = _cells(header_line, header_start)
        units = [_header_unit(text[s:e]) for s, e in header]
        table_unit = _last_declared_unit(text[max(0, header_start - 200):header_start])
        if table_unit is not None:
            units = [u or (table_unit if not _is_index(text[s:e]) else None) for u, (s, e) in zip(units, header)]
        if not any(units):
            continue
        rows = [tuple(header)] + [tuple(_cells(line, start)) for line, start in block[1:]]
        cells = []
        for row in rows[1:]:
            shift = max(0, len(header) - len(row))
            for k, (s, e) in enumerate(row):
                column = units[k + shift] if k + shift < len(units) else None
                raw = text[s:e]
                stripped = raw.strip()
                # A signed cell ('-4,19' in a growth column) is a number too.
                if column is not None and stripped and r["number"].fullmatch(stripped.lstrip("+-−").lstrip()):
                    lead = len(raw) - len(raw.lstrip())
                    cells.append(TableCell(s + lead, s + lead + len(stripped), column))
        tables.append(Table(tuple(rows), tuple(units), tuple(cells)))
    return tables


DECLARED_SCOPE = 4000      # how far after an 'ĐVT: triệu đồng' line its unit still holds (characters)


# The last text whose declared-unit cells were read, and those cells: the figures stage reads
# them (read_tables) and the verifier's sums read them again from the same normalised text.
# Kept by identity, as kcextract/folded.py keeps its copy: a cache keyed by value would compare
# a new text with an equal old one character by character.
_LAST_DECLARED: tuple = (None, ())


def declared_unit_cells(text: str) -> list[TableCell]:
    """Labelled bare numbers under a unit declaration: an appendix that says
    'ĐVT: triệu đồng' once, then lists 'Kinh phí: 360' … 'Tổng cộng: 2.480'.

    >>> t = "ĐVT: triệu đồng\\n1. Đề án “Hỗ trợ máy sấy”. Kinh phí: 360\\nTổng cộng: 2.480\\nNăm 2023: 12"
    >>> [(t[c.start:c.end], c.column.scale) for c in declared_unit_cells(t)]
    [('360', Decimal('1000000')), ('2.480', Decimal('1000000'))]
    """
    global _LAST_DECLARED
    last_text, cells = _LAST_DECLARED
    if last_text is not text:
        cells = tuple(_read_declared_unit_cells(text))
        _LAST_DECLARED = (text, cells)
    return list(cells)


@functools.lru_cache(maxsize=1)
def _label_hint():
    """A label and its colon ('ĐVT:') in the stdlib ``re``, which scans for a plain character
    several times faster than ``regex`` does with IGNORECASE: each letter becomes the class of
    its upper and lower case, at least what the label regex's IGNORECASE matches, and re's \\s
    is wider than regex's (tests/test_tables.py checks both), so a text this finds nothing in
    declares no unit."""
    source, out, k = load_patterns().lexicon.alternation("TABLE_UNIT_LABEL"), [], 0
    while k < len(source):
        ch = source[k]
        if ch == "\\":
            out.append(source[k:k + 2])
            k += 2
            continue
        out.append("[" + "".join(sorted({ch, ch.lower(), ch.upper()})) + "]" if ch.isalpha() else ch)
        k += 1
    return re.compile("(?:" + "".join(out) + r")\s*:")


def _read_declared_unit_cells(text: str) -> list[TableCell]:
    if not _label_hint().search(text):         # most texts declare no unit
        return []
    r = _regexes()
    found = []
    declarations = list(r["label"].finditer(text))
    for k, decl in enumerate(declarations):
        column = column_unit(decl.group("unit"))
        if column is None:
            continue
        end = declarations[k + 1].start() if k + 1 < len(declarations) else len(text)
        for m in r["labelled_number"].finditer(text, decl.end(), min(end, decl.end() + DECLARED_SCOPE)):
            found.append(TableCell(m.start("num"), m.end("num"), column))
    return found


def _declared_unit(text: str, header_start: int) -> Optional[ColumnUnit]:
    """The unit an 'ĐVT: …' line in the two lines above a header declares."""
    above = text[max(0, header_start - 200):header_start]
    return _last_declared_unit("\n".join(above.split("\n")[-3:]))


def _last_declared_unit(window: str) -> Optional[ColumnUnit]:
    """The unit of the last 'ĐVT: …' label in *window* (the nearest one above a table wins)."""
    m = None
    for m in _regexes()["label"].finditer(window):
        pass
    return column_unit(m.group("unit")) if m is not None else None


def space_tables(text: str) -> list[Table]:
    """Tables flattened with single spaces, read from the right::

        TT Địa phương Số đề án Kinh phí (triệu đồng) Số cơ sở thụ hưởng
        1 TP. Quy Nhơn 3 640 5

    Column borders are lost, but a header whose unit columns can be named in order
    ('Số đề án', 'Kinh phí (triệu đồng)', 'Số cơ sở thụ hưởng') and rows that end in
    exactly that many numbers give each trailing number its column's unit.  Each row
    is then (label, number, number, …); the header's first cell stands for the labels.

    >>> t = "TT Địa phương Số đề án Kinh phí (triệu đồng)\\n1 TP. Quy Nhơn 3 640\\nTổng cộng 3 640\\n"
    >>> [(t[c.start:c.end], c.column.kind) for c in space_tables(t)[0].cells]
    [('3', 'count'), ('640', 'money'), ('3', 'count'), ('640', 'money')]
    """
    r = _regexes()
    tables = []
    texts = text.split("\n")
    lengths = list(itertools.accumulate(map(len, texts), initial=0))   # line k starts at lengths[k] + k
    # Cheap test first, for all lines at once: a header is followed by a row that ends in a
    # number, and holds no '|' or tab (find_tables reads those).
    candidates = [k for k in range(len(texts) - 1)
                  if texts[k + 1].rstrip()[-1:].isdigit() and len(texts[k]) <= 200
                  and "|" not in texts[k] and "\t" not in texts[k]]
    done = 0                            # lines up to here belong to a table already read
    for k in candidates:
        if k < done:
            continue
        line, start = texts[k], lengths[k] + k
        phrases = [(m, _header_unit(m.group(0))) for m in r["unit_phrase"].finditer(line)]
        phrases = [(m, u) for m, u in phrases if u]
        units = [u for _, u in phrases]
        declared = None if any(ch.isdigit() for ch in line) else _declared_unit(text, start)
        if declared is not None:
            # 'ĐVT: triệu đồng' above 'TT Nội dung Kế hoạch Thực hiện Tỷ lệ (%)': the columns
            # the header does not name a unit for are in the declared unit, counted from the
            # right of the rows' trailing numbers.
            tail = r["trailing_numbers"].search(texts[k + 1])
            width = len(list(r["number"].finditer(tail.group(0)))) if tail else 0
            if width > len(units):
                units = [declared] * (width - len(units)) + units
        if len(units) < 2:
            continue
        rows = []
        for j in range(k + 1, len(texts)):
            row_line, row_start = texts[j], lengths[j] + j
            tail = r["trailing_numbers"].search(row_line)
            numbers = list(r["number"].finditer(tail.group(0))) if tail else []
            if len(numbers) != len(units) or not row_line[:tail.start()].strip():
                break
            offset = row_start + tail.start()
            rows.append(((row_start, offset),) + tuple((offset + m.start(), offset + m.end()) for m in numbers))
        if len(rows) >= 2:
            # The header's cells: the label part, then one span per unit column (a column
            # whose unit was declared rather than named shares the label's span).
            label_end = start + (phrases[0][0].start() if phrases else len(line))
            named = [(start + m.start(), start + m.end()) for m, _ in phrases]
            header = ((start, label_end),) + tuple([(start, label_end)] * (len(units) - len(named)) + named)
            cells = tuple(TableCell(s, e, u) for row in rows for (s, e), u in zip(row[1:], units))
            tables.append(Table((header,) + tuple(rows), (None,) + tuple(units), cells))
            done = k + len(rows) + 1
    return tables


def find_table_cells(text: str) -> list[TableCell]:
    """Every number alone in a table cell whose column names a unit.

    >>> t = "STT | Nội dung | Kinh phí (triệu đồng)\\n1 | Đào tạo nghề | 285\\n | Tổng cộng | 3.460"
    >>> [(t[c.start:c.end], c.column.kind, c.column.scale) for c in find_table_cells(t)]
    [('285', 'money', Decimal('1000000')), ('3.460', 'money', Decimal('1000000'))]
    """
    return read_tables(text)[1]


def read_tables(text: str) -> tuple[list[Table], list[TableCell]]:
    """The tables of ``text`` (separated cells, space-flattened, one cell a line) and every
    number cell with a unit, declared-unit lists included, each cell once."""
    separated, flattened, lined = find_tables(text), space_tables(text), line_tables(text)
    cells = [cell for table in separated for cell in table.cells]
    for more in (declared_unit_cells(text), [c for t in flattened + lined for c in t.cells]):
        taken = {c.start for c in cells}
        cells += [c for c in more if c.start not in taken]
    return separated + flattened + lined, cells


def line_tables(text: str) -> list[Table]:
    r"""Tables whose cells each stand on a line of their own (an HTML table copied as text)::

        Thực hiện tháng 9 năm 2023          <- one header line per column
        Lũy kế 10 tháng năm 2023 so với cùng kỳ năm trước (%)
        Đơn vị tính : Tỷ đồng              <- the table's unit
        Tổng số                             <- a row: its label, then one number a line
        4736,0
        113,0

    The width is the run of number lines that repeats after label lines (at least twice);
    the column headers are that many lines above the first row.  A column takes the unit its
    header names ('(%)'), else the declared one; a column with neither gives nothing.

    >>> t = "Năm 2022\nSo cùng kỳ (%)\nĐVT: tỷ đồng\nTổng số\n4736,0\n113,0\nBán lẻ\n3451,7\n113,7\n"
    >>> [(t[c.start:c.end], c.column.kind) for c in line_tables(t)[0].cells]
    [('4736,0', 'money'), ('113,0', 'percent'), ('3451,7', 'money'), ('113,7', 'percent')]
    """
    r = _regexes()
    lines = line_spans(text)
    number = r["number"].fullmatch
    # A number starts with a digit: a line starting with a letter (most) needs no regex.
    is_number = [not text[s].isalpha() and bool(number(text[s:e])) for s, e in lines]
    tables, k = [], 0
    while k < len(lines):
        # A label line, then a run of numbers: measure the run.
        if is_number[k] or k + 2 >= len(lines) or not is_number[k + 1]:
            k += 1
            continue
        width = 0
        while k + 1 + width < len(lines) and is_number[k + 1 + width]:
            width += 1
        rows, j = [], k
        while j < len(lines) and not is_number[j]:
            run = 0
            while j + 1 + run < len(lines) and is_number[j + 1 + run]:
                run += 1
            if run == width:
                rows.append((lines[j],) + tuple(lines[j + 1:j + 1 + width]))
                j += 1 + width
            elif run == 0 and j + 1 < len(lines) and rows:
                j += 1                      # a section line ('Phân theo nhóm ngành hàng')
            else:
                break
        if width < 2 or len(rows) < 2:
            k += 1
            continue
        above = [span for span, number in zip(lines[max(0, k - width - 2):k], is_number[max(0, k - width - 2):k])
                 if not number]
        declared = None
        if above and r["label"].search(text[above[-1][0]:above[-1][1]]):
            declared = column_unit(r["label"].search(text[above[-1][0]:above[-1][1]]).group("unit"))
            above = above[:-1]
        headers = above[-width:]
        if len(headers) != width:
            k = j
            continue
        units = [_header_unit(text[s:e]) or declared for s, e in headers]
        if not any(units):
            k = j
            continue
        header = ((headers[0][0], headers[0][0]),) + tuple(headers)
        cells = tuple(TableCell(s, e, u) for row in rows for (s, e), u in zip(row[1:], units) if u is not None)
        tables.append(Table((header,) + tuple(rows), (None,) + tuple(units), cells))
        k = j
    return tables


def map_table(table: Table, to_original) -> Table:
    """The table with every span mapped by ``to_original(start, end)`` (normalised -> original)."""
    def cell(c):
        return TableCell(*to_original(c.start, c.end), c.column)
    rows = tuple(tuple(to_original(s, e) for s, e in row) for row in table.rows)
    return Table(rows, table.units, tuple(cell(c) for c in table.cells))


def _is_index(header_cell: str) -> bool:
    """A header that numbers or dates rows (lexicon.yaml TABLE_INDEX_HEADER)."""
    return " ".join(header_cell.split()).casefold() in _index_headers()


@functools.lru_cache(maxsize=1)
def _index_headers() -> frozenset:
    return frozenset(w.casefold() for w in load_patterns().lexicon.lists["TABLE_INDEX_HEADER"])
