"""Every public kcextract error, each with a one-line docstring.

Add a new exception here only with its docstring (scrapy's rule): a user reads
this module to learn what can go wrong.
"""
from __future__ import annotations


class KcextractError(Exception):
    """Base class of every error kcextract raises on purpose."""


class SourceError(KcextractError):
    """A document could not be read or decoded; names the source and, when known, the place."""

    def __init__(self, source, reason, position=None):
        self.source = str(source)
        self.reason = reason
        self.position = position
        where = f" at {position}" if position is not None else ""
        super().__init__(f"{self.source}{where}: {reason}")


class PatternFileError(KcextractError):
    """A file in patterns/ is malformed: names the file, the entry id and the key."""

    def __init__(self, path, entry_id, key, reason):
        self.path, self.entry_id, self.key, self.reason = str(path), entry_id, key, reason
        super().__init__(f"{self.path}: entry {entry_id!r}, key {key!r}: {reason}")


class SiteConfigError(KcextractError):
    """A site definition (scrapers/*.toml or --site-file) is malformed: names the file and the key."""


class FetchError(KcextractError):
    """A page could not be fetched (timeout, HTTP error, truncated body); names the URL and the reason."""

    def __init__(self, url, reason, status=None):
        self.url, self.reason, self.status = url, reason, status
        super().__init__(f"{url}: {reason}")


class DisallowedByRobots(FetchError):
    """robots.txt forbids our user-agent to fetch this URL (never fetched, recorded as skipped)."""

    def __init__(self, url):
        super().__init__(url, "disallowed by robots.txt")


class UnreadableNumberWarning(UserWarning):
    """A number matched a figure pattern but could not be read; names the source, line and column."""


class CorpusError(KcextractError):
    """The corpus database cannot be used (not a kcextract corpus, damaged, unreadable); names the file."""

    def __init__(self, path, reason):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: {reason}")


class CorpusBusy(CorpusError):
    """Another process holds the corpus (a write lock past the busy timeout, or the same site's crawl)."""


class RedirectRefused(FetchError):
    """A redirect leaves the site (another host, or a public address to a private one); names the target."""

    def __init__(self, url, target, why):
        self.target = target
        super().__init__(url, f"redirect refused: {why}: {target}")


class BodyTooLarge(FetchError):
    """A body (as inflated) passed its size cap: not retried, the same page would be as large again."""
