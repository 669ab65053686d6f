"""One article page -> Article(title, published, text, attachments, ...).

Title, date and body come from the site's selectors, else its CMS family preset, else
generic rules (og:title/h1; a date next to the title, never a header clock; trafilatura).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from kcextract.dates import parse_vn_date
from kcextract.html.clean import clean_text, element_text, normalize_inline
from kcextract.html.families import Selectors, base_href, detect_family, resolve_site, select_all
from kcextract.sites import Site

ATTACHMENT_KINDS = ("pdf", "doc", "docx", "xls", "xlsx", "zip")
_FILE_EXT = re.compile(r"\.(pdf|docx?|xlsx?|zip|rar|7z|pptx?|odt|ods)$", re.I)
_ATTACHMENT_CUE = re.compile(r"đính\s+kèm|tải\s+về|download|xem\s+văn\s+bản|tệp\s+tin|file", re.I)
# Containers that hold a page-wide clock or other non-article dates (congthuong.vn, vneec,
# SCT Đồng Nai, kinhtenongthon print today's date above the title).
_CLOCK_CONTAINER = re.compile(
    r"clock|time-?now|today|current-?date|date-?now|header|top-?bar|topbar|top-?header|weather|banner|"
    r"marquee|ngay-?hien-?tai|ngayhientai|navbar|menu|footer|sidebar",
    re.I,
)
_CHROME_CONTAINER = re.compile(r"footer|header|menu|nav|sidebar", re.I)
NEAR_TITLE_CHARS = 600


@dataclass(frozen=True)
class Attachment:
    """A file linked from an article (report PDF, Word decision, spreadsheet)."""

    url: str
    title: str
    kind: str  # pdf | doc | docx | xls | xlsx | zip | other


@dataclass
class Article:
    """What a crawler keeps of one article page."""

    url: str
    canonical_url: str | None
    title: str
    published: dt.datetime | None
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    family: str = "generic"
    warnings: list[str] = field(default_factory=list)


def attachment_kind(name: str) -> str:
    """Kind of a file from its URL or name (extension), ``other`` when unknown.

    >>> attachment_kind("/uploads/news/2023_12/bao-cao.PDF"), attachment_kind("QĐ 06.docx"), attachment_kind("a.rar")
    ('pdf', 'docx', 'other')
    """
    path = urlsplit(name).path if "://" in name or name.startswith("/") else name
    m = _FILE_EXT.search(unquote(path).strip())
    if not m:
        return "other"
    ext = m.group(1).lower()
    return ext if ext in ATTACHMENT_KINDS else "other"


def _text_of(el: Tag) -> str:
    return normalize_inline(el.get_text(" ")).strip()


def _ancestors_match(el: Tag, regex: re.Pattern) -> bool:
    for node in [el, *el.parents]:
        if not isinstance(node, Tag) or node.name in ("html", "body", "[document]"):
            continue
        if node.name in ("header", "nav", "footer", "marquee"):
            return True
        ident = " ".join([node.get("id") or "", *(node.get("class") or [])])
        if ident and regex.search(ident):
            return True
    return False


def _date_from_element(el: Tag) -> dt.datetime | None:
    for attr in ("datetime", "content", "title", "data-date"):
        value = el.get(attr)
        if value:
            parsed = parse_vn_date(value)
            if parsed:
                return parsed
    return parse_vn_date(_text_of(el))


def _strings_near(start: Tag, direction: str, limit: int):
    """Text nodes after (or before) ``start`` in document order, up to ``limit`` characters."""
    seen = 0
    nodes = start.next_elements if direction == "after" else start.previous_elements
    inside = set(id(x) for x in start.descendants) if direction == "after" else set()
    for node in nodes:
        if not isinstance(node, NavigableString) or id(node) in inside:
            continue
        parent = node.parent
        if parent is None or parent.name in ("script", "style", "noscript", "title", "option"):
            continue
        text = normalize_inline(str(node)).strip()
        if not text:
            continue
        yield node, text
        seen += len(text)
        if seen > limit:
            return


def _date_near(title_el: Tag, body_el: Tag | None) -> tuple[dt.datetime | None, str]:
    """The date printed next to the title (after it first, then just before), skipping clocks."""
    body_ids = set(id(x) for x in body_el.descendants) if body_el is not None else set()
    for direction, limit in (("after", NEAR_TITLE_CHARS), ("before", 300)):
        for node, text in _strings_near(title_el, direction, limit):
            if id(node) in body_ids or _ancestors_match(node.parent, _CLOCK_CONTAINER):
                continue
            if not re.search(r"\d", text):
                continue
            parent_text = _text_of(node.parent)
            line = parent_text if len(parent_text) <= 120 else text
            if len(line) > 120:  # a sentence of the lead ("Ngày 06/11/2020, tại Hà Nội, ..."), not a byline
                continue
            candidate = parse_vn_date(line)
            if candidate is not None:
                return candidate, f"date next to the title ({direction})"
    return None, ""


def _selected_date(soup, sel: Selectors) -> dt.datetime | None:
    """Date from the site's/family's date selectors (trusted as written), then the generic
    preset's (skipping header clocks: a page-wide "today" above the title is not the date)."""
    own = sel.get("date")
    for selector in own + tuple(s for s in sel.get("date", with_generic=True) if s not in own):
        trusted = selector in own and sel.family.name != "generic"
        try:
            elements = soup.select(selector)
        except Exception:
            continue
        for el in elements:
            if not trusted and el.name != "meta" and _ancestors_match(el, _CLOCK_CONTAINER):
                continue
            value = _date_from_element(el)
            if value:
                return value
    return None


