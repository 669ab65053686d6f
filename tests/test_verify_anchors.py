"""The verifier's shortcuts skip nothing they should not.

``patterns/relations.yaml`` lets a cue list ``anchors`` (words every match contains) and
``starts`` (words every match begins with); the verifier then runs the cue's regex only
where they stand (:mod:`kcextract.verifier.anchors`).  These tests check the words on
every text of the repository, check that the checks are the same with the shortcut
switched off, and show that a wrong word list is caught by that comparison.  The unit
indexes the candidate loops use instead of comparing units are checked pair by pair.
"""
from __future__ import annotations

import dataclasses
import random

import pytest

from benchmarks import texts
from kcextract.document import read_document
from kcextract.verifier import anchors, verify_text
from kcextract.verifier.anchors import AnchorIndex
from kcextract.verifier.cues import Cues, load_cues, parse_relations
from kcextract.verifier.workspace import Context
from kcextract.exceptions import PatternFileError

DOCUMENTS = [(source, text) for source, text in texts.documents() if text.strip()]
INDEXED = [c for c in load_cues().entries if c.anchors or c.starts]


def _windows(text: str):
    """The kinds of window the claim types search: the 80 characters before each number,
    each line, each sentence-sized piece, and the text itself."""
    for k, ch in enumerate(text):
        if ch.isdigit() and (k == 0 or not text[k - 1].isdigit()):
            yield max(0, k - 80), k
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        for piece_start in range(start, start + len(line), 120):
            yield piece_start, min(start + len(line), piece_start + 120)
        start += len(line) + 1
    yield 0, len(text)


def _matches(cue, text):
    """Every match of the cue in every window of ``text`` (one per place it can begin)."""
    for a, b in _windows(text):
        for m in cue.pattern.finditer(text[a:b], overlapped=True):
            if m.end() > m.start():
                yield m.group(0)


def test_indexed_cues_are_listed():
    # The shortcut is used where it matters: the claim, total and parts cues at least.
    assert {"ratio", "share", "change_up", "change_down", "total", "parts", "multiple"} <= {c.id for c in INDEXED}


@pytest.mark.parametrize("cue", INDEXED, ids=[c.id for c in INDEXED])
def test_every_match_in_the_repository_holds_an_anchor_and_begins_with_a_start_word(cue):
    seen = 0
    for _, text in DOCUMENTS:
        for found in _matches(cue, text):
            folded = found.casefold()
            assert any(a in folded for a in cue.anchors), (cue.id, found)
            if cue.starts:
                assert folded.startswith(cue.starts), (cue.id, found)
            seen += 1
    assert seen or cue.id in {"trade_balance", "besides", "list_lead", "multiple", "announce"}, cue.id


def test_anchor_index_agrees_with_a_plain_search():
    text = "Tổng kinh phí đạt 5 tỷ; trong đó  TỔNG số: 3 tỷ (chiếm 60%), tăng 2%. Ngoài ra, đạt."
    cues = load_cues()
    index = AnchorIndex(text)
    rng = random.Random(3)
    for _ in range(400):
        a = rng.randrange(len(text))
        b = rng.randrange(a, len(text) + 1)
        for cue in INDEXED:
            window = text[a:b]
            assert index.within(cue, a, b) == (not cue.anchors or any(w in window.casefold() for w in cue.anchors))
            expected = cue.pattern.search(window)
            got = index.search_in(cue, a, b)
            assert (got and (got.start(), got.end())) == (expected and (expected.start(), expected.end())), cue.id
            expected = cue.pattern.search(text, a, b)
            got = index.search(cue, a, b)
            assert (got and got.span()) == (expected and expected.span()), cue.id
    for cue in cues.entries:
        assert [m.span() for m in index.finditer(cue)] == [m.span() for m in cue.pattern.finditer(text)], cue.id


def test_words_looked_for_at_once_give_the_same_places_as_words_looked_for_one_by_one():
    # Context hands the index every cue word, so that it can pass over the cues none of whose
    # words stand in a short article: the places, the starts and the windows must not change.
    cues = load_cues()
    claims = anchors.AnyOf.of("claim", cues.role("claim"))
    for _, text in DOCUMENTS[:40] + [("", "Tổng: 5 tỷ (chiếm 60%)"), ("", "12 cơ sở")]:
        told, plain = AnchorIndex(text, cues.words), AnchorIndex(text)
        for cue in INDEXED + [claims]:
            assert told.places(cue) == plain.places(cue), cue.id
            assert told.begins(cue) == plain.begins(cue), cue.id
        claim_cues = cues.role("claim")
        assert told.begins_of_any(claim_cues) == plain.begins_of_any(claim_cues)
        assert told.begins_of_any(claim_cues) == sorted({b for cue in claim_cues for b in plain.begins(cue)})
    assert AnchorIndex("12 cơ sở", cues.words).places(cues.first("total")) == ([], [])


