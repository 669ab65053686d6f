"""The relation cues of ``patterns/relations.yaml``, validated and compiled once.

The words by which a report states a relation (đạt, chiếm, tăng, trong đó, gồm …)
are data, each with examples; a bad edit fails at load with a message naming the
file, the entry and the key, not later with a wrong check.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import regex

from kcextract import pattern_cache
from kcextract.exceptions import PatternFileError
from kcextract.patterns import PATTERN_DIR, check_keys, read_data_file

RELATIONS_FILE = PATTERN_DIR / "relations.yaml"

KEYS = {"id", "role", "relation", "direction", "regex", "values", "note", "match", "no_match", "anchors",
        "starts"}
REQUIRED = {"id", "role", "regex", "note", "match"}
ROLES = {"qualifier", "claim", "base", "parts", "total", "list", "announce", "partial", "multiple",
         "implied", "average", "list_lead", "balance", "balance_side", "remainder", "besides", "phrase"}
RELATIONS = {"ratio", "share", "change", "multiple"}
DIRECTIONS = {"up", "down"}
FLAGS = regex.VERBOSE | regex.IGNORECASE | regex.V1


@dataclass(frozen=True)
class Cue:
    """One compiled cue entry."""

    __reduce__ = pattern_cache.made_by_init

    id: str
    role: str
    pattern: regex.Pattern
    relation: Optional[str] = None
    direction: Optional[str] = None
    values: dict = field(default_factory=dict)
    note: str = ""
    # Words (case-folded) one of which every match contains: where none stands, the
    # regex need not run (kcextract/verifier/anchors.py).
    anchors: tuple = ()
    # Words one of which every match begins with: only there can a match begin.
    starts: tuple = ()


class Cues:
    """All cues of a relations file, by role, in file order."""

    def __reduce__(self):
        """Made again by ``__init__`` when read from the disk cache (see ``made_by_init``)."""
        return Cues, (self.entries,)

    def __init__(self, entries: list[Cue]):
        self.entries = entries
        self._by_id = {c.id: c for c in entries}
        self._by_role: dict = {}
        for c in entries:
            self._by_role.setdefault(c.role, []).append(c)
        # Every anchor and start word of the entries (kcextract/verifier/anchors.py looks for
        # them all at once in a document, to pass over the cues none of whose words stand there).
        self.words = tuple(sorted({w for c in entries for w in c.anchors + c.starts}))

    def role(self, role: str) -> list[Cue]:
        return self._by_role.get(role, [])

    def first(self, role: str) -> Cue:
        return self.role(role)[0]

    def entry(self, cue_id: str) -> Cue:
        """The named entry."""
        try:
            return self._by_id[cue_id]
        except KeyError:
            raise KeyError(f"relations.yaml has no entry {cue_id!r}") from None

    def phrase(self, cue_id: str) -> regex.Pattern:
        """The compiled pattern of the named ``phrase`` entry (a word list a claim type reads)."""
        try:
            return self._by_id[cue_id].pattern
        except KeyError:
            raise KeyError(f"relations.yaml has no entry {cue_id!r}") from None

    def claim_before(self, text: str) -> Optional[tuple[Cue, regex.Match]]:
        """The claim cue the text ends with (first in file order), if any.

        >>> cue, m = load_cues().claim_before("tổng kinh phí là 56.147 triệu đồng, đạt ")
        >>> cue.relation, m.group(0).strip()
        ('ratio', 'đạt')
        >>> load_cues().claim_before("hỗ trợ ") is None
        True
        """
        for cue in self.role("claim"):
            m = cue.pattern.search(text)
            if m:
                return cue, m
        return None

    def any_match(self, role: str, text: str) -> Optional[regex.Match]:
        """The first match in ``text`` of any cue of ``role``."""
        for cue in self.role(role):
            m = cue.pattern.search(text)
            if m:
                return m
        return None


def _fail(path, entry_id, key, reason):
    raise PatternFileError(path, entry_id, key, reason)


def parse_relations(data, path=RELATIONS_FILE) -> Cues:
    """Validate a loaded relations document and compile it (examples are run too)."""
    if (not isinstance(data, dict) or not {"relations"} <= set(data) <= {"relations", "claim_types"}
            or not isinstance(data["relations"], list)):
        _fail(path, None, "relations", "the file must hold a key 'relations' with a list of entries "
              "(and optionally 'claim_types')")
    raw = data["relations"]
    qualifier = ""
    seen = set()
    entries = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            _fail(path, f"#{i}", None, "an entry must be a mapping")
        eid = entry.get("id", f"#{i}")
        check_keys(entry, KEYS, path, eid)
        for key in REQUIRED:
            if key not in entry:
                _fail(path, eid, key, "missing")
        if eid in seen:
            _fail(path, eid, "id", "duplicate id")
        seen.add(eid)
        role = entry["role"]
        if role not in ROLES:
            _fail(path, eid, "role", f"unknown role {role!r} (allowed: {', '.join(sorted(ROLES))})")
        relation = entry.get("relation")
        if role in ("claim", "multiple") and relation not in RELATIONS:
            _fail(path, eid, "relation", f"a {role} cue needs a relation in {sorted(RELATIONS)}")
        direction = entry.get("direction")
        if relation == "change" and direction not in DIRECTIONS:
            _fail(path, eid, "direction", "a change cue needs direction up or down")
        for key in ("match", "no_match"):
            if key in entry and not (isinstance(entry[key], list)
                                     and all(isinstance(x, str) for x in entry[key])):
                _fail(path, eid, key, "must be a list of strings")
        values = entry.get("values") or {}
        if not isinstance(values, dict):
            _fail(path, eid, "values", "must be a mapping of word to number")
        source = entry["regex"]
        if not isinstance(source, str):
            _fail(path, eid, "regex", "must be a string")
        if "<<qualifier>>" in source:
            if not qualifier:
                _fail(path, eid, "regex", "<<qualifier>> used before the qualifier entry")
            source = source.replace("<<qualifier>>", qualifier)
        try:
            pattern = regex.compile(source, FLAGS)
        except regex.error as exc:
            _fail(path, eid, "regex", f"does not compile: {exc}")
        if role == "qualifier":
            qualifier = f"(?:{source.strip()})"
        for example in entry.get("match", []):
            if not pattern.search(example):
                _fail(path, eid, "match", f"the regex misses its example {example!r}")
        for example in entry.get("no_match", []):
            m = pattern.search(example)
            if m and m.group(0).strip():
                _fail(path, eid, "no_match", f"the regex finds {m.group(0)!r} in {example!r}")
        anchors, starts = _anchors(entry, pattern, path, eid)
        entries.append(Cue(eid, role, pattern, relation, direction,
                           {str(k): v for k, v in values.items()}, entry["note"], anchors, starts))
    return Cues(entries)


def _anchors(entry: dict, pattern, path, eid) -> tuple[tuple, tuple]:
    """The entry's anchor and start words, case-folded (start words are anchors too, when
    the entry lists no anchors); each example match must hold an anchor and begin with a
    start word."""
    found = {}
    for key in ("anchors", "starts"):
        words = entry.get(key, [])
        if not (isinstance(words, list) and all(isinstance(w, str) and w and not any(c.isspace() for c in w)
                                                for w in words)):
            _fail(path, eid, key, "must be a list of words without spaces")
        found[key] = tuple(w.casefold() for w in words)
    anchors, starts = found["anchors"] or found["starts"], found["starts"]
    for example in entry.get("match", []):
        m = pattern.search(example).group(0).casefold()
        if anchors and not any(a in m for a in anchors):
            _fail(path, eid, "anchors", f"the match {m!r} of example {example!r} holds none of {list(anchors)}")
        if starts and not m.startswith(starts):
            _fail(path, eid, "starts", f"the match {m!r} of example {example!r} begins with none of {list(starts)}")
    return anchors, starts


def load_relations(path) -> Cues:
    """Read, validate and compile a relations YAML file."""
    return parse_relations(read_data_file(path), path)


@lru_cache(maxsize=None)
def load_cues() -> Cues:
    """The project's relation cues (cached; the compiled set is never mutated), taken from the
    disk cache when these very pattern files and loading code were validated before."""
    from kcextract.patterns import pattern_files_key

    return pattern_cache.kept(pattern_files_key(), "cues", lambda: load_relations(RELATIONS_FILE), Cues)
