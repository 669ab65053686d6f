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
