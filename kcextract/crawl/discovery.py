"""Finding article URLs: RSS/Atom feeds, sitemaps (index and urlset), list pages with pagination.

The issue's order of preference is feeds, then sitemaps, then list pages: a feed is
small and dated, a sitemap is complete but often undated, a list page needs the page
parser.  Each parser here turns fetched bytes into :class:`Link` records (URL plus the
date the source gives, used to stop at ``--since`` before fetching anything).
"""
from __future__ import annotations

import calendar
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Optional

import feedparser
from lxml import etree

from kcextract.exceptions import SourceError

# Vietnam has one time zone, UTC+7, no daylight saving: feed dates (UTC) become local
# publication dates before they are compared with --since.
VIETNAM = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Link:
    """A URL found by discovery, with the date its source gives (None when undated)."""

    url: str
    date: Optional[datetime] = None
    title: Optional[str] = None


def local_date(value) -> Optional[date]:
    """The Vietnamese calendar date of a datetime (naive ones are taken as local already).

    >>> local_date(datetime(2023, 12, 6, 18, 30, tzinfo=timezone.utc))
    datetime.date(2023, 12, 7)
    >>> local_date(datetime(2023, 12, 6, 18, 30))
    datetime.date(2023, 12, 6)
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(VIETNAM)
        return value.date()
    return value


def before(value, since: Optional[date]) -> bool:
    """True when a dated item is older than ``since`` (undated items never are)."""
    day = local_date(value)
    return since is not None and day is not None and day < since


def parse_feed(data: bytes, url: str) -> list:
    """Entry links of an RSS or Atom feed, with their dates.

    feedparser copes with broken XML (``bozo``); entries it could read are kept.  NukeViet
    4.3-4.5 writes the month in the minutes of pubDate (``H:m:s``): the day is still right.

    :raises SourceError: when the document has no entries and is not a feed at all.
    """
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries and parsed.get("bozo") and not parsed.get("feed"):
        raise SourceError(url, f"not an RSS/Atom feed: {parsed.get('bozo_exception')}")
    links = []
    for entry in parsed.entries:
        href = entry.get("link")
        if not href and entry.get("guidislink"):
            href = entry.get("id")
        if not href:
            continue
        when = None
        # ask for updated_parsed only when the entry has one (feedparser warns otherwise)
        stamp = entry.get("published_parsed") or ("updated" in entry and entry.get("updated_parsed"))
        if stamp:
            when = datetime.fromtimestamp(calendar.timegm(stamp), tz=timezone.utc)
        links.append(Link(href.strip(), when, entry.get("title")))
    return links


def _localname(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_iso(text: Optional[str]) -> Optional[datetime]:
    if not text:
        return None
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_sitemap(data: bytes, url: str, max_bytes: int = 50 * 1024 * 1024) -> tuple:
    """``("index", [Link…])`` for a sitemap index, ``("urlset", [Link…])`` for a URL set.

    Gzipped sitemaps (``.xml.gz``) are unpacked, to at most ``max_bytes`` (the sitemap
    protocol's own limit by default: a gzip bomb stops there); entities are not resolved
    and nothing is fetched by the XML parser.  ``lastmod`` becomes the link date.

    :raises SourceError: when the bytes are not a sitemap, or inflate past ``max_bytes``.
    """
    if data[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(data, max_bytes + 1)
        except zlib.error as exc:
            raise SourceError(url, f"corrupt gzipped sitemap: {exc}") from exc
        if len(data) > max_bytes:
            raise SourceError(url, f"gzipped sitemap inflates to more than {max_bytes} bytes (limit {max_bytes})")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data.strip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(url, f"not a sitemap: {exc}") from exc
    if root is None:
        raise SourceError(url, "not a sitemap: empty or not XML")
    kind = _localname(root)
    if kind not in ("sitemapindex", "urlset"):
        raise SourceError(url, f"not a sitemap: root element is <{kind}>")
    child = "sitemap" if kind == "sitemapindex" else "url"
    links = []
    for item in root:
        if _localname(item) != child:
            continue
        loc = lastmod = None
        for field in item:
            name = _localname(field)
            if name == "loc":
                loc = (field.text or "").strip()
            elif name == "lastmod":
                lastmod = _parse_iso(field.text)
        if loc:
            links.append(Link(loc, lastmod))
    return ("index" if kind == "sitemapindex" else "urlset"), links


def parse_list(html: str, url: str, site=None) -> tuple:
    """``([Link…], next_url)`` of a list page, using the page parser (:mod:`kcextract.htmltext`)."""
    from kcextract.htmltext import parse_list_page

    page = parse_list_page(html, url, site=site)
    return [Link(u, d) for u, d in page.items], page.next_url
