"""URL canonicalisation: one article, one key, whatever noise its links carry.

Two functions.  :func:`canonical_url` cleans a URL but keeps it fetchable (session ids,
tracking and mobile/AMP switches removed, host lower-cased, default port, fragment and
dot segments dropped, percent-escapes normalised).  :func:`url_key` goes further and is
used only as an identity: scheme, ``www.`` and mirror hosts (``beta.``, ``oldweb.``,
``amp.``, ``m.``), a trailing slash and the order of query parameters no longer matter.

Vietnamese publishers make this necessary: Liferay portals append ``;jsessionid=…``,
congthuong.vn links carry ``&mobile=yes&amp=1`` glued to the path, Thái Nguyên serves
the same story on ``beta.`` and Bà Rịa-Vũng Tàu on ``oldweb.``, arit.gov.vn links with
and without the trailing ``/`` (see shared/research/sites.md §3).
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that never select content: tracking, sessions, mobile/AMP switches.
JUNK_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
    "fbclid", "gclid", "zarsrc", "zalo", "_ga", "mc_cid", "mc_eid",
    "jsessionid", "phpsessid", "aspsessionid",
    "mobile", "amp",
})
# Host prefixes of mirrors that serve the same article (identity key only).
MIRROR_PREFIXES = ("www.", "beta.", "oldweb.", "amp.", "m.", "mobile.")
DEFAULT_PORTS = {"http": 80, "https": 443}

_SESSION_IN_PATH = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def _is_junk(name: str) -> bool:
    name = name.lower()
    # "&amp;page=2" left in an href by double escaping arrives as the parameter "amp;page".
    return name in JUNK_PARAMS or name.startswith("utm_")


def _clean_percent(part: str) -> str:
    """Upper-case escapes, decode escaped unreserved characters, escape raw non-ASCII (UTF-8)."""
    def fix(match):
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return quote(_PERCENT.sub(fix, part), safe=_PATH_SAFE)


def _query_pairs(query: str) -> list:
    pairs = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name.lower().startswith("amp;"):
            name = name[4:]
        if not _is_junk(name):
            pairs.append((name, value))
    return pairs


def _strip_glued_params(path: str) -> str:
    """Drop ``&mobile=yes&amp=1`` glued to a path that has no ``?`` (congthuong.vn)."""
    if "&" not in path:
        return path
    head, _, tail = path.partition("&")
    pairs = [p.split("=", 1)[0] for p in tail.split("&") if p]
    if pairs and all(_is_junk(name) or name.lower() == "amp" for name in pairs):
        return head
    return path


def canonical_url(url: str, base: str | None = None) -> str:
    """A cleaned, still fetchable form of ``url`` (resolved against ``base`` if relative).

    >>> canonical_url("HTTP://Example.GOV.vn:80/a/./b/../c.html?utm_source=fb&id=3#top")
    'http://example.gov.vn/a/c.html?id=3'
    >>> canonical_url("https://congthuong.vn/khuyen-cong-351432.html&mobile=yes&amp=1")
    'https://congthuong.vn/khuyen-cong-351432.html'
    >>> canonical_url("/web/guest/tin/-/content/189842/a.html;jsessionid=AED5F1", "http://oldweb.soct.vn/x")
    'http://oldweb.soct.vn/web/guest/tin/-/content/189842/a.html'
    >>> canonical_url("http://h.vn/list?page=2&amp;cat=4")
    'http://h.vn/list?page=2&cat=4'
    >>> canonical_url("http://h.vn/Qu%e1%ba%a3n l%C3%BD")
    'http://h.vn/Qu%E1%BA%A3n%20l%C3%BD'
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if port and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    path = _SESSION_IN_PATH.sub("", parts.path)
    query = parts.query
    if not query:
        path = _strip_glued_params(path)
    if path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if trailing and path != "/":
            path += "/"
    else:
        path = "/"
    path = _clean_percent(path)
    query = urlencode(_query_pairs(query), safe="/:@!$'()*,;~")
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str, base: str | None = None) -> str:
    """The identity of a URL: two URLs with the same key are the same document.

    >>> url_key("https://www.arit.gov.vn/tin-tuc/suc-lan-toa-d4d2970c_3954/")
    'arit.gov.vn/tin-tuc/suc-lan-toa-d4d2970c_3954'
    >>> url_key("http://arit.gov.vn/tin-tuc/suc-lan-toa-d4d2970c_3954")
    'arit.gov.vn/tin-tuc/suc-lan-toa-d4d2970c_3954'
    >>> url_key("http://beta.congthuongthainguyen.gov.vn/vn/a-9633.phtml?b=2&a=1")
    'congthuongthainguyen.gov.vn/vn/a-9633.phtml?a=1&b=2'
    >>> url_key("http://127.0.0.1:8080/")
    '127.0.0.1:8080/'
    """
    parts = urlsplit(canonical_url(url, base))
    host = parts.netloc
    changed = True
    while changed:
        changed = False
        for prefix in MIRROR_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host = host[len(prefix):]
                changed = True
    path = parts.path
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return host + path + ("?" + query if query else "")


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, the unit of politeness (delay, robots.txt)."""
    parts = urlsplit(url)
    return parts.netloc.lower()


def same_site(url: str, base_url: str) -> bool:
    """True when ``url`` is on the host of ``base_url`` or one of its mirrors.

    >>> same_site("http://beta.congthuong.vn/a", "https://congthuong.vn/")
    True
    >>> same_site("http://other.vn/a", "https://congthuong.vn/")
    False
    """
    return url_key(url).split("/", 1)[0] == url_key(base_url).split("/", 1)[0]
