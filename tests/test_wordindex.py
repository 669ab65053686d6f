"""WordIndex: the cue lists' matches found through one scan are exactly those of each list's regex
run over the same range, on crafted edge cases and on every test text."""
from __future__ import annotations

import random

import pytest
import regex

from kcextract import frames
from kcextract.wordindex import WordIndex
from tests.corpus_texts import every_text

LISTS = frames._word_lists()
NAMES = LISTS.names


def _spans(matches) -> list:
    return [(m.start(), m.end(), m.group(0)) for m in matches]


def _same_as_the_regexes(text: str, ranges) -> list:
    """Every way the index answers differently from the lists' regexes, over ``ranges``."""
    index, wrong = WordIndex(text, LISTS), []
    assert index.indexed                       # the index is used, not the plain scan
    for name in NAMES:
        pattern = LISTS.patterns[name]
        for lo, hi in ranges:
            expected = _spans(pattern.finditer(text, lo, hi))
            if _spans(index.finditer(name, lo, hi)) != expected:
                wrong.append(("finditer", name, lo, hi))
            last = index.last(name, lo, hi)
            if (_spans([last]) if last else []) != expected[-1:]:
                wrong.append(("last", name, lo, hi))
            if index.occurs(name, lo, hi) != (pattern.search(text[lo:hi]) is not None):
                wrong.append(("occurs", name, lo, hi))
            if expected and not index.may_match(name, lo, hi):
                wrong.append(("may_match", name, lo, hi))
    return wrong


@pytest.mark.parametrize("text", [
    "thị xã Sơn Tây và xã Đường Lâm",                 # a word inside a longer one ('xã' in 'thị xã')
    "thị \t  xã Sơn Tây, thành   phố Hà Nội",         # white space other than one space
    "TP.HCM, TP. Hồ Chí Minh, tp Huế",                 # a word ending in a dot
    "THỊ TRƯỜNG EU, Thị Trường Mỹ, Công ty ABC",       # upper case
    "tỉnh5 tỷ, cả nước12 cơ sở, kinh phíx, thịxã",     # words glued to what follows
    "bình quân/ lao động, bình quân một doanh nghiệp", # a word ending in '/'
    "tổng kinh phí, kinh phí, tổng giá trị, giá trị",  # words that extend others
    "",
])
def test_edge_cases_every_range(text):
    ranges = [(lo, hi) for lo in range(len(text) + 1) for hi in range(lo, len(text) + 1)]
    assert _same_as_the_regexes(text, ranges) == []


def test_every_test_text_over_sentence_prefixes_and_random_ranges():
    rng = random.Random(12)
    wrong, checked = [], 0
    for name, text in every_text():
        starts = [m.start() for m in regex.finditer(r"(?:^|[.;:\n])\s*\K", text)]
        numbers = [m.start() for m in regex.finditer(r"\d+", text)]
        ranges = [(s, n) for s in starts[:12] for n in numbers[:25] if s <= n]
        ranges += [tuple(sorted(rng.randrange(len(text) + 1) for _ in range(2))) for _ in range(10)]
        ranges.append((0, len(text)))
        wrong += [(name, *w) for w in _same_as_the_regexes(text, ranges)]
        checked += len(ranges)
    assert wrong == [] and checked > 5_000


def test_a_text_that_does_not_fold_in_place_is_answered_by_the_regexes():
    text = "Straße thị xã Sơn Tây"          # 'ß' folds to 'ss'
    index = WordIndex(text, LISTS)
    assert not index.indexed
    assert _spans(index.finditer("SCOPE_HEAD", 0, len(text))) == [(7, 13, "thị xã")]


def test_frames_are_the_same_with_the_index_as_with_plain_scans(monkeypatch):
    from kcextract.extractor import figures_of

    texts = [t for _, t in every_text()]
    fast = [[f.to_dict() for f in figures_of(t).figures] for t in texts]
    monkeypatch.setattr(frames, "words_of", frames._plain)
    slow = [[f.to_dict() for f in figures_of(t).figures] for t in texts]
    assert fast == slow
    assert sum(1 for doc in fast for f in doc if f["scope"]) > 500


def test_a_list_whose_regex_is_not_whole_word_is_refused():
    from kcextract.wordindex import WordLists

    with pytest.raises(ValueError, match="PLAIN: not a whole-word"):
        WordLists({"PLAIN": (["xã"], regex.compile("xã", regex.IGNORECASE))})
