"""A table's total row ('Tổng cộng', 'Tổng số', 'Cộng') against the column above it.

A printed table states its structure, so a total that its column does not add up
to is a failure, provided the rows above are all leaves: a table with category
or subtotal rows ('I.', '1.1', 'Trong đó', another 'Cộng') may count some rows
twice, and is then at most unverifiable.
"""
from __future__ import annotations

from decimal import Decimal

import regex

from kcextract.tables import declared_unit_cells, find_tables, space_tables
from kcextract.numbers import parse_vn_number
from kcextract.verifier.check import Check, format_auto
from kcextract.verifier.context import Context, fig_interval, operand
from kcextract.verifier.tolerance import add, overlaps

_TOTAL_ROW = regex.compile(r"^\s*(?:tổng\s+cộng|tổng\s+số|tổng|cộng)\b", regex.IGNORECASE)
# A category or subtotal row: roman numerals 'I.', '1.1', 'a)', 'Trong đó', 'Cộng'.
_NOT_A_LEAF = regex.compile(r"^\s*(?:(?-i:[IVX]+)\.?(?!\p{L})|\d+\.\d+\.?(?!\d)|[a-zđ]\)|trong\s+đó\b|cộng\b|tổng\b)",
                            regex.IGNORECASE | regex.VERSION1)


def find_table_sums(ctx: Context) -> list[Check]:
    """One sum check per number in a total row of a table whose column names a unit."""
    by_start = {f.start: i for i, f in enumerate(ctx.figures)}
    checks = []
    for table in find_tables(ctx.text) + space_tables(ctx.text):
        first_row = 1
        for r, row in enumerate(table.rows[1:], 1):
            texts = [ctx.text[s:e] for s, e in row]
            if not any(_TOTAL_ROW.match(t) for t in texts):
                continue
            # Leaves: no row above (between the previous total and this one) is a
            # category or subtotal, judged on the cells that hold no values.
            leaves = all(not _NOT_A_LEAF.match(ctx.text[s:e])
                         for q in range(first_row, r) for kk, (s, e) in enumerate(table.rows[q])
                         if table.units[table.column_of(q, kk)] is None)
            for k, (s, e) in enumerate(row):
                total_i = by_start.get(s + len(ctx.text[s:e]) - len(ctx.text[s:e].lstrip()))
                column = table.column_of(r, k)
                if total_i is None or table.units[column] is None:
                    continue
                parts = []
                for q in range(first_row, r):
                    for kk, (ps, pe) in enumerate(table.rows[q]):
                        if table.column_of(q, kk) == column:
                            lead = len(ctx.text[ps:pe]) - len(ctx.text[ps:pe].lstrip())
                            if ps + lead in by_start:
                                parts.append(by_start[ps + lead])
                if len(parts) >= 2:
                    checks.append(_check(ctx, total_i, parts, leaves))
            first_row = r + 1
    return checks


def find_declared_sums(ctx: Context) -> list[Check]:
    """An appendix under 'ĐVT: …' that lists 'Kinh phí: 360' lines and ends with
    'Tổng cộng: 2.480': the total against the lines above it (since the last total)."""
    by_start = {f.start: i for i, f in enumerate(ctx.figures)}
    checks, parts, had_subtotal = [], [], False
    for cell in declared_unit_cells(ctx.text):
        if cell.start not in by_start:
            continue
        line_start = ctx.text.rfind("\n", 0, cell.start) + 1
        if _TOTAL_ROW.match(ctx.text[line_start:cell.start]):
            if len(parts) >= 2:
                checks.append(_check(ctx, by_start[cell.start], parts, leaves=not had_subtotal))
            had_subtotal, parts = True, []
        else:
            parts.append(by_start[cell.start])
    return checks


def find_table_shares(ctx: Context) -> list[Check]:
    """A 'Tỷ lệ (%)' column against the value column beside it and its total row:
    each row's percentage is its value over the total."""
    by_start = {f.start: i for i, f in enumerate(ctx.figures)}
    checks = []
    for table in find_tables(ctx.text) + space_tables(ctx.text):
        pct_cols = [c for c, u in enumerate(table.units) if u is not None and u.kind == "percent"]
        value_cols = [c for c, u in enumerate(table.units) if u is not None and u.kind in ("money", "count")]
        if len(pct_cols) != 1 or not value_cols:
            continue
        pc, vc = pct_cols[0], max((c for c in value_cols if c < pct_cols[0]), default=value_cols[0])

        def cell_figure(r, column):
            for k, (s, e) in enumerate(table.rows[r]):
                if table.column_of(r, k) == column:
                    lead = len(ctx.text[s:e]) - len(ctx.text[s:e].lstrip())
                    return by_start.get(s + lead)
            return None

        total_rows = [r for r in range(1, len(table.rows))
                      if any(_TOTAL_ROW.match(ctx.text[s:e]) for s, e in table.rows[r])]
        if len(total_rows) != 1:
            continue
        total_i = cell_figure(total_rows[0], vc)
        if total_i is None:
            continue
        leaves = all(not _NOT_A_LEAF.match(ctx.text[s:e])
                     for q in range(1, total_rows[0]) for kk, (s, e) in enumerate(table.rows[q])
                     if table.units[table.column_of(q, kk)] is None)
        t = ctx.figures[total_i]
        for r in range(1, total_rows[0]):
            pi, vi = cell_figure(r, pc), cell_figure(r, vc)
            if pi is None or vi is None or not t.value:
                continue
            p, v = ctx.figures[pi], ctx.figures[vi]
            expected = Decimal(v.value) / Decimal(t.value) * 100
            decimals = len(p.text.split(",")[1]) if "," in p.text else 0
            half = Decimal(1).scaleb(-decimals) / 2
            status = "ok" if abs(expected - Decimal(p.value)) <= half + Decimal("1e-9") else (
                "fail" if leaves else "unverifiable")
            shown = f"{expected:.{max(2, decimals)}f}".replace(".", ",")
            checks.append(Check("share", status, p.text, p.start, p.end, Decimal(p.value),
                                expected.quantize(Decimal("0.01")), (operand(v), operand(t)),
                                f"{v.text} / {t.text} = {shown}%, bảng ghi {p.text}%", ctx.source, shown + "%"))
    return checks


def _check(ctx: Context, total_i: int, parts: list[int], leaves: bool) -> Check:
    t = ctx.figures[total_i]
    figs = [ctx.figures[i] for i in parts]
    acc = (Decimal(0), Decimal(0))
    for f in figs:
        acc = add(acc, fig_interval(f))
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
                 tuple(operand(f) for f in figs), explanation, ctx.source, e)
