"""Notifiers: where alerts go after a pass.  A registry, one module per notifier.

Each module of this package defines one :class:`Notifier` subclass and names it in a
module-level ``NOTIFIER``; ``--notify SCHEME:TARGET`` picks it by its ``scheme``.  A new
notifier is one new module, nothing else.

A notifier receives the alerts still pending for it (oldest first) and yields, alert by
alert, ``(alert_id, None)`` once the alert is taken or ``(alert_id, reason)`` when it is
not; the pass records each outcome at once, so a kill between two alerts loses nothing.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Callable, Iterator, Optional

from kcextract.exceptions import KcextractError


class NotifierError(KcextractError):
    """A ``--notify`` value names no known notifier, or its target is unusable."""


class Notifier:
    """Base class: ``scheme`` names it on the command line; ``target`` is what follows the colon."""

    scheme = ""
    needs_target = True
    help = ""

    def __init__(self, target: str = "", **settings):
        if self.needs_target and not target:
            raise NotifierError(f"--notify {self.scheme}: needs a target ({self.help})")
        self.target = target
        self.settings = settings

    @property
    def key(self) -> str:
        """The name its deliveries are recorded under (stable across passes)."""
        return f"{self.scheme}:{self.target}" if self.target else self.scheme

    def up_to_date(self) -> bool:
        """False when the notifier has work even with no pending alert (a feed file to create)."""
        return True

    def deliver(self, pending: list[dict], recent: Callable[[int], list[dict]]) -> Iterator[tuple[str, Optional[str]]]:
        """Take ``pending`` alerts; ``recent(n)`` gives the newest n alerts ever queued for it."""
        raise NotImplementedError


@lru_cache(maxsize=1)
def registry() -> dict[str, type]:
    """scheme -> Notifier class, from every module of this package."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cls = getattr(module, "NOTIFIER", None)
        if cls is not None:
            found[cls.scheme] = cls
    return found


def make_notifier(spec: str, **settings) -> Notifier:
    """A notifier from a ``--notify`` value: ``stdout``, ``feed:alerts.xml``, ``webhook:http://…``.

    >>> make_notifier("feed:alerts.xml").scheme
    'feed'
    >>> try:
    ...     make_notifier("pigeon:home")
    ... except NotifierError as exc:
    ...     print(exc)
    --notify pigeon:home: unknown notifier 'pigeon'; known: feed, stdout, webhook
    """
    scheme, _, target = spec.partition(":")
    cls = registry().get(scheme.strip().lower())
    if cls is None:
        raise NotifierError(f"--notify {spec}: unknown notifier {scheme!r}; known: {', '.join(sorted(registry()))}")
    return cls(target.strip(), **settings)
