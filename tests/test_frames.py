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
