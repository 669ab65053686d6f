"""Load, expand and validate the pattern files in ``patterns/``.

Patterns are data: a new phrasing is an entry in a YAML file, with examples
that must and must not match.  Every file is validated when it is loaded (closed
key sets, regexes that compile, examples that behave), and a bad edit fails at
start-up with a :class:`PatternFileError` naming the file, entry and key.  What
passed is kept in a disk cache (:mod:`kcextract.pattern_cache`) keyed by the files'
hashes, so an unchanged folder is validated once, not on every start.
"""
from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import regex

from kcextract import pattern_cache
from kcextract.exceptions import PatternFileError
from kcextract.folded import folded_in_place
from kcextract.reach import consumed_run, shortest
from kcextract.starts import NUMBER_KEY, candidates, is_class, positions, tried_at
from kcextract.wordindex import trie_alternation as word_trie


def data_dir(name: str, env: str) -> Path:
    """Where the data folder ``name`` (patterns, scrapers) lives: ``$env`` if set, the
    source tree in a checkout or editable install, else the copy a wheel installs under
    ``<prefix>/share/kcextract/``."""
    if os.environ.get(env):
        return Path(os.environ[env])
    in_tree = Path(__file__).resolve().parent.parent / name
    if in_tree.is_dir():
        return in_tree
    return Path(sys.prefix) / "share" / "kcextract" / name


PATTERN_DIR = data_dir("patterns", "KCEXTRACT_PATTERNS")

# The figure pattern files, in the order their entries are tried (within one
# priority).  Blockers (dates, legal numbers, periods...) come first.
FIGURE_FILES = ("blockers.yaml", "money.yaml", "percent.yaml", "count.yaml", "project.yaml")

LEXICON_KEYS = {"values", "meaning", "note"}
ENTRY_KEYS = {
    "id", "kind", "priority", "regex", "note", "match", "no_match", "currency",
    "unit_by", "requires_context", "context_window", "case_sensitive", "gate", "starts",
    "starts_after", "number_then", "number_ends_then",
}
FRAGMENT_KEYS = {"id", "regex", "note", "match", "no_match"}
GATE_KEYS = {"id", "regex", "note", "before", "after", "anchored", "match", "no_match", "starts", "number_then",
             "number_ends_then"}
# (malformed: digits no reading fits, before a money or percent word; reported, never a figure)
ENTRY_KINDS = {"money", "percent", "count", "project", "blocked", "period", "malformed"}
EXAMPLE_KEYS = {"text", "span"}

_REF = regex.compile(r"(?<!\\p)(?<!\\P)\{([A-Z][A-Z_]+)\}")


@dataclass(frozen=True)
class Lexicon:
    """Named word lists (``{NAME}`` in a regex) and the meaning of each entry."""

    __reduce__ = pattern_cache.made_by_init

    lists: dict
    meanings: dict

    def meaning(self, name: str, word: str):
        """The value a list gives a word, matched without regard to case or spacing."""
        table = self.meanings[name]
        key = " ".join(word.split())
        if key in table:
            return table[key]
        folded = key.casefold()
        for entry, value in table.items():
            if entry.casefold() == folded:
                return value
        raise KeyError(f"{word!r} is not in {name}")

    def alternation(self, name: str) -> str:
        words = sorted(set(self.lists[name]), key=len, reverse=True)
        return "(?:" + "|".join(_word_regex(w) for w in words) + ")"


def _word_regex(word: str) -> str:
    return r"\s+".join(regex.escape(part) for part in word.split())


@dataclass(frozen=True)
class Pattern:
    """One compiled pattern entry of a figure file."""

    __reduce__ = pattern_cache.made_by_init

    id: str
    kind: str
    priority: int
    regex: "regex.Pattern"
    source: str
    note: str = ""
    currency: Optional[str] = None
    unit_by: Optional[str] = None
    gate: Optional[str] = None
    starts: tuple = ()                # stdlib-re scanners of where a match can begin (kcextract/starts.py)
    starts_after: tuple = ()          # stdlib-re scanners whose matches end where a match can begin
    number_then: tuple = ()           # words after the number a match begins with (cut, folded)
    number_ends_then: tuple = ()      # words after the number whose last digit a match begins at
    # A gated pattern's starts as one alternation: one call at each of its gate's hits, not one
    # a start (None for a pattern not gated, or without starts).
    gate_starts: Optional["re.Pattern"] = None
    requires_context: Optional[str] = None
    context_window: int = 80
    match: tuple = ()
    no_match: tuple = ()
    # The run of characters a match can be made of (kcextract/reach.py), read from the regex
    # once when the file is loaded (and kept in the disk cache): None when that is not known.
    run: Optional["regex.Pattern"] = None


# Windows closer than this are run as one: scanning a few hundred characters costs less
# than starting another scan (a window is a superset, so the matches are the same).
WINDOW_JOIN_GAP = 400


