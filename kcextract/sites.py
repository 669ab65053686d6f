"""Site definitions (``scrapers/<name>.toml``) and CMS family presets (``scrapers/families/``).

A site file names a publisher, its base URL, its CMS family and where to start; the
family preset supplies the selectors, feed and sitemap templates, and a site's own
``[selectors]`` table overrides the preset only where given. Key sets are closed:
a typo fails at load time with a message naming the file and the key.

>>> site = load_site(SCRAPERS_DIR / "daklak.toml")
>>> site.cms, site.family.name
('nukeviet', 'nukeviet')
>>> site.feed_urls()[-1]
'https://socongthuong.daklak.gov.vn/vi/news/rss/'
>>> site.is_article_url("https://socongthuong.daklak.gov.vn/vi/news/hoat-dong-khuyen-cong/ho-tro-1644.html")
True
>>> site.is_article_url("https://socongthuong.daklak.gov.vn/vi/news/hoat-dong-khuyen-cong/page-2/")
False
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from kcextract.exceptions import SiteConfigError
from kcextract.patterns import data_dir

SCRAPERS_DIR = data_dir("scrapers", "KCEXTRACT_SCRAPERS")
FAMILIES_DIR = SCRAPERS_DIR / "families"

# Selector keys (site [selectors] tables and family presets). Each value is a CSS
# selector or a list of them, tried in order.
SELECTOR_KEYS = {
    "title": "the article title",
    "date": "the element holding the publication date (text or datetime/content attribute)",
    "body": "the article body; when several match, the longest wins",
    "lead": "the lead (sapo) when it sits outside the body",
    "next_page": "the link to the next list page",
    "list_links": "article links on a list page",
    "list_dates": "the date of each card on a list page (searched inside the card)",
    "attachments": "links to attached files (PDF, Word, Excel)",
    "remove": "elements to drop from the body (share rows, related lists, counters)",
}

# key -> (allowed types, description). Closed: anything else is a SiteConfigError.
SITE_KEYS = {
    "name": ((str,), "short identifier, used as --site NAME"),
    "base_url": ((str,), "scheme://host[:port] the site lives on"),
    "cms": ((str,), "family preset: a file name in scrapers/families/"),
    "start_urls": ((list,), "list pages to start crawling from"),
    "province": ((str,), "province or publisher group"),
    "feeds": ((list,), "RSS/Atom URLs (absolute or relative to base_url); default: the family's"),
    "sitemaps": ((list,), "sitemap URLs (absolute or relative); default: the family's"),
    "verified": ((bool,), "true once a live crawl confirmed the definition"),
    "delay": ((int, float), "seconds between requests to this host"),
    "article_url_pattern": ((str, list), "regex(es) an article URL matches; default: the family's"),
    "deny": ((str, list), "regex(es) of URLs never fetched; checked before article_url_pattern"),
    "allowed_hosts": ((list,), "other hosts that belong to the site (www., beta., mirrors)"),
    "encoding": ((str,), "charset to assume when the server declares none"),
    "max_list_pages": ((int,), "how many list pages a start URL's 'next page' chain may follow (default 100)"),
    "recheck": ((str, int, float), "how often 'kcextract monitor' re-fetches stored articles (30m, 6h, 1d, 1w)"),
    "selectors": ((dict,), "CSS selectors overriding the family preset: " + ", ".join(SELECTOR_KEYS)),
}
REQUIRED_SITE_KEYS = ("name", "base_url", "cms", "start_urls")
# Pagination depth: 100 list pages of 10-20 items reach years back on a provincial site; an
# endless "next page" chain (calendars, search pages) stops there.
DEFAULT_MAX_LIST_PAGES = 100

FAMILY_KEYS = {
    "name": ((str,), "family name (= file stem)"),
    "description": ((str,), "what CMS this is and how to recognise it"),
    "detect": ((list,), "CSS selectors whose presence marks a page of this family"),
    "url_hints": ((list,), "regexes on the URL that suggest this family"),
    "feeds": ((list,), "feed URL templates relative to base_url"),
    "sitemaps": ((list,), "sitemap URL templates relative to base_url"),
    "article_url_pattern": ((str, list), "regex(es) an article URL matches"),
    "deny": ((str, list), "regex(es) of URLs never worth fetching"),
    "selectors": ((dict,), "CSS selectors: " + ", ".join(SELECTOR_KEYS)),
}


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _check_keys(path, data: dict, allowed: dict, what: str) -> None:
    """Refuse unknown keys and wrong types, naming the file, the key and the allowed keys."""
    for key, value in data.items():
        if key not in allowed:
            raise SiteConfigError(
                f"{path}: unknown {what} key {key!r}; allowed keys: {', '.join(sorted(allowed))}"
            )
        types, _ = allowed[key]
        if isinstance(value, bool) and bool not in types:
            ok = False
        else:
            ok = isinstance(value, types)
        if not ok:
            names = " or ".join(t.__name__ for t in types)
            raise SiteConfigError(f"{path}: key {key!r} must be {names}, not {type(value).__name__}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise SiteConfigError(f"{path}: key {key!r} must be a list of strings")


def _check_selectors(path, selectors: dict) -> dict[str, tuple[str, ...]]:
    result = {}
    for key, value in selectors.items():
        if key not in SELECTOR_KEYS:
            raise SiteConfigError(
                f"{path}: unknown selectors key {key!r}; allowed keys: {', '.join(sorted(SELECTOR_KEYS))}"
            )
        values = _as_list(value)
        if not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise SiteConfigError(f"{path}: selectors key {key!r} must be a CSS selector or a list of them")
        result[key] = tuple(values)
    return result


def _compile_all(path, key, patterns) -> tuple[re.Pattern, ...]:
    compiled = []
    for pattern in _as_list(patterns):
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise SiteConfigError(f"{path}: key {key!r}: bad regex {pattern!r}: {exc}") from exc
    return tuple(compiled)


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SiteConfigError(f"{path}: no such site file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"{path}: not valid TOML: {exc}") from exc


@dataclass(frozen=True)
class Family:
    """A CMS family preset: how pages of that CMS are laid out and where its feeds are."""

    name: str
    description: str = ""
    detect: tuple[str, ...] = ()
    url_hints: tuple[re.Pattern, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    article_url_pattern: tuple[re.Pattern, ...] = ()
    deny: tuple[re.Pattern, ...] = ()
    selectors: dict = field(default_factory=dict)
    path: str = ""


@lru_cache(maxsize=None)
def family_preset(cms: str) -> Family:
    """The preset ``scrapers/families/<cms>.toml`` (``generic`` for a plain page).

    :raises SiteConfigError: no such family, or a malformed preset.
    """
    path = FAMILIES_DIR / f"{cms}.toml"
    if not re.fullmatch(r"[a-z0-9_-]+", cms or "") or not path.exists():
        raise SiteConfigError(
            f"unknown cms family {cms!r}; known families: {', '.join(family_names())}"
        )
    data = _read_toml(path)
    _check_keys(path, data, FAMILY_KEYS, "family")
    return Family(
        name=data.get("name", cms),
        description=data.get("description", ""),
        detect=tuple(data.get("detect", [])),
        url_hints=_compile_all(path, "url_hints", data.get("url_hints")),
        feeds=tuple(data.get("feeds", [])),
        sitemaps=tuple(data.get("sitemaps", [])),
        article_url_pattern=_compile_all(path, "article_url_pattern", data.get("article_url_pattern")),
        deny=_compile_all(path, "deny", data.get("deny")),
        selectors=_check_selectors(path, data.get("selectors", {})),
        path=str(path),
    )


def family_names() -> list[str]:
    """Every family preset shipped in scrapers/families/, in detection order (generic last)."""
    names = sorted(p.stem for p in FAMILIES_DIR.glob("*.toml"))
    if "generic" in names:
        names.remove("generic")
        names.append("generic")
    return names


@dataclass(frozen=True)
class Site:
    """One publisher: where it lives, its CMS family, where to start, how to read its pages."""

    name: str
    base_url: str
    cms: str
    start_urls: tuple[str, ...]
    province: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    verified: bool = False
    delay: float | None = None
    article_url_pattern: tuple[re.Pattern, ...] = ()
    deny: tuple[re.Pattern, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    encoding: str | None = None
    selectors: dict = field(default_factory=dict)
    path: str = ""
    max_list_pages: int = DEFAULT_MAX_LIST_PAGES
    recheck: float | None = None      # seconds; None: the monitor's --recheck

    @property
    def family(self) -> Family:
        """The CMS family preset this site uses."""
        return family_preset(self.cms)

    def selector(self, key: str) -> tuple[str, ...]:
        """CSS selectors for ``key``: the site's own if given, else the family preset's."""
        if key in self.selectors:
            return self.selectors[key]
        return self.family.selectors.get(key, ())

    def feed_urls(self) -> list[str]:
        """Absolute feed URLs: the site's ``feeds`` or the family templates joined to base_url."""
        return [urljoin(self.base_url + "/", u.lstrip("/")) if not u.startswith("http") else u
                for u in (self.feeds or self.family.feeds)]

    def sitemap_urls(self) -> list[str]:
        """Absolute sitemap URLs: the site's ``sitemaps`` or the family templates joined to base_url."""
        return [urljoin(self.base_url + "/", u.lstrip("/")) if not u.startswith("http") else u
                for u in (self.sitemaps or self.family.sitemaps)]

    def hosts(self) -> set[str]:
        """Host names (with port) that belong to this site."""
        return {urlsplit(self.base_url).netloc.lower(), *(h.lower() for h in self.allowed_hosts)}

    def in_scope(self, url: str) -> bool:
        """True if ``url`` is on one of the site's hosts and not denied."""
        return urlsplit(url).netloc.lower() in self.hosts() and not self.is_denied(url)

    def is_denied(self, url: str) -> bool:
        """True if a deny rule (the site's, then the family's) matches ``url``."""
        return any(p.search(url) for p in (*self.deny, *self.family.deny))

    def is_article_url(self, url: str) -> bool:
        """True if ``url`` looks like an article: not denied, and matching the first allow rules found
        (the site's ``article_url_pattern`` if given, else the family's)."""
        if self.is_denied(url):
            return False
        patterns = self.article_url_pattern or self.family.article_url_pattern
        return any(p.search(url) for p in patterns)


