"""Periods: the prefilter (frames.yaml ``starts``) finds every position where a period rule can
begin, and find_periods gives the same periods with it as with a scan of every character."""
from __future__ import annotations

import dataclasses

import pytest
import regex
import yaml

from kcextract import periods
from kcextract.exceptions import PatternFileError
from kcextract.patterns import load_patterns
from kcextract.folded import folded_in_place
from kcextract.periods import PeriodIndex, find_periods
from tests.corpus_texts import every_text
from tests.test_patterns import _copy_patterns, _edit

TEXTS = every_text()
RULES = load_patterns().frames


def _start_positions(folded: str) -> set:
    """Every position where one of the ``starts`` scanners matches."""
    found = set()
    for scan in RULES.period_starts:
        m = scan.search(folded)
        while m is not None:
            found.add(m.start())
            m = scan.search(folded, m.start() + 1)
    return found


def _rule_positions(text: str) -> dict:
    """Position -> id of each rule matching there (every position, overlapping ones too)."""
    found = {}
    for rule in RULES.periods:
        for m in rule.regex.finditer(text, overlapped=True):
            found.setdefault(m.start(), rule.id)
    return found


def test_there_are_texts_to_check():
    assert len(TEXTS) > 300 and sum(len(t) for _, t in TEXTS) > 150_000


@pytest.mark.parametrize("rule", RULES.periods, ids=lambda r: r.id)
def test_starts_find_where_every_example_of_a_rule_begins(rule):
    raw = next(e for e in yaml.safe_load(open(_frames_yaml(), encoding="utf-8"))["periods"] if e["id"] == rule.id)
    for example in raw["match"] + raw.get("no_match", []):
        begins = {m.start() for m in rule.regex.finditer(example, overlapped=True)}
        assert begins <= _start_positions(example.casefold()), example


def test_starts_find_where_any_rule_begins_in_every_test_text():
    missed = []
    for name, text in TEXTS:
        folded = folded_in_place(text)
        assert folded is not None, name
        starts = _start_positions(folded)
        missed += [(name, at, rule, text[at:at + 30]) for at, rule in _rule_positions(text).items() if at not in starts]
    assert missed == []


def _every_position(monkeypatch):
    """find_periods without the prefilter: the alternation scanned at every character."""
    from kcextract import cue_prefilter, starts

    monkeypatch.setattr(starts, "folded_in_place", lambda text: None)
    monkeypatch.setattr(cue_prefilter, "folded_in_place", lambda text: None)


def test_find_periods_is_the_same_with_the_prefilter_as_without(monkeypatch):
    fast = [find_periods(text) for _, text in TEXTS]
    _every_position(monkeypatch)
    slow = [find_periods(text) for _, text in TEXTS]
    assert fast == slow
    assert sum(map(len, fast)) > 500


def test_the_prefilter_resumes_after_a_period_as_a_scan_does(monkeypatch):
    # 'từ năm 2008 đến năm 2017' is one period; 'năm 2017' inside it is not another.
    text = "Giai đoạn từ năm 2008 đến năm 2017, năm 2018 và 9 tháng năm nay, quý I/2020; ngày 30/6/2023."
    fast = [(p.text, p.years) for p in find_periods(text)]
    _every_position(monkeypatch)
    assert fast == [(p.text, p.years) for p in find_periods(text)]
    assert fast[0] == ("từ năm 2008 đến năm 2017", (2008, 2017))


def test_the_digit_first_starts_tried_at_the_numbers_find_what_a_scan_of_the_text_finds():
    from kcextract.starts import _every_start, number_index, number_starts, numbers_before

    assert RULES.period_number_starts, "frames.yaml has starts that begin with a digit"
    found = 0
    for name, text in [*TEXTS, ("in a number", "3,6 tháng năm 2020; 1,12 tháng 2021; 2.5/6/2022; 7 - 8 - 2019")]:
        folded = folded_in_place(text)
        index = number_index(folded)
        for scanner, then in RULES.period_number_starts:
            numbers = numbers_before(index, then, sorted(index)) if then else [n for ns in index.values() for n in ns]
            at_numbers = sorted(number_starts(folded, scanner, numbers))
            assert at_numbers == _every_start(scanner.search, folded), name
            found += len(at_numbers)
    assert found > 300


def test_a_period_after_a_comma_in_a_number_is_found_as_a_scan_finds_it(monkeypatch):
    # '3,6 tháng năm 2020': '6 tháng năm 2020' begins inside the number '3,6'.
    text = "Tỷ lệ 3,6 tháng năm 2020 và 1,12 tháng 2021; ngày 2.5/6/2022."
    fast = [(p.text, p.years) for p in find_periods(text)]
    _every_position(monkeypatch)
    assert fast == [(p.text, p.years) for p in find_periods(text)]
    assert ("6 tháng năm 2020", (2020,)) in fast


@pytest.mark.parametrize("source, then", [
    (r"\d\d?\s+tháng", ("thán",)),
    (r"\d\d?\s*[/-]\s*\d", ("/", "-")),
    (r"\d\s+ab?c", ("a",)),            # 'b' may be missing
    (r"\d[a-c]", ("[a-c]",)),
    (r"\d,\d", None),                 # a comma is still the number
    (r"\d[ /]", None),                # so are its spaces
    (r"\d[^a]", None),
    (r"\d\s*\(", None),               # an escape: not read
])
def test_what_follows_the_number_a_digit_first_start_begins_in(source, then):
    from kcextract.patterns import _after_number

    assert _after_number(source) == then


