"""Every example in patterns/*.yaml, run as its own test; and the validator's own errors.

The loader already refuses a pattern file whose examples misbehave; these tests
make each example visible by id (``pattern-id: text``) so a failure names it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kcextract.exceptions import PatternFileError
from kcextract.patterns import PATTERN_DIR, load_patterns
from kcextract.textnorm import normalise

PATTERNS = load_patterns().patterns
MATCH = [(p, ex) for p in PATTERNS for ex in p.match]
NO_MATCH = [(p, ex) for p in PATTERNS for ex in p.no_match]


def _id(item):
    pattern, example = item
    return f"{pattern.id}: {example['text'][:50]}"


@pytest.mark.parametrize("item", MATCH, ids=[_id(i) for i in MATCH])
def test_pattern_matches_its_example(item):
    pattern, example = item
    found = [m.group(0) for m in pattern.regex.finditer(example["text"])]
    assert example.get("span", example["text"]) in found


def _project_texts() -> list:
    """The project's own whole articles (seed corpus and the article sets): long texts where
    a window that is too short would cut a match that a two-line example never shows."""
    import json

    root = Path(__file__).resolve().parent.parent
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in sorted((root / "corpus" / "seeds").glob("*.txt"))]
    texts += [(path.name, json.loads(path.read_text(encoding="utf-8"))["text"])
              for path in sorted(root.glob("tests/articles*/*.json"))]
    return [(name, normalise(text).text) for name, text in texts]


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.gate or p.starts or p.starts_after or p.number_then], ids=lambda p: p.id)
def test_a_prefiltered_pattern_finds_what_a_full_scan_finds(pattern):
    """Gates and starts are a speed-up only: over every whole article of the project, the
    pattern run in its gate's windows or at its starts yields exactly the matches of a scan
    of the whole text."""
    from kcextract.extractor import _matches

    gates = load_patterns().gates
    texts = _project_texts()
    assert len(texts) > 50
    for name, text in texts:
        full = [m.span() for m in pattern.regex.finditer(text)]
        assert [m.span() for m in _matches(pattern, text, gates, {})] == full, name


PREFILTERED_GATES = [g for g in load_patterns().gates.values() if g.starts or g.number_then or g.number_ends_then]


@pytest.mark.parametrize("gate", PREFILTERED_GATES, ids=lambda g: g.id)
def test_a_prefiltered_gate_finds_what_a_full_scan_finds(gate):
    """A gate tried only where its prefilters hold gives, over every whole article of the
    project, the windows of a scan of the whole text."""
    import dataclasses

    plain = dataclasses.replace(gate, starts=(), number_then=(), number_ends_then=())
    for name, text in _project_texts():
        assert gate.windows(text, {}) == plain.windows(text), name


def test_prefilters_are_used():
    """The mechanisms the tests above check are in use (a test of nothing would pass)."""
    patterns = load_patterns().patterns
    assert any(p.starts for p in patterns) and any(p.starts_after for p in patterns)
    assert any(p.number_then for p in patterns) and PREFILTERED_GATES
    assert any(g.number_ends_then and not g.anchored for g in PREFILTERED_GATES)


@pytest.mark.parametrize("item", NO_MATCH, ids=[_id(i) for i in NO_MATCH])
def test_pattern_rejects_its_counter_example(item):
    pattern, example = item
    found = [m.group(0) for m in pattern.regex.finditer(example["text"])]
    if "span" in example:
        assert example["span"] not in found
    else:
        assert found == []


def test_every_figure_pattern_has_examples_both_ways_or_a_reason():
    kinds = {p.kind for p in PATTERNS}
    assert {"money", "percent", "count", "project", "blocked", "period"} <= kinds
    assert len(MATCH) >= 60 and len(NO_MATCH) >= 40


def _copy_patterns(tmp_path: Path) -> Path:
    target = tmp_path / "patterns"
    shutil.copytree(PATTERN_DIR, target)
    return target


def _edit(path: Path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("change, key, message", [
    (lambda d: d["patterns"][0].update(colour="red"), "colour", "unknown key"),
    (lambda d: d["patterns"][0].update(regex="(unclosed"), "regex", "does not compile"),
    (lambda d: d["patterns"][0]["match"].append("không có số nào"), "match", "wanted"),
    (lambda d: d["patterns"][0]["no_match"].append("là 1 tỷ 200 triệu đồng"), "no_match", "is matched"),
    (lambda d: d["patterns"][0].update(regex="(?P<num>{NUMBR})"), "regex", "unknown reference"),
    (lambda d: d["patterns"][1].update(id=d["patterns"][0]["id"]), "id", "duplicate id"),
])
def test_validator_names_file_entry_and_key(tmp_path, change, key, message):
    directory = _copy_patterns(tmp_path)
    _edit(directory / "money.yaml", change)
    with pytest.raises(PatternFileError) as info:
        load_patterns.__wrapped__(str(directory))
    error = info.value
    assert error.path.endswith("money.yaml") and error.key == key
    assert message in str(error) and "money-" in str(error)


def test_lexicon_rejects_unknown_keys(tmp_path):
    directory = _copy_patterns(tmp_path)
    _edit(directory / "lexicon.yaml", lambda d: d["SCALE"].update(example="x"))
    with pytest.raises(PatternFileError, match="lexicon.yaml: entry 'SCALE', key 'example'"):
        load_patterns.__wrapped__(str(directory))


GATED = [(p, ex) for p in PATTERNS if p.gate for ex in p.match]


@pytest.mark.parametrize("item", GATED, ids=[_id(i) for i in GATED])
def test_a_gated_pattern_still_matches_its_examples_inside_the_gate_windows(item):
    """A gate must never hide a match: every example of a gated pattern is found when
    the pattern runs only in its gate's windows."""
    pattern, example = item
    gate = load_patterns().gates[pattern.gate]
    text = example["text"]
    if gate.anchored:
        found = [m.group(0) for lo, hi in gate.windows(text) for m in [pattern.regex.match(text, lo, hi)] if m]
    else:
        found = [m.group(0) for lo, hi in gate.windows(text) for m in pattern.regex.finditer(text, lo, hi)]
    assert example.get("span", example["text"]) in found


