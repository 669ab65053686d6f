"""The benchmark runs end to end on a tiny text and its rows agree with each other (no timing is
asserted: performance is read from ``python -m benchmarks``, never from a test)."""
from __future__ import annotations

import json

from benchmarks import texts
from benchmarks.__main__ import main


def test_the_corpus_is_the_projects_own_documents_repeated_whole():
    distinct = dict(texts.documents())
    assert any(s.startswith("corpus/seeds/") for s in distinct)
    assert any(s.startswith("tests/articles") for s in distinct)
    assert any(s.startswith("http://127.0.0.1") for s in distinct)          # fixture pages' text
    assert not any(s.startswith("shared/") for s in distinct)               # only with --shared
    corpus = texts.corpus(0.6)
    assert texts.size_of(t for _, t in corpus) >= 0.6e6
    assert all(distinct[source.rsplit("#", 1)[0]] == text for source, text in corpus)
    assert {p.family for p in texts.pages()} >= {"nukeviet", "wordpress", "liferay", "sharepoint", "generic"}
    single = texts.single_document(0.05)
    assert 0.05e6 <= len(single.encode()) < 0.07e6


def test_a_tiny_run_reports_every_row_consistently(tmp_path, capsys):
    out = tmp_path / "result.json"
    assert main(["--quick", "--mb", "0.03", "--single", "0.01", "--tokenize-mb", "0.01", "--jobs", "2",
                 "--no-startup", "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    rows = result["rows"]
    assert rows["(c) extract"]["count"] == rows["(c) extract, one process"]["count"] \
        == rows["(c) extract --jobs 2"]["count"] > 0
    assert rows["(d) verify (extraction included)"]["count"] > 0
    ceiling = result["ceiling"]                 # the same text split by hand: the same figures
    assert ceiling["jobs"] == 2 and ceiling["figures"] > 0 and ceiling["2_processes_s"] > 0
    for key in ("command", "verify_command"):     # the same documents as files, through each command
        command = result[key]
        assert command["files"] == result["text"]["documents"] and command["speed_up"] > 0
    dataset = result["dataset"]                 # the same documents in a corpus database, through the command
    assert dataset["documents"] == result["text"]["documents"] and dataset["speed_up"] > 0
    assert set(result["ratios"]) and all(v > 0 for v in result["ratios"].values() if v is not None)
    assert set(result["html_to_text"]) >= {"nukeviet", "wordpress", "liferay", "sharepoint", "generic"}
    assert result["seed_f1"]["money"] >= 0.98 and result["single_documents"][0]["mb"] >= 0.01
    assert "seed-corpus F1" in capsys.readouterr().out


def test_the_start_up_timer_refuses_a_command_that_failed_or_did_nothing():
    """A broken install exits at once: it must stop the benchmark, not be timed as a fast start."""
    import sys

    import pytest

    from benchmarks.startup import best_of

    with pytest.raises(RuntimeError, match="exit 1"):
        best_of([sys.executable, "-c", "import sys; sys.exit(1)"], repeat=1)
    with pytest.raises(RuntimeError, match="wanted '6,7 tỷ đồng'"):
        best_of([sys.executable, "-c", "print('nothing')"], repeat=1, expect="6,7 tỷ đồng")
    assert best_of([sys.executable, "-c", "print('6,7 tỷ đồng')"], repeat=1, expect="6,7 tỷ đồng") > 0


def test_one_and_many_are_timed_in_mirrored_order_and_averaged():
    from benchmarks.paired import one_then_many

    calls = []
    seconds = iter([4.0, 1.0, 3.0, 6.0])       # the machine slows down as the calls go on

    def timed(name):
        def run():
            calls.append(name)
            return next(seconds)
        return run

    assert one_then_many(timed("one"), timed("many")) == (5.0, 2.0)
    assert calls == ["one", "many", "many", "one"]


def test_two_runs_share_each_slice_and_take_turns_going_first():
    from benchmarks.__main__ import alternated

    calls = []

    def run(name):
        def fn(part):
            calls.append((name, [d for d, _ in part]))
            return len(part)
        return fn

    docs = [(f"d{i}", "") for i in range(4)]
    first, second = alternated(docs, run("a"), run("b"), slices=2)
    assert calls == [("a", ["d0", "d1"]), ("b", ["d0", "d1"]), ("b", ["d2", "d3"]), ("a", ["d2", "d3"])]
    assert first["count"] == second["count"] == 4
