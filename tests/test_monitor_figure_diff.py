"""Figure diffs between two versions of an article, on real extractor output.

Each example is (old text, new text, expected changes as (change, text, old_value, new_value)).
"""
from __future__ import annotations

import pytest

import kcextract
from kcextract.monitor.figure_diff import diff_figures, snapshot

BASE = ("Năm 2026, tỉnh đã hỗ trợ 50 cơ sở công nghiệp nông thôn. Tổng kinh phí khuyến công là "
        "5.200 triệu đồng, trong đó kinh phí khuyến công quốc gia 3.000 triệu đồng.")

EXAMPLES = [
    pytest.param(BASE, BASE, [], id="same text"),
    pytest.param(BASE, BASE.replace("5.200 triệu đồng", "5,2 tỷ đồng"), [], id="same amount, other words"),
    pytest.param(BASE, BASE.replace("5.200 triệu", "5.400 triệu"),
                 [("changed", "5.400 triệu đồng", 5200000000, 5400000000)], id="a corrected total"),
    pytest.param(BASE, BASE.replace("50 cơ sở", "52 cơ sở").replace("3.000 triệu", "3.200 triệu"),
                 [("changed", "52 cơ sở", 50, 52), ("changed", "3.200 triệu đồng", 3000000000, 3200000000)],
                 id="two corrections"),
    pytest.param(BASE, BASE + " Kinh phí đối ứng của các cơ sở là 1.900 triệu đồng.",
                 [("added", "1.900 triệu đồng", None, 1900000000)], id="a sentence added"),
    pytest.param(BASE, BASE.replace(", trong đó kinh phí khuyến công quốc gia 3.000 triệu đồng", ""),
                 [("removed", "3.000 triệu đồng", 3000000000, None)], id="a figure removed"),
    pytest.param(BASE, "Cập nhật: " + BASE.replace("Năm 2026, tỉnh", "Trong năm 2026, tỉnh"), [],
                 id="words edited around unchanged figures"),
]


@pytest.mark.parametrize("old, new, expected", EXAMPLES)
def test_diff_of_two_versions(old, new, expected):
    changes = diff_figures(snapshot(kcextract.extract(old)), snapshot(kcextract.extract(new)))
    assert [(c["change"], c["text"], c["old_value"], c["new_value"]) for c in changes] == expected


def test_a_changed_figure_keeps_its_label_and_old_wording():
    [change] = diff_figures(snapshot(kcextract.extract(BASE)),
                            snapshot(kcextract.extract(BASE.replace("5.200 triệu", "5.400 triệu"))))
    assert change["old_text"] == "5.200 triệu đồng"
    assert "kinh phí" in change["label"].lower()
