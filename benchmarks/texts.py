"""The benchmark's text: the project's own documents, repeated to the size asked for.

Sources, all in this repository (nothing is downloaded, nothing from ../shared is copied in):
- ``corpus/seeds/*.txt``: five real khuyến công articles;
- ``tests/articles*/*.json``: the realistic whole articles of the blind test sets (their ``text``);
- ``tests/fixtures/pages`` and ``tests/fixtures/sites``: article pages of each CMS family, as the
  article text ``extract`` reads from them (and, raw, the HTML pages of row (e)).
With ``--shared``, the real texts of ``../shared/realtext`` are read at run time when present.
A corpus of N MB is these documents, whole and unchanged, repeated in a fixed shuffled order until
N MB of UTF-8; a single document of N MB is them joined paragraph after paragraph, like one long report.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_REALTEXT = ROOT.parent / "shared" / "realtext"
FIXTURE_URL = "http://127.0.0.1:8080/"

# Article pages of each CMS family among the crawler's site fixtures (list pages, feeds and
# sitemaps left out): family -> glob under tests/fixtures/sites/<family>/.
SITE_ARTICLES = {
    "nukeviet": "vi/news/*/*-[0-9]*.html",
    "wordpress": "20[0-9][0-9]/*/*/index.html",
    "liferay": "web/guest/tin-tuc/-/asset_publisher/*/content/*/*",
    "sharepoint": "Pages/newsdetail.aspx@*",
}


@dataclass(frozen=True)
class Page:
    """One HTML article page of a CMS family, with the URL the crawler would have fetched it from."""

    family: str
    url: str
    html: str


def pages() -> list:
    """Every article page of the fixtures, with its CMS family (the fixture's, not a guess)."""
    found = []
    fixtures = ROOT / "tests" / "fixtures"
    for entry in json.loads((fixtures / "pages" / "pages.json").read_text(encoding="utf-8"))["articles"]:
        html = (fixtures / "pages" / entry["file"]).read_bytes().decode("utf-8", "replace")
        found.append(Page(entry["family"], entry["url"], html))
    for family, pattern in SITE_ARTICLES.items():
        folder = fixtures / "sites" / family
        for path in sorted(folder.glob(pattern)):
            if path.suffix != ".headers":
                html = path.read_bytes().decode("utf-8", "replace")
                found.append(Page(family, FIXTURE_URL + path.relative_to(folder).as_posix(), html))
    return found


def documents(shared: bool = False) -> list:
    """``(source, text)`` of every distinct document the benchmark repeats."""
    from kcextract.htmltext import html_to_text

    docs = [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    for path in sorted(ROOT.glob("tests/articles*/*.json")):
        text = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
        if text.strip():
            docs.append((path.relative_to(ROOT).as_posix(), text))
    for page in pages():
        text = html_to_text(page.html, url=page.url)
        if text.strip():
            docs.append((page.url, text))
    if shared and SHARED_REALTEXT.is_dir():
        docs += [(f"shared/realtext/{p.name}", p.read_text(encoding="utf-8"))
                 for p in sorted(SHARED_REALTEXT.glob("*.txt"))]
    return docs


def size_of(texts) -> int:
    """Bytes of UTF-8."""
    return sum(len(t.encode("utf-8")) for t in texts)


def corpus(megabytes: float, shared: bool = False, seed: int = 12) -> list:
    """``(source, text)`` documents adding up to at least ``megabytes`` MB: every distinct document
    once per round, rounds in a fixed shuffled order (the same strings, so memory stays small)."""
    base = documents(shared)
    sizes = [len(text.encode("utf-8")) for _, text in base]
    rng = random.Random(seed)
    out, total, round_ = [], 0, 0
    while total < megabytes * 1e6:
        order = list(range(len(base)))
        rng.shuffle(order)
        for i in order:
            source, text = base[i]
            out.append((f"{source}#{round_}", text))
            total += sizes[i]
            if total >= megabytes * 1e6:
                break
        round_ += 1
    return out


def single_document(megabytes: float, shared: bool = False) -> str:
    """One document of ``megabytes`` MB: the documents' paragraphs one after another, cut at a
    paragraph boundary once the size is reached."""
    paragraphs = [p for _, text in documents(shared) for p in text.split("\n\n") if p.strip()]
    out, total, i = [], 0, 0
    while total < megabytes * 1e6:
        paragraph = paragraphs[i % len(paragraphs)]
        out.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(out)
