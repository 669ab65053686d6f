"""The scorer: hits, wrong values, non-overlaps, duplicates, checks, and the ``evaluate`` command."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

import kcextract
from kcextract.cli import cli
from kcextract.evaluate import Score, micro, score, score_checks, span_score
from kcextract.figure import Figure

TEXT = ("Tổng kinh phí là 56.147 triệu đồng, đạt 93,71% so với kế hoạch (59.913 triệu đồng), "
        "hỗ trợ 48 cơ sở; Đề án “Hỗ trợ ứng dụng máy móc”.")


def _span(text):
    start = TEXT.index(text)
    return start, start + len(text)


def gold(kind, text, value, **extra):
    start, end = _span(text)
    return {"kind": kind, "text": text, "start": start, "end": end, "value": value, **extra}


def fig(kind, text, value=None, shift=0, cut=0):
    start, end = _span(text)
    start, end = start + shift, end + shift - cut
    return Figure(kind=kind, text=TEXT[start:end], start=start, end=end,
                  value=None if value is None else Decimal(str(value)))


GOLD = [
    gold("money", "56.147 triệu đồng", 56147000000, currency="VND", unit="VND"),
    gold("percent", "93,71%", 93.71, unit="%"),
    gold("money", "59.913 triệu đồng", 59913000000, currency="VND", unit="VND"),
    gold("count", "48 cơ sở", 48, unit="cơ sở"),
    gold("project", "Đề án “Hỗ trợ ứng dụng máy móc”", None, name="Hỗ trợ ứng dụng máy móc"),
]


def test_exact_predictions_score_perfectly():
    predicted = [fig("money", "56.147 triệu đồng", "56147000000"), fig("percent", "93,71%", "93.71"),
                 fig("money", "59.913 triệu đồng", "59913000000"), fig("count", "48 cơ sở", 48),
                 fig("project", "Đề án “Hỗ trợ ứng dụng máy móc”")]
    scores = score(predicted, GOLD)
    assert {k: (s.tp, s.fp, s.fn) for k, s in scores.items()} == {
        "money": (2, 0, 0), "percent": (1, 0, 0), "count": (1, 0, 0), "project": (1, 0, 0)}
    assert micro(scores).f1 == 1.0


def test_a_partial_span_still_hits_when_value_agrees():
    # "56.147 triệu" (without "đồng") overlaps the gold span and has the right value.
    predicted = [fig("money", "56.147 triệu đồng", "56147000000", cut=5)]
    assert predicted[0].text == "56.147 triệu"
    assert score(predicted, GOLD)["money"] == Score(tp=1, fp=0, fn=1)


def test_wrong_value_is_a_false_positive_and_a_miss_but_a_span_hit():
    predicted = [fig("money", "56.147 triệu đồng", "56147000")]  # read as thousands, not millions
    assert score(predicted, GOLD)["money"] == Score(tp=0, fp=1, fn=2)
    assert span_score(predicted, GOLD)["money"] == Score(tp=1, fp=0, fn=1)


def test_value_tolerance_is_relative():
    assert score([fig("percent", "93,71%", "93.7100001")], GOLD)["percent"].tp == 1
    assert score([fig("percent", "93,71%", "93.72")], GOLD)["percent"].tp == 0


def test_a_non_overlapping_prediction_does_not_hit():
    # Right kind and value, but placed on "so với" after the percent: no overlap.
    start = TEXT.index("so với")
    stray = Figure(kind="percent", text="so với", start=start, end=start + 6, value=Decimal("93.71"))
    assert score([stray], GOLD)["percent"] == Score(tp=0, fp=1, fn=1)


def test_wrong_kind_does_not_hit():
    predicted = [fig("count", "93,71%", "93.71")]
    scores = score(predicted, GOLD)
    assert scores["count"] == Score(tp=0, fp=1, fn=1) and scores["percent"] == Score(tp=0, fp=0, fn=1)


def test_a_duplicate_prediction_counts_once():
    predicted = [fig("count", "48 cơ sở", 48), fig("count", "48 cơ sở", 48, cut=6)]
    assert score(predicted, GOLD)["count"] == Score(tp=1, fp=1, fn=0)


def test_matching_prefers_the_larger_overlap():
    # Two gold counts side by side; the long prediction belongs to the first, the short one to the second.
    text = "có 12 giải pháp 3 người"
    g = [{"kind": "count", "text": "12 giải pháp", "start": 3, "end": 15, "value": 12},
         {"kind": "count", "text": "3 người", "start": 16, "end": 23, "value": 3}]
    wide = Figure(kind="count", text=text[3:17], start=3, end=17, value=Decimal(12))
    assert score([wide], g)["count"] == Score(tp=1, fp=0, fn=1)


def test_empty_inputs():
    assert all(s == Score() for s in score([], []).values())
    assert score([], GOLD)["money"] == Score(tp=0, fp=0, fn=2)
    assert score([fig("count", "48 cơ sở", 48)], [])["count"] == Score(tp=0, fp=1, fn=0)
    assert micro(score([], GOLD)).recall == 0.0


def test_predictions_as_jsonl_dicts_are_accepted():
    record = fig("count", "48 cơ sở", 48).to_dict()
    assert score([record], GOLD)["count"].tp == 1


GOLD_CHECKS = [
    {"kind": "ratio", "claim_text": "93,71%", "claim_start": TEXT.index("93,71%"), "operands": ["56.147 triệu đồng"],
     "reported": 93.71, "expected": 93.71, "consistent": True},
    {"kind": "share", "claim_text": "48 cơ sở", "claim_start": TEXT.index("48 cơ sở"), "operands": ["48 cơ sở"],
     "reported": 48, "expected": 40, "consistent": False},
]


def check(kind, claim, consistent, status=None):
    start = TEXT.index(claim)
    status = status or ("ok" if consistent else "fail")
    return {"kind": kind, "claim_text": claim, "claim_start": start, "claim_end": start + len(claim),
            "consistent": consistent, "status": status}


def test_score_checks_matches_by_kind_and_claim_span():
    result = score_checks([check("ratio", "93,71%", True), check("share", "48 cơ sở", False)], GOLD_CHECKS)
    assert result.detection == Score(tp=2, fp=0, fn=0)
    assert (result.agree, result.disagree, result.false_alarms, result.missed_errors) == (2, 0, [], [])


def test_score_checks_reports_false_alarms_and_missed_errors():
    predicted = [check("ratio", "93,71%", False), check("sum", "59.913 triệu đồng", False),
                 check("share", "48 cơ sở", None, status="unverifiable")]
    result = score_checks(predicted, GOLD_CHECKS)
    assert result.detection == Score(tp=1, fp=1, fn=1)
    assert (result.agree, result.disagree) == (0, 1)
    assert [c["claim_text"] for c in result.false_alarms] == ["93,71%", "59.913 triệu đồng"]
    assert [c["claim_text"] for c in result.missed_errors] == ["48 cơ sở"]


def test_score_checks_needs_the_same_kind():
    result = score_checks([check("share", "93,71%", True)], GOLD_CHECKS)
    assert result.detection == Score(tp=0, fp=1, fn=2)


def _tiny_corpus(tmp_path):
    doc = {"id": "tiny", "url": "seed:tiny", "source": "test", "text": TEXT, "mentions": GOLD,
           "checks": GOLD_CHECKS}
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "tiny.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def _half_right_extractor(text, source=None):
    """Finds the first money amount and the percent, and misreads the count."""
    assert source == "tiny"
    return [fig("money", "56.147 triệu đồng", "56147000000"), fig("percent", "93,71%", "93.71"),
            fig("count", "48 cơ sở", 4)]


def test_evaluate_command_prints_tables_and_details(tmp_path, monkeypatch):
    monkeypatch.setattr(kcextract, "extract", _half_right_extractor)
    result = CliRunner().invoke(cli, ["evaluate", str(_tiny_corpus(tmp_path)), "--details"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "1 gold document" in out and "Spans only" in out
    money_row = next(line for line in out.splitlines() if line.strip("│┃ ").startswith("money"))
    assert "1.000" in money_row and "0.500" in money_row  # precision 1, recall 0.5
    assert "59.913 triệu đồng" in out  # the missed mention is listed with its sentence
    assert "(gold 48)" in out  # the misread count shows the gold value


def test_evaluate_command_json_with_checks(tmp_path, monkeypatch):
    monkeypatch.setattr(kcextract, "extract", _half_right_extractor)
    monkeypatch.setattr(kcextract, "verify", lambda text, source=None: [check("ratio", "93,71%", True)])
    result = CliRunner().invoke(cli, ["evaluate", str(_tiny_corpus(tmp_path)), "--checks", "--format", "json",
                                      "--details"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 1
    assert data["value"]["money"] == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert data["value"]["count"]["fp"] == 1 and data["span"]["count"]["tp"] == 1
    assert data["value"]["all"]["tp"] == 2
    assert data["checks"]["tp"] == 1 and data["checks"]["fn"] == 1 and data["checks"]["missed_errors"] == 1
    assert {e["type"] for e in data["errors"]} == {"fp", "fn"}


def test_evaluate_command_names_a_broken_gold_file(tmp_path, monkeypatch):
    monkeypatch.setattr(kcextract, "extract", _half_right_extractor)
    corpus = _tiny_corpus(tmp_path)
    path = corpus / "gold" / "tiny.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["mentions"][0]["start"] += 2
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(corpus)])
    assert result.exit_code != 0
    assert "tiny.json" in result.output and "mention 0" in result.output


@pytest.mark.parametrize("kind", ["money", "percent", "count", "project"])
def test_every_kind_has_a_row(kind):
    assert kind in score([], [])


def test_score_checks_takes_the_verifiers_check_records():
    from kcextract.verifier.check import Check

    start = TEXT.index("93,71%")
    ok = Check(kind="ratio", status="ok", claim_text="93,71%", claim_start=start, claim_end=start + 6,
               reported=Decimal("93.71"), expected=Decimal("93.71"))
    unsure = Check(kind="share", status="unverifiable", claim_text="48 cơ sở", claim_start=TEXT.index("48 cơ sở"),
                   claim_end=TEXT.index("48 cơ sở") + 8, reported=Decimal(48))
    result = score_checks([ok, unsure], GOLD_CHECKS)
    assert result.detection == Score(tp=1, fp=0, fn=1) and result.agree == 1
    assert [c["claim_text"] for c in result.missed_errors] == ["48 cơ sở"]