@dataclass(frozen=True)
class Gate:
    """A cheap scan shared by several patterns: they run only in windows around its matches.

    The four patterns of numbers in words all start with one; scanning for it once and
    running them near its hits costs a quarter of four full scans.
    """

    __reduce__ = pattern_cache.made_by_init

    id: str
    regex: "regex.Pattern"
    before: int
    after: int
    anchored: bool = False
    starts: tuple = ()                # prefilters of the gate, as a pattern's (kcextract/starts.py)
    number_then: tuple = ()
    number_ends_then: tuple = ()

    def windows(self, text: str, cache: Optional[dict] = None) -> list[tuple[int, int]]:
        """[start, end) windows around the gate's matches in ``text``: merged, or for an
        anchored gate one per match, starting where the match starts (its patterns'
        matches start exactly there, so they are tried there only).  ``cache`` holds what
        several gates and patterns of one document share (the index of its numbers)."""
        if self.anchored:
            # overlapped: 'hằng năm hai mươi cơ sở' gives a start at 'năm' and one at 'hai'.
            return [(m.start(), min(len(text), m.end() + self.after)) for m in self._matches(text, cache, True)]
        merged: list[list[int]] = []
        for m in self._matches(text, cache, False):
            lo, hi = max(0, m.start() - self.before), min(len(text), m.end() + self.after)
            if merged and lo <= merged[-1][1] + WINDOW_JOIN_GAP:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        return [(lo, hi) for lo, hi in merged]

    def _matches(self, text: str, cache: Optional[dict], overlapped: bool):
        """The gate's matches (``finditer``, ``overlapped`` or not), tried only where its
        prefilters hold when it has some."""
        folded = folded_in_place(text) if self.starts or self.number_then or self.number_ends_then else None
        if folded is None:
            return self.regex.finditer(text, overlapped=overlapped)
        scanners, fixed = candidates(folded, self.starts, (), self.number_then, cache, self.number_ends_then)
        return tried_at(self.regex.match, text, folded, scanners, fixed, overlapped=overlapped)


@dataclass(frozen=True)
class PeriodRule:
    """A way of stating a time (frames.yaml ``periods``): its regex, and what it gives
    when it names no year (``relative``: 0 this year, -1 the year before)."""

    __reduce__ = pattern_cache.made_by_init

    id: str
    regex: "regex.Pattern"
    relative: Optional[int] = None
    base: bool = False


@dataclass(frozen=True)
class FrameRules:
    """``patterns/frames.yaml``: the period rules and the cue lists of the frames.

    ``period_regex`` is every period rule in one alternation (group ``rule<i>`` tells
    which one matched), so a text is scanned once, the earlier rule winning at a position.
    """

    __reduce__ = pattern_cache.made_by_init

    periods: tuple = ()
    cues: dict = field(default_factory=dict)
    period_regex: Optional["regex.Pattern"] = None
    cue_words: dict = field(default_factory=dict)      # name -> the words of the cue list
    # Every rule's ``starts``, as stdlib-``re`` alternations to search the case-folded text
    # with: the positions where a period can begin (see kcextract.periods.find_periods).
    period_starts: tuple = ()
    # Those of ``period_starts`` whose every match begins with a digit ('\\d\\d?\\s+tháng'),
    # each with what the number must be followed by (None: anything): tried at the digits of
    # those numbers of the text only (kcextract.starts.number_starts).
    period_number_starts: tuple = ()

    def cue(self, name: str) -> "regex.Pattern":
        """The cue list ``name`` as one whole-word, case-insensitive regex (longest first)."""
        return self.cues[name]


@dataclass(frozen=True)
class PatternSet:
    """Everything the extractor needs from ``patterns/``."""

    __reduce__ = pattern_cache.made_by_init

    lexicon: Lexicon
    fragments: dict
    patterns: tuple = field(default_factory=tuple)
    gates: dict = field(default_factory=dict)
    frames: FrameRules = field(default_factory=FrameRules)

    def by_kind(self, kind: str) -> list:
        return [p for p in self.patterns if p.kind == kind]


def _fail(path, entry_id, key, reason):
    raise PatternFileError(path, entry_id, key, reason)


def check_keys(entry: dict, allowed: set, path, entry_id) -> None:
    """Refuse a key the file format does not know (a typo would otherwise be ignored)."""
    unknown = set(entry) - allowed
    if unknown:
        _fail(path, entry_id, sorted(unknown)[0], f"unknown key; allowed: {sorted(allowed)}")


def _compile(source: str, flags: int, path, entry_id) -> "regex.Pattern":
    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        _fail(path, entry_id, "regex", f"does not compile: {exc}")


def _never_empty(compiled: "regex.Pattern", path, entry_id) -> None:
    """Refuse a regex that can match an empty string: every scan (kcextract/starts.py, the
    claimed-text loop of the extractor) resumes at the end of a match, and an empty match
    would need a rule of its own.  A regex the standard parser cannot read cannot show it."""
    least = shortest(compiled.pattern, compiled.flags)
    if not least:
        _fail(path, entry_id, "regex", "can match an empty string" if least == 0 else
              "cannot be read by the standard re parser, to show that it never matches an empty string")


