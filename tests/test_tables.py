"""Numbers in flattened tables take the unit their column header names."""
from __future__ import annotations

from decimal import Decimal

from kcextract import extract

REPORT = """Bảng 1. Kết quả thực hiện năm 2023
STT | Nội dung | Số cơ sở | Kinh phí (triệu đồng) | Tỷ lệ (%)
1 | Hỗ trợ máy móc thiết bị | 6 | 2.040 | 58,96
2 | Đào tạo nghề cho 105 lao động | 3 | 285 | 8,24
 | Tổng cộng | 9 | 3.460 | 100
"""


def test_cells_take_the_header_unit_and_other_columns_give_nothing():
    figures = [(f.kind, f.text, f.value, f.unit) for f in extract(REPORT)]
    assert ("money", "2.040", Decimal(2040000000), "VND") in figures
    assert ("money", "3.460", Decimal(3460000000), "VND") in figures       # right-aligned short row
    assert ("percent", "58,96", Decimal("58.96"), "%") in figures
    assert ("count", "6", Decimal(6), "cơ sở") in figures
    assert ("count", "105 lao động", Decimal(105), "lao động") in figures  # text inside a cell still works
    assert not [f for f in figures if f[1] in ("1", "2")]                  # the STT column
    assert not [f for f in figures if f[1] == "2023"]


def test_table_unit_line_and_html_style_rows_separated_by_blank_lines():
    text = ("Đơn vị tính: triệu đồng\n\nNăm | Kế hoạch | Thực hiện\n\n2022 | 3.000 | 2.850\n\n"
            "2023 | 3.200 | 3.100\n")
    figures = [(f.text, f.value) for f in extract(text)]
    assert ("2.850", Decimal(2850000000)) in figures and ("3.200", Decimal(3200000000)) in figures
    assert not [f for f in figures if f[0] in ("2022", "2023")]      # the 'Năm' column has no unit


def test_a_page_menu_with_bars_is_not_a_table():
    text = "Trang chủ | Giới thiệu | Tin tức\nCập nhật: 07/12/2023 08:52 | Lượt xem: 1.234\nCỡ chữ: A- A A+ | In bài"
    assert extract(text) == []


def test_tab_separated_rows_are_a_table_too():
    text = "STT\tNội dung\tKinh phí (triệu đồng)\n1\tĐào tạo nghề\t285\n2\tHỗ trợ máy\t2.040\n"
    assert [(f.text, f.value) for f in extract(text) if f.kind == "money"] == [
        ("285", Decimal(285000000)), ("2.040", Decimal(2040000000))]


def test_an_appendix_that_declares_its_unit_once():
    text = ("PHỤ LỤC DANH MỤC ĐỀ ÁN KHUYẾN CÔNG ĐỊA PHƯƠNG NĂM 2022\nĐVT: triệu đồng\n\n"
            "1. Đề án “Hỗ trợ máy sấy nho” - Đơn vị thụ hưởng: HTX Thảo Nguyên. Kinh phí: 360\n"
            "2. Đề án “Hỗ trợ lò hơi tiết kiệm năng lượng”. Kinh phí: 350\nTổng cộng: 710\n")
    money = [(f.text, f.value) for f in extract(text) if f.kind == "money"]
    assert money == [("360", Decimal(360000000)), ("350", Decimal(350000000)), ("710", Decimal(710000000))]


def test_a_table_flattened_with_spaces_is_read_from_the_right():
    text = ("TT Địa phương Số đề án Kinh phí (triệu đồng) Số cơ sở thụ hưởng\n"
            "1 TP. Quy Nhơn 3 640 5\n2 Thị xã An Nhơn 3 710 6\nTổng cộng 6 1.350 11\n")
    figures = [(f.kind, f.text, f.unit) for f in extract(text)]
    assert ("money", "1.350", "VND") in figures and ("count", "11", "cơ sở") in figures
    assert ("count", "3", "đề án") in figures
    assert not [f for f in figures if f[1] in ("1 TP", "2 Thị xã")]       # row numbers, not counts


def test_a_table_with_one_cell_a_line_gives_each_number_its_columns_unit_and_period():
    import kcextract

    text = ("Thực hiện tháng 9 năm 2023\nƯớc tính tháng 10 năm 2023\n"
            "Tháng 10/2023 so với cùng kỳ năm trước (%)\nĐơn vị tính : Tỷ đồng\n"
            "Tổng số\n4736,0\n4671,4\n113,0\nPhân theo nhóm ngành hàng\nDoanh thu bán lẻ\n3451,7\n3415,7\n113,7\n")
    figures = {f.text: f for f in kcextract.extract(text)}
    assert (figures["4736,0"].kind, figures["4736,0"].value) == ("money", 4_736_000_000_000)
    assert figures["113,7"].kind == "percent" and figures["113,7"].label == "Doanh thu bán lẻ"
    assert figures["4671,4"].period_years == (2023,) and figures["4671,4"].period == "tháng 10 năm 2023"


def test_a_header_cell_with_a_percent_sign_makes_a_percent_column():
    import kcextract

    text = "STT\tTên doanh nghiệp\t↑↓%\tTỷ lệ % 2018\n1\tMINH PHU\t19,00\t4,33\n2\tVINH HOAN\t-4,19\t3,95\n"
    assert [f.value for f in kcextract.extract(text) if f.kind == "percent"] == [
        Decimal("19.00"), Decimal("4.33"), Decimal("-4.19"), Decimal("3.95")]


def test_the_label_hint_matches_whatever_the_label_regex_does():
    """declared_unit_cells skips a text the stdlib-re hint finds no label in: the hint's case
    classes and \\s must cover every character the regex module's IGNORECASE and \\s accept."""
    import re

    import regex as rx

    from kcextract import tables
    from kcextract.patterns import load_patterns

    hint = tables._label_hint()
    bmp = [chr(c) for c in range(0x10000) if not 0xd800 <= c <= 0xdfff]   # every case partner of a Latin letter
    assert all(re.fullmatch(r"\s", c) for c in bmp if rx.fullmatch(r"\s", c))
    for label in load_patterns().lexicon.lists["TABLE_UNIT_LABEL"]:
        for k, ch in enumerate(label):
            if not ch.isalpha():
                continue
            pattern = rx.compile(rx.escape(ch), rx.IGNORECASE | rx.VERSION0)
            for c in (c for c in bmp if pattern.fullmatch(c)):
                variant = label[:k] + c + label[k + 1:]
                assert hint.search(variant + ": triệu đồng"), variant
    text = "ĐVT: triệu đồng\nKinh phí: 360"
    assert hint.search(text) and tables.declared_unit_cells(text)
