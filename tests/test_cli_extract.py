"""``kcextract extract`` through the real CLI: formats, inputs, bad input and exit status."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from kcextract.cli import cli
from kcextract.figure import OUTPUT_FIELDS

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
SEED_000 = SEEDS / "000_b484966547e25757.txt"


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_jsonl_one_figure_per_line_with_the_contract_columns():
    result = run("extract", str(SEED_000), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(list(r) == list(OUTPUT_FIELDS) for r in records)
    text = SEED_000.read_bytes().decode("utf-8")
    first = next(r for r in records if r["text"] == "56.147 triệu đồng")
    assert first["value"] == 56147000000 and first["currency"] == "VND"
    assert text[first["start"]:first["end"]] == first["text"] and first["source"] == str(SEED_000)


def test_csv_has_the_same_columns():
    result = run("extract", str(SEED_000), "--format", "csv", "--kind", "percent")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(OUTPUT_FIELDS)
    assert {r["kind"] for r in rows} == {"percent"} and "23,23%" in {r["text"] for r in rows}


def test_directory_is_read_recursively_and_stdin_works(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "x.txt").write_text("Tỉnh hỗ trợ 48 cơ sở.", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    result = run("extract", str(tmp_path))
    assert result.exit_code == 0
    assert [json.loads(l)["text"] for l in result.stdout.splitlines()] == ["48 cơ sở"]
    result = run("extract", "-", input="kinh phí 600 triệu đồng".encode())
    assert json.loads(result.stdout)["value"] == 600000000 and json.loads(result.stdout)["source"] == "-"


def test_bad_inputs_are_named_and_the_rest_is_still_processed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"Kinh ph\xed 5 t\xf0 \x81\x8d\x90 \x00\x00\x00")
    good = tmp_path / "good.txt"
    good.write_text("hỗ trợ 12 cơ sở", encoding="utf-8")
    result = run("extract", str(empty), str(broken), str(tmp_path / "missing.txt"), str(good))
    assert result.exit_code == 2                         # bad input: 2 (one rule for every command)
    assert f"Error: {empty}: empty document" in result.stderr
    assert f"Error: {broken}:" in result.stderr
    assert f"Error: {tmp_path / 'missing.txt'}: no such file or directory" in result.stderr
    assert [json.loads(l)["text"] for l in result.stdout.splitlines()] == ["12 cơ sở"]


def test_html_offsets_point_into_the_text_that_extract_text_prints(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><h1>Tin</h1><p>Tỉnh bố trí 2.000 triệu đồng cho 15 cơ sở.</p>"
                    "</article><footer>Lượt xem: 30</footer></body></html>", encoding="utf-8")
    text_out = run("extract", str(page), "--text").stdout
    article_text = text_out.rstrip("\n")                  # one document: its text alone, no header
    assert not text_out.startswith("==>")
    for record in map(json.loads, run("extract", str(page)).stdout.splitlines()):
        assert article_text[record["start"]:record["end"]] == record["text"]


def test_table_format_is_readable():
    result = run("extract", str(SEED_000), "--format", "table", "--kind", "money")
    assert result.exit_code == 0 and f"Figures: {SEED_000}" in result.stdout
    assert "56.147 triệu đồng" in result.stdout and "tổng kinh phí khuyến công" in result.stdout


def test_a_table_per_document_in_input_order_and_the_count_of_rows():
    """Each document with figures to show gets its own table, titled with its source, in the
    order given (laid out where it was extracted, printed as it comes); the last line counts
    the rows shown, which are the JSON Lines records of the same run."""
    seeds = sorted(SEED_000.parent.glob("*.txt"))[:3]
    result = run("extract", *map(str, reversed(seeds)), "--format", "table", "--kind", "percent")
    titles = [line.strip() for line in result.stdout.splitlines() if line.startswith("Figures: ")]
    records = run("extract", *map(str, reversed(seeds)), "--kind", "percent").stdout.splitlines()
    with_percent = list(dict.fromkeys(json.loads(line)["source"] for line in records))
    assert titles == [f"Figures: {source}" for source in with_percent] and len(titles) >= 2
    assert result.stdout.rstrip().splitlines()[-1] == f"{len(records)} figure(s)"
    assert result.stdout.count("│ percent │") == len(records)


def test_no_input_is_a_usage_error():
    result = run("extract")
    assert result.exit_code == 2 and "give at least one file" in result.output


def test_an_unreadable_number_is_reported_with_source_and_place(tmp_path, monkeypatch):
    """The number grammar only matches readable shapes; if a reading still fails
    (here forced for one number), the message names file, line and column, the
    other figures are kept and the exit status says something went wrong."""
    import kcextract.extractor as extractor

    real = extractor.parse_vn_number

    def fussy(text, prefer_integer=False):
        if text == "7.456,43":
            raise ValueError(f"not a number: {text!r}")
        return real(text, prefer_integer=prefer_integer)

    monkeypatch.setattr(extractor, "parse_vn_number", fussy)
    doc = tmp_path / "report.txt"
    doc.write_text("Dòng một.\nDoanh thu ước đạt 7.456,43 triệu đồng, hỗ trợ 12 cơ sở.", encoding="utf-8")
    result = run("extract", str(doc))
    assert result.exit_code == 1
    assert f"Error: {doc}:2:19: could not read the number in '7.456,43 triệu đồng'" in result.stderr
    assert [json.loads(l)["text"] for l in result.stdout.splitlines()] == ["12 cơ sở"]


def test_a_malformed_number_as_published_is_reported_not_lost(tmp_path):
    """Digits that no reading fits before a money or percent word ('12..5 tỷ đồng', a typo as
    published) are reported with file, line and column; the readable figures around them are
    kept, and a readable number that no money pattern took ('1.500 đồng chí') is no problem."""
    doc = tmp_path / "typo.txt"
    doc.write_text("Tổng kinh phí 12..5 tỷ đồng, trong đó 7.456,43 triệu đồng.\n"
                   "Tỷ lệ tăng 23,2,3% so với năm trước; 1.500 đồng chí tham dự.", encoding="utf-8")
    result = run("extract", str(doc))
    assert result.exit_code == 1
    assert f"Error: {doc}:1:15: could not read the number in '12..5 tỷ đồng' (not a number: '12..5')" in result.stderr
    assert f"Error: {doc}:2:12: could not read the number in '23,2,3%'" in result.stderr
    assert result.stderr.count("could not read") == 2
    assert "7.456,43 triệu đồng" in [json.loads(l)["text"] for l in result.stdout.splitlines()]
    # a version before 'đồng bộ' (in sync), a plot before a place named Đồng …: no amounts, no messages
    other = tmp_path / "not-money.txt"
    other.write_text("Hệ thống chạy bản 2.1.3 đồng bộ tốt. Nhà máy tại lô 3.2.1 Đồng Xoài có 5 cơ sở.",
                     encoding="utf-8")
    quiet = run("extract", str(other))
    assert quiet.exit_code == 0 and "could not read" not in quiet.stderr


def test_the_python_api_warns_instead(monkeypatch):
    import warnings

    import kcextract.extractor as extractor
    from kcextract.exceptions import UnreadableNumberWarning

    monkeypatch.setattr(extractor, "parse_vn_number", lambda *a, **k: (_ for _ in ()).throw(ValueError("bad")))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert extractor.extract_figures("hỗ trợ 12 cơ sở", source="a.txt") == []
    assert any(issubclass(w.category, UnreadableNumberWarning) and "a.txt:1:8" in str(w.message) for w in caught)


def test_a_broken_pattern_file_is_a_clean_error_not_a_traceback(tmp_path, monkeypatch):
    import shutil

    from kcextract.patterns import PATTERN_DIR, load_patterns

    broken = tmp_path / "patterns"
    shutil.copytree(PATTERN_DIR, broken)
    money = broken / "money.yaml"
    money.write_text(money.read_text(encoding="utf-8").replace("id: money-currency\n",
                                                               "id: money-currency\n    colour: red\n"),
                     encoding="utf-8")
    monkeypatch.setattr("kcextract.patterns.PATTERN_DIR", broken)
    load_patterns.cache_clear()
    try:
        result = run("extract", str(SEED_000))
    finally:
        load_patterns.cache_clear()
    assert result.exit_code == 1
    assert "Error:" in result.output and "money.yaml: entry 'money-currency', key 'colour'" in result.output
    assert "Traceback" not in result.output