def _meta_date(soup: BeautifulSoup) -> dt.datetime | None:
    for selector in (
        "meta[property='article:published_time']", "meta[itemprop='datePublished']",
        "meta[name='pubdate']", "meta[name='publishdate']", "meta[name='DC.date.issued']",
        "[itemprop='datePublished']", "time[datetime][pubdate]",
    ):
        for el in soup.select(selector):
            value = _date_from_element(el)
            if value:
                return value
    return None


def _htmldate(html: str) -> dt.datetime | None:
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        found = find_date(html, outputformat="%Y-%m-%d", original_date=True, extensive_search=False)
    except Exception:
        return None
    return dt.datetime.strptime(found, "%Y-%m-%d") if found else None


def _clean_title(text: str, from_head: bool) -> str:
    text = unicodedata.normalize("NFC", normalize_inline(text)).strip()
    if from_head:
        # <title>/og:title often end in " - Site name" or " | Site name": keep the longest part.
        parts = re.split(r"\s+[|–-]\s+", text)
        if len(parts) > 1:
            text = max(parts, key=len)
    return text


def _find_title(soup, sel: Selectors) -> tuple[str, Tag | None, str | None]:
    for el in select_all(soup, sel.get("title", with_generic=True)):
        text = _clean_title(el.get_text(" "), False)
        if text:
            return text, el, None
    og = soup.find("meta", attrs={"property": "og:title"})
    if og and og.get("content"):
        return _clean_title(og["content"], True), None, "title from og:title"
    if soup.title and soup.title.string:
        return _clean_title(soup.title.string, True), None, "title from <title>"
    return "", None, "no title found"


def _find_body(soup, sel: Selectors) -> Tag | None:
    candidates = select_all(soup, sel.get("body"))
    if not candidates:
        return None
    return max(candidates, key=lambda el: len(el.get_text(" ", strip=True)))


def _generic_text(html: str, url: str | None) -> tuple[str, str]:
    """Main text of a page of no known layout: trafilatura, else the densest block of <p>
    (read from a fresh parse: the caller's tree has had its junk removed)."""
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    if trafilatura is not None:
        try:
            extracted = trafilatura.extract(
                html, url=url or None, include_comments=False, include_tables=True, favor_recall=True
            )
        except Exception:
            extracted = None
        if extracted:
            return "\n\n".join(line for line in extracted.split("\n") if line.strip()), "trafilatura"
    return element_text(densest_block(BeautifulSoup(html, "lxml"))), "density"


def densest_block(soup: BeautifulSoup) -> Tag:
    """The element whose direct <p>/<div> children hold the most text (the article column)."""
    scores: dict[int, tuple[int, Tag]] = {}
    for p in soup.find_all(["p", "br"]):
        parent = p.parent
        if parent is None or _ancestors_match(parent, _CHROME_CONTAINER):
            continue
        length = len(p.get_text(" ", strip=True)) if p.name == "p" else 20
        prev = scores.get(id(parent), (0, parent))
        scores[id(parent)] = (prev[0] + length, parent)
    if not scores:
        return soup.body or soup
    return max(scores.values(), key=lambda item: item[0])[1]


def _attachments(soup, body: Tag | None, sel: Selectors, base: str) -> list[Attachment]:
    anchors: list[Tag] = list(select_all(soup, sel.get("attachments")))
    if body is not None:
        anchors += body.find_all("a", href=True)
    anchors += soup.select("a[download][href]")
    for a in soup.find_all("a", href=True):
        if attachment_kind(a["href"]) != "other":
            context = _text_of(a.parent) if a.parent is not None else ""
            if _ATTACHMENT_CUE.search(context) or _ATTACHMENT_CUE.search(_text_of(a)):
                anchors.append(a)
    result, seen = [], set()
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(base, href)
        title = _text_of(a) or a.get("title") or a.get("download") or unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        kind = attachment_kind(url)
        if kind == "other":
            for hint in (a.get("download") or "", a.get("title") or "", title):
                if attachment_kind(hint) != "other":
                    kind = attachment_kind(hint)
                    break
        is_file = kind != "other" or a.has_attr("download") or re.search(r"[?&]download=", url)
        if not is_file or url in seen:
            continue
        seen.add(url)
        result.append(Attachment(url=url, title=title.strip(), kind=kind))
    return result