def load_site(path) -> Site:
    """Read and validate one site TOML file.

    :raises SiteConfigError: unknown key, wrong type, missing required key, bad regex,
        unknown cms family; the message names the file and the key.
    """
    path = Path(path)
    data = _read_toml(path)
    _check_keys(path, data, SITE_KEYS, "site")
    missing = [k for k in REQUIRED_SITE_KEYS if k not in data]
    if missing:
        raise SiteConfigError(f"{path}: missing required key(s): {', '.join(missing)}")
    base = data["base_url"].rstrip("/")
    if not re.match(r"https?://[^/]+$", base):
        raise SiteConfigError(f"{path}: key 'base_url' must be scheme://host[:port], not {data['base_url']!r}")
    if not data["start_urls"]:
        raise SiteConfigError(f"{path}: key 'start_urls' must list at least one URL")
    try:
        family_preset(data["cms"])
    except SiteConfigError as exc:
        raise SiteConfigError(f"{path}: key 'cms': {exc}") from None
    if "delay" in data and data["delay"] < 0:
        raise SiteConfigError(f"{path}: key 'delay' must be >= 0")
    if "max_list_pages" in data and data["max_list_pages"] < 1:
        raise SiteConfigError(f"{path}: key 'max_list_pages' must be >= 1")
    recheck = None
    if "recheck" in data:
        from kcextract.monitor.durations import parse_duration

        try:
            recheck = parse_duration(data["recheck"])
        except ValueError as exc:
            raise SiteConfigError(f"{path}: key 'recheck': {exc}") from None
    return Site(
        name=data["name"],
        base_url=base,
        cms=data["cms"],
        start_urls=tuple(urljoin(base + "/", u) for u in data["start_urls"]),
        province=data.get("province"),
        feeds=tuple(data.get("feeds", [])),
        sitemaps=tuple(data.get("sitemaps", [])),
        verified=data.get("verified", False),
        delay=float(data["delay"]) if "delay" in data else None,
        article_url_pattern=_compile_all(path, "article_url_pattern", data.get("article_url_pattern")),
        deny=_compile_all(path, "deny", data.get("deny")),
        allowed_hosts=tuple(data.get("allowed_hosts", [])),
        encoding=data.get("encoding"),
        selectors=_check_selectors(path, data.get("selectors", {})),
        path=str(path),
        max_list_pages=data.get("max_list_pages", DEFAULT_MAX_LIST_PAGES),
        recheck=recheck,
    )


