"""Frames: what is computed once per text (a name after a scope head) is what computing it for
each figure gave."""
from __future__ import annotations

import regex

from kcextract.frames import _SCOPE_NAME, _name_after
from tests.corpus_texts import every_text


def _span(m):
    return (m.start(), m.end(), m.group("name")) if m else None


def test_a_name_matched_once_is_the_name_the_text_cut_at_each_figure_gives():
    texts = ["tỉnh Bắc Kạn 5 tỷ, xã Yên Hân - Chợ Mới, TP.HCM: 3 tỷ, sang Hàn Quốc và EU",
             "tại Công ty TNHH ABC12 cơ sở, của Sở Công Thương"]
    texts += [t for _, t in every_text()[:40]]
    wrong = []
    for text in texts:
        names = {}                      # shared by every cut, as within one text
        heads = [m.end() for m in regex.finditer(r"\w+", text)][:300]
        for at in heads:
            for hi in range(at, min(len(text), at + 60) + 1):
                if _span(_name_after(text, at, hi, names)) != _span(_SCOPE_NAME.match(text, at, hi)):
                    wrong.append((text[at:hi], hi))
    assert wrong == []


def test_find_qualifier_is_the_same_without_its_quick_no(monkeypatch):
    from kcextract import frames
    from kcextract.frames import find_qualifier

    places = [(text, m.start()) for _, text in every_text() for m in regex.finditer(r"\d+", text)]
    quick = [find_qualifier(text, at) for text, at in places]
    monkeypatch.setattr(frames, "_qualifier_last_words", lambda: ("",))     # every window goes to the regex
    assert quick == [find_qualifier(text, at) for text, at in places]
    assert sum(q != "exact" for q, _ in quick) > 100


def test_an_entry_found_on_the_folded_window_is_the_one_regex_finds():
    from kcextract.frames import _ending_regex, _entry_ending

    windows = [text[max(0, m.start() - k):m.start()] for _, text in every_text()
               for m in regex.finditer(r"\d+", text) for k in (15, 30)]
    windows += ["Gần ", "GẦN\xa0", "gần\x1c", "xgần ", "(gần ", "_gần ", "5gần ", "ước   tính\n", "ƯỚC TÍNH ĐẠT KHOẢNG  ",
                "Straße gần ", "ước\x1ctính ", "không\u2003quá", "NHIỀU", "chưa đầy\n\n", "ướcx tính ", "ﬀ gần "]
    found = 0
    for name in ("QUALIFIER", "NOT_QUALIFIER_BEFORE"):
        for window in windows:
            m = _ending_regex(name).search(window)
            assert _entry_ending(name, window) == (m.span("q") if m else None), (name, window)
            found += m is not None
    assert found > 500


def test_the_white_space_of_the_folded_patterns_is_that_of_regex():
    import re

    from kcextract.cue_prefilter import REGEX_SPACE

    bmp = "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF)
    assert re.findall(REGEX_SPACE, bmp) == regex.findall(r"\s", bmp, regex.VERSION0)


def test_the_characters_read_folded_are_read_as_regex_reads_them():
    """What lets _subject run its cue lists with stdlib ``re`` on a case-folded phrase of these
    characters: the same word characters (\\w) before and after folding, one character for one,
    and each letter of the lists matched without case by ``regex`` to those that fold to it."""
    import re

    from kcextract import frames

    chars = frames._FOLDS_AS_REGEX_READS.pattern[1:-2]
    safe = [chr(i) for i in range(0x10000) if not 0xD800 <= i <= 0xDFFF and re.fullmatch(f"[{chars}]", chr(i))]
    assert {"ư", "Đ", "ệ", " ", ",", "“", "%", "₫", "–"} <= set(safe) and "\u0301" not in safe and "²" not in safe

    def word(c):
        return regex.match(r"\w", c, regex.VERSION0) is not None

    wrong = [c for c in safe if len(c.casefold()) != 1 or word(c) != word(c.casefold())
             or (re.match(r"\w", c) is not None) != word(c)]
    words = [w for name in ("LABEL_LEAD", "LABEL_TIME", "LABEL_TAIL") for w in frames._cues().cue_words[name]]
    for letter in {ch for w in words for ch in w.casefold() if not ch.isspace()}:
        wrong += [(letter, c) for c in safe
                  if (regex.match(regex.escape(letter), c, regex.IGNORECASE | regex.VERSION0) is not None)
                  != (c.casefold() == letter)]
    assert wrong == []
    assert [c for c in safe if regex.match(r"\d", c, regex.VERSION0)] == list("0123456789")