def _canonical(soup, base: str) -> str | None:
    link = soup.find("link", rel=lambda v: v and "canonical" in (v if isinstance(v, list) else [v]), href=True)
    if link is not None and link["href"].strip():
        return urljoin(base, link["href"].strip())
    og = soup.find("meta", attrs={"property": "og:url"})
    if og is not None and og.get("content", "").strip():
        return urljoin(base, og["content"].strip())
    return None


_META_LABEL = re.compile(
    r"^(?:ngày\s+đăng(?:\s+bài)?|đăng\s+ngày|đăng\s+lúc|cập\s+nhật(?:\s+lúc)?|ngày|update[d]?|posted|"
    r"thời\s+gian|thứ\s+\w+|chủ\s+nhật|\d)|ngày\s+đăng|cập\s+nhật|đăng\s+lúc|lượt\s+xem|tác\s+giả",
    re.I,
)


def _is_meta_line(paragraph: str) -> bool:
    """A short byline/date line ("Ngày đăng: 15/05/2019 09:30 | Lượt xem: 412", "27/12/2023").

    >>> _is_meta_line("Thời sự - Ngày đăng : 08:22, 04/05/2011"), _is_meta_line("27/12/2023")
    (True, True)
    >>> _is_meta_line("Ngày 06/11/2020, tại Hà Nội, Trung tâm tổ chức Hội nghị đánh giá kết quả khuyến công.")
    False
    """
    if len(paragraph) > 80 or parse_vn_date(paragraph) is None:
        return False
    return bool(_META_LABEL.search(paragraph.strip(" :-|(")) or "|" in paragraph)


def _strip_page_chrome(text: str, title: str, before_title: str) -> str:
    """Remove leading paragraphs that repeat the title, give the date/byline, or were printed
    above the title (masthead, header clock: generic extraction sometimes keeps them);
    then drop any later paragraph that repeats an earlier one word for word (print pages
    print the sapo twice)."""
    paragraphs = text.split("\n\n")
    key = title.casefold()
    head = 0
    while head < len(paragraphs) and head < 4:
        p = paragraphs[head]
        if p.casefold() == key or _is_meta_line(p) or (len(p) < 200 and p in before_title):
            paragraphs.pop(head)
            continue
        head += 1
    seen, kept = set(), []
    for p in paragraphs:
        if len(p) >= 40 and p in seen:
            continue
        seen.add(p)
        kept.append(p)
    return "\n\n".join(kept)


def _text_before(title_el: Tag | None) -> str:
    """Everything printed above the title, as one normalised string."""
    if title_el is None:
        return ""
    parts = [normalize_inline(str(s)).strip() for s in title_el.previous_elements
             if isinstance(s, NavigableString) and s.parent is not None
             and s.parent.name not in ("script", "style", "title", "noscript")]
    return " ".join(p for p in reversed(parts) if p)


def parse_article(html: str, url: str, site: Site | None = None) -> Article:
    """Title, publication date, clean text and attachments of one article page.

    ``site`` (or the shipped site matching ``url``'s host) chooses the selectors; without
    one, the CMS family is detected from the markup. Problems that do not stop extraction
    (no date, generic body) are listed in ``Article.warnings``.
    """
    soup = BeautifulSoup(html, "lxml")
    site = resolve_site(url, site)
    family = site.family if site is not None else detect_family(soup, url)
    sel = Selectors(family, site)
    base = base_href(soup, url)
    warnings: list[str] = []
    canonical = _canonical(soup, base)

    title, title_el, note = _find_title(soup, sel)
    if note:
        warnings.append(note)
    body = _find_body(soup, sel)
    attachments = _attachments(soup, body, sel, base)

    published = _selected_date(soup, sel)
    if published is None and title_el is not None:
        published, _ = _date_near(title_el, body)
    if published is None:
        published = _meta_date(soup)
        if published is not None:
            warnings.append("date from page metadata")
    if published is None:
        published = _htmldate(html)
        warnings.append("date from htmldate (last resort)" if published else "no date found")

    text = ""
    lead = ""
    for el in select_all(soup, sel.get("lead", with_generic=True)):
        if body is None or (body not in el.parents and el not in body.parents and el is not body):
            lead = clean_text(element_text(el))
            break
    if body is not None:
        for selector in sel.get("remove"):
            try:
                for junk in body.select(selector):
                    junk.decompose()
            except Exception:
                continue
        text = clean_text(element_text(body))
    if len(text) < 80:
        generic, how = _generic_text(html, url)
        if body is not None or family.name != "generic":
            warnings.append(f"body selectors of {family.name!r} found no text; used {how}")
        text = clean_text(generic)
    if lead and lead[:80] not in text:
        text = lead + "\n\n" + text if text else lead
    text = _strip_page_chrome(text, title, _text_before(title_el))
    if not text:
        warnings.append("no article text found")
    return Article(
        url=url,
        canonical_url=canonical,
        title=title,
        published=published,
        text=text,
        attachments=attachments,
        family=family.name,
        warnings=warnings,
    )


def html_to_text(html: str, url: str | None = None) -> str:
    """The main text of any page: paragraphs separated by blank lines, boilerplate removed."""
    return parse_article(html, url or "").text

