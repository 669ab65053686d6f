"""robots.txt, read as RFC 9309 says, by Protego: our group or ``*``, longest match, wildcards, Crawl-delay.

Protego is the parser Scrapy uses: it implements RFC 9309 (longest match wins, ``*`` and
``$`` in paths, Allow on a tie) and compares percent-encoded and UTF-8 paths alike, so a
``Disallow: /Quản-lý/`` rule holds for ``/Qu%E1%BA%A3n-l%C3%BD/``.  This module adds the two
answers RFC 9309 gives without a file (4xx: allow all; unreachable: disallow all), the
Sitemap lines, and ``/robots.txt`` itself always allowed.  Fetching robots.txt (with its
size cap and deadline) is the fetcher's job.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit

from protego import Protego


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
        self._rules = Protego.parse(text or "")
        self.sitemaps: list[str] = list(self._rules.sitemaps)

    @classmethod
    def allowing_everything(cls) -> "RobotsTxt":
        """The answer when robots.txt does not exist (4xx): everything may be fetched."""
        return cls("", allow_all=True)

    @classmethod
    def forbidding_everything(cls) -> "RobotsTxt":
        """The answer when robots.txt is unreachable (5xx, network): RFC 9309 §2.3.1.4 says disallow all."""
        return cls("", disallow_all=True)

    @property
    def crawl_delay(self) -> Optional[float]:
        """The Crawl-delay (seconds) for our agent, None when robots.txt gives none."""
        delay = self._rules.crawl_delay(self.agent)
        return None if delay is None else float(delay)

    def allowed(self, url: str) -> bool:
        """May ``url`` be fetched?  The longest matching rule decides; on a tie, Allow wins."""
        if self.allow_all:
            return True
        if self.disallow_all:
            return False
        if urlsplit(url).path == "/robots.txt":
            return True
        return self._rules.can_fetch(url, self.agent)
