"""decode_bytes: BOM, declared charsets, UTF-8, windows-1258 (+NFC), TCVN3/VNI tables, refusing mojibake."""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from kcextract.encoding import convert_legacy, decode_bytes, legacy_tables, looks_like_mojibake
from kcextract.exceptions import SourceError

FIX = Path(__file__).parent / "fixtures" / "pages" / "encoding"


def test_utf8_plain():
    assert decode_bytes("Sở Công Thương".encode("utf-8"), "s") == "Sở Công Thương"


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_wins(bom, codec):
    data = bom + "Khuyến công".encode(codec)
    assert decode_bytes(data, "s", declared="iso-8859-1") == "Khuyến công"


def test_nfd_input_comes_back_nfc():
    nfd = unicodedata.normalize("NFD", "hoà thuỷ điện")
    out = decode_bytes(nfd.encode("utf-8"), "s")
    assert out == unicodedata.normalize("NFC", "hoà thuỷ điện")
    assert unicodedata.is_normalized("NFC", out)


def test_cp1258_page_from_meta():
    text = decode_bytes((FIX / "cp1258.html").read_bytes(), "cp1258.html")
    assert "Hỗ trợ 8 cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị" in text
    assert "ông Nguyễn Văn Thủy, chủ cơ sở mộc Hoà Bình" in text
    assert "Cập nhật 14/3/2012" in text
    assert unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.category(ch) == "Mn" for ch in text)


def test_cp1258_undeclared_falls_back_to_cp1258():
    data = (FIX / "cp1258.html").read_bytes().replace(b"charset=windows-1258", b"")
    assert "Trung tâm Khuyến công Hà Tĩnh" in decode_bytes(data, "x")


def test_cp1258_from_http_header():
    assert decode_bytes(b"Nguy\xea\xden V\xe3n", "s", declared="windows-1258") == "Nguyễn Văn"


def test_tcvn3_bytes():
    text = decode_bytes((FIX / "tcvn3.txt").read_bytes(), "tcvn3.txt")
    assert text.strip() == "Trung tâm Khuyến công tỉnh Ninh Bình hỗ trợ 15 cơ sở sản xuất, kinh phí 1.200 triệu đồng."


def test_vni_bytes():
    text = decode_bytes((FIX / "vni.txt").read_bytes(), "vni.txt")
    assert text.strip() == "Xin chào các bạn. Sở Công Thương Đồng Nai hỗ trợ 16 đề án khuyến công, tổng kinh phí 3.890 triệu đồng."


def test_tcvn3_snippet_inside_utf8_page():
    html = "<p>Sở Công Thương</p>\n<p>Ninh B×nh</p>\n<p>3×4 m</p>".encode("utf-8")
    assert decode_bytes(html, "s") == "<p>Sở Công Thương</p>\n<p>Ninh Bình</p>\n<p>3×4 m</p>"


def test_declared_tcvn3_label():
    assert decode_bytes("KhuyÕn c«ng".encode("latin-1"), "s", declared="TCVN3") == "Khuyến công"


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_table_examples(name):
    for legacy, unicode_text in legacy_tables()[name].examples:
        assert convert_legacy(legacy, name) == unicode_text


def test_false_latin1_declaration_is_ignored():
    text = decode_bytes((FIX / "utf8-declared-latin1.html").read_bytes(), "u.html", declared="ISO-8859-1")
    assert "Sở Công Thương tỉnh Lâm Đồng triển khai 12 đề án khuyến công." in text


def test_double_encoded_utf8_raises_with_byte_offset():
    data = (FIX / "mojibake-double-utf8.html").read_bytes()
    with pytest.raises(SourceError) as info:
        decode_bytes(data, "http://127.0.0.1:8080/mojibake.html")
    err = info.value
    assert err.source == "http://127.0.0.1:8080/mojibake.html"
    assert "mojibake" in err.reason
    # the offset points at the first garbled letter: the bytes there start "Khuy" + C3 A1 (á)
    assert data[err.position - 4:err.position] == b"Khuy"
    assert str(err).startswith("http://127.0.0.1:8080/mojibake.html at ")


def test_binary_raises():
    with pytest.raises(SourceError) as info:
        decode_bytes(b"\x01\x02abc\x00\x01\x02", "report.txt")
    assert info.value.position == 5 and "binary data (NUL bytes)" in info.value.reason


@pytest.mark.parametrize("head, what", [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "a PDF document, not a text document: convert it"),
    (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive, not a text document: a .docx or .xlsx"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image, not a text document"),
    (b"\x1f\x8b\x08\x00\x00\x00", "gzip-compressed data, not a text document"),
])
def test_a_file_that_is_not_text_is_named_for_what_it_is(tmp_path, head, what):
    """A PDF or a .docx saved as .txt (or given with no suffix) is told apart by its first bytes,
    so the message says what the file is and what to do, not just that it has NUL bytes."""
    from kcextract.inputs import iter_documents

    path = tmp_path / "bao-cao.txt"
    path.write_bytes(head + bytes(range(256)) * 4)
    problems = []
    assert list(iter_documents([str(path)], on_problem=problems.append)) == []
    assert [p.source for p in problems] == [str(path)] and problems[0].message.startswith(what)


def test_undecodable_declared_utf8_falls_back():
    # Declared UTF-8 but windows-1258 bytes: the declaration fails, cp1258 reads it.
    assert decode_bytes(b"Nguy\xea\xden", "s", declared="utf-8") == "Nguyễn"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Khuyáº¿n cÃ´ng", True),
        ("Sá»Ÿ CÃ´ng ThÆ°Æ¡ng Ä\x90á»“ng Nai", True),
        ("Khuyến công", False),
        ("NGÃ BA HUẾ", False),
        ("Café Ôn Đà Lạt", False),
    ],
)
def test_looks_like_mojibake(text, expected):
    assert looks_like_mojibake(text) is expected