def test_gates_reject_unknown_keys_and_names(tmp_path):
    directory = _copy_patterns(tmp_path)
    _edit(directory / "count.yaml", lambda d: next(e for e in d["patterns"] if e.get("gate")).update(gate="nope"))
    with pytest.raises(PatternFileError, match="key 'gate': names no gate"):
        load_patterns.__wrapped__(str(directory))


# --- one loader for every data file ------------------------------------------------------------------

def test_every_data_file_of_patterns_has_a_loader_and_validates():
    from kcextract.patterns import DATA_FILES, PATTERN_DIR, validate_data_files

    checked = validate_data_files()
    assert set(checked) == {p.name for p in PATTERN_DIR.glob("*.yaml")} <= set(DATA_FILES)
    assert {"dates.yaml", "boilerplate.yaml", "frames.yaml"} <= set(checked)


@pytest.mark.parametrize("name, breakage, expected", [
    ("dates.yaml", "  - id: broken\n    regex: '('\n", "entry 'broken', key 'regex'"),
    ("dates.yaml", "  - id: typo\n    regx: 'x'\n", "entry 'typo', key 'regx'"),
    ("frames.yaml", "  EMPTY:\n    note: x\n    example: y\n    values: []\n", "entry 'EMPTY', key 'values'"),
    ("lexicon.yaml", "BAD: [1, 2\n", "not valid YAML"),
])
def test_a_broken_data_file_stops_start_up_naming_file_and_entry(tmp_path, monkeypatch, name, breakage, expected):
    import shutil

    from click.testing import CliRunner

    from kcextract import dates, patterns
    from kcextract.cli import cli

    for f in patterns.PATTERN_DIR.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    with open(tmp_path / name, "a", encoding="utf-8") as fh:
        fh.write(breakage)
    monkeypatch.setattr(patterns, "PATTERN_DIR", tmp_path)
    monkeypatch.setattr(dates, "DATA_FILE", tmp_path / "dates.yaml")
    for loader in (patterns.load_patterns, dates.date_formats):
        loader.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["extract", "-"], input="48 cơ sở")
        assert result.exit_code != 0
        assert name in result.output and expected in result.output, result.output
    finally:
        for loader in (patterns.load_patterns, dates.date_formats):
            loader.cache_clear()


