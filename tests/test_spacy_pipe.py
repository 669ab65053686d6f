"""The spaCy component: figures in doc.spans["kcextract"] with their values, offline."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
import spacy

import kcextract
from kcextract.spacy_pipe import blank_vietnamese

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "seeds").glob("*.txt"))
WHITESPACE = {"nlp": {"tokenizer": {"use_pyvi": False}}}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing may be fetched: any connection attempt fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the spaCy component tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def _pipelines():
    pytest.importorskip("pyvi", reason='spacy.blank("vi") needs pyvi (the extra kcextract[vi])')
    return [("pyvi", spacy.blank("vi")), ("whitespace", spacy.blank("vi", config=WHITESPACE))]


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_spans_are_exactly_the_extracted_figures(seed):
    text = seed.read_text(encoding="utf-8")
    expected = kcextract.extract(text)
    for name, nlp in _pipelines():
        nlp.add_pipe("kcextract")
        doc = nlp(text)
        spans = doc.spans["kcextract"]
        assert doc.text == text, name
        assert [(s.start_char, s.end_char, s.label_) for s in spans] == [(f.start, f.end, f.kind) for f in expected], name
        assert [s._.kc_value for s in spans] == [f.value for f in expected]


def test_extensions_carry_the_parsed_figure():
    nlp = spacy.blank("vi", config=WHITESPACE)
    nlp.add_pipe("kcextract")
    doc = nlp("Năm 2023, tỉnh hỗ trợ gần 6,7 tỷ đồng, cho 48 cơ sở.")
    money, count = doc.spans["kcextract"]
    assert (money.text, int(money._.kc_value), money._.kc_currency, money._.kc_qualifier) == (
        "6,7 tỷ đồng", 6700000000, "VND", "under")
    assert (count.text, count._.kc_unit, money._.kc_figure.kind) == ("48 cơ sở", "cơ sở", "money")
    assert doc[money.end].text == ","           # 'đồng,' was split where the figure ends


def test_blank_vietnamese_is_spacy_blank_vi():
    pytest.importorskip("pyvi")
    nlp = blank_vietnamese()
    assert nlp.lang == "vi" and nlp.config["nlp"]["tokenizer"]["use_pyvi"] is True
    assert [t.text for t in nlp("cơ sở công nghiệp")] == ["cơ sở", "công nghiệp"]
