"""A table's total row ('Tổng cộng', 'Tổng số', 'Cộng') against the column above it.

A printed table states its structure, so a total that its column does not add up
to is a failure, provided the rows above are all leaves: a table with category
or subtotal rows ('I.', '1.1', 'Trong đó', another 'Cộng') may count some rows
twice, and is then at most unverifiable.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

import regex

from kcextract.tables import declared_unit_cells, read_tables
from kcextract.numbers import parse_vn_number
from kcextract.figure import Figure
from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.workspace import Context, fig_interval, operand, operand_interval
from kcextract.verifier.tolerance import add, decimals_in, divide, overlaps, scale

# A table's cells state the binding: its checks name their resolver when they are made
# (those that only fit by value name theirs).
_RESOLVED = {"resolved_by": "table row", "binding": "stated"}

# A total row and a category or subtotal row ('I.', '1.1', 'a)', 'Trong đó', 'Cộng') are the
# phrases total_row and not_a_leaf of patterns/relations.yaml.


def document_tables(ctx: Context) -> list:
    """Every table of the document, in all the layouts kcextract.tables reads (separated
    cells, space-flattened, one cell a line): the figures stage's when it handed them over."""
    return ctx.tables if ctx.tables is not None else read_tables(ctx.text)[0]


def _figure_at(ctx: Context, by_start: dict, span) -> Optional[int]:
    """The figure a table cell holds: the one starting where the cell's text starts."""
    s, e = span
    return by_start.get(s + len(ctx.text[s:e]) - len(ctx.text[s:e].lstrip()))


def _span(table, r: int, column: int):
    """The span of the cell of row ``r`` under header column ``column``, or None: a row's
    cells stand in consecutive columns from ``table.column_of(r, 0)`` on."""
    k = column - table.column_of(r, 0)
    row = table.rows[r]
    return row[k] if 0 <= k < len(row) else None


def _cell(ctx: Context, by_start: dict, table, r: int, column: int) -> Optional[int]:
    """The figure in row ``r`` under header column ``column``, if any."""
    span = _span(table, r, column)
    return None if span is None else _figure_at(ctx, by_start, span)


def _leaves(ctx: Context, table, rows) -> bool:
    """No row of ``rows`` is a category or subtotal, judged on the cells that hold no values."""
    return all(not ctx.cues.phrase("not_a_leaf").match(ctx.text[s:e])
               for q in rows for k, (s, e) in enumerate(table.rows[q])
               if table.units[table.column_of(q, k)] is None)


def find_table_sums(ctx: Context, tables: Optional[list] = None) -> list[Check]:
    """One sum check per number in a total row of a table whose column names a unit."""
    tables = document_tables(ctx) if tables is None else tables
    if not tables:              # (most reports hold none)
        return []
    by_start = ctx.index_by_start()
    checks = []
    for table in tables:
        first_row = 1
        totals = [r for r, row in enumerate(table.rows[1:], 1)
                  if any(ctx.cues.phrase("total_row").match(ctx.text[s:e]) for s, e in row)]
        # A statistics release puts its 'Tổng số' row first, the rows it sums below it.
        total_first = totals == [1] and len(table.rows) > 3
        for r, row in enumerate(table.rows[1:], 1):
            if r not in totals:
                continue
            below = range(r + 1, len(table.rows)) if total_first else range(first_row, r)
            # Leaves: no row between the previous total and this one is a category or subtotal.
            leaves = _leaves(ctx, table, below)
            for k, span in enumerate(row):
                total_i = _figure_at(ctx, by_start, span)
                column = table.column_of(r, k)
                if total_i is None or table.units[column] is None:
                    continue
                if table.units[column].kind == "percent" and ctx.figures[total_i].value != 100:
                    continue          # rates (96,5 … 96,8) do not add up; shares add up to 100
                parts = [i for i in (_cell(ctx, by_start, table, q, column) for q in below)
                         if i is not None]
                if len(parts) >= 2:
                    checks.append(_check(ctx, total_i, parts, leaves))
            first_row = r + 1
    return checks


def find_declared_sums(ctx: Context) -> list[Check]:
    """An appendix under 'ĐVT: …' that lists 'Kinh phí: 360' lines and ends with
    'Tổng cộng: 2.480': the total against the lines above it (since the last total)."""
    cells = declared_unit_cells(ctx.text)
    if not cells:               # (most reports declare no unit)
        return []
    by_start = ctx.index_by_start()
    checks, parts, had_subtotal = [], [], False
    for cell in cells:
        if cell.start not in by_start:
            continue
        line_start = ctx.text.rfind("\n", 0, cell.start) + 1
        if ctx.cues.phrase("total_row").match(ctx.text[line_start:cell.start]):
            if len(parts) >= 2:
                checks.append(_check(ctx, by_start[cell.start], parts, leaves=not had_subtotal))
            had_subtotal, parts = True, []
        else:
            parts.append(by_start[cell.start])
    return checks