def test_a_data_file_without_a_loader_is_refused(tmp_path):
    from kcextract.exceptions import PatternFileError
    from kcextract.patterns import validate_data_files

    (tmp_path / "stray.yaml").write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(PatternFileError, match="stray.yaml"):
        validate_data_files(tmp_path)


def test_matches_at_starts_resumes_after_each_match_as_finditer_does():
    """Adjacent matches are all found, a start inside a match is skipped, and a text that
    cannot be case-folded in place is scanned whole."""
    import re

    import regex

    from kcextract.starts import matches_at_starts

    pattern, scanners = regex.compile("ab|ba"), (re.compile("a|b"),)
    for text in ("abab", "aba", "xxbaab", "ß abab"):
        assert [m.span() for m in matches_at_starts(pattern, scanners, text)] == \
            [m.span() for m in pattern.finditer(text)], text


def test_a_pattern_cannot_have_both_a_gate_and_starts(tmp_path):
    """Only `starts`, and only on an anchored gate, are checked at a gate's hits; a window
    of a gate that is not anchored has no start to check."""
    directory = _copy_patterns(tmp_path)
    _edit(directory / "project.yaml", lambda d: next(e for e in d["patterns"] if e.get("gate") == "project-word-in-parens")
          .update(starts=["\\d"]))       # (a gate that is not anchored)
    with pytest.raises(PatternFileError, match="key 'starts'"):
        load_patterns.__wrapped__(str(directory))
    directory = _copy_patterns(tmp_path / "again")
    _edit(directory / "count.yaml", lambda d: next(e for e in d["patterns"] if e["id"] == "count-known-noun")
          .update(number_then=["{COUNT_UNIT}"]))
    with pytest.raises(PatternFileError, match="key 'number_then'"):
        load_patterns.__wrapped__(str(directory))


def test_starts_of_a_gated_pattern_are_checked_at_its_gate_hits():
    """A gated pattern's starts leave out the hits where it cannot begin, and no other."""
    from kcextract.extractor import _matches

    patterns = load_patterns()
    glued = next(p for p in patterns.patterns if p.id == "count-glued")
    assert glued.gate and glued.starts
    text = "hỗ trợ 48 cơ sở và 32 cơ sởcông nghiệp; Chương trình đã hỗ trợ48 cơ sở với 5 hội viên"
    windows: dict = {}
    found = [m.group(0) for m in _matches(glued, text, patterns.gates, windows)]
    assert found == ["32 cơ sở", "48 cơ sở"] == [m.group(0) for m in glued.regex.finditer(text)]
    assert len(windows[glued.gate]) > len(found)        # the gate's hits the starts left out
    assert all(glued.gate_starts.match(text.casefold(), m.start()) for m in glued.regex.finditer(text))


def test_the_starts_of_a_gated_pattern_must_join_as_one_alternation(tmp_path):
    """They are checked at each of the gate's hits in one call: a start with a flag of its own
    (which cannot stand inside an alternation) is refused at load time."""
    directory = _copy_patterns(tmp_path)
    _edit(directory / "count.yaml", lambda d: next(e for e in d["patterns"] if e["id"] == "count-glued")
          .update(starts=[*next(e for e in d["patterns"] if e["id"] == "count-glued")["starts"], "(?s)\\d"]))
    with pytest.raises(PatternFileError, match="count-glued.*key 'starts': the starts of a gated pattern must join"):
        load_patterns.__wrapped__(str(directory))


def test_starts_that_miss_where_an_example_matches_are_refused(tmp_path):
    directory = _copy_patterns(tmp_path)
    _edit(directory / "blockers.yaml",
          lambda d: next(e for e in d["patterns"] if e["id"] == "web-address").update(starts=["www\\."]))
    with pytest.raises(PatternFileError, match="key 'starts': misses where"):
        load_patterns.__wrapped__(str(directory))