def select_sites(names=(), all_sites: bool = False, files=(), directory=None) -> list[Site]:
    """The sites a command was asked for: ``--all`` (sorted by name), each ``--site NAME`` and
    each ``--site-file PATH``, in that order.

    :raises SiteConfigError: an unknown name (the known ones listed) or a malformed file.
    """
    chosen = []
    if names or all_sites:
        known = load_sites(directory)
        if all_sites:
            chosen.extend(known[name] for name in sorted(known))
        for name in names:
            if name not in known:
                raise SiteConfigError(
                    f"unknown site {name!r}; known sites: {', '.join(sorted(known)) or 'none'}"
                    " (see `kcextract sites`, or describe it in a file and use --site-file)")
            chosen.append(known[name])
    chosen.extend(load_site(path) for path in files)
    return chosen


def load_sites(directory=None) -> dict[str, Site]:
    """Every ``*.toml`` site in ``directory`` (default: the repo's scrapers/), keyed by name.

    :raises SiteConfigError: a malformed file, or two files with the same name.
    """
    directory = Path(directory) if directory is not None else SCRAPERS_DIR
    sites: dict[str, Site] = {}
    for path in sorted(directory.glob("*.toml")):
        site = load_site(path)
        if site.name in sites:
            raise SiteConfigError(f"{path}: key 'name': {site.name!r} already used by {sites[site.name].path}")
        sites[site.name] = site
    return sites


@lru_cache(maxsize=1)
def _shipped_sites() -> tuple[Site, ...]:
    try:
        return tuple(load_sites().values())
    except SiteConfigError:
        return ()


def site_for_url(url: str | None) -> Site | None:
    """The shipped site whose hosts include ``url``'s host, or None.

    >>> site_for_url("https://socongthuong.daklak.gov.vn/vi/news/x-1.html").name
    'daklak'
    >>> site_for_url("http://example.org/") is None
    True
    """
    if not url:
        return None
    host = urlsplit(url).netloc.lower()
    for site in _shipped_sites():
        if host in site.hosts():
            return site
    return None