@pytest.mark.parametrize("text, lines_up", [
    ("Năm 2016 tỉnh Bắc Kạn hỗ trợ 5 tỷ đồng", True),
    ("Straße năm 2016", False),           # 'ß' folds to 'ss': offsets would shift
    ("İzmir năm 2016", False),            # 'İ' folds to two characters
    ("năm 2016 \U0001F600", False),       # outside the BMP: stdlib re and regex may read digits apart
    ("năm \ud800 2016", True),            # a lone surrogate (a broken decoding) is in the BMP: no error
])
def test_the_case_folded_copy_is_used_only_when_it_lines_up(text, lines_up):
    folded = folded_in_place(text)
    assert (folded is not None) == lines_up
    if lines_up:
        assert len(folded) == len(text) and folded == text.casefold()


def test_a_text_that_does_not_fold_in_place_gets_the_same_periods(monkeypatch):
    text = "Straße: Năm 2016 đạt 5 tỷ đồng, tăng 6,2% so với cùng kỳ năm 2015; quý I/2020."
    fast = PeriodIndex(text).periods
    _every_position(monkeypatch)
    assert fast == PeriodIndex(text).periods and len(fast) == 3


def _frames_yaml():
    from kcextract.patterns import PATTERN_DIR

    return PATTERN_DIR / "frames.yaml"


def _edit_rule(directory, rule_id, change):
    _edit(directory / "frames.yaml", lambda d: change(next(e for e in d["periods"] if e["id"] == rule_id)))


def test_a_rule_whose_starts_miss_one_of_its_examples_is_refused(tmp_path):
    directory = _copy_patterns(tmp_path)
    _edit_rule(directory, "same-period-last-year", lambda e: e.update(starts=["kỳ"]))
    with pytest.raises(PatternFileError, match="key 'starts': misses where 'cùng kỳ"):
        load_patterns.__wrapped__(str(directory))


def test_a_rule_without_starts_is_refused(tmp_path):
    directory = _copy_patterns(tmp_path)
    _edit_rule(directory, "date", lambda e: e.pop("starts"))
    with pytest.raises(PatternFileError, match="entry 'date', key 'starts'"):
        load_patterns.__wrapped__(str(directory))


def test_after_base_cue_is_the_same_with_the_folded_text_as_without(monkeypatch):
    from kcextract.periods import after_base_cue

    places = [(text, m.start()) for _, text in TEXTS[:120] for m in regex.finditer(r"\d+|\b\w", text)]
    answers = [(after_base_cue(t, at), after_base_cue(t, at, reach=60, amount=True)) for t, at in places]
    _every_position(monkeypatch)
    assert answers == [(after_base_cue(t, at), after_base_cue(t, at, reach=60, amount=True)) for t, at in places]
    assert sum(a for a, _ in answers) > 50


def _letters_of_the_prefilters() -> set:
    """Every letter the prefilters look for on the case-folded text."""
    from kcextract import frames

    words = [w for name in frames._word_lists().names for w in frames._word_lists().words_for[name]]
    words += [s for scan in RULES.period_starts for s in [scan.pattern]]
    lexicon = frames.load_patterns().lexicon.lists
    words += lexicon["QUALIFIER"] + lexicon["NOT_QUALIFIER_BEFORE"]                   # frames._entry_ending
    words += [word.split()[0] for values in RULES.cue_words.values() for word in values]    # kcextract.cue_prefilter
    return {ch for w in words for ch in w.casefold() if ch.isalpha()}


def test_a_case_folded_letter_is_the_letter_regex_matches_without_case():
    """What lets the prefilters run on text.casefold(): for each letter they look for, the
    characters of the BMP that ``regex`` matches to it case-insensitively are those that fold to
    it alone, besides those folding to two characters (a text holding one is not folded)."""
    bmp = "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF)
    letters = _letters_of_the_prefilters()
    assert {"ư", "đ", "ệ", "k", "t"} <= letters
    wrong = {}
    for letter in sorted(letters):
        matched = {m.group() for m in regex.finditer(regex.escape(letter), bmp, regex.IGNORECASE | regex.VERSION0)}
        folding = {c for c in bmp if c.casefold() == letter}
        if not folding <= matched or any(len(c.casefold()) == 1 and c not in folding for c in matched):
            wrong[letter] = sorted(matched ^ folding)
    assert wrong == {}


def test_a_period_built_without_its_init_is_the_period_its_init_builds():
    from kcextract.periods import Period, _period

    args = (3, 11, "năm 2016", (2016,), None, True)
    quick, plain = _period(*args), Period(*args)
    assert quick == plain and hash(quick) == hash(plain) and repr(quick) == repr(plain)
    assert quick.__dict__ == plain.__dict__ and dataclasses.replace(quick, years=(2017,)).years == (2017,)


def test_clause_punctuation_is_found_where_regex_finds_it():
    """CLAUSE_PUNCT runs with stdlib ``re``; it finds what the same pattern finds with ``regex``."""
    import random

    from kcextract.periods import CLAUSE_PUNCT

    plain = regex.compile(r"[,;:.!?](?:\s|$)|\n|\s[-–]\s")
    rng = random.Random(5)
    texts = [t for _, t in TEXTS] + ["a, b", "a,\n", "a.", "a,\x1cb", "a\xa0-\xa0b", "x;\u2028", "a , b -", "a\x1c-\x1cb", ".\n\n"]
    ranges = [(t, lo, hi) for t in texts for lo in sorted(rng.randrange(len(t) + 1) for _ in range(30))
              for hi in (rng.randrange(lo, len(t) + 1), len(t))]
    found = [(m.span() if m else None) for m in (CLAUSE_PUNCT.search(t, lo, hi) for t, lo, hi in ranges)]
    assert found == [(m.span() if m else None) for m in (plain.search(t, lo, hi) for t, lo, hi in ranges)]
    assert sum(f is not None for f in found) > 1000