def _share_of_a_stated_total(ctx: Context, by_start: dict, table, pc: int, body) -> list[Check]:
    """'Tỷ lệ % 2018': each row's value over a total the text states outside the table ('tổng
    kim ngạch … đạt 6,35 tỷ USD').  The total is the one amount of the document that makes
    the column hold on most rows (two at least); found by value, so it confirms only."""
    value_cols = [c for c in range(len(table.units)) if c != pc and table.units[c] is None
                  and _numeric_column(ctx, by_start, table, c, body)]
    best = None
    for num in value_cols:
        pairs = [(_cell(ctx, by_start, table, r, pc), _raw_cell(ctx, by_start, table, r, num)) for r in body]
        pairs = [(ctx.figures[p], v) for p, v in pairs if p is not None and v is not None and v.value]
        for t in ctx.figures:
            if t.kind != "money" or not t.value or any(t.start == v.start for _, v in pairs):
                continue
            fits = [(p, v) for p, v in pairs
                    if overlaps(fig_interval(p), scale(divide(operand_interval(v), fig_interval(t)), Decimal(100)))]
            if len(fits) >= 2 and (best is None or len(fits) > len(best[1])):
                best = (t, fits)
    if best is None:
        return []
    t, fits = best
    return [Check("share", "ok", p.text, p.start, p.end, Decimal(p.value),
                  (Decimal(v.value) / Decimal(t.value) * 100).quantize(Decimal("0.01")), (operand(v), operand(t)),
                  f"{v.text} / {t.text} = {format_auto(Decimal(v.value) / Decimal(t.value) * 100, 2)}%, bảng ghi {p.text}%",
                  ctx.source, resolved_by="value fit", binding="inferred")
            for p, v in fits]


def _raw_cell(ctx: Context, by_start: dict, table, r: int, column: int):
    """The figure in a cell, or, in a column that names no unit ('T1-9/2018'), its number read
    as written (a Figure of kind count with no unit: fit for quotients, never for sums)."""
    span = _span(table, r, column)
    if span is None:
        return None
    i = _figure_at(ctx, by_start, span)
    if i is not None:
        return ctx.figures[i]
    s, e = span
    raw = ctx.text[s:e].strip()
    try:
        value = parse_vn_number(raw.lstrip("+-−"), prefer_integer=True)
    except ValueError:
        return None
    start = s + ctx.text[s:e].index(raw)
    return Figure("count", raw, start, start + len(raw), -value if raw[:1] in "-−" else value)


def _numeric_column(ctx: Context, by_start: dict, table, column: int, rows) -> bool:
    """A column whose cells are all numbers though its header names no unit."""
    header = table.rows[0]
    if column >= len(header) or _is_index_header(ctx.text[slice(*header[column])]):
        return False
    cells = [_raw_cell(ctx, by_start, table, r, column) for r in rows]
    return sum(1 for c in cells if c is not None) >= 2 and all(c is not None for c in cells)


_INDEX_HEADER = regex.compile(r"\s*(?:STT|TT|\d+)\s*", regex.IGNORECASE)


def _is_index_header(text: str) -> bool:
    return bool(_INDEX_HEADER.fullmatch(text))


def find_table_shares(ctx: Context, tables: Optional[list] = None) -> list[Check]:
    """A percentage column ('Tỷ lệ (%)', '↑↓%', 'So sánh (%)'), read the way its rows show it is
    meant: each row's value over the total row's ('share'), one value column over another in
    the same row ('ratio', e.g. 'Thực hiện' over 'Kế hoạch'), or one over another less one
    ('growth', '2018' over '2017').  The reading is fixed by the rows where it holds (at least
    two); only then may the other rows fail.  Value columns may name no unit: a quotient of
    two numbers does not need one."""
    tables = document_tables(ctx) if tables is None else tables
    if not tables:              # (most reports hold none)
        return []
    by_start = ctx.index_by_start()
    checks = []
    for table in tables:
        total_rows = [r for r in range(1, len(table.rows))
                      if any(ctx.cues.phrase("total_row").match(ctx.text[s:e]) for s, e in table.rows[r])]
        body = [r for r in range(1, len(table.rows)) if r not in total_rows]
        pct_cols = [c for c, u in enumerate(table.units) if u is not None and u.kind == "percent"]
        value_cols = [c for c, u in enumerate(table.units)
                      if (u is not None and u.kind in ("money", "count"))
                      or (u is None and _numeric_column(ctx, by_start, table, c, body))]
        if not pct_cols or not value_cols:
            continue
        readings = []        # (kind, numerator column, denominator column or None for the total)
        for num in value_cols:
            for den in value_cols:
                if num != den:
                    readings += [("ratio", num, den), ("growth", num, den)]
            if len(total_rows) == 1:
                readings.append(("share", num, None))
        for pc in pct_cols:
            checks += _percentage_column(ctx, by_start, table, pc, readings, body, total_rows)
    return checks