def _safe_loader(yaml):
    """PyYAML's safe loader on libyaml's C parser when PyYAML was built with it (about 8× faster
    than the pure-Python parser: a verifying start read relations.yaml twice at 40 ms each), else
    the pure-Python one. The constructors are the same; a test compares both on every data file."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_data_file(path) -> dict:
    """The one reader of every data file (``patterns/`` and the package's own YAML: legacy
    encodings, highlights, project frames): YAML, a mapping at the top level, or a
    :class:`PatternFileError` naming the file (never a bare YAML traceback)."""
    import yaml     # here, not at the top: a start that finds patterns/ in the disk cache parses no YAML

    path = Path(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_safe_loader(yaml))
    except OSError as exc:
        _fail(path, None, None, f"cannot read: {exc.strerror or exc}")
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        _fail(path, None, None, f"not valid YAML: {exc}")
    if data is None:
        return {}
    if not isinstance(data, dict):
        _fail(path, None, None, "the top level must be a mapping")
    return data


_read_yaml = read_data_file


# Every data file of patterns/ and the function that loads and validates it ("module:function",
# imported lazily so this module depends on none of them).  A file not listed here is refused.
DATA_FILES = {
    **{name: "kcextract.patterns:load_patterns" for name in (
        "lexicon.yaml", "numbers.yaml", "gates.yaml", *FIGURE_FILES, "frames.yaml")},
    "dates.yaml": "kcextract.dates:date_formats",
    "boilerplate.yaml": "kcextract.html.clean:boilerplate_rules",
    "relations.yaml": "kcextract.verifier.cues:load_cues",
    "provinces.yaml": "kcextract.dataset.provinces:province_table",
}


def _cache_key(base: Path) -> str:
    """The disk-cache key of the pattern folder ``base``: every data file in it and the code
    of every loader (a changed check must re-check), with the versions that pickles depend on."""
    package = Path(__file__).resolve().parent
    # (starts and wordindex shape what is kept: the prefilters' words are cut to the number
    # index's key, their lists compiled as its tries; reach checks that no regex matches empty)
    modules = sorted({"kcextract.patterns", "kcextract.pattern_cache", "kcextract.starts", "kcextract.wordindex",
                      "kcextract.reach",
                      *(loader.split(":")[0] for loader in DATA_FILES.values())})
    code = [package.joinpath(*module.split(".")[1:]).with_suffix(".py") for module in modules]
    return pattern_cache.cache_key(base, sorted(base.glob("*.yaml")), code)


def pattern_files_key() -> str:
    """The disk-cache key of the project's pattern folder (:data:`PATTERN_DIR`), under which every
    loader of its files keeps what it validated (:mod:`kcextract.pattern_cache`)."""
    return _cache_key(PATTERN_DIR)


def _run_loaders(names: list) -> None:
    """Load the data files ``names`` through their loaders, each validating its file."""
    import importlib

    for loader in dict.fromkeys(DATA_FILES[name] for name in names):
        module, function = loader.split(":")
        getattr(importlib.import_module(module), function)()


def validate_data_files(directory: Optional[Path] = None) -> list[str]:
    """Load every data file of ``patterns/`` through its loader (each validates its file:
    keys, regexes, examples); the first bad file raises :class:`PatternFileError`.
    Skipped when the disk cache says these very files passed already.
    Returns the names of the files checked."""
    base = Path(directory) if directory else PATTERN_DIR
    if not base.is_dir():
        raise PatternFileError(base, None, None, "pattern directory not found (set KCEXTRACT_PATTERNS)")
    present = sorted(p.name for p in base.glob("*.yaml"))
    unknown = [name for name in present if name not in DATA_FILES]
    if unknown:
        _fail(base / unknown[0], None, None, "no loader is registered for this file (patterns.DATA_FILES)")
    # The loaders read PATTERN_DIR: only a check of that folder can be remembered.
    key = _cache_key(base) if base.resolve() == Path(PATTERN_DIR).resolve() else None
    entry = pattern_cache.read(key) if key else None
    if entry and entry.get("validated") is True:
        return present
    _run_loaders(present)
    if key:
        pattern_cache.write(key, patterns=load_patterns(), validated=True)
    return present


def load_lexicon(path: Path) -> Lexicon:
    data = _read_yaml(path) or {}
    lists, meanings = {}, {}
    for name, body in data.items():
        if not isinstance(body, dict):
            _fail(path, name, None, "a list must be a mapping with 'values' or 'meaning'")
        check_keys(body, LEXICON_KEYS, path, name)
        if ("values" in body) == ("meaning" in body):
            _fail(path, name, "values", "give exactly one of 'values' or 'meaning'")
        if "meaning" in body:
            meanings[name] = {str(k): v for k, v in body["meaning"].items()}
            lists[name] = list(meanings[name])
        else:
            if not isinstance(body["values"], list) or not body["values"]:
                _fail(path, name, "values", "must be a non-empty list")
            lists[name] = [str(v) for v in body["values"]]
    return Lexicon(lists, meanings)


def list_regex(words: list) -> str:
    """A lexicon list in a pattern: the alternation of its words, longest first
    (:meth:`Lexicon.alternation`), or the same words shaped as a trie when that matches the
    same words in the same order, which the ``regex`` engine tries several times faster
    (each letter compared once however many words share it: half the time of the counted
    nouns at a number).

    The same order: at a position, the words that match are each a prefix of the next, and
    the trie, as the alternation, tries the longest first (then the shorter ones on its path).
    That holds with or without IGNORECASE unless two words agree when case-folded but not as
    written ('DN', 'dn…'): such a list stays an alternation."""
    norm = sorted({" ".join(w.split()) for w in words})
    folded = [w.casefold() for w in norm]
    if any(len(f) != len(w) for f, w in zip(folded, norm)):
        return None
    for i, (a, fa) in enumerate(zip(norm, folded)):
        for b, fb in zip(norm[i + 1:], folded[i + 1:]):
            if (fb.startswith(fa) and not b.startswith(a)) or (fa.startswith(fb) and not a.startswith(b)):
                return None
    return "(?:" + word_trie(norm) + ")"


def _in_lookbehind(source: str, pos: int) -> bool:
    """Whether ``pos`` of a VERBOSE regex lies inside a look-behind, where the ``regex`` engine
    reads a trie backwards, slower than the alternation (the counted noun before 'số …:')."""
    groups, i, in_class = [], 0, False
    while i < pos:
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source[i + 1:i + 2] == "^":
                i += 1
            if source[i + 1:i + 2] == "]":
                i += 1      # a ']' right after '[' or '[^' is a character of the class
        elif ch == "#":
            end = source.find("\n", i)
            i = pos if end == -1 else end
            continue
        elif ch == "(":
            groups.append(source.startswith(("(?<=", "(?<!"), i))
        elif ch == ")" and groups:
            groups.pop()
        i += 1
    return any(groups)


def _expand(text: str, lexicon: Lexicon, fragments: dict, path, entry_id) -> str:
    def repl(m):
        name = m.group(1)
        if name in fragments:
            return "(?:" + fragments[name] + ")"
        if name in lexicon.lists:
            trie = None if _in_lookbehind(m.string, m.start()) else list_regex(lexicon.lists[name])
            return trie or lexicon.alternation(name)
        _fail(path, entry_id, "regex", f"unknown reference {{{name}}}")

    # Fragments may refer to lists and to earlier fragments.
    for _ in range(5):
        new = _REF.sub(repl, text)
        if new == text:
            break
        text = new
    return text


def _check_examples(find, entry: dict, path, entry_id) -> None:
    """Every `match` example is found by ``find`` (fullmatch or search), no `no_match` one is."""
    for example in entry.get("match", []):
        if not find(example):
            _fail(path, entry_id, "match", f"example {example!r} is not matched")
    for example in entry.get("no_match", []):
        if find(example):
            _fail(path, entry_id, "no_match", f"example {example!r} is matched")


def load_fragments(path: Path, lexicon: Lexicon) -> dict:
    """Named regex pieces (``{NUMBER}``...), each checked against its examples."""
    data = _read_yaml(path) or {}
    fragments: dict = {}
    for entry in data.get("fragments", []):
        entry_id = entry.get("id")
        check_keys(entry, FRAGMENT_KEYS, path, entry_id)
        source = _expand(entry["regex"], lexicon, fragments, path, entry_id)
        compiled = _compile(source, regex.VERBOSE | regex.VERSION0, path, entry_id)
        _check_examples(compiled.fullmatch, entry, path, entry_id)
        # Stored without VERBOSE so it can sit inside other patterns: strip the
        # comments and layout now.
        fragments[entry_id] = _strip_verbose(source)
    return fragments


def _strip_verbose(source: str) -> str:
    """Turn a VERBOSE regex into a compact one (comments and layout removed)."""
    out, i, in_class = [], 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            out.append(ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == "#":
            while i < len(source) and source[i] != "\n":
                i += 1
            continue
        elif not ch.isspace():
            out.append(ch)
        i += 1
    return "".join(out)


def _examples(path, entry_id, key, items) -> tuple:
    result = []
    for item in items or []:
        if isinstance(item, str):
            result.append({"text": item})
        elif isinstance(item, dict):
            unknown = set(item) - EXAMPLE_KEYS
            if unknown:
                _fail(path, entry_id, key, f"example has unknown key {sorted(unknown)[0]!r}")
            result.append(item)
        else:
            _fail(path, entry_id, key, "an example is a string or {text, span}")
    return tuple(result)


def load_gates(path: Path, lexicon: Lexicon, fragments: dict) -> dict:
    """The gates of ``gates.yaml``: shared pre-scans, each checked against its examples."""
    data = _read_yaml(path) or {}
    gates = {}
    for entry in data.get("gates", []):
        entry_id = entry.get("id")
        check_keys(entry, GATE_KEYS, path, entry_id)
        source = _expand(entry["regex"], lexicon, fragments, path, entry_id)
        compiled = _compile(source, regex.VERBOSE | regex.VERSION0 | regex.IGNORECASE, path, entry_id)
        _never_empty(compiled, path, entry_id)
        _check_examples(compiled.search, entry, path, entry_id)
        prefilters = {}
        if any(key in entry for key in PREFILTER_KEYS):
            prefilters = _prefilters(compiled, entry, list(entry.get("match", [])) + list(entry.get("no_match", [])),
                                     lexicon, path, entry_id)
            prefilters.pop("starts_after")
        gates[entry_id] = Gate(entry_id, compiled, int(entry.get("before", 0)), int(entry.get("after", 0)),
                               bool(entry.get("anchored", False)), **prefilters)
    return gates


def load_pattern_file(path: Path, lexicon: Lexicon, fragments: dict, gates: Optional[dict] = None) -> list:
    data = _read_yaml(path) or {}
    if set(data) - {"patterns", "note"}:
        _fail(path, None, sorted(set(data) - {"patterns", "note"})[0], "top level allows 'patterns' and 'note'")
    result, seen = [], set()
    for entry in data.get("patterns", []):
        entry_id = entry.get("id")
        if not entry_id:
            _fail(path, None, "id", "every entry needs an id")
        if entry_id in seen:
            _fail(path, entry_id, "id", "duplicate id")
        seen.add(entry_id)
        check_keys(entry, ENTRY_KEYS, path, entry_id)
        for key in ("kind", "regex", "priority"):
            if key not in entry:
                _fail(path, entry_id, key, "missing")
        if entry["kind"] not in ENTRY_KINDS:
            _fail(path, entry_id, "kind", f"must be one of {sorted(ENTRY_KINDS)}")
        if entry.get("requires_context") and entry["requires_context"] not in lexicon.lists:
            _fail(path, entry_id, "requires_context", "names no list of lexicon.yaml")
        if entry.get("gate") and entry["gate"] not in (gates or {}):
            _fail(path, entry_id, "gate", "names no gate of gates.yaml")
        source = _expand(entry["regex"], lexicon, fragments, path, entry_id)
        # VERSION0: simple case folding, several times faster than VERSION1's full
        # folding and the same for Vietnamese (no letter folds to two).
        flags = regex.VERBOSE | regex.VERSION0
        if not entry.get("case_sensitive"):
            flags |= regex.IGNORECASE
        compiled = _compile(source, flags, path, entry_id)
        _never_empty(compiled, path, entry_id)
        match = _examples(path, entry_id, "match", entry.get("match"))
        no_match = _examples(path, entry_id, "no_match", entry.get("no_match"))
        if not match:
            _fail(path, entry_id, "match", "every pattern needs at least one example that matches")
        for example in match:
            found = [m.group(0) for m in compiled.finditer(example["text"])]
            want = example.get("span", example["text"])
            if want not in found:
                _fail(path, entry_id, "match", f"example {example['text']!r}: wanted {want!r}, found {found}")
        for example in no_match:
            found = [m.group(0) for m in compiled.finditer(example["text"])]
            if "span" in example and example["span"] in found or "span" not in example and found:
                _fail(path, entry_id, "no_match", f"example {example['text']!r} is matched: {found}")
        prefilters = {}
        present = [key for key in PREFILTER_KEYS if key in entry]
        if present:
            # A gated pattern may say with `starts` what the text holds where it begins: they
            # are then checked at its (anchored) gate's hits, a cheap test before its regex.
            gate = (gates or {}).get(entry.get("gate"))
            if gate is not None and (present != ["starts"] or not gate.anchored):
                _fail(path, entry_id, next(k for k in present if k != "starts") if present != ["starts"] else "starts",
                      "a gated pattern is prefiltered by its gate, or also by `starts` checked at an "
                      "anchored gate's hits, not by both")
            examples = [e["text"] for e in match + no_match]
            prefilters = _prefilters(compiled, entry, examples, lexicon, path, entry_id)
            if gate is not None:
                prefilters["gate_starts"] = _alternation(prefilters["starts"], path, entry_id)
        result.append(Pattern(
            id=entry_id, kind=entry["kind"], priority=int(entry["priority"]), regex=compiled,
            source=str(path), note=entry.get("note", ""), currency=entry.get("currency"),
            unit_by=entry.get("unit_by"), gate=entry.get("gate"), **prefilters,
            requires_context=entry.get("requires_context"),
            context_window=int(entry.get("context_window", 80)), match=match, no_match=no_match,
            run=consumed_run(compiled.pattern, compiled.flags),
        ))
    return result


PERIOD_KEYS = {"id", "regex", "starts", "note", "match", "no_match", "relative", "base"}
CUE_KEYS = {"values", "note", "example"}


def cue_regex(words) -> "regex.Pattern":
    """Any of ``words`` as a whole word, case-insensitively."""
    alternation = "|".join(_word_regex(w) for w in sorted(set(words), key=len, reverse=True))
    return regex.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)", regex.IGNORECASE | regex.VERSION0)


def load_frame_rules(path: Path) -> FrameRules:
    """``frames.yaml``: period rules (each checked against its examples) and cue lists
    (each with an example sentence that holds one of its words)."""
    data = _read_yaml(path) or {}
    if set(data) - {"periods", "cues", "note"}:
        _fail(path, None, sorted(set(data) - {"periods", "cues", "note"})[0], "top level allows 'periods', 'cues'")
    periods, sources, starts = [], [], []
    for entry in data.get("periods", []):
        entry_id = entry.get("id")
        check_keys(entry, PERIOD_KEYS, path, entry_id)
        compiled = _compile(entry.get("regex", ""), regex.VERBOSE | regex.VERSION0 | regex.IGNORECASE, path, entry_id)
        _never_empty(compiled, path, entry_id)
        if "y1" not in compiled.groupindex and not isinstance(entry.get("relative"), int):
            _fail(path, entry_id, "relative", "an entry without a year group (y1) needs 'relative'")
        if not entry.get("match"):
            _fail(path, entry_id, "match", "every period needs at least one example that matches")
        _check_examples(compiled.search, entry, path, entry_id)
        starts.extend(_period_starts(compiled, entry, path, entry_id))
        periods.append(PeriodRule(entry_id, compiled, entry.get("relative"), bool(entry.get("base", False))))
        sources.append(f"(?P<rule{len(sources)}>{entry['regex']})")
    cues = {}
    for name, body in (data.get("cues") or {}).items():
        if not isinstance(body, dict):
            _fail(path, name, None, "a cue list is a mapping with 'values', 'note' and 'example'")
        check_keys(body, CUE_KEYS, path, name)
        values = body.get("values")
        if not isinstance(values, list) or not values:
            _fail(path, name, "values", "must be a non-empty list")
        cues[name] = cue_regex([str(v) for v in values])
        if not isinstance(body.get("example"), str) or not cues[name].search(body["example"]):
            _fail(path, name, "example", "needs an example sentence holding one of its values")
    combined = _compile("|".join(sources), regex.VERBOSE | regex.VERSION0 | regex.IGNORECASE, path, "periods")
    any_start, number_first = start_scanners(starts)
    cue_words = {name: tuple(str(v) for v in body["values"]) for name, body in (data.get("cues") or {}).items()}
    return FrameRules(tuple(periods), cues, period_regex=combined, cue_words=cue_words, period_starts=any_start,
                      period_number_starts=number_first)


def start_scanners(starts: list) -> tuple[tuple, tuple]:
    """``starts`` of every period rule as stdlib-``re`` alternations to search with (a figure
    pattern's are searched one by one, see :func:`_prefilters`), and those of them whose
    every match begins with a digit.

    Each regex once, those that begin with a plain character grouped by it
    ('t(?:ừ\\s|háng\\s+\\d)'): an alternation whose every branch begins with a character
    lets ``re`` skip, at C speed, each position none of them begins at (twice as fast as
    the same regexes side by side).  Those that begin with a digit ('\\d\\d?\\s*[/-]') go in a
    second one, tried only at the digits of the text's numbers (a separate scan of the whole
    text for them cost more than all of them tried there); any others in a third.
    """
    by_first: dict = {}
    digit_first, others = [], []
    for source in dict.fromkeys(starts):
        if source[0] not in "\\.^$*+?{}[]|()" and source[1:2] not in ("*", "+", "?", "{") and "|" not in source:
            by_first.setdefault(source[0], []).append(source[1:])
        elif source.startswith(r"\d") and source[2:3] not in ("*", "?", "{") and "|" not in source:
            digit_first.append(source)
        else:
            others.append(source)
    scanners = []
    if by_first:
        scanners.append("|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in by_first.items()))
    number_first = []
    if digit_first:
        then = [_after_number(source) for source in digit_first]
        number_first.append((re.compile("|".join(f"(?:{source})" for source in digit_first)),
                             None if None in then else tuple(dict.fromkeys(w for words in then for w in words))))
    if others:
        scanners.append("|".join(f"(?:{source})" for source in others))
    scanners = [re.compile(scanner) for scanner in scanners]
    return tuple(scanners + [scanner for scanner, _ in number_first]), tuple(number_first)


# A start that begins with digits ('\\d\\d?'), maybe spaces, then plain characters or a class.
_DIGITS_THEN = re.compile(r"(?:\\d[?*+]?)+(?:\\s[*+]?)?([^\\.^$*+?{}\[\]|()\s]+|\[[^\]\\]*\])")


def _after_number(source: str) -> Optional[tuple]:
    """What the number a digit-first start begins in must be followed by (after its
    spaces), as ``number_then`` words or a class: 'thán' for '\\d\\d?\\s+tháng', '/' and '-'
    for '\\d\\d?\\s*[/-]...'; None when the start does not say, or says what may still be the
    number or its spaces (a digit, a dot, a comma, a space)."""
    m = _DIGITS_THEN.match(source)
    if m is None or m.group(1).startswith("[^"):
        return None
    then = m.group(1)
    if then[0] != "[" and source[m.end():m.end() + 1] in ("*", "?", "{"):
        then = then[:-1]            # ('thángs?': the 's' may be missing)
    if not then:
        return None
    try:
        cls = re.compile(then[0] if then[0] != "[" else then)
    except re.error:
        return None
    if any(cls.match(ch) for ch in _number_chars()):
        return None
    if then[0] != "[":
        return (then.casefold()[:NUMBER_KEY],)
    inside = then[1:-1]
    if "-" in inside.strip("-"):
        return (then,)                  # a range: kept as a class
    return tuple(dict.fromkeys(inside.casefold()))     # each character a word: looked up in the sorted keys


@functools.lru_cache(maxsize=1)
def _number_chars() -> tuple:
    """Every character of the BMP a number of kcextract.starts.number_index runs over (a digit,
    a dot, a comma, a space)."""
    number_char = re.compile(r"[\d\s.,]")
    return tuple(ch for ch in map(chr, range(0x10000)) if number_char.match(ch))


# The keys that say where a figure pattern (or a gate) can begin (kcextract/starts.py).
PREFILTER_KEYS = ("starts", "starts_after", "number_then", "number_ends_then")


def _prefilters(rule: "regex.Pattern", entry: dict, examples: list, lexicon: Lexicon, path, entry_id) -> dict:
    """An entry's ``starts``, ``starts_after``, ``number_then`` and ``number_ends_then``,
    compiled, and checked to find every position where the entry matches one of its examples.

    ``starts`` and ``starts_after`` are stdlib ``re`` regexes on the case-folded text (each
    searched alone: a regex that begins with plain letters is found fastest that way);
    ``number_then`` lists words ('{SCALE}' for a lexicon list), one of which follows the
    number a match begins with (``number_ends_then``: at whose last digit a match begins);
    none may begin with a digit, a dot, a comma or a space."""
    compiled: dict = {}
    for key in ("starts", "starts_after"):
        sources = entry.get(key, [])
        if key in entry and (not isinstance(sources, list) or not sources
                             or not all(isinstance(s, str) and s for s in sources)):
            _fail(path, entry_id, key, "a list of what the text holds where a match begins"
                  if key == "starts" else "a list of what the text holds right before a match")
        try:
            compiled[key] = tuple(re.compile(scanner) for source in dict.fromkeys(sources)
                                  for scanner in _folded_lists(source, lexicon, path, entry_id, key))
        except re.error as exc:
            _fail(path, entry_id, key, f"does not compile (Python re): {exc}")
    prefilters = {"starts": compiled["starts"], "starts_after": compiled["starts_after"]}
    for key in ("number_then", "number_ends_then"):
        prefilters[key] = _number_words(entry, key, lexicon, path, entry_id, NUMBER_KEY)
    key = next(k for k in PREFILTER_KEYS if k in entry)
    for example in examples:
        folded = example.casefold()
        if len(folded) != len(example):
            _fail(path, entry_id, "match", f"example {example!r} changes length when case-folded")
        found = positions(folded, *candidates(folded, prefilters["starts"], prefilters["starts_after"],
                                              prefilters["number_then"], None, prefilters["number_ends_then"]))
        for m in rule.finditer(example, overlapped=True):      # every position it matches at
            if m.start() not in found:
                _fail(path, entry_id, key, f"misses where {m.group(0)!r} begins in example {example!r}")
    return prefilters


def _alternation(starts: tuple, path, entry_id) -> "re.Pattern":
    """``starts`` as one stdlib regex that matches where any of them does."""
    if len(starts) == 1:
        return starts[0]
    try:
        return re.compile("|".join(f"(?:{start.pattern})" for start in starts))
    except re.error as exc:         # (a start with a flag of its own)
        _fail(path, entry_id, "starts", f"the starts of a gated pattern must join as one alternation: {exc}")


# A prefilter that begins with a list of at most this many words is searched as one regex per
# word: re finds a regex that begins with plain letters several times faster than one that
# begins with an alternation ('đề\s+án…', 'dự\s+án…', 'chương\s+trình…'); still a quarter
# faster for the ten spelled digits of the spelled-word gate (their first letters, b c h m n
# s t, are common ones), and several times slower for the 31 ordinal nouns.
SPLIT_LIST = 10


def _number_words(entry: dict, key: str, lexicon: Lexicon, path, entry_id, cut: int) -> tuple:
    """The words of an entry's ``number_then`` or ``number_ends_then``, case-folded, each cut to
    its first word and ``cut`` characters (the number index's key)."""
    if key not in entry:
        return ()
    sources, words = entry[key], []
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        _fail(path, entry_id, key, "a list of words (or {LIST} names) that follow the number")
    for source in sources:
        name = source[1:-1] if source.startswith("{") and source.endswith("}") else None
        if name is not None and name not in lexicon.lists:
            _fail(path, entry_id, key, f"{source} names no list of lexicon.yaml")
        if is_class(source):
            # A character class: the first character after the number (case-folded) is one of it.
            try:
                if re.compile(source).groups or re.match(source, "") is not None:
                    raise re.error("not a single character class")
            except re.error as exc:
                _fail(path, entry_id, key, f"{source!r} is no character class (Python re): {exc}")
            if any(re.match(source, c) for c in "0123456789., \t\n"):
                _fail(path, entry_id, key, f"{source!r} holds a digit, a dot, a comma or a space")
            words.append(source)
            continue
        for word in lexicon.lists[name] if name else [source]:
            if word[0].isdigit() or word[0] in ".," or word[0].isspace():
                _fail(path, entry_id, key, f"{word!r} begins with a digit, a dot, a comma or a space")
            # Only its first word: the text may put any spaces between the words.
            words.append(word.casefold().split()[0][:cut])
    # A word that begins with another adds nothing ('cơ' finds what 'cơ s' finds).
    return tuple(w for w in dict.fromkeys(words)
                 if is_class(w) or not any(w != v and w.startswith(v) and not is_class(v) for v in words))


def _trie(words: list) -> str:
    """``words`` as one stdlib-``re`` group shaped as a trie (kcextract/wordindex.py: a group
    already when it has branches, a plain run of letters else)."""
    return word_trie(sorted(set(words)))


def _folded_lists(source: str, lexicon: Lexicon, path, entry_id, key) -> list:
    """A prefilter with each ``{LIST}`` of the lexicon replaced by its words, case-folded
    (the prefilters read the case-folded text), as stdlib ``re`` regexes."""
    def words(m) -> list:
        name = m.group(1)
        if name not in lexicon.lists:
            _fail(path, entry_id, key, f"unknown reference {{{name}}}")
        found = sorted({w.casefold() for w in lexicon.lists[name]}, key=len, reverse=True)
        return [r"\s+".join(re.escape(part) for part in w.split()) for w in found]

    first = _REF.match(source)
    if first and len(words(first)) <= SPLIT_LIST:
        return [alone for word in words(first) for alone in _folded_lists(
            word + source[first.end():], lexicon, path, entry_id, key)]
    if _REF.fullmatch(source):
        # A list alone stays a bare alternation: re finds the first letters of one fast, not
        # of one inside a group (twice as fast on the spelled numerals).
        return ["|".join(words(first))]
    # A longer list inside a regex is shaped as a trie: each letter is compared once however
    # many words share it (the ordinal nouns: a third faster than the flat alternation).
    return [_REF.sub(lambda m: _trie([" ".join(w.casefold().split()) for w in lexicon.lists[m.group(1)]]),
                     _checked_refs(source, lexicon, path, entry_id, key))]


def _checked_refs(source: str, lexicon: Lexicon, path, entry_id, key) -> str:
    for m in _REF.finditer(source):
        if m.group(1) not in lexicon.lists:
            _fail(path, entry_id, key, f"unknown reference {{{m.group(1)}}}")
    return source


def _period_starts(rule: "regex.Pattern", entry: dict, path, entry_id) -> list:
    """A period entry's ``starts`` (every period rule has them), checked on its examples."""
    examples = [*entry.get("match", []), *entry.get("no_match", [])]
    return _checked_starts(rule, entry.get("starts"), examples, path, entry_id,
                           missing="every period needs 'starts': a list of what the text holds where it begins")


def _checked_starts(rule: "regex.Pattern", sources, examples: list, path, entry_id,
                    missing: str = "a list of what the text holds where a match begins") -> list:
    """An entry's ``starts`` (stdlib ``re`` regexes, on case-folded text), checked to hold
    at every position where the entry matches one of its examples."""
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        _fail(path, entry_id, "starts", missing)
    try:
        starts = re.compile("|".join(f"(?:{s})" for s in sources))
    except re.error as exc:
        _fail(path, entry_id, "starts", f"does not compile (Python re): {exc}")
    for example in examples:
        folded = example.casefold()
        if len(folded) != len(example):
            _fail(path, entry_id, "match", f"example {example!r} changes length when case-folded")
        for m in rule.finditer(example, overlapped=True):      # every position it matches at
            if not starts.match(folded, m.start()):
                _fail(path, entry_id, "starts", f"misses where {m.group(0)!r} begins in example {example!r}")
    return sources


@functools.lru_cache(maxsize=32)
def word_regex(name: str) -> "regex.Pattern":
    """Any entry of the lexicon list ``name`` as a whole word, case-insensitively
    (compiled once per list: the qualifier, label and context searches share it)."""
    alternation = load_patterns().lexicon.alternation(name)
    return regex.compile(r"(?<!\w)" + alternation + r"(?!\w)", regex.IGNORECASE | regex.VERSION0)


@functools.lru_cache(maxsize=4)
def load_patterns(directory: Optional[str] = None) -> PatternSet:
    """Load and validate every pattern file (cached: the set is immutable), or take the set
    from the disk cache when these files were loaded and validated before."""
    base = Path(directory) if directory else PATTERN_DIR
    if not base.is_dir():
        raise PatternFileError(base, None, None, "pattern directory not found (set KCEXTRACT_PATTERNS)")
    return pattern_cache.kept(_cache_key(base), "patterns", lambda: _load_pattern_set(base), PatternSet)


def _load_pattern_set(base: Path) -> PatternSet:
    """Read, expand, compile and validate the pattern files of ``base``."""
    lexicon = load_lexicon(base / "lexicon.yaml")
    fragments = load_fragments(base / "numbers.yaml", lexicon)
    gates = load_gates(base / "gates.yaml", lexicon, fragments)
    patterns = []
    for name in FIGURE_FILES:
        patterns.extend(load_pattern_file(base / name, lexicon, fragments, gates))
    patterns.sort(key=lambda p: p.priority)  # stable: file order within a priority
    frames = load_frame_rules(base / "frames.yaml")
    return PatternSet(lexicon, fragments, tuple(patterns), gates, frames)
