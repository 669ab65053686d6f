"""patterns/provinces.yaml: 63 pre-merger provinces into 34, each exactly once; spellings."""
from __future__ import annotations

import pytest
import yaml

from kcextract.dataset.provinces import parse_provinces, province_table, provinces_in, resolve
from kcextract.exceptions import PatternFileError
from kcextract.patterns import PATTERN_DIR


def test_63_old_provinces_make_34_new_ones_each_old_one_once():
    table = province_table()
    assert len(table.old_names) == 63 and len(set(table.old_names)) == 63
    assert len(table.new_names) == 34
    assert sum(kind == "city" for kind in table.kind_of_new.values()) == 6
    # every new province keeps the name of one of its members, except Huế (Thừa Thiên Huế renamed)
    for new in table.new_names:
        members = [old for old, n in table.new_of_old.items() if n == new]
        assert new in members or (new, members) == ("Huế", ["Thừa Thiên Huế"])
    merged = {new for new in table.new_names if list(table.new_of_old.values()).count(new) > 1}
    assert len(merged) == 23


@pytest.mark.parametrize("old, new", [
    ("Hà Giang", "Tuyên Quang"), ("Yên Bái", "Lào Cai"), ("Bắc Kạn", "Thái Nguyên"), ("Vĩnh Phúc", "Phú Thọ"),
    ("Hòa Bình", "Phú Thọ"), ("Bắc Giang", "Bắc Ninh"), ("Thái Bình", "Hưng Yên"), ("Hải Dương", "Hải Phòng"),
    ("Hà Nam", "Ninh Bình"), ("Nam Định", "Ninh Bình"), ("Quảng Bình", "Quảng Trị"), ("Quảng Nam", "Đà Nẵng"),
    ("Kon Tum", "Quảng Ngãi"), ("Bình Định", "Gia Lai"), ("Ninh Thuận", "Khánh Hòa"), ("Đắk Nông", "Lâm Đồng"),
    ("Bình Thuận", "Lâm Đồng"), ("Phú Yên", "Đắk Lắk"), ("Bình Dương", "TP. Hồ Chí Minh"),
    ("Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh"), ("Bình Phước", "Đồng Nai"), ("Long An", "Tây Ninh"),
    ("Sóc Trăng", "Cần Thơ"), ("Hậu Giang", "Cần Thơ"), ("Bến Tre", "Vĩnh Long"), ("Trà Vinh", "Vĩnh Long"),
    ("Tiền Giang", "Đồng Tháp"), ("Bạc Liêu", "Cà Mau"), ("Kiên Giang", "An Giang"),
    ("Thừa Thiên Huế", "Huế"), ("Cao Bằng", "Cao Bằng"), ("Nghệ An", "Nghệ An"),
])
def test_mapping(old, new):
    assert resolve(old, published="2020-01-01") == (new, old)


@pytest.mark.parametrize("written, expected", [
    ("Sở Công Thương tỉnh Hoà Bình", ("Phú Thọ", "Hòa Bình")),       # old tone placement
    ("SỞ CÔNG THƯƠNG ĐẮK LẮK", ("Đắk Lắk", "Đắk Lắk")),
    ("TP.HCM", ("TP. Hồ Chí Minh", "TP. Hồ Chí Minh")),
    ("tỉnh Bà Rịa–Vũng Tàu", ("TP. Hồ Chí Minh", "Bà Rịa - Vũng Tàu")),
    ("Thừa Thiên - Huế", ("Huế", "Thừa Thiên Huế")),
    ("Đăk Nông", ("Lâm Đồng", "Đắk Nông")),
])
def test_spellings(written, expected):
    assert resolve(written) == expected


def test_after_the_merger_a_shared_name_is_the_new_province():
    assert resolve("Lâm Đồng", published="2025-09-01") == ("Lâm Đồng", None)
    assert resolve("Lâm Đồng", published="2024-09-01") == ("Lâm Đồng", "Lâm Đồng")
    assert resolve("Nghệ An", published="2025-09-01") == ("Nghệ An", "Nghệ An")      # not merged


def test_whole_words_only():
    assert provinces_in("Hà Namibia, Long Anh") == []


def test_a_bad_edit_names_the_file_and_entry(tmp_path):
    doc = yaml.safe_load((PATTERN_DIR / "provinces.yaml").read_text(encoding="utf-8"))
    doc["provinces"]["Đà Nẵng"]["old"].append("Bình Dương")
    with pytest.raises(PatternFileError, match="'Bình Dương' is already part of"):
        parse_provinces(doc, "provinces.yaml")
    doc = yaml.safe_load((PATTERN_DIR / "provinces.yaml").read_text(encoding="utf-8"))
    doc["aliases"]["Sài Gòn"] = "Gia Định"
    with pytest.raises(PatternFileError, match="provinces.yaml: entry 'Sài Gòn'"):
        parse_provinces(doc, "provinces.yaml")
