"""A list (category, tag, search) page -> article URLs in page order, their dates, the next page.

Links come from the site's/family's ``list_links`` selectors, else from every link whose
URL looks like an article of that site or family. The next page is found by selector,
``rel=next``, the page number in the URL plus one (NukeViet ``/page-N/``, WordPress
``/page/N/`` and ``?paged=N``, ``?page=N``, Liferay ``cur=N``, ``/trang-N.html``), or a
"next" link text ("Trang sau", "»", "Tiếp").
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from kcextract.dates import find_vn_dates
from kcextract.html.article import _ancestors_match
from kcextract.html.clean import normalize_inline
from kcextract.html.families import Selectors, base_href, detect_family, resolve_site, select_all
from kcextract.sites import Site, family_preset

# Page-number shapes in list URLs, tried in order: (regex with the number in group 1, template).
PAGE_PATTERNS = (
    (re.compile(r"/page-(\d+)/?(?=$|[?#])"), "nukeviet /page-N/"),
    (re.compile(r"/page/(\d+)/?(?=$|[?#])"), "wordpress /page/N/"),
    (re.compile(r"[?&]paged=(\d+)"), "wordpress ?paged=N"),
    (re.compile(r"[?&](?:[\w]*_)?cur=(\d+)"), "liferay cur=N"),
    (re.compile(r"[?&]page=(\d+)"), "?page=N"),
    (re.compile(r"[?&]p(?:age)?(?:index|no|num)=(\d+)", re.I), "?pageindex=N"),
    (re.compile(r"/trang-(\d+)\.html?"), "/trang-N.html"),
    (re.compile(r"[?&]trang=(\d+)"), "?trang=N"),
)
NEXT_TEXTS = re.compile(r"^(?:»|›|>|>>|→|trang\s+sau|sau|tiếp|tiếp\s+theo|xem\s+tiếp|next|next\s+page|older\s+posts|tin\s+cũ\s+hơn)\s*[»›>]*$", re.I)
_CHROME = re.compile(r"(?:^|[\s_-])(?:menu|nav|navbar|header|footer|topbar|breadcrumb)(?:$|[\s_-])", re.I)


@dataclass
class ListPage:
    """Article links of one list page, with each card's own date, and the next list page."""

    url: str
    items: list[tuple[str, dt.datetime | None]] = field(default_factory=list)
    next_url: str | None = None
    family: str = "generic"

    @property
    def article_urls(self) -> list[str]:
        """Absolute article URLs, in page order."""
        return [u for u, _ in self.items]


