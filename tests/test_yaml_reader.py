"""The one YAML reader of data files (``patterns.read_data_file``) uses libyaml's C parser when
PyYAML has it: every data file of the project must read the same with it as with the pure-Python
parser, or a pattern would change with the machine's PyYAML build."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import kcextract
from kcextract import patterns as P

PACKAGE = Path(kcextract.__file__).resolve().parent
DATA_FILES = sorted({*P.PATTERN_DIR.glob("*.yaml"), *PACKAGE.rglob("*.yaml")})


def test_every_data_file_is_found():
    names = {p.name for p in DATA_FILES}
    assert {"relations.yaml", "money.yaml", "legacy_encodings.yaml", "highlights.yaml",
            "project_frames.yaml"} <= names


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_the_reader_gives_what_the_pure_python_parser_gives(path):
    with open(path, encoding="utf-8") as fh:
        pure = yaml.load(fh, Loader=yaml.SafeLoader)
    assert P.read_data_file(path) == pure


def test_the_c_parser_is_used_when_pyyaml_has_it(monkeypatch, tmp_path):
    used = []

    class Spy(yaml.SafeLoader):
        def __init__(self, stream):
            used.append(type(self).__name__)
            super().__init__(stream)

    monkeypatch.setattr(yaml, "CSafeLoader", Spy, raising=False)
    path = tmp_path / "x.yaml"
    path.write_text("số: 1,5\n", encoding="utf-8")
    assert P.read_data_file(path) == {"số": "1,5"} and used == ["Spy"]
    monkeypatch.delattr(yaml, "CSafeLoader")
    assert P.read_data_file(path) == {"số": "1,5"} and used == ["Spy"]    # the pure-Python one
