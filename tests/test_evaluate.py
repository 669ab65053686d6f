"""The scorer: hits, wrong values, non-overlaps, duplicates, checks, and the ``evaluate`` command."""
from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

import kcextract
from kcextract.cli import cli
from kcextract.evaluate import Score, match_mentions, micro, score, score_checks, span_score
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


# ---------------------------------------------------------------- agreement with the reference scorers

TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"
REAL_SETS = {
    "realgold": Path(__file__).resolve().parents[2] / "shared" / "realgold",
    "realtext": Path(__file__).resolve().parents[1] / "corpus" / "realtext",
}


def _materialise(docs, gold_dir: Path, text_dir: Path) -> None:
    """Gold files with their text inline (the reference tools read "text") and the .txt inputs,
    as ../shared/tools/gold_to_txt.py writes them."""
    gold_dir.mkdir()
    text_dir.mkdir()
    for doc in docs:
        record = {"id": doc.id, "url": doc.url, "text": doc.text, "mentions": doc.mentions, "checks": doc.checks}
        (gold_dir / f"{doc.id}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        (text_dir / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8", newline="")


def _run(*args) -> str:
    done = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _numbers(line_prefix: str, output: str) -> dict:
    line = next(x for x in output.splitlines() if x.startswith(line_prefix))
    return {k: float(v) for k, v in regex.findall(r"(\w+)=(-?[\d.]+|nan)", line)}


@pytest.mark.parametrize("name", REAL_SETS)
def test_evaluate_reports_the_reference_scorers_numbers(name, tmp_path):
    if not TOOLS.is_dir():
        pytest.skip(f"REFERENCE SCORERS MISSING: {TOOLS} does not exist, agreement not tested")
    if not REAL_SETS[name].is_dir():
        pytest.skip(f"{REAL_SETS[name]} does not exist")
    from kcextract.gold import load_gold

    docs = load_gold(REAL_SETS[name], on_error=lambda exc: None)
    if not docs:
        pytest.skip(f"no valid gold file in {REAL_SETS[name]}")
    gold_dir, text_dir = tmp_path / "gold", tmp_path / "txt"
    _materialise(docs, gold_dir, text_dir)
    figures, checks = tmp_path / "figures.jsonl", tmp_path / "checks.jsonl"
    # The predictions are the JSONL records `kcextract extract/verify` write for the .txt files,
    # made in this process (the code `evaluate` runs below, even while the tree changes).
    figure_lines, check_lines = [], []
    for path in sorted(text_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        figure_lines += [json.dumps(f.to_dict(), ensure_ascii=False) for f in kcextract.extract(text, source=str(path))]
        check_lines += [json.dumps(c.to_dict(), ensure_ascii=False, default=str)
                        for c in kcextract.verify(text, source=str(path))]
    figures.write_text("\n".join(figure_lines) + "\n", encoding="utf-8")
    checks.write_text("\n".join(check_lines) + "\n", encoding="utf-8")
    reference = _numbers("numeric figures", _run(TOOLS / "score.py", gold_dir, figures))
    reference_checks = _numbers("inconsistency_recall", _run(TOOLS / "score_checks.py", gold_dir, checks))

    result = CliRunner().invoke(cli, ["evaluate", str(gold_dir), "--checks", "--format", "json"])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.output)
    frames = ours["frames"]

    def acc(record):
        return float("nan") if record["accuracy"] is None else record["ok"] / record["n"]

    mine = {"F1": ours["value"]["numeric"]["f1"], "P": ours["value"]["numeric"]["precision"],
            "R": ours["value"]["numeric"]["recall"], "count_F1": ours["value"]["count"]["f1"],
            "project_F1": ours["value"]["project"]["f1"], "qualifier_acc": acc(frames["qualifier"]["all"]),
            "count_unit_acc": acc(frames["count_unit"]), "period_acc": acc(frames["period_years"]),
            "money_label": acc(frames["money_with_label"])}
    for key, value in reference.items():
        # the reference prints three decimals, our JSON four: equal up to the printed rounding
        assert (math.isnan(value) and math.isnan(mine[key])) or abs(mine[key] - value) <= 6e-4, (key, mine, reference)
    c = ours["checks"]
    recall = c["found"] / c["gold_inconsistent"] if c["gold_inconsistent"] else 1.0
    coverage = c["confirmed"] / c["gold_consistent"] if c["gold_consistent"] else 1.0
    assert round(recall, 3) == reference_checks["inconsistency_recall"]
    assert round(coverage, 3) == reference_checks["consistent_coverage"]
    assert ours["checks"]["false_alarms"] == reference_checks["false_alarms"]


