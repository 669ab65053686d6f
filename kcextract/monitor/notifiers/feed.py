"""``--notify feed:PATH``: an Atom feed file of the latest alerts, for any feed reader.

The file is rebuilt from the database each time (the newest ``FEED_SIZE`` alerts queued
for it), written to a temporary file and renamed into place, so a reader never sees a
half-written feed and a killed pass leaves the previous one intact.  Entry ids are the
alert ids, so a reader shows each alert once.
"""
from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from kcextract import __version__
from kcextract.monitor.alerts import headline
from kcextract.monitor.notifiers import Notifier, NotifierError
from kcextract.store import utcnow

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 200
VIETNAM = "+07:00"
TYPE_TITLES = {"new_article": "New", "changed_article": "Changed", "failed_check": "Does not add up"}


def _sub(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _rfc3339(value: str, offset: str = "+00:00") -> str:
    """Atom wants a time zone: ``offset`` is added to a time that has none.

    >>> _rfc3339("2026-12-05T07:45:00", "+07:00"), _rfc3339("2026-12-05"), _rfc3339("2026-12-07T01:00:00+00:00")
    ('2026-12-05T07:45:00+07:00', '2026-12-05T00:00:00+00:00', '2026-12-07T01:00:00+00:00')
    """
    if len(value) == 10:
        value += "T00:00:00"
    tail = value[10:]
    return value if ("+" in tail or "-" in tail or value.endswith("Z")) else value + offset


def _details(alert: dict) -> str:
    lines = [headline(alert), alert["url"]]
    if alert["type"] == "new_article":
        lines += [f"- {f['text']}" + (f" ({f['label']})" if f.get("label") else "") for f in alert.get("figures", [])]
    elif alert["type"] == "failed_check":
        lines.append(f"reported {alert.get('reported')}, recomputed {alert.get('expected')}")
    return "\n".join(lines)


def atom_feed(alerts: list[dict], title: str) -> bytes:
    """The Atom document for ``alerts`` (newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", "urn:kcextract:monitor:" + title)
    _sub(feed, "updated", _rfc3339(alerts[0]["detected_at"] if alerts else utcnow()))
    _sub(_sub(feed, "author"), "name", "kcextract monitor")
    _sub(feed, "generator", "kcextract", version=__version__)
    for alert in alerts:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:kcextract:alert:{alert['id']}")
        _sub(entry, "title", f"{TYPE_TITLES.get(alert['type'], alert['type'])}: {headline(alert)}")
        _sub(entry, "link", href=alert["url"])
        _sub(entry, "updated", _rfc3339(alert["detected_at"]))
        if alert.get("published"):
            # publication dates are the publisher's local time, and Vietnam is UTC+7 all year
            _sub(entry, "published", _rfc3339(alert["published"], VIETNAM))
        _sub(entry, "category", term=alert["type"])
        _sub(entry, "category", term=alert["site"], scheme="urn:kcextract:site")
        _sub(entry, "summary", _details(alert))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


class FeedNotifier(Notifier):
    scheme = "feed"
    help = "the path of the Atom file to keep, e.g. feed:alerts.xml"

    def __init__(self, target: str = "", **settings):
        super().__init__(target, **settings)
        self.path = Path(target).expanduser().resolve()
        if self.path.is_dir():
            raise NotifierError(f"--notify feed:{target}: is a directory; give a file name such as alerts.xml")
        self.target = str(self.path)

    def up_to_date(self) -> bool:
        return self.path.exists()

    def deliver(self, pending, recent):
        data = atom_feed(recent(FEED_SIZE), title=f"kcextract alerts ({self.path.name})")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            for alert in pending:
                yield alert["id"], f"cannot write {self.path}: {exc.strerror or exc}"
            return
        for alert in pending:
            yield alert["id"], None


NOTIFIER = FeedNotifier