def test_prefilters_try_every_kind_of_candidate_and_resume_as_finditer_does():
    """``starts`` (where a match begins), ``starts_after`` (where a label before it ends) and
    ``number_then`` (a number followed by a word) together find what ``finditer`` finds, and
    nothing a prefilter does not let through is tried."""
    import re

    import regex

    from kcextract.starts import matches_at_starts

    pattern = regex.compile(r"(?<=số\s)\d+|\d+\s*tỷ|http\S+", regex.IGNORECASE)
    text = "Số 12 và 5 tỷ, 7 TỶ tại http://a.vn; 3 người, số 4"
    found = matches_at_starts(pattern, (re.compile("http"),), text, (re.compile(r"số\s"),), ("tỷ",))
    assert [m.group(0) for m in found] == [m.group(0) for m in pattern.finditer(text)]
    assert [m.group(0) for m in matches_at_starts(pattern, (), text, (), ("tỷ",))] == ["5 tỷ", "7 TỶ"]


def test_a_number_is_filed_under_what_follows_it():
    from kcextract.starts import number_index, numbers_before

    folded = "hỗ trợ 56.147 triệu đồng, 6,7 tỷ; 48 cơ sở và 12tr"
    index = number_index(folded)
    assert numbers_before(index, ("triệ",)) == [folded.index("56")]
    assert numbers_before(index, ("tỷ", "cơ")) == [folded.index("6,7"), folded.index("48")]
    assert numbers_before(index, ("tr",)) == [folded.index("56"), folded.index("12")]
    assert numbers_before(index, ("[a-s]",)) == [folded.index("48")]       # 'cơ', not 'triệu', 'tỷ', 'tr'
    assert numbers_before(index, ("[a-s]", "tr")) == [folded.index("56"), folded.index("48"), folded.index("12")]


def test_a_gate_may_begin_at_the_last_digit_of_a_number():
    import re

    import regex

    from kcextract.starts import matches_at_starts

    pattern = regex.compile(r"\d\s*(?:-|đến)\s*\d")
    text = "từ 1.250 - 1.300 và 5 đến 7, 2019-2020; 3-4"
    found = matches_at_starts(pattern, (), text, (), (), {}, ("-", "đến"))
    assert [m.group(0) for m in found] == [m.group(0) for m in pattern.finditer(text)]


@pytest.mark.parametrize("file, entry, change, key, message", [
    ("blockers.yaml", "duration", {"number_then": ["5 năm"]}, "number_then", "begins with a digit"),
    ("blockers.yaml", "duration", {"number_then": ["{NO_SUCH_LIST}"]}, "number_then", "names no list"),
    ("blockers.yaml", "duration", {"number_then": ["tuổi"]}, "number_then", "misses where"),
    ("count.yaml", "count-segmented-noun", {"number_then": ["[0-9a-z]"]}, "number_then", "holds a digit"),
    ("count.yaml", "count-segmented-noun", {"number_then": ["[z-a]"]}, "number_then", "is no character class"),
    ("blockers.yaml", "site-counter", {"starts_after": ["lượt\\s+xem:"]}, "starts_after", "misses where"),
    ("blockers.yaml", "site-counter", {"starts_after": ["(unclosed"]}, "starts_after", "does not compile"),
    ("gates.yaml", "number-range", {"number_ends_then": ["đến"]}, "number_ends_then", "misses where"),
    ("gates.yaml", "number-then-percent", {"number_then": ["phần"]}, "number_then", "misses where"),
])
def test_prefilters_that_are_malformed_or_miss_an_example_are_refused(tmp_path, file, entry, change, key, message):
    directory = _copy_patterns(tmp_path)
    top = "gates" if file == "gates.yaml" else "patterns"
    _edit(directory / file, lambda d: next(e for e in d[top] if e["id"] == entry).update(change))
    with pytest.raises(PatternFileError, match=f"key '{key}': .*{message}"):
        load_patterns.__wrapped__(str(directory))


