"""A spaCy component: ``nlp.add_pipe("kcextract")`` puts every figure in ``doc.spans["kcextract"]``.

Each span is labelled with the figure's kind and carries the parsed figure as extensions:
``span._.kc_value``, ``span._.kc_unit``, ``span._.kc_qualifier`` … (one ``kc_<field>`` per
Figure field, the ones the extractor adds later included) and ``span._.kc_figure``, the
Figure itself. Offline: nothing is downloaded.

spaCy's Vietnamese tokenizer (``spacy.blank("vi")``) segments words with pyvi, whose
model ships in its wheel (``pip install "kcextract[vi]"``). A figure need not end on a
token boundary (pyvi may join ``đồng`` to the next syllable; the whitespace tokenizer keeps
``đồng,`` whole), so the component splits the tokens at the figure's edges: every span
is exactly ``text[start:end]`` of the figure.

>>> nlp = blank_vietnamese()
>>> _ = nlp.add_pipe("kcextract")
>>> doc = nlp("Năm 2023 hỗ trợ gần 6,7 tỷ đồng, cho 48 cơ sở.")
>>> [(s.text, s.label_, int(s._.kc_value), s._.kc_qualifier) for s in doc.spans["kcextract"]]
[('6,7 tỷ đồng', 'money', 6700000000, 'under'), ('48 cơ sở', 'count', 48, 'exact')]
"""
from __future__ import annotations

import dataclasses
import warnings

from spacy.language import Language
from spacy.tokens import Doc, Span

from kcextract.figure import Figure

SPANS_KEY = "kcextract"
PREFIX = "kc_"


def _register_extensions() -> None:
    names = [f.name for f in dataclasses.fields(Figure)] + ["figure"]
    for name in names:
        if not Span.has_extension(PREFIX + name):
            Span.set_extension(PREFIX + name, default=None)


def blank_vietnamese():
    """``spacy.blank("vi")``; without pyvi, the same pipeline on spaCy's whitespace
    tokenizer for Vietnamese (``use_pyvi = false``), with a warning saying so."""
    import spacy

    try:
        import pyvi  # noqa: F401
    except ImportError:
        warnings.warn('pyvi is not installed (pip install "kcextract[vi]"): Vietnamese words are split on '
                      "whitespace; figure spans are exact either way", stacklevel=2)
        return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    return spacy.blank("vi")


def _split_at(doc: Doc, offsets: set) -> Doc:
    """Split every token that an offset in ``offsets`` falls inside of."""
    cuts = []
    for token in doc:
        inside = sorted(o - token.idx for o in offsets if token.idx < o < token.idx + len(token.text))
        if inside:
            edges = [0, *inside, len(token.text)]
            cuts.append((token, [token.text[a:b] for a, b in zip(edges, edges[1:])]))
    if cuts:
        with doc.retokenize() as retokenizer:
            for token, orths in cuts:
                retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    return doc


class KcextractComponent:
    """Runs the kcextract extractor on ``doc.text`` and stores its figures as spans."""

    def __init__(self, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from kcextract.extractor import extract_figures

        figures = list(extract_figures(doc.text))
        doc = _split_at(doc, {f.start for f in figures} | {f.end for f in figures})
        spans = []
        for figure in figures:
            span = doc.char_span(figure.start, figure.end, label=figure.kind)
            if span is None:        # an edge inside whitespace cannot be a token boundary
                span = doc.char_span(figure.start, figure.end, label=figure.kind, alignment_mode="expand")
            for name, value in dataclasses.asdict(figure).items():
                span._.set(PREFIX + name, value) if Span.has_extension(PREFIX + name) else None
            span._.set(PREFIX + "figure", figure)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory("kcextract", default_config={"spans_key": SPANS_KEY})
def make_component(nlp: Language, name: str, spans_key: str) -> KcextractComponent:
    """The ``kcextract`` factory (also found through the ``spacy_factories`` entry point)."""
    return KcextractComponent(spans_key)