def _absolute(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    return urldefrag(urljoin(base, href))[0]


def _looks_like_article(url: str, family, site: Site | None) -> bool:
    if site is not None:
        return site.is_article_url(url)
    generic = family_preset("generic")
    deny = (*family.deny, *generic.deny)
    if any(p.search(url) for p in deny):
        return False
    return any(p.search(url) for p in (*family.article_url_pattern, *generic.article_url_pattern))


CARD_LEVELS = 4            # a card is at most this many levels above its link
SEEN_LEVELS = 12           # how far up a link makes itself known to the elements holding it
_CARD_STOP = ("body", "html", "ul", "ol", "table", "tbody")


def _urls_under(anchors_with_urls) -> dict:
    """id(element) -> up to two distinct link URLs found under it, for the elements up to
    :data:`SEEN_LEVELS` above each link (a card is at most 4 levels above its own link, and
    another link deeper than that below the card is rare): one pass, linear in the links."""
    under: dict[int, set] = {}
    for anchor, url in anchors_with_urls:
        for level, parent in enumerate(anchor.parents):
            if level >= SEEN_LEVELS or parent.name in _CARD_STOP:
                break
            found = under.setdefault(id(parent), set())
            if len(found) < 2:
                found.add(url)
    return under


def _card_of(anchor: Tag, url: str, under: dict) -> Tag:
    """The largest ancestor (up to 4 levels) that holds links to this article only."""
    card = anchor
    for level, parent in enumerate(anchor.parents):
        if level >= CARD_LEVELS or parent.name in _CARD_STOP:
            break
        if under.get(id(parent), set()) - {url}:
            break
        card = parent
    return card


def _date_elements(soup, selectors) -> list[set]:
    """For each ``list_dates`` selector, the ids of the page's elements it matches: one select per
    selector for the whole page, instead of one per card."""
    found = []
    for selector in selectors:
        try:
            found.append({id(el) for el in soup.select(selector)})
        except Exception:  # a selector soupsieve cannot parse is skipped, not fatal
            continue
    return found


def _card_date(card: Tag, date_elements: list[set]) -> dt.datetime | None:
    for matched in date_elements:
        if not matched:
            continue
        for el in card.descendants:
            if not isinstance(el, Tag) or id(el) not in matched:
                continue
            for attr in ("datetime", "content", "title"):
                if el.get(attr):
                    found = find_vn_dates(el[attr])
                    if found:
                        return found[0].value
            found = find_vn_dates(normalize_inline(el.get_text(" ")))
            if found:
                return found[0].value
    found = find_vn_dates(normalize_inline(card.get_text(" ")))
    return found[0].value if found else None


def _page_number(url: str) -> tuple[int, re.Pattern | None]:
    for pattern, _ in PAGE_PATTERNS:
        m = pattern.search(url)
        if m:
            return int(m.group(1)), pattern
    return 1, None


def _strip_page(url: str, pattern: re.Pattern | None) -> str:
    """The URL without its page part, to compare "same list, other page"."""
    if pattern is None:
        return url.rstrip("/")
    m = pattern.search(url)
    if not m:
        return url.rstrip("/")
    return (url[: m.start()] + url[m.end():]).rstrip("/?&")


def _next_by_number(anchors, page_url: str, base: str) -> str | None:
    current, current_pattern = _page_number(page_url)
    for a in anchors:
        href = _absolute(base, a.get("href"))
        if not href or href == page_url:
            continue
        number, pattern = _page_number(href)
        if pattern is None or number != current + 1:
            continue
        if current_pattern is not None and pattern is not current_pattern:
            continue
        if _strip_page(href, pattern) == _strip_page(page_url, current_pattern) or current == 1 and \
                _strip_page(href, pattern) == page_url.rstrip("/?&"):
            return href
    return None


def find_next_url(soup: BeautifulSoup, page_url: str, sel: Selectors | None = None) -> str | None:
    """The next list page's URL, or None on the last page."""
    base = base_href(soup, page_url)
    candidates: list[Tag] = []
    if sel is not None:
        candidates += select_all(soup, sel.get("next_page", with_generic=True))
    candidates += soup.select("a[rel~='next'][href], link[rel~='next'][href]")
    for el in candidates:
        href = _absolute(base, el.get("href"))
        if href and href.rstrip("/") != page_url.rstrip("/"):
            return href
    anchors = soup.find_all("a", href=True)
    by_number = _next_by_number(anchors, page_url, base)
    if by_number:
        return by_number
    for a in anchors:
        label = normalize_inline(a.get_text(" ")).strip() or a.get("title", "") or a.get("aria-label", "")
        if label and NEXT_TEXTS.match(label.strip()):
            href = _absolute(base, a["href"])
            if href and href.rstrip("/") != page_url.rstrip("/"):
                return href
    return None


def parse_list_page(html: str, url: str, site: Site | None = None) -> ListPage:
    """Article URLs (absolute, page order, deduplicated) with card dates, and the next page URL."""
    soup = BeautifulSoup(html, "lxml")
    site = resolve_site(url, site)
    family = site.family if site is not None else detect_family(soup, url)
    sel = Selectors(family, site)
    base = base_href(soup, url)
    host = urlsplit(url).netloc.lower()
    hosts = site.hosts() if site is not None else {host}

    anchors = [a for a in select_all(soup, sel.get("list_links", with_generic=True)) if a.get("href")]
    from_selectors = bool(anchors)
    if not anchors:
        anchors = [a for a in soup.find_all("a", href=True) if not _ancestors_match(a, _CHROME)]

    urls_of: dict[int, str] = {}
    all_links = []
    for a in soup.find_all("a", href=True):
        absolute = _absolute(base, a["href"])
        if absolute:
            urls_of[id(a)] = absolute
            all_links.append((a, absolute))
    under = _urls_under(all_links)

    date_elements = _date_elements(soup, sel.get("list_dates", with_generic=True))
    items: list[tuple[str, dt.datetime | None]] = []
    seen: set[str] = set()
    for a in anchors:
        absolute = urls_of.get(id(a)) or _absolute(base, a["href"])
        if not absolute or absolute in seen or absolute.rstrip("/") == url.rstrip("/"):
            continue
        if urlsplit(absolute).netloc.lower() not in hosts:
            continue
        if not from_selectors and not _looks_like_article(absolute, family, site):
            continue
        if site is not None and site.is_denied(absolute):
            continue
        seen.add(absolute)
        card = _card_of(a, absolute, under)
        items.append((absolute, _card_date(card, date_elements)))

    return ListPage(url=url, items=items, next_url=find_next_url(soup, url, sel), family=family.name)
