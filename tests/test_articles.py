"""The blind evaluation set (tests/articles/): twelve hand-annotated articles the extractor was never tuned on.

The gold must stay valid and self-consistent, and the extractor must stay above a per-kind F1 floor on it.
The floors are regression guards, not targets; the current scores are in tests/articles/README.md.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

import kcextract
from kcextract.evaluate import Score, add_scores, micro, score
from kcextract.gold import load_gold

ARTICLES = Path(__file__).resolve().parent / "articles"
SYNTHETIC = "synthetic: written for kcextract's blind test set, not a real article"

# Value-level F1 floors over the whole set (micro-averaged over documents).
FLOORS = {"money": 0.90, "percent": 0.90, "count": 0.90, "project": 0.80}
# Kinds below their floor today (strict xfail: once the extractor clears it, the XPASS fails and the
# entry is removed).  Empty since the project fixes of the lead's blind-set round.
KNOWN_BELOW_FLOOR: set = set()


@pytest.fixture(scope="module")
def docs():
    return load_gold(ARTICLES)


@pytest.fixture(scope="module")
def scores(docs) -> dict[str, Score]:
    total: dict[str, Score] = {}
    for doc in docs:
        total = add_scores(total, score(kcextract.extract(doc.text, source=doc.id), doc.mentions))
    return total


def test_the_set_is_twelve_full_length_synthetic_articles(docs):
    assert len(docs) == 12
    for doc in docs:
        assert 1500 <= len(doc.text) <= 5000, doc.id
        assert doc.source == SYNTHETIC, doc.id
        assert urlparse(doc.url).hostname == "example.invalid", doc.id
        assert doc.mentions and doc.path.stem == doc.id


def test_every_kind_and_check_kind_is_represented(docs):
    kinds = {m["kind"] for d in docs for m in d.mentions}
    assert kinds == {"money", "percent", "count", "project"}
    check_kinds = {c["kind"] for d in docs for c in d.checks}
    assert check_kinds == {"ratio", "share", "growth", "difference", "sum", "count_list"}
    wrong = [(d.id, c["claim_text"]) for d in docs for c in d.checks if not c["consistent"]]
    assert len(wrong) >= 5, "the deliberate arithmetic errors are annotated inconsistent"


def test_hard_forms_are_in_the_gold(docs):
    """The set exists to exercise these; losing one in an edit would weaken it silently."""
    texts = {(m["kind"], m["text"]) for d in docs for m in d.mentions}
    for expected in [("money", "1.5 tỷ đồng"), ("money", "1,200 USD"), ("percent", "12.5%"),
                     ("percent", "15\u00a0%"), ("money", "1 tỷ 200 triệu đồng"), ("money", "200 nghìn đồng"),
                     ("count", "mười hai cơ sở"), ("count", "05/11 huyện, thành phố"), ("money", "300")]:
        assert expected in texts, expected
    # Boilerplate and non-figures stay out: page counters, phone numbers, addresses, ages.
    for d in docs:
        for m in d.mentions:
            assert not re.search(r"Lượt xem|truy cập|Điện thoại|tuổi|Số 12, đường", d.text[m["start"] - 20:m["end"] + 6])


def _decimals(claim: str) -> int:
    number = claim.rstrip("%\u00a0 ")
    return len(re.split(r"[.,]", number)[1]) if re.search(r"[.,]\d+$", number) else 0


def test_check_annotations_recompute_from_their_operands(docs):
    """expected follows from the operand mentions' values; consistent follows from the reported precision."""
    for doc in docs:
        by_span = {(m["start"], m["end"]): m for m in doc.mentions}
        claims = {m["start"]: m for m in doc.mentions}
        for c in doc.checks:
            label = (doc.id, c["claim_text"])
            if c["kind"] == "count_list":
                assert c["expected"] == len(c["operands"]), label
                assert c["consistent"] == (c["reported"] == c["expected"]), label
                continue
            values = [by_span[tuple(s)]["value"] for s in c["operand_spans"]]
            claim = claims[c["claim_start"]]
            if c["kind"] in ("ratio", "share", "growth"):
                x, y = values
                expected = x / y * 100 - (100 if c["kind"] == "growth" else 0)
                assert round(expected, 2) == pytest.approx(c["expected"], abs=0.006), label
                agrees = abs(expected - c["reported"]) <= 0.5 * 10 ** -_decimals(c["claim_text"]) + 1e-9
            else:  # sum / difference, reported in the claim's own unit (e.g. triệu đồng)
                total = sum(values) if c["kind"] == "sum" else values[0] - values[1]
                scale = claim["value"] / c["reported"]
                assert total / scale == pytest.approx(c["expected"]), label
                agrees = total == pytest.approx(claim["value"])
            if claim["qualifier"] == "exact":
                assert agrees == c["consistent"], label
            elif claim["qualifier"] == "over":  # 'hơn X': consistent when the recomputed value exceeds X
                assert c["consistent"] == (c["expected"] > c["reported"]), label


@pytest.mark.parametrize("kind", [
    pytest.param(k, marks=pytest.mark.xfail(strict=True, reason="below floor today, see README"))
    if k in KNOWN_BELOW_FLOOR else k
    for k in FLOORS
])
def test_extractor_meets_the_floor_on_the_blind_set(scores, kind):
    s = scores[kind]
    assert s.f1 >= FLOORS[kind], f"{kind}: F1 {s.f1:.3f} (tp {s.tp}, fp {s.fp}, fn {s.fn}) < {FLOORS[kind]}"


def test_extractor_overall_f1_on_the_blind_set(scores):
    assert micro(scores).f1 >= 0.93