def test_a_text_whose_case_folding_changes_its_length_is_searched_without_the_index():
    text = "Straße İstanbul: tổng 5 tỷ"
    index = AnchorIndex(text)
    total = load_cues().first("total")
    assert index.places(total) is None and index.begins(total) is None
    assert index.begins_of_any(load_cues().role("claim")) is None
    assert index.search_in(total, 0, len(text)).group(0) == "tổng"


def _checks(text, source, cues=None):
    document = read_document(text, source=source)
    if cues is None:
        return [c.to_dict() for c in verify_text(text, source=source, document=document)]
    # (a Context with other cues: the same reading as verify_text's, down to the claims)
    from kcextract.verifier.normalised import reading

    norm, figures, spans, tables, _ = reading(document)
    ctx = Context(norm, figures, source=source, cues=cues, sentence_spans=spans, tables=tables)
    return [(c.relation, c.start, c.cue_start, c.base) for c in ctx.claims]


def _same_without_shortcut(monkeypatch, documents, cues=None) -> list:
    """The sources whose checks (or claims, with ``cues``) change when the index is off."""
    with_index = {source: _checks(text, source, cues) for source, text in documents}
    monkeypatch.setattr(anchors, "ENABLED", False)
    try:
        return [source for source, text in documents if _checks(text, source, cues) != with_index[source]]
    finally:
        monkeypatch.setattr(anchors, "ENABLED", True)


def test_the_checks_are_the_same_without_the_shortcut(monkeypatch):
    long_report = ("single document", texts.single_document(0.06))
    assert _same_without_shortcut(monkeypatch, DOCUMENTS + [long_report]) == []


def test_a_wrong_start_word_is_caught_by_that_comparison(monkeypatch):
    # Forget 'đạt' among the ratio cue's start words: the claims 'đạt 93,71%' are then
    # skipped with the index on, and the comparison above names the documents.
    good = load_cues()
    wrong = Cues([dataclasses.replace(c, starts=tuple(w for w in c.starts if w != "đạt"),
                                      anchors=tuple(w for w in c.anchors if w != "đạt"))
                  if c.id == "ratio" else c for c in good.entries])
    seeds = [(s, t) for s, t in DOCUMENTS if "seeds" in s]
    assert _same_without_shortcut(monkeypatch, seeds, wrong)
    assert _same_without_shortcut(monkeypatch, seeds, good) == []


@pytest.mark.parametrize("key,words,message", [
    ("anchors", ["gồm"], "holds none of"),
    ("starts", ["đó"], "begins with none of"),
    ("starts", ["trong đó"], "without spaces"),
])
def test_anchor_and_start_words_are_checked_on_the_examples(key, words, message):
    entry = {"id": "x", "role": "parts", "regex": "trong\\s+đó", "note": "n", "match": ["trong đó"], key: words}
    with pytest.raises(PatternFileError) as err:
        parse_relations({"relations": [entry]}, "patterns/relations.yaml")
    assert message in str(err.value)


def test_the_unit_indexes_list_exactly_the_compatible_figures():
    # Context.like / same_heads (and their lists in text order) stand for compatible() and
    # same_head() in the loops over candidates: on a long report they must agree pair by pair.
    from kcextract.verifier.normalised import reading
    from kcextract.verifier.workspace import AMOUNT_KINDS, compatible, same_head

    text = texts.single_document(0.05)
    norm, figures, spans, tables, _ = reading(read_document(text))
    ctx = Context(norm, figures, sentence_spans=spans, tables=tables)
    n = len(ctx.figures)
    for i in range(n):
        like = [j for j in range(n) if compatible(ctx.figures[j], ctx.figures[i])]
        heads = [j for j in range(n) if same_head(ctx.figures[j], ctx.figures[i])]
        assert ctx.like(i) == frozenset(like) and ctx.same_heads(i) == frozenset(heads), ctx.figures[i].text
        assert ctx.like_in(i, 0, len(norm)) == [j for j in ctx.figures_in(0, len(norm)) if j in like]
        assert ctx.same_heads_in(i, 100, 5000) == [j for j in ctx.figures_in(100, 5000) if j in heads]
    # like_groups: every amount in one group, with the sorted list of what like() answers for it
    grouped = {i: like for group, like in ctx.like_groups() for i in group}
    assert sorted(grouped) == [i for i in range(n) if ctx.figures[i].kind in AMOUNT_KINDS]
    assert all(like == sorted(ctx.like(i)) for i, like in grouped.items())


