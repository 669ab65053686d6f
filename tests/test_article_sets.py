"""The blind article sets written for measurement (tests/articles4, tests/articles5):
the gold validates, the extractor meets its floors and the verifier raises no false alarm.

Each set's README tells how it was written (blind, annotations committed before the first
run) and what its first measurement was.  The floors catch regressions; they are not targets.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kcextract.cli import cli
from kcextract.gold import load_gold

HERE = Path(__file__).resolve().parent
# set directory -> the length range its brief asked of each article
SETS = {"articles4": (1500, 4000), "articles5": (1200, 3500)}
FLOORS = {"money": 0.85, "percent": 0.85, "count": 0.85, "project": 0.6}


@functools.lru_cache(maxsize=None)
def report(name: str) -> dict:
    """The JSON report of `kcextract evaluate tests/<name> --checks`, computed once per set."""
    result = CliRunner().invoke(cli, ["evaluate", str(HERE / name), "--checks", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _get(check, field):
    """A field of a gold check, whether load_gold gives dicts or objects."""
    return check[field] if isinstance(check, dict) else getattr(check, field)


@pytest.mark.parametrize("name", SETS)
def test_the_gold_files_validate_and_hold_ten_synthetic_articles(name):
    docs = load_gold(HERE / name)
    low, high = SETS[name]
    assert len(docs) == 10
    for doc in docs:
        assert low <= len(doc.text) <= high, doc.id
        assert doc.source.startswith("synthetic:"), doc.id
        assert "example.invalid" in doc.url, doc.id


@pytest.mark.parametrize("name", SETS)
def test_the_set_carries_four_to_six_deliberate_errors(name):
    bad = [c for doc in load_gold(HERE / name) for c in doc.checks if not _get(c, "consistent")]
    assert 4 <= len(bad) <= 6


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("kind", FLOORS)
def test_value_level_f1_meets_the_floor(name, kind):
    assert report(name)["value"][kind]["f1"] >= FLOORS[kind], report(name)["value"][kind]


@pytest.mark.parametrize("name", SETS)
def test_the_verifier_raises_no_false_alarm(name):
    # A false alarm: a predicted `fail` where the gold says consistent or has no check at all.
    assert report(name)["checks"]["false_alarms"] == 0, report(name)["checks"]