def test_a_list_shaped_as_a_trie_matches_as_its_alternation():
    """Where the loader writes a lexicon list as a trie, it finds what the longest-first
    alternation finds, with and without IGNORECASE, on every article of the project (followed
    by a word boundary or by nothing, so that the order of the words tried shows too)."""
    import regex

    from kcextract.patterns import list_regex

    lexicon = load_patterns().lexicon
    assert list_regex(["DN", "dn thành viên", "cơ sở"]) is None          # 'DN' and 'dn…' differ in case only
    tried = [name for name, words in lexicon.lists.items() if list_regex(words)]
    assert "COUNT_UNIT" in tried and "SCALE" in tried
    texts = [text for _, text in _project_texts()]
    for name in tried:
        for flags in (regex.VERSION0, regex.VERSION0 | regex.IGNORECASE):
            for tail in ("", r"(?!\w)"):
                flat = regex.compile(r"(?<!\w)" + lexicon.alternation(name) + tail, flags)
                trie = regex.compile(r"(?<!\w)" + list_regex(lexicon.lists[name]) + tail, flags)
                for text in texts:
                    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)], name


def test_a_list_in_a_look_behind_stays_an_alternation():
    """The regex engine reads a look-behind backwards, where a trie is slower: the loader
    tells a reference inside one (not fooled by a class, an escape or a comment)."""
    from kcextract.patterns import _in_lookbehind

    source = "(?=\\d)(?<=(?<!\\w)số\\s+{A}[^)(]{0,3}:)(?P<num>{B})  # a (comment {C}\n (?<!x{D}) [\\]]{E} (?<=[(]{F})"
    inside = {name: _in_lookbehind(source, source.index("{" + name + "}")) for name in "ABCDEF"}
    assert inside == {"A": True, "B": False, "C": False, "D": True, "E": False, "F": True}
    pattern = next(p for p in load_patterns().patterns if p.id == "count-noun-before-number")
    assert load_patterns().lexicon.alternation("COUNT_UNIT") in pattern.regex.pattern    # inside its look-behind


def _claimed_like_the_extractor(text: str) -> bytearray:
    """A mask of claimed spans as the extractor leaves it: every figure of the text, and
    every match of the blockers, taken."""
    from kcextract.extractor import extract_figures

    mask = bytearray(len(text) + 1)
    for figure in extract_figures(text):
        mask[figure.start:max(figure.end, figure.start + 1)] = b"\x01" * (max(figure.end, figure.start + 1) - figure.start)
    for pattern in PATTERNS:
        if pattern.kind == "blocked":
            for m in pattern.regex.finditer(text):
                mask[m.start():max(m.end(), m.start() + 1)] = b"\x01" * (max(m.end(), m.start() + 1) - m.start())
    return mask


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.gate or p.starts or p.number_then], ids=lambda p: p.id)
def test_matches_left_out_in_claimed_text_change_no_other_match(pattern):
    """Given the spans taken, a pattern leaves out matches that would start in one (the
    extractor refuses them anyway) only where that moves no other match: over every whole
    article, the matches that start outside the taken spans are those of a full scan."""
    from kcextract.extractor import _matches

    gates = load_patterns().gates
    for name, text in _project_texts()[::3]:
        claimed = _claimed_like_the_extractor(text)
        full = [m.span() for m in pattern.regex.finditer(text) if m.end() > m.start()]
        found = [m.span() for m in _matches(pattern, text, gates, {}, claimed)]
        assert [s for s in found if not claimed[s[0]]] == [s for s in full if not claimed[s[0]]], name
        assert set(found) <= set(full), name


def test_a_run_of_claimed_candidates_is_left_out_only_when_it_cannot_reach_the_next():
    """A match at a claimed position moves the scan to its end: the run is left out only
    when none could reach past the next candidate (positions bounded by the reach of the
    run's last one, windows by the furthest end of the run's windows)."""
    from kcextract.starts import claimed_run

    claimed = bytearray(b"\x01" * 10 + b"\x00" * 30)
    fixed = [2, 6, 12, 30]
    assert claimed_run(fixed, 0, claimed, reach=lambda at: at + 3) == (2, True)     # ends by 9 <= 12
    assert claimed_run(fixed, 0, claimed, reach=lambda at: at + 7) == (2, False)    # 6 + 7 > 12
    assert claimed_run([2, 6], 0, claimed, reach=lambda at: 99) == (2, True)        # nothing after it
    assert claimed_run([2, 9, 10], 0, claimed, reach=lambda at: at) == (2, True)    # one past 9 is 10
    ends = [14, 8, 20, 40]                                  # windows: a match ends by its window's end
    assert claimed_run(fixed, 0, claimed, ends) == (2, False)       # the first window ends at 14 > 12
    assert claimed_run(fixed, 1, claimed, ends) == (2, True)