def test_the_unit_indexes_agree_with_compatible_on_pairs_of_nouns():
    # A pair of nouns ('doanh nghiệp, hợp tác xã') agrees with the units of each of its nouns
    # and with pairs sharing one: the indexes found by bisection must say the same.
    from kcextract.verifier.normalised import reading
    from kcextract.verifier.workspace import compatible

    text = ("Có 150 doanh nghiệp, hợp tác xã tham gia, trong đó 120 doanh nghiệp và 30 hợp tác xã. "
            "Có 20 tỉnh, thành phố và 6 tỉnh, 3 thành phố đạt; 12 hợp tác xã, tổ hợp tác; 7 hộ; 4 doanh nghiệp FDI.")
    norm, figures, spans, tables, _ = reading(read_document(text))
    assert {"doanh nghiệp, hợp tác xã", "tỉnh, thành phố", "hợp tác xã, tổ hợp tác"} <= {f.unit for f in figures}
    ctx = Context(norm, figures, sentence_spans=spans, tables=tables)
    n = len(ctx.figures)
    for i in range(n):
        assert ctx.like(i) == frozenset(j for j in range(n) if compatible(ctx.figures[j], ctx.figures[i])), \
            ctx.figures[i].text
    assert {i: like for group, like in ctx.like_groups() for i in group} == {i: sorted(ctx.like(i)) for i in range(n)}
    pair = next(i for i, f in enumerate(figures) if f.unit == "doanh nghiệp, hợp tác xã")
    assert {figures[j].text for j in ctx.like(pair)} >= {"120 doanh nghiệp", "30 hợp tác xã", "4 doanh nghiệp",
                                                         "12 hợp tác xã, tổ hợp tác"}
    assert not any(figures[j].unit in ("hộ", "tỉnh") for j in ctx.like(pair))


def test_like_groups_gather_only_the_units_that_agree_with_others():
    # like_groups answers a count unit that agrees with no other unit by its own figures:
    # 'làng' and 'làng nghề' agree ('cơ sở' and 'hộ' stand alone), and a count with no unit
    # agrees with every count.
    from dataclasses import replace
    from kcextract.verifier.normalised import reading

    text = "Toàn tỉnh có 145 cơ sở, trong đó 40 cơ sở CNNT; 12 làng nghề và 3 làng; 7 hộ."
    norm, figures, spans, tables, _ = reading(read_document(text))
    assert [f.unit for f in figures] == ["cơ sở", "cơ sở", "làng nghề", "làng", "hộ"]
    for figs, alone in ((figures, [[0, 1], [4]]), (figures[:-1] + [replace(figures[-1], unit=None)], [])):
        ctx = Context(norm, figs, sentence_spans=spans, tables=tables)
        groups = list(ctx.like_groups())
        assert [group for group, like in groups if like == group] == alone
        assert {i: like for group, like in groups for i in group} == {i: sorted(ctx.like(i)) for i in range(5)}



def test_quoted_figures_are_those_in_quotations():
    # Context.quoted is found by bisection over the quotations: it must be Layout.in_quote
    # of each figure, the figures right at a quotation's marks included.
    from kcextract.verifier.normalised import reading

    text = ('Giám đốc cho biết: “doanh thu đạt 5,8 tỷ đồng, tăng 12%”. Năm nay có 14 cơ sở, '
            'trong đó “3 cơ sở” mới và 11 cơ sở cũ; "20 tỷ đồng" được giải ngân.')
    norm, figures, spans, tables, _ = reading(read_document(text))
    ctx = Context(norm, figures, sentence_spans=spans, tables=tables)
    assert ctx.quoted == [ctx.layout.in_quote(f.start) for f in ctx.figures]
    assert [f.text for f, q in zip(ctx.figures, ctx.quoted) if q] == ["5,8 tỷ đồng", "12%", "3 cơ sở", "20 tỷ đồng"]