# ---------------------------------------------------------------- quick paths, against the plain ones


def _numbers(text: str) -> list:
    return [m.span() for m in regex.finditer(r"\d[\d.,]*", text)]


def _subject_plainly(phrase: str):
    """_subject as first written: every regex run over the whole phrase, the tails scanned again
    after each one is dropped."""
    from kcextract import frames

    cues = frames._cues()
    phrase = " ".join(w.strip("“”\"()") for w in phrase.split()).strip(" ,")
    lead = cues.cue("LABEL_LEAD").match(phrase)
    while lead is not None and lead.end() < len(phrase):
        phrase = phrase[lead.end():].lstrip(" ,")
        lead = cues.cue("LABEL_LEAD").match(phrase)
    phrase = frames._LEADING_NUMBERS.sub("", phrase)
    cut = regex.search(r"\S*\d", phrase)
    time = cues.cue("LABEL_TIME").search(phrase)
    ends = [m.start() for m in (cut, time) if m is not None]
    if ends:
        phrase = phrase[:min(ends)].strip(" ,")
    for _ in range(4):
        tail = frames._last(cues.cue("LABEL_TAIL"), phrase, 0, len(phrase))
        if tail is None or phrase[tail.end():].strip():
            break
        phrase = phrase[:tail.start()].strip(" ,")
    phrase = " ".join(phrase.split()[:10])
    if len(phrase) < 3 or not any(ch.isalpha() for ch in phrase) or cues.cue("LABEL_TAIL").fullmatch(phrase):
        return None
    return phrase


def test_the_subject_of_a_clause_is_the_one_the_plain_reading_gives():
    from kcextract.frames import _subject, clause_start

    phrases = ["4 , doanh thu đạt", "4 , doanh thu là đạt", ", giá trị XK tôm đạt", "giá trị-đạt", "kinh phí là, đạt",
               "Trong đó, giá trị XK tôm 9 tháng năm 2018 đạt", "vốn đăng ký ước đạt khoảng", "đạt", " ",
               "tổng cộng 12 tỷ đồng, chiếm", "doanh thu x2 đạt", "mức ٣ đạt", "TRONG ĐÓ, Doanh Thu NĂM nay ĐẠT",
               "Trong đó\u0301, doanh thu đạt\u0301", "doanh thu² đạt", "doanh thu đạt²", "Straße ĐẠT", "İstanbul đạt",
               "Trong đó,\u200d doanh thu đạt", "doanh thu‿đạt", "ngoài ra ‿ doanh thu tháng‿ ước đạt", "ǰ đạt"]
    for _, text in every_text():
        for start, _ in _numbers(text)[:40]:
            phrases.append(text[clause_start(text, max(0, start - 300), start):start])
    wrong = [p for p in phrases if _subject(p) != _subject_plainly(p)]
    assert wrong == [] and len(phrases) > 2000
    assert sum(_subject(p) is not None for p in phrases) > 500


def _extend_phrase_word_by_word(words, limit=6):
    from kcextract import frames

    stops, _ = frames._stop_words()
    kept, folded = [], [w.casefold() for w in words[:limit + 1]]
    for i, word in enumerate(words[:limit]):
        bare = word.strip(",.;:()“”\"")
        if (not bare or not bare[0].isalpha() or folded[i] in stops
                or i + 1 < len(folded) and folded[i] + " " + folded[i + 1] in stops):
            break
        kept.append(bare)
        if bare != word:
            break
    return kept


