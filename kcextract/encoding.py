"""Bytes of a Vietnamese page -> NFC text, or a SourceError; never silent mojibake.

Order: BOM, the declared charset (HTTP header, else ``<meta charset>``/XML declaration
found in the bytes), UTF-8, then Windows-1258. Windows-1258 stores tones as combining
marks, so its output is NFC-composed. Text typed with the legacy TCVN3 (.VnTime) or VNI
fonts reads as Latin-1 letters ("Ninh B×nh", "Xin chaøo"); it is detected by character
frequency and converted through the tables in ``kcextract/data/legacy_encodings.yaml``.

>>> decode_bytes("Khuyến công".encode("utf-8"), "t")
'Khuyến công'
>>> decode_bytes(b"Nguy\\xea\\xden", "t", declared="windows-1258")   # e + combining tilde -> NFC
'Nguyễn'
>>> decode_bytes("Ninh B×nh".encode("latin-1"), "t")
'Ninh Bình'
>>> looks_like_mojibake("Khuyáº¿n cÃ´ng")
True
>>> looks_like_mojibake("Khuyến công")
False
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kcextract.exceptions import SourceError

DATA_FILE = Path(__file__).parent / "data" / "legacy_encodings.yaml"

# Letters only Unicode Vietnamese has (beyond Latin-1): ă đ ơ ư and the tone-marked
# vowels U+1EA0..U+1EF9. A segment holding one of them is real Unicode, never legacy.
_VIETNAMESE_UNICODE = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")

# UTF-8 bytes of a Vietnamese letter read as windows-1252/Latin-1: a lead byte shown as
# Ã Ä Å Æ (C3..C6) or Ì (CC, combining marks), then a continuation byte 0x80..0xBF shown as
# one of the characters below; or E1 BA/BB (á º / á ») for the U+1EA0.. block.
_CONT = "\x80-\x9f\xa1-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = re.compile(f"[ÃÄÅÆ][{_CONT}]|Ã\xa0|á[º»][{_CONT}\xa0]|Ì[\x80-\xa3]")

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")

# Charset labels that name a legacy Vietnamese font encoding rather than a Python codec.
_LEGACY_LABELS = {
    "tcvn": "tcvn3", "tcvn3": "tcvn3", "tcvn-3": "tcvn3", "tcvn5712": "tcvn3",
    "tcvn-5712": "tcvn3", "x-viet-tcvn5712": "tcvn3", "vn3": "tcvn3", "abc": "tcvn3",
    "vni": "vni", "x-viet-vni": "vni", "vni-windows": "vni",
}
# WHATWG: these labels mean windows-1252 in browsers; Python's latin-1 would keep C1 controls.
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"}


@dataclass(frozen=True)
class LegacyTable:
    """One legacy encoding: detection characters and the replacement regex + map."""

    name: str
    signature: str
    mapping: dict
    regex: re.Pattern
    examples: tuple


@lru_cache(maxsize=None)
def legacy_tables() -> dict[str, LegacyTable]:
    """The TCVN3 and VNI tables of legacy_encodings.yaml, compiled once."""
    from kcextract.patterns import read_data_file   # lazy: decoding a page needs no pattern code

    raw = read_data_file(DATA_FILE)
    tables = {}
    for name, entry in raw.items():
        mapping = {str(k): str(v) for k, v in entry["map"].items()}
        keys = sorted(mapping, key=len, reverse=True)  # longest sequence first
        tables[name] = LegacyTable(
            name=name,
            signature=entry.get("signature") or entry.get("marks", ""),
            mapping=mapping,
            regex=re.compile("|".join(re.escape(k) for k in keys)),
            examples=tuple(tuple(e) for e in entry.get("examples", [])),
        )
    return tables


def convert_legacy(text: str, encoding: str) -> str:
    """Map text typed in a legacy font (``"tcvn3"`` or ``"vni"``) to NFC Unicode.

    >>> convert_legacy("KhuyÕn c«ng", "tcvn3")
    'Khuyến công'
    >>> convert_legacy("Xin chaøo caùc baïn", "vni")
    'Xin chào các bạn'
    """
    table = legacy_tables()[encoding]
    converted = table.regex.sub(lambda m: table.mapping[m.group(0)], text)
    return unicodedata.normalize("NFC", converted)


def legacy_scores(text: str) -> dict[str, int]:
    """How strongly ``text`` looks like TCVN3 or VNI read as Latin-1 (counts of telltale letters).

    >>> legacy_scores("Ninh B×nh")["tcvn3"], legacy_scores("Xin chaøo caùc baïn")["vni"]
    (1, 3)
    >>> legacy_scores("Khuyến công hỗ trợ 3×4 cơ sở")
    {'tcvn3': 0, 'vni': 0}
    """
    tcvn3, vni = _legacy_telltales()
    return {"tcvn3": len(tcvn3.findall(text)), "vni": len(vni.findall(text))}


@lru_cache(maxsize=None)
def _legacy_telltales() -> tuple[re.Pattern, re.Pattern]:
    """TCVN3: a signature letter touching an ASCII letter; VNI: a vowel followed by a tone mark."""
    tables = legacy_tables()
    tcvn3_sig = re.escape(tables["tcvn3"].signature)
    vni_marks = re.escape(tables["vni"].signature)
    return (re.compile(f"(?<=[A-Za-z])[{tcvn3_sig}]|[{tcvn3_sig}](?=[A-Za-z])"),
            re.compile(f"[aeiouyAEIOUYôöÔÖ][{vni_marks}]|[ñÑ](?=[aeiouAEIOU])"))


def _convert_legacy_segments(text: str) -> str:
    """Convert each text segment (between tags and newlines) that reads as TCVN3/VNI.

    A segment holding real Unicode Vietnamese letters is left alone, so a UTF-8 page that
    quotes a .VnTime snippet gets only that snippet converted.
    """
    parts = re.split(r"(<[^>]*>|\n)", text)
    for i, part in enumerate(parts):
        if not part or part.startswith("<") or part == "\n" or part.isascii():
            continue
        if _VIETNAMESE_UNICODE.search(part):
            continue
        scores = legacy_scores(part)
        best = max(scores, key=scores.get)
        letters = sum(ch.isalpha() for ch in part)
        if scores[best] >= 2 or (scores[best] == 1 and letters < 60):
            parts[i] = convert_legacy(part, best)
    return "".join(parts)


_VIETNAMESE_LETTERS = frozenset(
    "àáâãèéêìíòóôõùúýăđĩũơư" "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
)


_COMMON_PUNCT = frozenset("“”‘’–—…•°₫€©\u00a0")


def foreign_letters(text: str) -> int:
    """Count non-ASCII characters Vietnamese prose does not use (× ¸ µ « Ò, stray combining marks).

    Used to choose between readings of single-byte data: real Vietnamese scores near 0.

    >>> foreign_letters("Ninh Bình, Đắk Lắk – 30°C"), foreign_letters("Ninh B×nh ¸o"), foreign_letters("Khuyõn c«ng")
    (0, 2, 1)
    """
    return sum(
        1 for ch in text
        if not ch.isascii() and ch not in _VIETNAMESE_LETTERS and ch not in _COMMON_PUNCT
    )


def looks_like_mojibake(text: str) -> bool:
    """True if ``text`` looks like UTF-8 Vietnamese that was read as Latin-1/windows-1252.

    >>> looks_like_mojibake("Sá»Ÿ CÃ´ng ThÆ°Æ¡ng")
    True
    >>> looks_like_mojibake("NGÃ BA HUẾ, Ông Ánh")
    False
    """
    hits = len(_MOJIBAKE.findall(text))
    return hits >= 2 or (hits == 1 and len(text) < 200)


def first_mojibake(text: str) -> int | None:
    """Offset of the first mojibake sequence in ``text``, or None."""
    m = _MOJIBAKE.search(text)
    return m.start() if m else None


def sniff_declared(data: bytes) -> str | None:
    """The charset a document declares in its first 4 KiB (meta tag or XML declaration).

    >>> sniff_declared(b'<html><head><meta charset="windows-1258"></head>')
    'windows-1258'
    >>> sniff_declared(b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">')
    'UTF-8'
    >>> sniff_declared(b"<p>no declaration</p>") is None
    True
    """
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii") if m else None


def _codec(label: str | None) -> str | None:
    """Normalise a charset label to a Python codec name or a legacy table name (None if unknown)."""
    if not label:
        return None
    low = label.strip().strip("\"'").lower()
    if low in _LEGACY_LABELS:
        return _LEGACY_LABELS[low]
    if low in _LATIN1_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def _byte_offset(text: str, char_index: int, codec: str) -> int:
    """Byte offset in the original data of character ``char_index`` of ``text``."""
    try:
        return len(text[:char_index].encode(codec))
    except (UnicodeEncodeError, LookupError):
        return char_index


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


# What a file that is not text most often is, by its first bytes: the attachments of the
# Sở Công Thương sites (PDF, Word, Excel, archives) and the images beside them.
_SIGNATURES = (
    (b"%PDF", "a PDF document", "convert it to text first (pdftotext, say)"),
    (b"PK\x03\x04", "a ZIP archive", "a .docx or .xlsx is one: save it as text first"),
    (b"\xd0\xcf\x11\xe0", "an old Office document", "a .doc or .xls: save it as text first"),
    (b"\x89PNG", "a PNG image", None), (b"\xff\xd8\xff", "a JPEG image", None),
    (b"GIF8", "a GIF image", None), (b"\x1f\x8b", "gzip-compressed data", "decompress it first"),
    (b"Rar!", "a RAR archive", "extract it first"),
)


def not_text(data: bytes, source: str) -> SourceError:
    """The error for binary ``data`` (NUL bytes in its first 4 KB): what it is, when its first
    bytes tell, and what to do; else where the first NUL byte is.

    >>> str(not_text(b"%PDF-1.4\\n\\x00", "bao-cao.txt"))
    'bao-cao.txt: a PDF document, not a text document: convert it to text first (pdftotext, say)'
    >>> str(not_text(b"ab\\x00", "x.txt"))
    'x.txt at 2: binary data (NUL bytes), not a text document'
    """
    for head, what, advice in _SIGNATURES:
        if data.startswith(head):
            return SourceError(source, f"{what}, not a text document" + (f": {advice}" if advice else ""))
    return SourceError(source, "binary data (NUL bytes), not a text document", data.index(b"\x00"))


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode a fetched document to NFC text; raise SourceError rather than return mojibake.

    ``declared`` is the HTTP header charset if any; otherwise the document's own meta tag
    is used. A declaration that fails to decode, or decodes to mojibake while UTF-8 reads
    cleanly, is ignored (servers often lie). Legacy TCVN3/VNI text is converted.

    :raises SourceError: binary data, bytes no candidate decodes, or text that still reads
        as mojibake (e.g. UTF-8 stored twice); the position is a byte offset.
    """
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise not_text(data, source)

    # 1. Byte order mark: authoritative.
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = _try(data[len(bom):], codec)
            if text is None:
                raise SourceError(source, f"byte order mark says {codec} but the bytes do not decode", len(bom))
            return _finish(text, source, codec, len(bom))

    candidates: list[str] = []
    for label in (declared, sniff_declared(data)):
        codec = _codec(label)
        if codec and codec not in candidates:
            candidates.append(codec)
    for codec in ("utf-8", "cp1258"):
        if codec not in candidates:
            candidates.append(codec)

    utf8 = _try(data, "utf-8")
    first_error = None
    for codec in candidates:
        if codec in ("tcvn3", "vni"):
            return convert_legacy(data.decode("latin-1"), codec)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            first_error = first_error or (codec, exc)
            continue
        if codec != "utf-8" and utf8 is not None and not data.isascii() and looks_like_mojibake(text):
            continue  # a false declaration: the bytes are UTF-8
        if codec in ("cp1258", "cp1252", "latin_1", "iso8859-1"):
            # Single-byte candidates: TCVN3/VNI font text also decodes without error, so keep
            # whichever reading leaves fewer letters that are not Vietnamese (× ¸ µ « ...).
            latin = data.decode("latin-1")
            if max(legacy_scores(latin).values()) >= 3:
                converted = _convert_legacy_segments(latin)
                if foreign_letters(converted) < foreign_letters(unicodedata.normalize("NFC", text)):
                    return _finish(converted, source, "latin-1", 0)
        return _finish(text, source, codec, 0)

    codec, exc = first_error if first_error else ("utf-8", None)
    position = exc.start if exc is not None else None
    raise SourceError(source, f"bytes undecodable as {', '.join(candidates)}", position)


def decode_with_repairs(data: bytes, source: str, declared: str | None = None) -> tuple[str, int]:
    """:func:`decode_bytes`, except that a UTF-8 page with a few broken bytes is kept.

    Returns ``(text, replaced)``: each broken byte sequence becomes U+FFFD and is counted,
    so one bad byte no longer costs a whole article.  More than :data:`MAX_REPAIRS_PER_MB`
    broken sequences per MB (at least 16) is not a few: the SourceError stands.

    >>> decode_with_repairs("Khuyến công ".encode() + bytes([255]) + " 12 cơ sở".encode(), "t")
    ('Khuyến công \ufffd 12 cơ sở', 1)
    """
    try:
        return decode_bytes(data, source, declared), 0
    except SourceError:
        text = data.decode("utf-8", errors="replace")
        replaced = text.count("\ufffd") - data.count("\ufffd".encode())
        if 0 < replaced <= max(16, MAX_REPAIRS_PER_MB * len(data) // (1 << 20)) and b"\x00" not in data[:4096]:
            try:
                return _finish(text, source, "utf-8", 0), replaced
            except SourceError:
                pass
        raise


MAX_REPAIRS_PER_MB = 64


def _finish(text: str, source: str, codec: str, offset: int) -> str:
    """NFC, legacy snippets converted, then refuse mojibake naming its byte offset."""
    text = unicodedata.normalize("NFC", text)
    text = _convert_legacy_segments(text)
    if looks_like_mojibake(text):
        index = first_mojibake(text) or 0
        raise SourceError(
            source,
            f"text decoded as {codec} still looks like mojibake "
            f"(UTF-8 read as Latin-1?): {text[index:index + 20]!r}",
            offset + _byte_offset(text, index, codec),
        )
    return text
