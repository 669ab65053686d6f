"""Normalisation: the cheap tests that skip work must never skip a text that needs it."""
import unicodedata

import pytest

from kcextract import textnorm
from kcextract.textnorm import normalise


@pytest.mark.parametrize("old", sorted(textnorm._OLD_TO_NEW))
@pytest.mark.parametrize("after", ["", " ", ",", "5", "²", "\n", "）"])
def test_every_old_tone_pair_is_folded_at_a_syllable_end(old, after):
    text = "h" + old + after
    assert normalise(text).text == "h" + textnorm._OLD_TO_NEW[old] + after


@pytest.mark.parametrize("text", ["hoàn thành", "toán", "quả", "Quá", "QUẢ", "khuyến", "hòa", "thủy"])
def test_new_placement_and_syllables_going_on_are_kept(text):
    assert normalise(text).text == text


def test_old_pair_before_a_letter_outside_latin_still_folds():
    # The quick test excludes only Latin letters; a Greek letter is \p{L} too, so no fold.
    assert normalise("hoàα hoà").text == "hoàα hòa"


@pytest.mark.parametrize("odd", [chr(c) for c in textnorm._SAME_LENGTH])
def test_each_same_length_character_is_replaced_in_place(odd):
    n = normalise("5" + odd + "tỷ" + odd)
    assert n.text == "5" + textnorm._SAME_LENGTH[ord(odd)] + "tỷ" + textnorm._SAME_LENGTH[ord(odd)]
    assert n.starts is None


@pytest.mark.parametrize("dropped", list(textnorm._DROPPED_CHARS))
def test_each_dropped_character_is_dropped_with_offsets_mapped(dropped):
    n = normalise("56" + dropped + " tỷ")
    assert n.text == "56 tỷ"
    assert n.to_original(0, 5) == (0, 6)


def test_nfd_text_is_composed_and_folded():
    n = normalise(unicodedata.normalize("NFD", "thuỷ điện Hoà Bình"))
    assert n.text == "thủy điện Hòa Bình"
