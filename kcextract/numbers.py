"""Vietnamese number grammar: digits with '.' and ',' and spelled-out numerals.

In Vietnamese, '.' groups thousands and ',' is the decimal mark
(``7.456,43`` = 7456.43).  Reports also carry the odd English-formatted figure
(``24,000 USD``, ``1.5 tỷ``); which reading applies is decided from the shape
of the digits and, where the shape is ambiguous, from what the number counts
(a caller's ``prefer_integer`` hint): it is never guessed per document.
"""
from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

import regex

_VN_GROUPED = regex.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")      # 56.147 / 7.456,43
_EN_GROUPED = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")      # 1,234,567 / 1,234.5
_VN_DECIMAL = regex.compile(r"\d+,\d+")                            # 93,71
_EN_DECIMAL = regex.compile(r"\d+\.\d{1,2}")                       # 1.5 (a VN writer means 1,5)
_PLAIN = regex.compile(r"\d+")


def parse_vn_number(text: str, prefer_integer: bool = False) -> Decimal:
    """Parse a number as written in a Vietnamese report.

    ``prefer_integer`` settles the one ambiguous shape, a single ',' followed
    by exactly three digits: ``1,250`` is 1.25 (Vietnamese decimal) unless the
    thing counted cannot be fractional (people, đồng without a scale word).

    >>> parse_vn_number("56.147")
    Decimal('56147')
    >>> parse_vn_number("7.456,43")
    Decimal('7456.43')
    >>> parse_vn_number("93,71")
    Decimal('93.71')
    >>> parse_vn_number("03")
    Decimal('3')
    >>> parse_vn_number("1.250.000")
    Decimal('1250000')
    >>> parse_vn_number("1,250")
    Decimal('1.250')
    >>> parse_vn_number("1,250", prefer_integer=True)
    Decimal('1250')
    >>> parse_vn_number("1,234,567.5")
    Decimal('1234567.5')
    >>> parse_vn_number("1.5")
    Decimal('1.5')
    >>> parse_vn_number("3/8")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '3/8'
    """
    s = text.strip()
    try:
        if _PLAIN.fullmatch(s):
            return Decimal(s)
        if _VN_GROUPED.fullmatch(s):
            return Decimal(s.replace(".", "").replace(",", "."))
        if _EN_GROUPED.fullmatch(s):
            # One comma + three digits is ambiguous: 1,250 tỷ (VN decimal) vs 1,250 người.
            if s.count(",") == 1 and "." not in s and not prefer_integer:
                return Decimal(s.replace(",", "."))
            return Decimal(s.replace(",", ""))
        if _VN_DECIMAL.fullmatch(s):
            return Decimal(s.replace(",", "."))
        if _EN_DECIMAL.fullmatch(s):
            return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the shapes above are all valid
        pass
    raise ValueError(f"not a number: {text!r}")


def decimals_written(text: str) -> int:
    """How many decimals the writer gave (for tolerances): ``93,71`` -> 2, ``56.147`` -> 0.

    >>> decimals_written("93,71"), decimals_written("56.147"), decimals_written("8")
    (2, 0, 0)
    """
    s = text.strip()
    if _VN_GROUPED.fullmatch(s) or _VN_DECIMAL.fullmatch(s):
        return len(s.split(",")[1]) if "," in s else 0
    if _EN_DECIMAL.fullmatch(s) or (_EN_GROUPED.fullmatch(s) and "." in s):
        return len(s.split(".")[1])
    return 0


# Spelled-out numerals: 'ba đề án', 'hai mươi cơ sở', 'hơn hai trăm cơ sở',
# 'khoảng hai mươi nghìn lao động', and amounts in words ('Ba tỷ, tám trăm triệu đồng').
# The unit words and their values are data (lexicon.yaml SPELLED_UNIT, SPELLED_AFTER_TENS);
# the structure words below are the grammar: 'mươi' (tens), 'trăm', 'nghìn'/'ngàn', and
# 'linh'/'lẻ' filling an empty tens place ('một trăm linh năm').
@functools.lru_cache(maxsize=1)
def _unit_words() -> tuple[dict, frozenset]:
    from kcextract.patterns import load_patterns

    lex = load_patterns().lexicon
    units = {word.casefold(): int(value) for word, value in lex.meanings["SPELLED_UNIT"].items()}
    return units, frozenset(w.casefold() for w in lex.lists["SPELLED_AFTER_TENS"])


def spelled_to_int(text: str) -> int:
    """Value of a spelled-out Vietnamese number (below a million; scale words
    such as triệu and tỷ are read by the money patterns).

    >>> spelled_to_int("ba"), spelled_to_int("mười lăm"), spelled_to_int("hai mươi mốt")
    (3, 15, 21)
    >>> spelled_to_int("Hai mươi"), spelled_to_int("chín mươi tư"), spelled_to_int("mười")
    (20, 94, 10)
    >>> spelled_to_int("hai trăm"), spelled_to_int("một trăm linh năm"), spelled_to_int("hai mươi nghìn")
    (200, 105, 20000)
    >>> spelled_to_int("ba nghìn hai trăm năm mươi"), spelled_to_int("tám trăm")
    (3250, 800)
    >>> spelled_to_int("nhiều")
    Traceback (most recent call last):
    ...
    ValueError: not a spelled number: 'nhiều'
    >>> spelled_to_int("lăm")
    Traceback (most recent call last):
    ...
    ValueError: not a spelled number: 'lăm'
    """
    units, after_tens_only = _unit_words()
    words = text.casefold().split()
    total, group, last, previous = 0, 0, 0, None
    for word in words:
        if word in units:
            if word in after_tens_only and previous not in ("mươi", "mười"):
                raise ValueError(f"not a spelled number: {text!r}")
            last = units[word]
            group += last
        elif word == "mười":
            last = 0
            group += 10
        elif word == "mươi" and last:
            group += last * 9          # 'hai' + 'mươi': 2 becomes 20
            last = 0
        elif word == "trăm" and last:
            group += last * 99         # 'hai' + 'trăm': 2 becomes 200
            last = 0
        elif word in ("linh", "lẻ") and previous == "trăm":
            pass
        elif word in ("nghìn", "ngàn") and group:
            total += group * 1000
            group, last = 0, 0
        else:
            raise ValueError(f"not a spelled number: {text!r}")
        previous = word
    if not words or (total == 0 and group == 0):
        raise ValueError(f"not a spelled number: {text!r}")
    return total + group


def format_vn(value, decimals: int = 0) -> str:
    """Write a number the Vietnamese way: '.' for thousands, ',' for decimals.

    >>> format_vn(Decimal("56147")), format_vn(23.0364, 2), format_vn(8, 1)
    ('56.147', '23,04', '8,0')
    """
    s = f"{float(value):,.{decimals}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
