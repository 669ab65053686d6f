"""The verifier's spec as data: every case of ``tests/verifier_spec/*.yaml`` is verified and
must give back exactly its conclusive checks (see ``tests/verifier_spec/README.md``)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kcextract.verifier import verify_text
from kcextract.verifier.check import CHECK_KINDS

SPEC_DIR = Path(__file__).parent / "verifier_spec"
CASE_KEYS = {"id", "text", "checks", "note"}
CHECK_KEYS = {"kind", "claim", "status", "operands", "expected", "resolved_by", "binding", "cause"}
STATUSES = {"ok", "fail", "none"}


def _load() -> list[dict]:
    cases, seen = [], set()
    for path in sorted(SPEC_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            where = f"{path.name}: {case.get('id', '?')}"
            assert set(case) <= CASE_KEYS and {"id", "text", "checks"} <= set(case), f"{where}: keys {sorted(case)}"
            assert case["id"] not in seen, f"{where}: duplicate id"
            seen.add(case["id"])
            for check in case["checks"]:
                assert set(check) <= CHECK_KEYS and {"kind", "claim", "status"} <= set(check), f"{where}: {check}"
                assert check["kind"] in CHECK_KINDS and check["status"] in STATUSES, f"{where}: {check}"
                for text in [check["claim"], *check.get("operands", [])]:
                    assert text in case["text"], f"{where}: {text!r} is not in the passage"
            cases.append(case)
    return cases


CASES = _load()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_spec_case(case):
    got = [c for c in verify_text(case["text"]) if c.status != "unverifiable"]
    listed = [c for c in case["checks"] if c["status"] != "none"]
    for expected in case["checks"]:
        same = [c for c in got if c.kind == expected["kind"] and c.claim_text == expected["claim"]]
        if expected["status"] == "none":
            assert not same, f"{expected['claim']} must not be concluded: {[c.explanation for c in same]}"
            continue
        if "resolved_by" in expected:
            same = [c for c in same if c.resolved_by == expected["resolved_by"]] or same
        assert same, f"no conclusive {expected['kind']} check on {expected['claim']!r}; got " \
                     f"{[(c.kind, c.claim_text, c.status) for c in got]}"
        check = same[0]
        assert check.status == expected["status"], check.explanation
        if "operands" in expected:
            assert [o.text for o in check.operands] == expected["operands"]
        if "expected" in expected:
            assert abs(Decimal(check.expected) - Decimal(str(expected["expected"]))) <= Decimal("0.01") * max(
                1, abs(Decimal(str(expected["expected"]))) / 100), check.explanation
        for key in ("resolved_by", "binding", "cause"):
            if key in expected:
                assert getattr(check, key) == expected[key], check.explanation
    # Nothing conclusive beyond what the case lists.
    assert len(got) == len(listed), [(c.kind, c.claim_text, c.status, c.explanation) for c in got]