def test_minor_checks_are_neither_required_nor_false_alarms():
    minor = {**GOLD_CHECKS[1], "minor": True}
    flagged = score_checks([check("share", "48 cơ sở", False)], [GOLD_CHECKS[0], minor])
    passed = score_checks([check("share", "48 cơ sở", True)], [GOLD_CHECKS[0], minor])
    for result in (flagged, passed):
        assert (result.gold_inconsistent, result.minor, result.false_alarms) == (0, 1, [])
    assert flagged.inconsistency_recall == 1.0 and flagged.consistent_coverage == 0.0


def test_coverage_needs_a_confirmation_and_no_contradiction():
    both = [check("ratio", "93,71%", True), check("share", "93,71%", False)]
    result = score_checks(both, GOLD_CHECKS)
    assert (result.confirmed, result.gold_consistent) == (0, 1)
    assert [c["claim_text"] for c in result.false_alarms] == ["93,71%"]   # the kind does not matter
    assert [c["claim_text"] for c in result.missed_errors] == ["48 cơ sở"]


def test_frame_accuracy_by_field(tmp_path):
    from kcextract.evaluate import score_frames

    framed = [{**GOLD[0], "period_years": [2016], "role": "actual", "label": "tổng kinh phí"},
              {**GOLD[1], "period_years": [2016], "role": "ratio"}]
    money = Figure(kind="money", text="56.147 triệu đồng", start=_span("56.147 triệu đồng")[0],
                   end=_span("56.147 triệu đồng")[1], value=Decimal("56147000000"), period="năm 2016", period_years=(2016,),
                   label="Tổng kinh phí")
    percent = fig("percent", "93,71%", "93.71")
    frames = score_frames(match_mentions([money, percent], framed))
    assert (frames.period.ok, frames.period.n) == (1, 2)      # the percent has no period
    assert (frames.label.ok, frames.label.n) == (1, 1)
    assert frames.fields[("period_years", "money")].ok == 1
    assert frames.fields[("role", "percent")].n == 1


def test_realtext_gold_reads_its_text_file_and_checks_the_hash(tmp_path):
    from kcextract.gold import GoldError, load_gold

    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_bytes(TEXT.encode("utf-8"))
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    doc = {"id": "a", "url": "x", "text_file": "../texts/a.txt", "text_sha256": digest, "annotator": "rt1",
           "mentions": [{**GOLD[0], "label": "tổng kinh phí", "scope": None, "period_years": [2016],
                         "period_text": "năm 2016", "role": "actual"}],
           "checks": [{**GOLD_CHECKS[0], "kind": "average", "minor": True}]}
    (tmp_path / "gold").mkdir()
    path = tmp_path / "gold" / "a.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    [loaded] = load_gold(tmp_path / "gold")
    assert loaded.text == TEXT and loaded.annotator == "rt1" and loaded.has_frames
    path.write_text(json.dumps({**doc, "text_sha256": "0" * 64}), encoding="utf-8")
    with pytest.raises(GoldError, match="text_sha256"):
        load_gold(tmp_path / "gold")
    path.write_text(json.dumps({**doc, "text_sha256": digest,
                                "mentions": [{**doc["mentions"][0], "period_years": [2017, 2016]}]}), encoding="utf-8")
    with pytest.raises(GoldError, match="period_years"):
        load_gold(tmp_path / "gold")


def test_evaluate_skips_a_broken_gold_file_loudly_and_scores_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(kcextract, "extract", _half_right_extractor)
    corpus = _tiny_corpus(tmp_path)
    (corpus / "gold" / "zz.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(corpus), "--format", "json"])
    assert result.exit_code == 1
    assert "zz.json" in result.stderr and json.loads(result.stdout)["documents"] == 1
