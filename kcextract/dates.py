"""Dates as Vietnamese publishers print them, read with explicit regexes kept as data.

The formats (``patterns/dates.yaml``) are all day-first except ISO and
English month-first. Results are naive datetimes in Vietnam time (UTC+7, no DST):
an explicit offset is converted to +07:00 and then dropped, so dates from pages,
feeds and microdata compare directly.

>>> parse_vn_date("Thứ tư - 25/03/2020 15:38")
datetime.datetime(2020, 3, 25, 15, 38)
>>> parse_vn_date("Thứ năm, 29-07-2021 | 10:35GMT+7")
datetime.datetime(2021, 7, 29, 10, 35)
>>> parse_vn_date("Cập nhật 31/8/2020, 14:08:28")
datetime.datetime(2020, 8, 31, 14, 8, 28)
>>> parse_vn_date("2017-08-07 08:52:00.0")
datetime.datetime(2017, 8, 7, 8, 52)
>>> parse_vn_date("Thứ hai, ngày 17 tháng 6 năm 2024 | 20:44")
datetime.datetime(2024, 6, 17, 20, 44)
>>> parse_vn_date("Updated : Wednesday, July 11, 2018 5:50 PM (GMT+0700)")
datetime.datetime(2018, 7, 11, 17, 50)
>>> parse_vn_date("Nghị định 45/2012/NĐ-CP") is None
True
>>> parse_vn_date("Chiều ngày 3/8") is None
True
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from kcextract.exceptions import PatternFileError
from kcextract.patterns import PATTERN_DIR, check_keys, read_data_file

DATA_FILE = PATTERN_DIR / "dates.yaml"
VN_OFFSET = dt.timedelta(hours=7)

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class DateFormat:
    """One entry of patterns/dates.yaml: a compiled regex and its examples."""

    id: str
    regex: re.Pattern
    note: str
    match: tuple
    no_match: tuple


@dataclass(frozen=True)
class DateMatch:
    """A date found in a string: where it is, what it says, which format read it."""

    start: int
    end: int
    value: dt.datetime
    format_id: str


FORMAT_KEYS = {"id", "regex", "note", "match", "no_match"}


@lru_cache(maxsize=None)
def date_formats() -> tuple[DateFormat, ...]:
    """The formats of patterns/dates.yaml, validated and compiled once, in file order.

    Read through :func:`kcextract.patterns.read_data_file`; an unknown key, a regex that
    does not compile or a ``match`` example its regex does not find raises
    :class:`PatternFileError` naming the entry and key (``no_match`` examples may match the
    regex and be refused as impossible dates: tests/test_dates.py runs them through the reader).
    """
    raw = read_data_file(DATA_FILE)
    if set(raw) - {"formats"}:
        raise PatternFileError(DATA_FILE, None, sorted(set(raw) - {"formats"})[0], "top level allows 'formats'")
    formats = []
    for entry in raw.get("formats", []):
        entry_id = entry.get("id")
        check_keys(entry, FORMAT_KEYS, DATA_FILE, entry_id)
        try:
            compiled = re.compile(entry["regex"], re.VERBOSE)
        except (re.error, KeyError, TypeError) as exc:
            raise PatternFileError(DATA_FILE, entry_id, "regex", f"does not compile: {exc}") from None
        match = tuple(tuple(pair) for pair in entry.get("match", []))
        for pair in match:
            if len(pair) != 2 or not compiled.search(pair[0]):
                raise PatternFileError(DATA_FILE, entry_id, "match", f"example {pair!r} is not matched")
        formats.append(DateFormat(id=entry_id, regex=compiled, note=entry.get("note", ""),
                                  match=match, no_match=tuple(entry.get("no_match", []))))
    return tuple(formats)


def _tz_offset(tz: str | None) -> dt.timedelta | None:
    """The UTC offset named by a zone string, or None when none is given.

    >>> _tz_offset("+07:00"), _tz_offset("GMT"), _tz_offset("+7"), _tz_offset(None)
    (datetime.timedelta(seconds=25200), datetime.timedelta(0), datetime.timedelta(seconds=25200), None)
    """
    if tz is None:
        return None
    tz = tz.strip()
    if tz.upper() in ("Z", "GMT", "UTC", "UT"):
        return dt.timedelta(0)
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", tz)
    if not m:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return sign * dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))


def _build(fmt: DateFormat, m: re.Match) -> dt.datetime | None:
    """The datetime a match stands for, or None if the fields make no real date."""
    g = m.groupdict()
    try:
        if g.get("month_name"):
            month = MONTH_NAMES.get(g["month_name"].lower().rstrip("."))
            if month is None:
                return None
        else:
            month = int(g["month"])
        hour = int(g["hour"]) if g.get("hour") else 0
        minute = int(g["minute"]) if g.get("minute") else 0
        second = int(g["second"]) if g.get("second") else 0
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        value = dt.datetime(int(g["year"]), month, int(g["day"]), hour, minute, second)
    except (ValueError, TypeError):
        return None
    offset = _tz_offset(g.get("tz"))
    if fmt.id == "rfc822" and (g.get("tz") or "GMT").upper() == "GMT" and minute == month:
        # NukeViet 4.3-4.5 feeds print gmdate('D, j M Y H:m:s'): the minute slot holds the
        # month. The real minutes are lost; keep the hour and date, zero the minutes.
        value = value.replace(minute=0)
        offset = dt.timedelta(0)
    if offset is not None:
        value = value - offset + VN_OFFSET
    return value


def find_vn_dates(text: str) -> list[DateMatch]:
    """Every date in ``text``, in text order, overlapping matches resolved by position then format order.

    >>> [(d.format_id, d.value.date().isoformat()) for d in find_vn_dates("Thứ 6 - 26/02/2016 ... 27-03-2024")]
    [('dmy', '2016-02-26'), ('dmy', '2024-03-27')]
    """
    found: list[DateMatch] = []
    for order, fmt in enumerate(date_formats()):
        for m in fmt.regex.finditer(text):
            value = _build(fmt, m)
            if value is not None:
                found.append((m.start(), order, DateMatch(m.start(), m.end(), value, fmt.id)))
    found.sort(key=lambda item: (item[0], item[1]))
    result: list[DateMatch] = []
    for _, _, match in found:
        if result and match.start < result[-1].end:
            continue
        result.append(match)
    return result


def parse_vn_date(s: str) -> dt.datetime | None:
    """The first date in ``s`` (a byline, a meta line, a feed date), or None.

    >>> parse_vn_date("08:39 AM 25/10/2017 | Lượt xem: 4395 | In bài viết |")
    datetime.datetime(2017, 10, 25, 8, 39)
    >>> parse_vn_date("Wed, 25 Mar 2020 08:03:12")   # NukeViet H:m:s feed defect (minute == month)
    datetime.datetime(2020, 3, 25, 15, 0, 12)
    >>> parse_vn_date("27-03-2024")
    datetime.datetime(2024, 3, 27, 0, 0)
    >>> parse_vn_date("Lượt xem: 4395") is None
    True
    """
    if not s:
        return None
    matches = find_vn_dates(s)
    return matches[0].value if matches else None
