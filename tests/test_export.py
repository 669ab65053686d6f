"""Every export format reads back with pandas to the same rows and dtypes."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from dataset_corpus import make_corpus  # noqa: E402

from kcextract.cli import cli  # noqa: E402
from kcextract.dataset import build, load  # noqa: E402
from kcextract.dataset.exports import FORMATS, export, read_export  # noqa: E402


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    db = make_corpus(tmp_path_factory.mktemp("export") / "kc.db")
    build(db, version="v1")
    return db, load(db)


def test_the_registry_has_the_four_formats():
    assert set(FORMATS) == {"csv", "jsonl", "parquet", "xlsx"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip(dataset, fmt, tmp_path):
    _, data = dataset
    export(data, fmt, tmp_path)
    back = read_export(tmp_path, fmt)
    for name, frame in data.frames().items():
        assert len(frame) > 0
        pd.testing.assert_frame_equal(back[name], frame, check_exact=True)


def test_parquet_reads_back_with_plain_pandas(dataset, tmp_path):
    _, data = dataset
    export(data, "parquet", tmp_path)
    for name, frame in data.frames().items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{name}.parquet"), frame)


def test_each_figure_row_carries_its_source(dataset, tmp_path):
    _, data = dataset
    export(data, "csv", tmp_path, tables={"figures"})
    raw = pd.read_csv(tmp_path / "figures.csv", encoding="utf-8-sig")
    assert {"url", "site", "title", "published", "province", "province_old", "value_million_vnd"} <= set(raw.columns)
    assert raw.url.notna().all() and raw.title.notna().all()
    assert (tmp_path / "figures.csv").read_bytes().startswith(b"\xef\xbb\xbf")     # Excel reads UTF-8
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["value"]["type"] == "number" and fields["summable"]["type"] == "boolean"
    assert "triệu đồng" in fields["value_million_vnd"]["description"]


def test_xlsx_replaces_control_characters_excel_refuses(tmp_path):
    from kcextract.dataset.exports.to_xlsx import _cell_safe

    assert _cell_safe("a\x0bb") == "a b" and _cell_safe(3) == 3


def test_export_command(dataset, tmp_path):
    db, _ = dataset
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "dataset.xlsx").exists() and "dataset.xlsx" in result.output
    sheets = pd.read_excel(tmp_path / "x" / "dataset.xlsx", sheet_name=None)
    assert set(sheets) == {"documents", "figures", "checks", "projects"}


def test_export_without_a_dataset_exits_2(tmp_path):
    db = make_corpus(tmp_path / "kc.db")
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "kcextract dataset" in result.output
