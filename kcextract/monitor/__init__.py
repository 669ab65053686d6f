"""Monitoring (issue 10): after each pass, what is new, what changed, what does not add up.

:class:`~kcextract.monitor.passes.MonitorPass` runs one pass (crawl → extract → verify →
alerts → notifiers) and records it; :mod:`~kcextract.monitor.ledger` holds the monitor's
own tables; :mod:`~kcextract.monitor.notifiers` is the registry of alert outlets
(Atom feed, stdout, webhook).
"""
from __future__ import annotations

from kcextract.monitor.passes import MonitorPass, PassReport

__all__ = ["MonitorPass", "PassReport"]
