"""HTML element -> clean paragraphs, and the boilerplate stop-list (patterns/boilerplate.yaml).

Two steps, kept apart so each can be tested: ``element_text`` renders markup the way a
reader sees it (blocks become paragraphs, inline tags of any name keep their text, newlines
inside text nodes become spaces so words are not glued: "toàn tỉnh\\nđang" stays two words);
``clean_text`` then drops the lines a reader skips (counters, share rows, related lists).

>>> from bs4 import BeautifulSoup
>>> soup = BeautifulSoup("<div><p>Trung\\ntâm&nbsp;Khuyến <st1:place>công</st1:place></p>"
...                      "<p>Lượt xem: 202</p></div>", "lxml")
>>> clean_text(element_text(soup.div))
'Trung tâm Khuyến công'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from kcextract.exceptions import PatternFileError
from kcextract.patterns import PATTERN_DIR, check_keys, read_data_file

BOILERPLATE_FILE = PATTERN_DIR / "boilerplate.yaml"

BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table "
    "tbody thead tfoot tr ul caption body html".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed select option button input textarea "
    "head title meta link canvas video audio map area marquee".split()
)
CELL_TAGS = frozenset(("td", "th"))
HIDDEN_CLASSES = frozenset(("hidden", "sr-only", "visually-hidden", "d-none", "hide", "screen-reader-text", "skip-link"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Characters a reader never sees: zero-width space/joiners, BOM, soft hyphen, word joiner.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Whitespace inside a text node, NBSP and the other Unicode spaces included.
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

ACTIONS = ("drop_line", "cut_after", "strip_prefix")
ENTRY_KEYS = {"id", "action", "regex", "note", "match", "no_match"}


@dataclass(frozen=True)
class BoilerplateRule:
    """One stop-list entry: what to do with a line the regex matches."""

    id: str
    action: str
    regex: re.Pattern
    note: str
    match: tuple
    no_match: tuple


@lru_cache(maxsize=None)
def boilerplate_rules(path: str | None = None) -> tuple[BoilerplateRule, ...]:
    """The rules of patterns/boilerplate.yaml, validated and compiled once.

    :raises PatternFileError: unknown key, unknown action, bad regex; names the entry and key.
    """
    path = Path(path) if path else BOILERPLATE_FILE
    raw = read_data_file(path)   # the one reader of patterns/ files
    rules = []
    seen = set()
    for entry in raw.get("patterns", []):
        entry_id = entry.get("id", "?")
        check_keys(entry, ENTRY_KEYS, path, entry_id)
        if entry_id in seen:
            raise PatternFileError(path, entry_id, "id", "duplicate id")
        seen.add(entry_id)
        if entry.get("action") not in ACTIONS:
            raise PatternFileError(path, entry_id, "action", f"must be one of {', '.join(ACTIONS)}")
        try:
            regex = re.compile(entry["regex"].strip(), re.IGNORECASE | re.VERBOSE)
        except (re.error, KeyError, AttributeError) as exc:
            raise PatternFileError(path, entry_id, "regex", str(exc)) from None
        rules.append(
            BoilerplateRule(entry_id, entry["action"], regex, entry.get("note", ""),
                            tuple(entry.get("match", [])), tuple(entry.get("no_match", [])))
        )
    return tuple(rules)


def normalize_inline(text: str) -> str:
    """A text node as a reader sees it: invisible characters gone, any whitespace run one space.

    >>> normalize_inline("toàn tỉnh\\nđang\\u00a0triển\\u200b khai")
    'toàn tỉnh đang triển khai'
    """
    return _SPACES.sub(" ", text.translate(_INVISIBLE))


def is_hidden(tag: Tag) -> bool:
    """True for elements a browser does not show (hidden attribute, display:none, hidden classes)."""
    if tag.attrs is None:
        return False
    if tag.has_attr("hidden") or _HIDDEN_STYLE.search(tag.get("style", "") or ""):
        return True
    classes = tag.get("class") or []
    return any(c in HIDDEN_CLASSES for c in classes)


class _Renderer:
    """Walks a tree, collecting paragraphs (lists of lines) the way a browser lays them out."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.parts: list[str] = []

    def flush(self) -> None:
        text = "".join(self.parts)
        self.parts = []
        lines = [line.strip() for line in re.sub(r" +", " ", text).split("\n")]
        lines = [line for line in lines if line]
        if lines:
            self.paragraphs.append("\n".join(lines))

    def walk(self, node) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                self.parts.append(normalize_inline(str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            name = (child.name or "").lower()
            if name in SKIP_TAGS or is_hidden(child):
                continue
            if name == "br":
                self.parts.append("\n")
            elif name in CELL_TAGS:
                if "".join(self.parts).strip():
                    self.parts.append(" | ")
                self.walk(child)
            elif name in BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
            else:  # inline, including unknown tags such as MS-Word <st1:place>: keep their text
                self.walk(child)


def element_text(element) -> str:
    """Visible text of an element: paragraphs separated by blank lines, <br> as line breaks, NFC.

    >>> from bs4 import BeautifulSoup
    >>> html = "<div>vớitổng <b>kinh</b> phí<br>1.250 triệu<p>Đoạn\\n hai</p><table><tr><td>A</td><td>12</td></tr></table></div>"
    >>> print(element_text(BeautifulSoup(html, "lxml").div))
    vớitổng kinh phí
    1.250 triệu
    <BLANKLINE>
    Đoạn hai
    <BLANKLINE>
    A | 12
    """
    renderer = _Renderer()
    if isinstance(element, Tag) and element.name not in BLOCK_TAGS:
        renderer.walk(BeautifulSoup("", "lxml"))  # no-op; an inline root is walked below
    renderer.walk(element) if isinstance(element, Tag) else renderer.parts.append(normalize_inline(str(element)))
    renderer.flush()
    return unicodedata.normalize("NFC", "\n\n".join(renderer.paragraphs))


_PUNCT_ONLY = re.compile(r"^[\W_]*$")


def clean_text(text: str, rules: tuple[BoilerplateRule, ...] | None = None) -> str:
    """Drop boilerplate lines and trailing blocks; paragraphs stay separated by blank lines.

    >>> clean_text("CôngThương - Năm 2018, Quảng Ninh chi 28 tỷ đồng.\\n\\nChia sẻ :\\n\\nTin liên quan\\n\\nBài khác")
    'Năm 2018, Quảng Ninh chi 28 tỷ đồng.'
    """
    rules = boilerplate_rules() if rules is None else rules
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE).replace("\u00a0", " "))
    paragraphs = [p for p in re.split(r"\n\s*\n", text)]
    total = sum(len(p) for p in paragraphs) or 1
    kept: list[str] = []
    seen_chars = 0
    for paragraph in paragraphs:
        lines_out = []
        cut = False
        for line in paragraph.split("\n"):
            line = re.sub(r"[ \t]+", " ", line).strip()
            seen_chars += len(line) + 1
            if not line or _PUNCT_ONLY.match(line):
                continue
            drop = False
            for rule in rules:
                if rule.action == "strip_prefix":
                    m = rule.regex.match(line)
                    if m and m.end() < len(line):
                        line = line[m.end():].lstrip()
                elif rule.regex.fullmatch(line):
                    if rule.action == "drop_line":
                        drop = True
                        break
                    if rule.action == "cut_after" and (kept or lines_out) and seen_chars > 0.4 * total:
                        cut = True
                        break
                    if rule.action == "cut_after":
                        drop = True  # a lone heading early in the text: drop just the heading
                        break
            if cut:
                break
            if not drop:
                lines_out.append(line)
        if lines_out:
            kept.append("\n".join(lines_out))
        if cut:
            break
    return "\n\n".join(kept)