def test_no_pattern_gate_or_period_rule_can_match_an_empty_string(tmp_path):
    """The scans resume at the end of each match: the loader refuses a regex that can match
    an empty string, or one it cannot read to show that it never does."""
    from kcextract.reach import shortest

    assert shortest(r"(?=\d)\d*", 0) == 0 and shortest(r"(?<y>\d)|(?<y>ab)", 0) == 1
    assert shortest(r"(?<y>\d)|(?<y>a)\1", 0) is None         # a numbered reference to a shared name
    for file, pick, regex_source, message in (
            ("count.yaml", "count-known-noun", r"\d*", "can match an empty string"),
            ("gates.yaml", "number-pair", r"(?=\d)", "can match an empty string"),
            ("blockers.yaml", "bare-year", r"\X", "cannot be read")):
        directory = _copy_patterns(tmp_path / file)
        key = "gates" if file == "gates.yaml" else "patterns"
        _edit(directory / file, lambda d: next(e for e in d[key] if e["id"] == pick).update(regex=regex_source))
        with pytest.raises(PatternFileError, match=f"{pick}.*key 'regex': {message}"):
            load_patterns.__wrapped__(str(directory))


def test_how_far_a_match_can_reach_is_read_from_its_regex():
    """kcextract/reach.py: the segmented count and the bare year consume digits, dots and
    commas only (their look-arounds read the rest): their matches end where such a run ends;
    a regex that consumes any character has no bound."""
    from kcextract.reach import BEYOND, consumed_run, reach

    by_id = {p.id: p for p in PATTERNS}
    segmented = consumed_run(by_id["count-segmented-noun"].regex.pattern, by_id["count-segmented-noun"].regex.flags)
    assert reach(segmented, "có 1.250,5 giải pháp", 3) == 10
    scaled = consumed_run(by_id["count-scaled-any-noun"].regex.pattern, by_id["count-scaled-any-noun"].regex.flags)
    assert reach(scaled, "45,2 triệu cổ phần", 0) == 11           # the run stops at 'c'
    assert reach(scaled, "45,2 triệu " * 10, 0) == BEYOND            # not followed past LIMIT
    for pattern_id in ("full-date", "project-quoted"):
        assert consumed_run(by_id[pattern_id].regex.pattern, by_id[pattern_id].regex.flags) is None
    assert consumed_run(r"\d+[^x]", 0) is None and consumed_run(r"(\d)\1", 0) is None
    for pattern in PATTERNS:                      # read once at load time, kept with the pattern
        expected = consumed_run(pattern.regex.pattern, pattern.regex.flags)
        assert (pattern.run and (pattern.run.pattern, pattern.run.flags)) == \
               (expected and (expected.pattern, expected.flags)), pattern.id
    run = consumed_run(r"(?<=\p{L}\s)(?>\d{1,3}(?:\.\d{3})+)[\p{Lu}]", 0)
    assert reach(run, "A 1.234Ab c", 2) == 9 and reach(run, "A 1.234 c", 2) == 7    # (any case: wider)


def test_a_claimed_window_whose_match_covers_the_next_hit_is_still_tried():
    """'1 tỷ 200 triệu 5 nghìn đồng' is one amount from '1': with '1' claimed, its match is
    refused, but it still covers the hit at '200', which a scan of the whole text never
    tries (leaving '1' out would find '200 triệu 5 nghìn đồng')."""
    from kcextract.extractor import _matches

    patterns = load_patterns()
    compound = next(p for p in patterns.patterns if p.id == "money-compound")
    text = "chi 1 tỷ 200 triệu 5 nghìn đồng"
    claimed = bytearray(len(text) + 1)
    claimed[4] = 1
    assert [m.group(0) for m in compound.regex.finditer(text)] == ["1 tỷ 200 triệu 5 nghìn đồng"]
    assert [m.group(0) for m in compound.regex.finditer(text, text.index("200"))] == ["200 triệu 5 nghìn đồng"]
    found = [m.group(0) for m in _matches(compound, text, patterns.gates, {}, claimed)]
    assert found == ["1 tỷ 200 triệu 5 nghìn đồng"]
