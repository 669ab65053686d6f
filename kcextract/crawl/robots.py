"""robots.txt, read as RFC 9309 says: longest match wins, ``*`` and ``$`` in paths, Crawl-delay.

The standard library's ``urllib.robotparser`` takes the first matching rule and knows no
wildcards, and Vietnamese portals do write ``Disallow: /*?`` style rules, hence this
small parser.  Fetching robots.txt is the fetcher's job; this module only parses and answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import unquote, urlsplit


@dataclass
class _Group:
    agents: list = field(default_factory=list)
    rules: list = field(default_factory=list)  # (allow: bool, pattern: str)
    crawl_delay: Optional[float] = None


def _pattern_regex(pattern: str) -> re.Pattern:
    anchored = pattern.endswith("$")
    if anchored:
        pattern = pattern[:-1]
    body = ".*".join(re.escape(piece) for piece in pattern.split("*"))
    return re.compile(body + ("$" if anchored else ""))


def _normalise_path(path: str) -> str:
    # Compare decoded paths so "/Qu%E1%BA%A3n" and a UTF-8 "/Quản" rule agree.
    return unquote(path)


class RobotsTxt:
    """The rules of one robots.txt, answering for one user-agent token.

    >>> robots = RobotsTxt("User-agent: *\\nDisallow: /admin\\nAllow: /admin/public\\nCrawl-delay: 2\\n")
    >>> robots.allowed("http://h.vn/admin/x"), robots.allowed("http://h.vn/admin/public/y")
    (False, True)
    >>> robots.crawl_delay
    2.0
    >>> RobotsTxt("User-agent: *\\nDisallow: /*?print=\\n").allowed("http://h.vn/a.html?print=1")
    False
    """

    def __init__(self, text: str, agent: str = "kcextract", allow_all: bool = False, disallow_all: bool = False):
        self.agent = agent.lower()
        self.allow_all = allow_all
        self.disallow_all = disallow_all
        self.sitemaps: list[str] = []
        self._group = self._select(self._parse(text or ""))

    @classmethod
    def allowing_everything(cls) -> "RobotsTxt":
        """The answer when robots.txt does not exist (4xx): everything may be fetched."""
        return cls("", allow_all=True)

    @classmethod
    def forbidding_everything(cls) -> "RobotsTxt":
        """The answer when robots.txt is unreachable (5xx, network): RFC 9309 §2.3.1.4 says disallow all."""
        return cls("", disallow_all=True)

    def _parse(self, text: str) -> list:
        groups: list[_Group] = []
        current: Optional[_Group] = None
        last_was_agent = False
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "user-agent":
                if current is None or not last_was_agent:
                    current = _Group()
                    groups.append(current)
                current.agents.append(value.lower())
                last_was_agent = True
                continue
            last_was_agent = False
            if name == "sitemap" and value:
                self.sitemaps.append(value)
            elif current is None:
                continue
            elif name in ("allow", "disallow"):
                if value:
                    current.rules.append((name == "allow", value))
            elif name == "crawl-delay":
                try:
                    current.crawl_delay = float(value)
                except ValueError:
                    pass
        return groups

    def _select(self, groups: list) -> _Group:
        specific = [g for g in groups if any(a.split("/")[0] == self.agent for a in g.agents)]
        chosen = specific or [g for g in groups if "*" in g.agents]
        merged = _Group()
        for group in chosen:
            merged.rules.extend(group.rules)
            if group.crawl_delay is not None:
                merged.crawl_delay = group.crawl_delay
        return merged

    @property
    def crawl_delay(self) -> Optional[float]:
        """The Crawl-delay (seconds) for our agent, None when robots.txt gives none."""
        return self._group.crawl_delay

    def allowed(self, url: str) -> bool:
        """May ``url`` be fetched?  The longest matching rule decides; on a tie, Allow wins."""
        if self.allow_all:
            return True
        if self.disallow_all:
            return False
        parts = urlsplit(url)
        path = _normalise_path((parts.path or "/") + ("?" + parts.query if parts.query else ""))
        if path == "/robots.txt":
            return True
        best_len, best_allow = -1, True
        for allow, pattern in self._group.rules:
            if _pattern_regex(_normalise_path(pattern)).match(path):
                length = len(pattern)
                if length > best_len or (length == best_len and allow):
                    best_len, best_allow = length, allow
        return best_allow
