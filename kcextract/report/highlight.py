"""A document's text as HTML, every figure an element carrying its parsed value.

Each highlight is ``<mark class="fig" data-kind=… data-value=…>`` around the exact
characters ``text[start:end]``; a hidden ``<span class="tip">`` inside it shows on hover
(CSS only) the value, unit, qualifier, label and period. A figure that a check reports
on also carries ``data-check="ok|fail|unverifiable"`` and a ✓/✗ link to that check.
"""
from __future__ import annotations

from markupsafe import Markup, escape

SYMBOL = {"ok": "✓", "fail": "✗", "unverifiable": "?"}


def _value_text(value) -> str:
    if value is None or value != value:
        return ""
    value = float(value)
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    whole, _, frac = f"{value:,.4f}".partition(".")
    return whole.replace(",", ".") + "," + frac.rstrip("0")


def _attr(value) -> str:
    if value is None or value != value:
        return ""
    return str(value)


def _tip(fig) -> Markup:
    lines = [("giá trị", _value_text(fig.get("value")) + (f" – {_value_text(fig.get('value_max'))}" if _attr(fig.get("value_max")) else "")),
             ("đơn vị", _attr(fig.get("currency")) or _attr(fig.get("unit"))),
             ("định tính", _attr(fig.get("qualifier"))),
             ("nội dung", _attr(fig.get("label"))),
             ("của", _attr(fig.get("scope"))),
             ("thời kỳ", _attr(fig.get("period"))),
             ("vai trò", _attr(fig.get("role"))),
             ("trên mỗi", _attr(fig.get("per")))]
    body = "".join(f"<span class=\"tip-row\"><b>{escape(k)}</b> {escape(v)}</span>" for k, v in lines if v)
    return Markup(f'<span class="tip" role="tooltip">{body}</span>')


def highlight(text: str, figures: list, checks_by_span: dict) -> Markup:
    """``text`` escaped, with a ``<mark>`` per figure (figures are dicts with start/end/kind/value …).

    >>> html = highlight("hỗ trợ 6,7 tỷ đồng", [{"id": "1-7-18-money", "start": 7, "end": 18,
    ...     "kind": "money", "value": 6.7e9, "currency": "VND", "qualifier": "exact"}], {})
    >>> 'data-kind="money"' in html and 'data-value="6700000000"' in html and ">6,7 tỷ đồng<" in html
    True
    """
    out, pos = [], 0
    for fig in sorted(figures, key=lambda f: (int(f["start"]), -int(f["end"]))):
        start, end = int(fig["start"]), int(fig["end"])
        if start < pos:              # nested in (or overlapping) a figure already marked
            continue
        out.append(escape(text[pos:start]))
        check = checks_by_span.get((start, end))
        value = fig.get("value")
        attrs = {
            "class": f"fig fig-{fig['kind']}" + (f" check-{check['status']}" if check else ""),
            "id": f"f-{fig['id']}", "tabindex": "0", "data-kind": fig["kind"],
            "data-value": ("" if value is None or value != value else
                           (str(int(value)) if float(value) == int(value) else str(value))),
            "data-unit": _attr(fig.get("currency")) or _attr(fig.get("unit")),
            "data-qualifier": _attr(fig.get("qualifier")), "data-label": _attr(fig.get("label")),
            "data-period": _attr(fig.get("period")),
        }
        if check:
            attrs["data-check"] = check["status"]
        attr_html = " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items())
        mark = f"<mark {attr_html}>{escape(text[start:end])}{_tip(fig)}</mark>"
        if check:
            mark += (f'<a class="check-mark check-{check["status"]}" href="#c-{escape(check["id"])}"'
                     f' title="{escape(check["explanation"] or "")}">{SYMBOL[check["status"]]}</a>')
        out.append(Markup(mark))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)
