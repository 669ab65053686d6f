"""The fifth blind evaluation set (tests/articles5): gold validity, extractor F1 floors, no verifier false alarm.

This set is the final honest measurement (see tests/articles5/README.md): it was annotated and committed before
the extractor or verifier ever ran on it, and it must never be tuned on. The floors only guard against regressions.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kcextract.cli import cli
from kcextract.gold import load_gold

SET = Path(__file__).parent / "articles5"


@pytest.fixture(scope="module")
def report():
    """The JSON report of `kcextract evaluate tests/articles5 --checks`."""
    result = CliRunner().invoke(cli, ["evaluate", str(SET), "--checks", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _get(check, field):
    """A field of a gold check, whether load_gold gives dicts or objects."""
    return check[field] if isinstance(check, dict) else getattr(check, field)


def test_the_gold_files_validate_and_hold_ten_synthetic_articles():
    docs = load_gold(SET)
    assert len(docs) == 10
    for doc in docs:
        assert 1200 <= len(doc.text) <= 3500, doc.id
        assert doc.source.startswith("synthetic:"), doc.id
        assert "example.invalid" in doc.url, doc.id


def test_the_set_carries_four_to_six_deliberate_errors():
    bad = [c for doc in load_gold(SET) for c in doc.checks if not _get(c, "consistent")]
    assert 4 <= len(bad) <= 6


@pytest.mark.parametrize("kind, floor", [("money", 0.85), ("percent", 0.85), ("count", 0.85), ("project", 0.6)])
def test_value_level_f1_meets_the_floor(report, kind, floor):
    assert report["value"][kind]["f1"] >= floor, report["value"][kind]


def test_the_verifier_raises_no_false_alarm(report):
    # A false alarm: a predicted `fail` where the gold says consistent or has no check at all.
    assert report["checks"]["false_alarms"] == 0, report["checks"]