def _percentage_column(ctx, by_start, table, pc, readings, body, total_rows) -> list[Check]:
    computed: dict = {}

    def compute(reading, r):
        # (each reading of each row computed once: the best reading is asked for again)
        if (reading, r) not in computed:
            computed[reading, r] = _compute_cell(reading, r)
        return computed[reading, r]

    cells: dict = {}

    def cell(r, column):
        # (each cell read once: every reading of a row reads its percentage and value cells)
        if (r, column) not in cells:
            cells[r, column] = (_cell(ctx, by_start, table, r, column) if column == pc
                                else _raw_cell(ctx, by_start, table, r, column))
        return cells[r, column]

    def _compute_cell(reading, r):
        kind, num, den = reading
        pi = cell(r, pc)
        v = cell(r, num)
        d = cell(total_rows[0] if den is None else r, num if den is None else den)
        if pi is None or v is None or d is None or not d.value or d.value < 0:
            return None
        p = ctx.figures[pi]
        q_iv = scale(divide(operand_interval(v), operand_interval(d)), Decimal(100))
        if kind == "growth":
            q_iv = scale(q_iv, Decimal(1), Decimal(-100))
        # The same tolerance as every other claim: the cell as written against the quotient
        # of the value cells within their written precision.  (The quotient itself is
        # written out only for the reading that is kept.)
        return p, v, d, overlaps(fig_interval(p), q_iv)

    def holds(reading):
        results = [compute(reading, r) for r in body + (total_rows if reading[2] is not None else [])]
        return sum(1 for x in results if x and x[3])

    best = max(readings, key=holds, default=None)
    if best is None or holds(best) < 2:
        return _share_of_a_stated_total(ctx, by_start, table, pc, body)
    leaves = _leaves(ctx, table, body)
    checks = []
    for r in body + (total_rows if best[2] is not None else []):
        result = compute(best, r)
        if result is None:
            continue
        p, v, d, fits = result
        q = Decimal(v.value) / Decimal(d.value)
        expected = (q - 1) * 100 if best[0] == "growth" else q * 100
        decimals = decimals_in(p.text)
        status = "ok" if fits else ("fail" if leaves else "unverifiable")
        shown = f"{expected:.{max(2, decimals)}f}".replace(".", ",")
        formula = f"{v.text} / {d.text} − 1" if best[0] == "growth" else f"{v.text} / {d.text}"
        checks.append(Check(best[0], status, p.text, p.start, p.end, Decimal(p.value),
                            expected.quantize(Decimal("0.01")), (operand(v), operand(d)),
                            f"{formula} = {shown}%, bảng ghi {p.text}%", ctx.source, shown + "%",
                            **_RESOLVED))
    return checks


def _check(ctx: Context, total_i: int, parts: list[int], leaves: bool) -> Check:
    t = ctx.figures[total_i]
    figs = [ctx.figures[i] for i in parts]
    acc = (Decimal(0), Decimal(0))
    for f in figs:
        acc = add(acc, operand_interval(f))
    s = sum(Decimal(f.value) for f in figs)
    # Cells are written in the column's unit ('285' under 'triệu đồng'): say the sum the same way.
    scale = Decimal(t.value) / parse_vn_number(t.text) if parse_vn_number(t.text) else Decimal(1)
    e = format_auto(s / scale, 3)
    explanation = f"{' + '.join(f.text for f in figs)} = {e}, bảng ghi tổng cộng {t.text}"
    if overlaps(acc, fig_interval(t)):
        status = "ok"
    elif leaves:
        status = "fail"
    else:
        status = "unverifiable"
        explanation += " (bảng có dòng nhóm hoặc dòng cộng phụ)"
    return Check("sum", status, t.text, t.start, t.end, Decimal(t.value), s,
                 tuple(operand(f) for f in figs), explanation, ctx.source, e, **_RESOLVED)


def find(ctx: Context) -> list[Check]:
    """The claim-type entry point (registry): tables read once, checked two ways, and
    totals declared after a list of table rows."""
    tables = document_tables(ctx)
    checks = find_table_sums(ctx, tables) + find_declared_sums(ctx) + find_table_shares(ctx, tables)
    return checks
