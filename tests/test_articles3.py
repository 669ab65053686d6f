"""The third blind set (tests/articles3): gold validity, and the extractor and verifier measured on it.

The set is for measurement only (see tests/articles3/README.md): floors here are deliberately modest and
any failure is recorded as a strict xfail with its reason, never fixed by editing the annotations.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import pytest

from kcextract.gold import load_gold

SET = Path(__file__).parent / "articles3"
FLOORS = {"money": 0.85, "percent": 0.85, "count": 0.85, "project": 0.6}
DELIBERATE_ERRORS = {
    ("a3_02_soctrang_baocao_quy3", "ratio", "65%"),
    ("a3_04_bacgiang_tapchi_sxsh", "share", "48,5%"),
    ("a3_05_ipc2_hoicho_quangnam", "sum", "260 gian hàng"),
    ("a3_06_hanam_langnghe_baotinh", "count_list", "4 làng nghề"),
    ("a3_07_lamdong_chuyendoiso_trang", "growth", "46%"),
}


@functools.lru_cache(maxsize=None)
def _docs():
    return tuple(load_gold(SET))


def test_the_set_loads_and_is_marked_synthetic():
    docs = _docs()
    assert len(docs) == 10
    for doc in docs:
        assert 1500 <= len(doc.text) <= 4500, doc.id
        assert doc.source.startswith("synthetic:"), doc.id
        assert "example.invalid" in doc.url, doc.id
        assert doc.mentions and doc.checks, doc.id


def _decimals(claim: str) -> int:
    number = re.sub(r"[^\d,]", "", claim.split("%")[0])
    return len(number.split(",")[1]) if "," in number else 0


def test_every_check_recomputes_from_its_operands():
    """expected follows from the annotated operands, and consistent from expected vs reported."""
    for doc in _docs():
        by_span = {(m["start"], m["end"]): m for m in doc.mentions}
        for c in doc.checks:
            where = (doc.id, c["claim_text"])
            if c["kind"] == "count_list":
                expected = len(c["operands"])
                agrees = expected == c["reported"]
            else:
                values = [by_span[tuple(s)]["value"] for s in c["operand_spans"]]
                if c["kind"] == "sum":
                    expected = sum(values)
                elif c["kind"] == "difference":
                    expected = values[0] - values[1]
                else:
                    expected = values[0] / values[1] * 100 - (100 if c["kind"] == "growth" else 0)
                if c["kind"] in ("ratio", "share", "growth"):
                    agrees = abs(expected - c["reported"]) <= 0.5 * 10 ** -_decimals(c["claim_text"]) + 1e-9
                else:
                    agrees = math.isclose(expected, c["reported"], rel_tol=1e-9)
            assert round(expected, 2) == pytest.approx(c["expected"], abs=0.006), where
            assert agrees == c["consistent"], where


def test_the_deliberate_errors_are_the_only_inconsistent_checks():
    wrong = {(d.id, c["kind"], c["claim_text"]) for d in _docs() for c in d.checks if not c["consistent"]}
    assert wrong == DELIBERATE_ERRORS


@functools.lru_cache(maxsize=None)
def _evaluation():
    import kcextract
    from kcextract.evaluate import evaluate_corpus

    return evaluate_corpus(list(_docs()), kcextract.extract)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_extractor_value_f1_floor(kind):
    result = _evaluation()
    f1 = result.value[kind].f1
    misses = [f"{e['doc']} {e['type']} {e['text']!r}" for e in result.errors if e["kind"] == kind]
    assert f1 >= FLOORS[kind], f"{kind} F1 {f1:.3f} < {FLOORS[kind]}:\n" + "\n".join(misses)


def _overlaps(a_start, a_end, b_start, b_end):
    return a_start < b_end and b_start < a_end


def test_verifier_raises_no_false_alarm():
    """A predicted 'fail' must sit on a gold check of the same kind that the gold marks inconsistent."""
    import kcextract

    alarms = []
    for doc in _docs():
        for check in kcextract.verify(doc.text, source=doc.id):
            if check.status != "fail":
                continue
            gold = [g for g in doc.checks if g["kind"] == check.kind
                    and _overlaps(check.claim_start, check.claim_end, g["claim_start"], g["claim_end"])]
            if not gold or all(g["consistent"] for g in gold):
                alarms.append(f"{doc.id} {check.kind} {check.claim_text!r}: {check.explanation}")
    assert not alarms, "false alarms:\n" + "\n".join(alarms)
