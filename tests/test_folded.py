"""The case-folded copy the prefilters scan: cached for the text being read, by identity."""
from __future__ import annotations

from kcextract.folded import folded_in_place


class _CountingText(str):
    """A text that counts how often it is compared with another by value."""

    comparisons = 0

    def __eq__(self, other):
        type(self).comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_an_equal_text_read_again_is_never_compared_character_by_character():
    """Each comparison of two equal reports costs their length; the prefilters ask for the folded
    copy once per period and cue (tens of thousands of times in a long report), so a cache that
    compared by value made reading a report twice quadratic (a 10 MB report took a minute)."""
    body = "Năm 2023 TỈNH hỗ trợ 6,7 TỶ ĐỒNG. " * 100
    first, again = _CountingText(body), _CountingText(body)
    assert folded_in_place(first) == body.casefold()
    _CountingText.comparisons = 0
    for _ in range(50):
        assert folded_in_place(again) == body.casefold()
        assert folded_in_place(first) == body.casefold()
    assert _CountingText.comparisons == 0


def test_a_text_that_cannot_be_folded_in_place_gets_none():
    assert folded_in_place("Straße 5 tỷ") is None          # 'ß' folds to two letters
    assert folded_in_place("HÒA BÌNH") == "hòa bình"
