"""parse_vn_date: every example of patterns/dates.yaml, plus the seen formats of sites.md §2.5."""
from __future__ import annotations

import datetime as dt

import pytest

from kcextract.dates import date_formats, find_vn_dates, parse_vn_date

YAML_MATCHES = [
    pytest.param(fmt.id, text, expected, id=f"{fmt.id}: {text}") for fmt in date_formats() for text, expected in fmt.match
]
YAML_MISSES = [pytest.param(fmt.id, text, id=f"{fmt.id} (no): {text}") for fmt in date_formats() for text in fmt.no_match]


@pytest.mark.parametrize("format_id,text,expected", YAML_MATCHES)
def test_yaml_match_examples(format_id, text, expected):
    assert parse_vn_date(text) == dt.datetime.fromisoformat(expected)
    assert find_vn_dates(text)[0].format_id == format_id


@pytest.mark.parametrize("format_id,text", YAML_MISSES)
def test_yaml_no_match_examples(format_id, text):
    assert all(m.format_id != format_id for m in find_vn_dates(text))


SEEN = [
    # sites.md §2.5, in its order
    ("Thứ tư - 25/03/2020 15:38", dt.datetime(2020, 3, 25, 15, 38)),
    ("Thứ 6 - 26/02/2016", dt.datetime(2016, 2, 26)),
    ("08:39 AM 25/10/2017", dt.datetime(2017, 10, 25, 8, 39)),
    ("Thời sự - Ngày đăng : 08:22, 04/05/2011", dt.datetime(2011, 5, 4, 8, 22)),
    ("Cập nhật lúc 05:23, Thứ Ba, 09/11/2021 (GMT+7)", dt.datetime(2021, 11, 9, 5, 23)),
    ("Cập nhật, 07:26, Thứ Năm, 08/06/2023 (GMT+7)", dt.datetime(2023, 6, 8, 7, 26)),
    ("Thứ năm, 29-07-2021 | 10:35GMT+7", dt.datetime(2021, 7, 29, 10, 35)),
    ("27-03-2024", dt.datetime(2024, 3, 27)),
    ("Update 15-06-2020 03:45", dt.datetime(2020, 6, 15, 3, 45)),
    ("Cập nhật 31/8/2020, 14:08:28", dt.datetime(2020, 8, 31, 14, 8, 28)),
    ("Ngày đăng bài: 28/04/2020 | Tác giả: Trần Xiện", dt.datetime(2020, 4, 28)),
    ("Thứ hai, ngày 17 tháng 6 năm 2024 | 20:44", dt.datetime(2024, 6, 17, 20, 44)),
    ("Updated : Wednesday, July 11, 2018 5:50 PM (GMT+0700)", dt.datetime(2018, 7, 11, 17, 50)),
    ("2017-08-07 08:52:00.0", dt.datetime(2017, 8, 7, 8, 52)),
    ("27/12/2023", dt.datetime(2023, 12, 27)),
    ("Wednesday - 13/01/2016 05:57", dt.datetime(2016, 1, 13, 5, 57)),
    ("13:00 | 26/09/2020 Industry", dt.datetime(2020, 9, 26, 13, 0)),
    ("Friday, 14/06/2024 | 15:59 GMT+7", dt.datetime(2024, 6, 14, 15, 59)),
    ("Thứ ba 26/11/2024 03:10", dt.datetime(2024, 11, 26, 3, 10)),
    # ISO 8601 with offsets: converted to Vietnam time
    ("2020-11-10T02:15:42+00:00", dt.datetime(2020, 11, 10, 9, 15, 42)),
    ("2020-11-10T09:15:42+07:00", dt.datetime(2020, 11, 10, 9, 15, 42)),
    # RSS
    ("Tue, 10 Nov 2020 02:15:42 +0000", dt.datetime(2020, 11, 10, 9, 15, 42)),
    ("Mon, 20 Nov 2023 07:11:31", dt.datetime(2023, 11, 20, 14, 0, 31)),  # NukeViet H:m:s: minute == month
    ("Mon, 20 Nov 2023 07:25:31 GMT", dt.datetime(2023, 11, 20, 14, 25, 31)),  # minute != month: kept
]


@pytest.mark.parametrize("text,expected", SEEN, ids=[s[0] for s in SEEN])
def test_seen_formats(text, expected):
    assert parse_vn_date(text) == expected


MISSES = [
    "", "Lượt xem: 4395", "Nghị định 45/2012/NĐ-CP", "Quyết định số 06/2021/QĐ-UBND", "Chiều ngày 3/8",
    "tháng 5/2018", "giai đoạn 2018-2020", "31/02/2020", "kinh phí 1.250 triệu đồng", "Thứ 1",
    "56.147 triệu đồng, đạt 93,71%",
]


@pytest.mark.parametrize("text", MISSES)
def test_misses(text):
    assert parse_vn_date(text) is None


def test_find_dates_in_order():
    found = find_vn_dates("Thứ ba 26/11/2024 03:10 ... Quảng Ninh ... 10:35 | 10/10/2024")
    assert [m.value for m in found] == [dt.datetime(2024, 11, 26, 3, 10), dt.datetime(2024, 10, 10, 10, 35)]


def test_feed_file_pubdates():
    # The NukeViet fixture feed: every pubDate parses, minutes zeroed where they equal the month.
    import re
    from pathlib import Path

    feed = (Path(__file__).parent / "fixtures" / "pages" / "nukeviet" / "rss.xml").read_text(encoding="utf-8")
    dates = [parse_vn_date(d) for d in re.findall(r"<pubDate>(.*?)</pubDate>", feed)]
    assert dates[1:] == [
        dt.datetime(2023, 12, 7, 8, 0), dt.datetime(2023, 11, 20, 14, 0, 31),
        dt.datetime(2023, 10, 2, 9, 0), dt.datetime(2023, 8, 15, 16, 0, 10),
    ]
