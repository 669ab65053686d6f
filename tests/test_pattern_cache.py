"""The disk cache of validated pattern files (kcextract.pattern_cache): a start with unchanged files
skips the validation, any change to a data file, the loading code or a version is a miss, and a
corrupt, stale or unwritable cache costs only speed. (Start-up time itself: benchmarks/startup.py.)"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import regex

import kcextract
from kcextract import pattern_cache
from kcextract import patterns as P
from kcextract.exceptions import PatternFileError

ROOT = Path(kcextract.__file__).resolve().parent.parent
ONE_LINE = "Năm 2023, tỉnh hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở.\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own; the in-process pattern set is reloaded around it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KCEXTRACT_CACHE_DIR", str(folder))
    P.load_patterns.cache_clear()
    yield folder
    P.load_patterns.cache_clear()


@pytest.fixture
def counted(monkeypatch):
    """How often the full work runs: the pattern files read and checked, every loader run."""
    calls = {"patterns": 0, "loaders": 0}
    build, run = P._load_pattern_set, P._run_loaders

    def counting_build(base):
        calls["patterns"] += 1
        return build(base)

    def counting_run(names):
        calls["loaders"] += 1
        return run(names)

    monkeypatch.setattr(P, "_load_pattern_set", counting_build)
    monkeypatch.setattr(P, "_run_loaders", counting_run)
    return calls


def _copy_patterns(tmp_path: Path) -> Path:
    target = tmp_path / "patterns"
    shutil.copytree(P.PATTERN_DIR, target)
    return target


def _entries(folder: Path) -> list:
    return sorted(folder.glob("patterns-*.pickle"))


def test_a_second_start_with_the_same_files_validates_nothing(cache, counted):
    assert P.validate_data_files() == sorted(p.name for p in P.PATTERN_DIR.glob("*.yaml"))
    assert counted == {"patterns": 1, "loaders": 1}
    assert len(_entries(cache)) == 1
    P.load_patterns.cache_clear()                       # as a new process would start
    P.validate_data_files()
    cached = P.load_patterns()
    assert counted == {"patterns": 1, "loaders": 1}
    fresh = P._load_pattern_set(P.PATTERN_DIR)          # built again, to compare with
    assert [(p.id, p.source, p.regex.pattern, p.regex.flags) for p in cached.patterns] == \
           [(p.id, p.source, p.regex.pattern, p.regex.flags) for p in fresh.patterns]
    assert cached.lexicon == fresh.lexicon and cached.fragments == fresh.fragments


def test_patterns_from_the_cache_find_what_freshly_compiled_ones_find(cache):
    P.load_patterns()
    P.load_patterns.cache_clear()
    cached, fresh = P.load_patterns(), P._load_pattern_set(P.PATTERN_DIR)
    texts = [ex["text"] for p in fresh.patterns for ex in (*p.match, *p.no_match)]
    for old, new in zip(fresh.patterns, cached.patterns):
        assert [m.span() for t in texts for m in old.regex.finditer(t)] == \
               [m.span() for t in texts for m in new.regex.finditer(t)], old.id
    for name, gate in fresh.gates.items():
        assert [gate.windows(t) for t in texts] == [cached.gates[name].windows(t) for t in texts]
    assert [m.span() for t in texts for m in fresh.frames.period_regex.finditer(t)] == \
           [m.span() for t in texts for m in cached.frames.period_regex.finditer(t)]


def test_library_use_caches_the_patterns_but_not_the_other_files(cache, counted):
    P.load_patterns()
    P.load_patterns.cache_clear()
    P.load_patterns()
    assert counted["patterns"] == 1
    P.validate_data_files()                              # the other data files were never checked
    assert counted["loaders"] == 1


@pytest.mark.parametrize("name", sorted(p.name for p in P.PATTERN_DIR.glob("*.yaml")))
def test_the_key_changes_when_any_data_file_changes(tmp_path, name):
    directory = _copy_patterns(tmp_path)
    before = P._cache_key(directory)
    assert P._cache_key(directory) == before
    with open(directory / name, "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert P._cache_key(directory) != before


def test_the_key_changes_with_a_new_file_the_folder_or_a_version(tmp_path, monkeypatch):
    directory = _copy_patterns(tmp_path)
    before = P._cache_key(directory)
    assert P._cache_key(_copy_patterns(tmp_path / "elsewhere")) != before   # entries record their path
    for module, attribute in ((kcextract, "__version__"), (regex, "__version__"), (sys, "version")):
        with monkeypatch.context() as patch:
            patch.setattr(module, attribute, getattr(module, attribute) + ".1")
            assert P._cache_key(directory) != before, attribute
    (directory / "new.yaml").write_text("x: 1\n", encoding="utf-8")
    assert P._cache_key(directory) != before


def test_the_key_changes_when_the_loading_code_changes(tmp_path, monkeypatch):
    package = tmp_path / "kcextract"
    shutil.copytree(ROOT / "kcextract", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(P, "__file__", str(package / "patterns.py"))
    before = P._cache_key(P.PATTERN_DIR)
    for code in ("patterns.py", "pattern_cache.py", "dates.py", "verifier/cues.py"):
        original = (package / code).read_text(encoding="utf-8")
        (package / code).write_text(original + "\n# changed\n", encoding="utf-8")
        assert P._cache_key(P.PATTERN_DIR) != before, code
        (package / code).write_text(original, encoding="utf-8")
    assert P._cache_key(P.PATTERN_DIR) == before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other key", "other format", "not a dict"])
def test_a_corrupt_or_stale_entry_is_ignored_and_rebuilt(cache, counted, damage):
    P.load_patterns()
    P.load_patterns.cache_clear()
    [path] = _entries(cache)
    good = path.read_bytes()
    entry = pickle.loads(good)
    path.write_bytes({
        "garbage": b"\x00not a pickle at all",
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "other key": pickle.dumps({**entry, "key": "0" * 64}),
        "other format": pickle.dumps({**entry, "format": -1}),
        "not a dict": pickle.dumps(["patterns"]),
    }[damage])
    assert P.load_patterns().patterns                     # no error, no warning: a miss
    assert counted["patterns"] == 2
    assert pattern_cache.read(entry["key"])["patterns"] is not None   # and written again


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file modes")
def test_an_entry_others_could_have_written_is_not_unpickled(cache, counted):
    P.load_patterns()
    P.load_patterns.cache_clear()
    [path] = _entries(cache)
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o666)
    P.load_patterns()
    assert counted["patterns"] == 2 and path.stat().st_mode & 0o777 == 0o600   # rebuilt, private again


def test_an_entry_holding_something_else_is_not_used(cache, counted):
    key = P._cache_key(P.PATTERN_DIR)
    pattern_cache.write(key, patterns={"not": "a pattern set"}, validated=False)
    assert isinstance(P.load_patterns(), P.PatternSet)
    assert counted["patterns"] == 1


def test_an_unwritable_cache_folder_still_works(tmp_path, monkeypatch, counted):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KCEXTRACT_CACHE_DIR", str(blocker / "cache"))   # cannot be made, even by root
    P.load_patterns.cache_clear()
    try:
        P.validate_data_files()
        assert P.load_patterns().patterns
        assert pattern_cache.write("k" * 64, patterns=None) is False
        assert pattern_cache.read("k" * 64) is None
    finally:
        P.load_patterns.cache_clear()
    assert counted == {"patterns": 1, "loaders": 1}


def test_writes_are_atomic_and_old_entries_are_pruned(cache):
    for i in range(pattern_cache.KEEP + 3):
        assert pattern_cache.write(f"{i:040d}" + "f" * 24, patterns=None, validated=False)
        os.utime(cache / f"patterns-{i:040d}.pickle", (1000 + i, 1000 + i))     # used in this order
    left = _entries(cache)
    assert len(left) == pattern_cache.KEEP
    assert cache / f"patterns-{pattern_cache.KEEP + 2:040d}.pickle" in left     # the newest stay
    assert cache / f"patterns-{0:040d}.pickle" not in left
    assert not list(cache.glob(".tmp-*"))                                       # no temporary file left


def test_the_cache_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KCEXTRACT_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert pattern_cache.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("KCEXTRACT_CACHE_DIR")
    assert pattern_cache.cache_dir() == tmp_path / "xdg" / "kcextract"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert pattern_cache.cache_dir() == tmp_path / "home" / ".cache" / "kcextract"


def _run(args, env, stdin=ONE_LINE):
    """``kcextract ARGS`` in a fresh process with this checkout first on the path; also the modules it loaded."""
    script = ("import sys, json\nfrom kcextract.cli import cli\n"
              f"try:\n    cli({args!r})\nexcept SystemExit as e:\n    code = e.code\n"
              "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + ' EXIT ' + json.dumps(code))\n")
    env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", script], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)
    stderr, _, tail = done.stderr.rpartition("\nMODULES ")
    modules, _, code = tail.partition(" EXIT ")
    return done.stdout, stderr, set(json.loads(modules)), json.loads(code)


def test_a_warm_start_reads_no_yaml(tmp_path):
    env = {"KCEXTRACT_CACHE_DIR": str(tmp_path / "cache")}
    cold_out, _, cold_modules, cold_code = _run(["extract", "-"], env)
    warm_out, _, warm_modules, warm_code = _run(["extract", "-"], env)
    assert cold_code == warm_code == 0 and warm_out == cold_out and "6,7 tỷ đồng" in warm_out
    assert "yaml" in cold_modules and "yaml" not in warm_modules


def test_a_broken_edit_fails_at_start_up_after_the_cache_was_warmed(tmp_path):
    directory = _copy_patterns(tmp_path)
    env = {"KCEXTRACT_CACHE_DIR": str(tmp_path / "cache"), "KCEXTRACT_PATTERNS": str(directory)}
    out, _, _, code = _run(["extract", "-"], env)
    assert code == 0 and "6,7 tỷ đồng" in out
    assert len(_entries(tmp_path / "cache")) == 1
    money = directory / "money.yaml"
    text = money.read_text(encoding="utf-8")
    assert "\n    match:\n" in text
    money.write_text(text.replace("\n    match:\n", "\n    match:\n      - không có số nào ở đây\n", 1),
                     encoding="utf-8")
    with pytest.raises(PatternFileError) as expected:     # what loading the edited files says, uncached
        P._load_pattern_set(directory)
    assert expected.value.key == "match"
    out, stderr, _, code = _run(["extract", "-"], env)
    assert code == 1 and out == ""
    assert f"Error: {expected.value}" in stderr and "Traceback" not in stderr


@pytest.fixture
def cue_loads(cache, monkeypatch):
    """How often relations.yaml is read and validated; the in-process cues are reloaded around it."""
    from kcextract.verifier import cues as C

    calls = []
    read = C.load_relations

    def counting(path):
        calls.append(path)
        return read(path)

    monkeypatch.setattr(C, "load_relations", counting)
    C.load_cues.cache_clear()
    yield calls
    C.load_cues.cache_clear()


def test_the_verifier_cues_are_validated_once_for_the_same_files(cache, cue_loads):
    from kcextract.verifier import cues as C

    fresh = C.load_cues()
    assert len(cue_loads) == 1 and len(list(cache.glob("cues-*.pickle"))) == 1
    C.load_cues.cache_clear()                           # as a new process would start
    cached = C.load_cues()
    assert len(cue_loads) == 1 and cached is not fresh
    examples = [ex for entry in P.read_data_file(C.RELATIONS_FILE)["relations"]
                for ex in (*entry.get("match", []), *entry.get("no_match", []))]
    assert [(c.id, c.role, c.relation, c.anchors, c.starts) for c in cached.entries] == \
           [(c.id, c.role, c.relation, c.anchors, c.starts) for c in fresh.entries]
    for old, new in zip(fresh.entries, cached.entries):
        assert [m.span() for t in examples for m in old.pattern.finditer(t)] == \
               [m.span() for t in examples for m in new.pattern.finditer(t)], old.id


def test_a_changed_relations_file_or_a_damaged_cues_entry_is_validated_again(cache, cue_loads, monkeypatch):
    from kcextract.verifier import cues as C

    C.load_cues()
    [path] = cache.glob("cues-*.pickle")
    path.write_bytes(b"\x00not a pickle")
    C.load_cues.cache_clear()
    assert C.load_cues().entries and len(cue_loads) == 2          # a miss, then written again
    assert pickle.loads(path.read_bytes())["cues"].entries
    monkeypatch.setattr(P, "pattern_files_key", lambda: "e" * 64)  # what an edited file gives
    C.load_cues.cache_clear()
    C.load_cues()
    assert len(cue_loads) == 3


def test_what_the_cache_holds_is_made_again_by_init_when_read(monkeypatch):
    """Pattern and cue objects pickle as a call of their class (pattern_cache.made_by_init): read
    back, they are made by ``__init__`` like fresh ones (unpickled into a filled ``__dict__``, their
    attributes were read by CPython's slow generic lookup), with the same fields."""
    from kcextract.verifier import cues as C

    fresh_patterns, fresh_cues = P._load_pattern_set(P.PATTERN_DIR), C.load_relations(C.RELATIONS_FILE)
    made = []
    for cls in (P.Pattern, P.Gate, P.PatternSet, C.Cue, C.Cues):  # (each is made by its __init__)
        def counting(self, *args, __init__=cls.__init__, **kwargs):
            made.append(type(self).__name__)
            __init__(self, *args, **kwargs)
        monkeypatch.setattr(cls, "__init__", counting)
    patterns = pickle.loads(pickle.dumps(fresh_patterns))
    cues = pickle.loads(pickle.dumps(fresh_cues))
    assert made.count("Pattern") == len(fresh_patterns.patterns) and made.count("PatternSet") == 1
    assert made.count("Gate") == len(fresh_patterns.gates)
    assert made.count("Cue") == len(fresh_cues.entries) and made.count("Cues") == 1
    assert [vars(p) for p in patterns.patterns][0].keys() == vars(fresh_patterns.patterns[0]).keys()
    assert [(p.id, p.regex.pattern, p.starts) for p in patterns.patterns] == \
           [(p.id, p.regex.pattern, p.starts) for p in fresh_patterns.patterns]
    assert [(c.id, c.pattern.pattern, c.anchors) for c in cues.entries] == \
           [(c.id, c.pattern.pattern, c.anchors) for c in fresh_cues.entries]
    assert cues.words == fresh_cues.words
