"""``kcextract verify``: formats, filters and exit status (0 all hold, 1 a claim fails, 2 bad input)."""
from __future__ import annotations

import csv
import io
import json
import shutil

from click.testing import CliRunner

from kcextract.cli import cli
from kcextract.verifier.check import CHECK_FIELDS
from test_verify_support import SEEDS

SEED_000 = str(next(SEEDS.glob("000_*.txt")))
SEED_001 = str(next(SEEDS.glob("001_*.txt")))
SEED_004 = str(next(SEEDS.glob("004_*.txt")))


def run(*args, input=None):
    return CliRunner().invoke(cli, ["verify", *args], input=input)


def test_jsonl_lists_checks_and_exits_1_when_a_claim_fails():
    result = run(SEED_000, "--format", "jsonl")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["claim_text"] for r in records if r["status"] == "fail"] == ["23,23%"]
    assert all(r["status"] != "unverifiable" for r in records)
    assert list(records[0]) == list(CHECK_FIELDS)
    assert records[0]["source"] == SEED_000


def test_only_failures():
    result = run(SEED_000, "--format", "jsonl", "--only-failures")
    assert result.exit_code == 1
    (record,) = [json.loads(line) for line in result.output.splitlines()]
    assert record["explanation"] == "23.436 / 101.735 = 23,04%, báo cáo ghi 23,23%"


def test_all_adds_unverifiable_claims_and_they_do_not_fail_the_run():
    assert run(SEED_001, "--format", "jsonl").output == ""
    result = run(SEED_001, "--format", "jsonl", "--all")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert {(r["claim_text"], r["status"], r["consistent"]) for r in records} == {
        ("82,49%", "unverifiable", None), ("61,3%", "unverifiable", None)}


def test_csv_has_the_contract_columns():
    result = run(SEED_004, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == list(CHECK_FIELDS)
    assert rows[0]["claim_text"] == "4 cấp" and rows[0]["status"] == "ok"
    assert json.loads(rows[0]["operands"])[0]["text"] == "Huyện"


def test_table_shows_marks_reported_and_recomputed_values():
    result = run(SEED_000)
    assert result.exit_code == 1
    assert "✗" in result.output and "✓" in result.output
    assert "23,23%" in result.output and "23,04%" in result.output


def test_directory_and_stdin(tmp_path):
    shutil.copy(SEED_004, tmp_path / "a.txt")
    result = run(str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 0 and '"4 cấp"' in result.output
    text = "Năm 2019 có 3 sản phẩm được công nhận, gồm: chè, miến dong và gốm.\n"
    result = run("-", "--format", "jsonl", input=text)
    assert result.exit_code == 0
    assert json.loads(result.output)["source"] == "-"


def test_bad_input_exits_2_and_still_checks_the_others(tmp_path):
    result = run(str(tmp_path / "missing.txt"), SEED_004, "--format", "jsonl")
    assert result.exit_code == 2
    assert "missing.txt: no such file or directory" in result.output
    assert '"4 cấp"' in result.output


def test_no_input_is_a_usage_error():
    result = run()
    assert result.exit_code == 2 and "give at least one file" in result.output


def test_a_table_per_document_in_input_order_and_the_counts_of_what_was_shown():
    """With several inputs, each document with something to show gets its own table, titled
    with its source, in the order given (laid out where it was verified, printed as it comes);
    the last line counts the rows shown."""
    result = run(SEED_000, SEED_001, SEED_004)
    assert result.exit_code == 1
    titles = [line.strip() for line in result.output.splitlines() if line.startswith("Checks: ")]
    assert titles == [f"Checks: {SEED_000}", f"Checks: {SEED_004}"]       # 001 has only unverifiable claims
    last = result.output.rstrip().splitlines()[-1]
    shown = result.output.count("│ ✓ │"), result.output.count("│ ✗ │")
    assert last == f"{shown[0]} ✓  {shown[1]} ✗  0 ?" and shown[1] == 1 and shown[0] > 5
    failures = run(SEED_000, SEED_001, SEED_004, "--only-failures")
    assert failures.exit_code == 1 and failures.output.rstrip().splitlines()[-1] == "0 ✓  1 ✗  0 ?"
    assert [line.strip() for line in failures.output.splitlines() if line.startswith("Checks: ")] == \
           [f"Checks: {SEED_000}"]
    everything = run(SEED_001, "--all")
    assert everything.exit_code == 0 and everything.output.rstrip().splitlines()[-1] == "0 ✓  0 ✗  2 ?"
