"""Durations written the way a person types them (``30m``, ``6h``, ``7d``, ``1w``), as seconds.

Used by ``monitor --every`` / ``--recheck`` and ``alerts --since``.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Optional, Union

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", re.IGNORECASE)


def parse_duration(text: Union[str, int, float]) -> float:
    """Seconds in a duration such as ``90s``, ``30m``, ``6h``, ``7d``, ``1w``, or combined ``1h30m``.

    A bare number is seconds; ``0`` means "every time".

    >>> parse_duration("6h"), parse_duration("1h30m"), parse_duration("7d"), parse_duration(0)
    (21600.0, 5400.0, 604800.0, 0.0)
    >>> parse_duration("soon")
    Traceback (most recent call last):
    ...
    ValueError: 'soon' is not a duration; write e.g. 30m, 6h, 1d or 1w
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if text < 0:
            raise ValueError(f"{text!r} is not a duration: it is negative")
        return float(text)
    raw = str(text).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return float(raw)
    pos, total = 0, 0.0
    for match in _DURATION.finditer(raw):
        if match.start() != pos:
            break
        total += float(match.group(1)) * UNITS[match.group(2).lower()]
        pos = match.end()
    if not raw or pos != len(raw):
        raise ValueError(f"{text!r} is not a duration; write e.g. 30m, 6h, 1d or 1w")
    return total


def since_time(text: str, now: Optional[datetime] = None) -> str:
    """The ISO 8601 UTC instant ``--since`` names: a duration back from now (``7d``) or a date.

    >>> since_time("2d", now=datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc))
    '2026-12-05T03:00:00+00:00'
    >>> since_time("2026-12-01")
    '2026-12-01T00:00:00+00:00'
    """
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        pass
    else:
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).isoformat()
    now = now or datetime.now(timezone.utc)
    return (now - timedelta(seconds=parse_duration(text))).replace(microsecond=0).isoformat()


def describe(seconds: float) -> str:
    """A duration back in the units a person reads (``6h``, ``1d``, ``45s``).

    >>> describe(21600), describe(86400), describe(5400), describe(45)
    ('6h', '1d', '1h30m', '45s')
    """
    seconds = int(round(seconds))
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts)