def test_a_phrase_is_extended_as_word_by_word():
    from kcextract.frames import _extend_phrase

    cases = []
    for _, text in every_text():
        for _, end in _numbers(text)[:40]:
            cases.append(text[end:end + 200].split(None, 7))
    cases += [["STRASSE", "Straße", "trong", "đó"], ["Trong", "Đó", "x"], ["İzmir", "cơ", "sở"]]
    wrong = [(w, limit) for w in cases for limit in (5, 6) if _extend_phrase(w, limit) != _extend_phrase_word_by_word(w, limit)]
    assert wrong == [] and sum(bool(_extend_phrase(w)) for w in cases) > 1000


def test_the_unit_after_a_rate_is_the_one_both_regexes_give():
    from kcextract.frames import _PER_AFTER, _PER_EACH_AFTER, _per_after

    def spans(m):
        return m and (m.span(), m.group("per"))

    places = [(text, end) for _, text in every_text() for _, end in _numbers(text)]
    places += [(t, 1) for t in ["5 /ha", "5\x1c/ha", "5 \u00a0/ ha", "5 mỗi xã,", "5mỗi xã", "5 \x1cmỗi xã.", "5"]]
    plain = [spans(_PER_AFTER.match(t, e) or _PER_EACH_AFTER.match(t, e)) for t, e in places]
    assert [spans(_per_after(t, e)) for t, e in places] == plain
    assert sum(p is not None for p in plain) > 20


def test_a_change_word_is_found_as_without_the_folded_text(monkeypatch):
    from kcextract import cue_prefilter, frames

    change = frames._cues().cue("CHANGE")
    windows = [(text, max(0, s - 25), s) for _, text in every_text() for s, _ in _numbers(text)]
    windows += [("TĂNG 5", 0, 5), ("xtăng 5", 1, 7), ("Giảm đi 3", 0, 8)]

    def found():
        out = []
        for text, lo, hi in windows:
            m = frames._change_before(text, change, text[lo:hi], lo, hi)
            out.append(m and (m.span(), m.group(0)))
        return out

    quick = found()
    monkeypatch.setattr(cue_prefilter, "folded_in_place", lambda text: None)
    assert quick == found()
    assert sum(q is not None for q in quick) > 100


def test_clause_ends_found_in_order_are_those_found_one_by_one():
    from kcextract.frames import _clause_ends, clause_end
    from kcextract.sentences import SentenceIndex

    wrong, checked = [], 0
    for name, text in every_text():
        sentences, clause_end_of = SentenceIndex(text), _clause_ends(text)
        for start, end in _numbers(text):
            s0, s1 = sentences.around(start)
            if clause_end_of(end, s1) != clause_end(text, end, s1):
                wrong.append((name, end))
            checked += 1
    assert wrong == [] and checked > 3000


def test_frames_are_the_same_without_the_folded_text(monkeypatch):
    """The cue words' quick noes (first words looked for in the case-folded text) change no role."""
    from kcextract import cue_prefilter
    from kcextract.extractor import figures_of

    texts = [t for _, t in every_text()] + ["Tỷ lệ hộ nghèo giảm 2,1%, chiếm 40%; bằng 19,9% cả nước; TĂNG 5 tỷ đồng"]
    quick = [[f.to_dict() for f in figures_of(t).figures] for t in texts]
    monkeypatch.setattr(cue_prefilter, "folded_in_place", lambda text: None)
    assert quick == [[f.to_dict() for f in figures_of(t).figures] for t in texts]
    roles = [f["role"] for doc in quick for f in doc if f.get("role")]
    assert {"growth", "share", "change", "plan", "actual"} <= set(roles)
