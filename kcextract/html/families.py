"""Which CMS family a page belongs to, and the selector lists to use for it.

A known site decides (its ``cms``); otherwise the page is matched against each family's
``detect`` selectors (scrapers/families/*.toml) and the family with most hits wins;
a page matching none is ``generic``.
"""
from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from kcextract.sites import Family, Site, family_names, family_preset, site_for_url


def detect_family(soup: BeautifulSoup, url: str | None = None) -> Family:
    """The family preset whose ``detect`` selectors match this page best (generic if none).

    >>> from bs4 import BeautifulSoup
    >>> detect_family(BeautifulSoup('<div id="news-bodyhtml" class="bodytext">x</div>', "lxml")).name
    'nukeviet'
    >>> detect_family(BeautifulSoup('<p>plain</p>', "lxml")).name
    'generic'
    """
    best, best_hits = family_preset("generic"), 0
    for name in family_names():
        family = family_preset(name)
        hits = sum(1 for sel in family.detect if soup.select_one(sel) is not None)
        if url:
            hits += sum(1 for hint in family.url_hints if hint.search(url)) * 0.5
        if hits > best_hits:
            best, best_hits = family, hits
    return best


def resolve_site(url: str | None, site: Site | None) -> Site | None:
    """The site to use: the one given, else a shipped site whose host matches ``url``."""
    return site if site is not None else site_for_url(url)


class Selectors:
    """Selector lists for one page: the site's own, else its family's, else the generic preset's."""

    def __init__(self, family: Family, site: Site | None = None) -> None:
        self.family = family
        self.site = site
        self.generic = family_preset("generic")

    def get(self, key: str, with_generic: bool = False) -> tuple[str, ...]:
        """Selectors for ``key`` in priority order (site override replaces the family's)."""
        if self.site is not None and key in self.site.selectors:
            own = self.site.selectors[key]
        else:
            own = self.family.selectors.get(key, ())
        if with_generic and self.family.name != "generic":
            return own + tuple(s for s in self.generic.selectors.get(key, ()) if s not in own)
        return own


def select_all(soup, selectors) -> list[Tag]:
    """Elements matching any of ``selectors``, first selector with a hit wins, document order."""
    for selector in selectors:
        try:
            found = soup.select(selector)
        except Exception:  # a selector soupsieve cannot parse is skipped, not fatal
            continue
        if found:
            return found
    return []


def base_href(soup: BeautifulSoup, url: str | None) -> str:
    """The URL relative links resolve against: <base href> if present, else the page URL."""
    base = soup.find("base", href=True)
    if base is not None:
        return urljoin(url or "", base["href"])
    return url or ""
