"""The overview's chart, drawn as inline SVG: khuyến công money by province and year.

No chart library and no script: the report must open from a file with no network, and
an SVG is text that a test can read. One row per province, one bar segment per year,
each segment with a ``<title>`` (shown on hover) giving its exact sum.
"""
from __future__ import annotations

from markupsafe import Markup, escape

# Colour-blind-safe palette (Okabe–Ito), one colour per year, repeated after eight years.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
ROW, LABEL_WIDTH, BAR_WIDTH, TOP = 26, 170, 520, 34


def money_by_province_year(rows) -> dict:
    """``{(province, year): billions}`` from ``(province, year, value_vnd)`` rows."""
    sums: dict = {}
    for province, year, value in rows:
        key = (province or "không rõ tỉnh", year)
        sums[key] = sums.get(key, 0.0) + float(value) / 1e9
    return sums


def _fmt(billions: float) -> str:
    whole, _, frac = f"{billions:,.2f}".partition(".")
    return whole.replace(",", ".") + ("," + frac.rstrip("0") if frac.rstrip("0") else "")


def stacked_bars(sums: dict, unit: str = "tỷ đồng") -> Markup:
    """An SVG of horizontal bars, one per province (largest total first), stacked by year.

    >>> svg = stacked_bars({("Đắk Lắk", 2018): 1.5, ("Đắk Lắk", 2019): 0.5, ("Quảng Ninh", 2017): 1.0})
    >>> svg.count("data-province="), svg.count('class="legend"')     # three bar segments, three years
    (3, 3)
    >>> ">2 tỷ đồng<" in svg, "Đắk Lắk, 2018: 1,5 tỷ đồng" in svg
    (True, True)
    """
    years = sorted({year for _, year in sums if year is not None}) + (
        [None] if any(year is None for _, year in sums) else [])
    totals: dict = {}
    for (province, _), value in sums.items():
        totals[province] = totals.get(province, 0.0) + value
    provinces = sorted(totals, key=lambda p: (-totals[p], p))
    biggest = max(totals.values(), default=0.0) or 1.0
    height = TOP + ROW * len(provinces) + 10
    width = LABEL_WIDTH + BAR_WIDTH + 110
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}"'
             f' width="{width}" height="{height}" aria-label="Kinh phí khuyến công theo tỉnh và năm ({unit})">']
    # Legend: one swatch per year.
    for i, year in enumerate(years):
        x = LABEL_WIDTH + i * 70
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{x + 16}" y="16" class="legend">{escape(year or "không rõ năm")}</text>')
    for row, province in enumerate(provinces):
        y = TOP + row * ROW
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" class="label">{escape(province)}</text>')
        x = float(LABEL_WIDTH)
        for i, year in enumerate(years):
            value = sums.get((province, year))
            if not value:
                continue
            w = max(1.0, BAR_WIDTH * value / biggest)
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 8}"'
                         f' fill="{PALETTE[i % len(PALETTE)]}" data-province="{escape(province)}"'
                         f' data-year="{escape(year or "")}" data-value="{value * 1e9:.0f}">'
                         f'<title>{escape(province)}, {escape(year or "không rõ năm")}: {_fmt(value)} {unit}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" class="total">{_fmt(totals[province])} {unit}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
