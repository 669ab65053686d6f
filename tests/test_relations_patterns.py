"""patterns/relations.yaml: every example runs, and a bad edit fails loudly on load."""
from __future__ import annotations

import pytest
import yaml

from kcextract.exceptions import PatternFileError
from kcextract.verifier.cues import RELATIONS_FILE, load_relations, parse_relations

RAW = yaml.safe_load(RELATIONS_FILE.read_text(encoding="utf-8"))
CUES = load_relations(RELATIONS_FILE)
PATTERNS = {c.id: c.pattern for c in CUES.entries}


def _examples(key):
    for entry in RAW["relations"]:
        for text in entry.get(key, []):
            yield pytest.param(entry["id"], text, id=f"{entry['id']}: {text}")


@pytest.mark.parametrize("entry_id,text", list(_examples("match")))
def test_match_examples(entry_id, text):
    assert PATTERNS[entry_id].search(text) is not None


@pytest.mark.parametrize("entry_id,text", list(_examples("no_match")))
def test_no_match_examples(entry_id, text):
    m = PATTERNS[entry_id].search(text)
    assert m is None or not m.group(0).strip()


def test_every_relation_word_of_the_issue_is_a_cue():
    words = {"đạt": "ratio", "chiếm": "share", "tăng": "change", "giảm": "change",
             "nhiều hơn": "change", "ít hơn": "change"}
    for word, relation in words.items():
        cue, _ = CUES.claim_before(f"64.710 triệu đồng, {word} ")
        assert cue.relation == relation, word
    for word in ("trong đó", "gồm", "bao gồm", "cụ thể"):
        assert CUES.any_match("parts", f"tổng 3,6 tỷ đồng, {word} 2 tỷ"), word
    assert CUES.first("multiple").pattern.search("gấp 2,5 lần").group("n") == "2,5"


def _doc(**changes):
    entry = {"id": "x", "role": "parts", "regex": "trong\\s+đó", "note": "n", "match": ["trong đó"]}
    entry.update(changes)
    return {"relations": [entry]}


@pytest.mark.parametrize("changes,key,words", [
    ({"colour": "red"}, "colour", "unknown key"),
    ({"regex": "trong(đó"}, "regex", "does not compile"),
    ({"match": ["ngoài ra"]}, "match", "misses its example"),
    ({"no_match": ["trong đó có"]}, "no_match", "finds"),
    ({"role": "hint"}, "role", "unknown role"),
    ({"role": "claim"}, "relation", "needs a relation"),
    ({"role": "claim", "relation": "change"}, "direction", "direction"),
])
def test_bad_entries_name_file_entry_and_key(changes, key, words):
    with pytest.raises(PatternFileError) as err:
        parse_relations(_doc(**changes), "patterns/relations.yaml")
    assert err.value.entry_id == "x" and err.value.key == key
    assert "patterns/relations.yaml" in str(err.value) and words in str(err.value)


def test_duplicate_ids_and_missing_keys_are_refused():
    entry = _doc()["relations"][0]
    with pytest.raises(PatternFileError, match="duplicate id"):
        parse_relations({"relations": [entry, dict(entry)]})
    with pytest.raises(PatternFileError, match="'note': missing"):
        parse_relations({"relations": [{k: v for k, v in entry.items() if k != "note"}]})
    with pytest.raises(PatternFileError, match="a key 'relations'"):
        parse_relations({"cues": []})


def test_a_yaml_syntax_error_names_the_file(tmp_path):
    bad = tmp_path / "relations.yaml"
    bad.write_text("relations: [\n  - id: x", encoding="utf-8")
    with pytest.raises(PatternFileError, match="relations.yaml.*not valid YAML"):
        load_relations(bad)
