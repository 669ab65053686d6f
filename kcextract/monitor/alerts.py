"""Alerts: what a pass tells the user about one article, with an id that never changes.

Three types: ``new_article`` (with the figures worth a look), ``changed_article`` (the
figures that differ from the stored version) and ``failed_check`` (a claim that does
not add up, with the verifier's evidence).  An alert's id is a hash of what it is
about, not of when it was found, so a pass that is repeated (after a kill, or the next
day) finds the same ids and adds nothing twice: the same failed check in the same
article is one alert, however many passes see it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Optional

TYPES = ("new_article", "changed_article", "failed_check")
COMMON_FIELDS = ("id", "run", "type", "site", "url", "title", "published", "detected_at")


def alert_id(*parts) -> str:
    """A stable 16-hex-digit id for what ``parts`` name.

    >>> alert_id("new_article", "http://x/a-1.html")
    '8c10b6a54bf1c4be'
    """
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Alert:
    """One alert; ``details`` holds the type's own fields (figures, changes, or the check)."""

    id: str
    type: str
    site: str
    url: str
    title: Optional[str]
    published: Optional[str]
    detected_at: str
    run: Optional[int] = None
    document_id: Optional[int] = None
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The public JSON object (``alerts --format jsonl``, the webhook body, the feed)."""
        record = {"id": self.id, "run": self.run, "type": self.type, "site": self.site, "url": self.url,
                  "title": self.title, "published": self.published, "detected_at": self.detected_at}
        record.update(self.details)
        return record

    def details_json(self) -> str:
        return json.dumps(self.details, ensure_ascii=False, sort_keys=True)


def new_article(doc, highlights: list[dict], run: int, now: str) -> Alert:
    """A document the monitor had never seen."""
    return Alert(alert_id("new_article", doc.url), "new_article", doc.site, doc.url, doc.title,
                 doc.published, now, run, doc.id, {"figures": highlights})


def changed_article(doc, changes: list[dict], old_hash: str, new_hash: str, run: int, now: str) -> Alert:
    """A document whose figures differ from the version the monitor saw last (one alert per change)."""
    return Alert(alert_id("changed_article", doc.url, old_hash, new_hash), "changed_article", doc.site,
                 doc.url, doc.title, doc.published, now, run, doc.id, {"changes": changes})


def failed_check(doc, check: dict, run: int, now: str) -> Alert:
    """A failing claim; identified by what it claims, not where, so an edit elsewhere keeps its id."""
    key = alert_id("failed_check", doc.url, check.get("kind"), check.get("claim_text"),
                   check.get("reported"), check.get("expected"))
    details = {k: v for k, v in check.items() if k != "source"}
    return Alert(key, "failed_check", doc.site, doc.url, doc.title, doc.published, now, run, doc.id, details)


def _number(value) -> str:
    from decimal import Decimal

    from kcextract.verifier.check import format_auto

    if value is None:
        return "?"
    try:
        return format_auto(Decimal(str(value)), 2)
    except (ArithmeticError, ValueError):
        return str(value)


def headline(alert: dict) -> str:
    """One line a person reads: what happened and where.

    >>> headline({"type": "failed_check", "title": "Khuyến công 2023", "claim_text": "45%",
    ...           "expected": 40.0, "explanation": "20 / 50 = 40,00%, báo cáo ghi 45%"})
    'Khuyến công 2023: 45% does not add up (20 / 50 = 40,00%, báo cáo ghi 45%)'
    >>> headline({"type": "changed_article", "title": "T", "changes": [
    ...     {"change": "changed", "text": "4,5 tỷ đồng", "old_text": "5,2 tỷ đồng", "label": "tổng kinh phí"}]})
    'T: changed: tổng kinh phí 5,2 tỷ đồng → 4,5 tỷ đồng'
    """
    title = alert.get("title") or alert.get("url") or "?"
    kind = alert.get("type")
    if kind == "failed_check":
        why = alert.get("explanation") or f"expected {_number(alert.get('expected'))}"
        return f"{title}: {alert.get('claim_text')} does not add up ({why})"
    if kind == "changed_article":
        parts = []
        for c in alert.get("changes", []):
            label = f"{c['label']} " if c.get("label") else ""
            if c["change"] == "changed":
                parts.append(f"{label}{c.get('old_text')} → {c['text']}")
            else:
                parts.append(f"{c['change']} {label}{c['text']}")
        return f"{title}: changed: " + "; ".join(parts)
    figures = ", ".join(f["text"] for f in alert.get("figures", [])[:3])
    return f"{title}: new" + (f" ({figures})" if figures else "")
