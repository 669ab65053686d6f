"""Score the extractor's figures and the verifier's checks against the gold corpus.

A predicted figure is a hit when it has the gold mention's kind, an
overlapping span and the same value (relative tolerance 1e-6; projects have no
value, so kind and overlap suffice). Matching is one-to-one and greedy by
overlap length, so a figure emitted twice counts once as a hit and once as a
false positive. Totals are micro-averaged over the corpus.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Optional

from kcextract.figure import KINDS
from kcextract.gold import GoldDocument
from kcextract.sentences import SentenceIndex

VALUE_TOLERANCE = 1e-6


@dataclass
class Score:
    """True/false positives and false negatives, with precision, recall and F1.

    >>> s = Score(tp=8, fp=2, fn=0)
    >>> (s.precision, s.recall, round(s.f1, 4))
    (0.8, 1.0, 0.8889)
    >>> Score().f1  # nothing predicted, nothing to find: perfect
    1.0
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def _get(item, key, default=None):
    """A field of a Figure/Check object or of its dict form (JSONL records work too)."""
    if isinstance(item, dict):
        return item.get(key, default)
    return getattr(item, key, default)


def _end(item, start_key="start", end_key="end", text_key="text"):
    end = _get(item, end_key)
    return end if end is not None else _get(item, start_key) + len(_get(item, text_key) or "")


def same_value(predicted, gold) -> bool:
    """Values agree within :data:`VALUE_TOLERANCE` (relative); None only equals None.

    >>> same_value(Decimal("56147000000"), 56147000000), same_value(Decimal("93.71"), 93.7)
    (True, False)
    """
    if predicted is None or gold is None:
        return predicted is None and gold is None
    p, g = float(Decimal(str(predicted))), float(gold)
    return math.isclose(p, g, rel_tol=VALUE_TOLERANCE, abs_tol=1e-12)


def _overlap(a_start, a_end, b_start, b_end) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


@dataclass
class MentionMatch:
    """The outcome of matching one document: hit pairs and the leftovers on each side."""

    pairs: list = field(default_factory=list)          # (predicted, gold) hits
    false_positives: list = field(default_factory=list)  # predicted figures with no gold partner
    false_negatives: list = field(default_factory=list)  # gold mentions nobody found


def match_mentions(predicted: Iterable, gold_mentions: Iterable[dict], *, check_value: bool = True) -> MentionMatch:
    """One-to-one greedy matching of predicted figures to gold mentions (largest overlap first)."""
    predicted, gold = list(predicted), list(gold_mentions)
    candidates = []
    for i, p in enumerate(predicted):
        p_start, p_end, p_kind = _get(p, "start"), _end(p), _get(p, "kind")
        for j, g in enumerate(gold):
            if g["kind"] != p_kind:
                continue
            ov = _overlap(p_start, p_end, g["start"], g["end"])
            if not ov:
                continue
            if check_value and p_kind != "project" and not same_value(_get(p, "value"), g["value"]):
                continue
            # Prefer the largest overlap, then the closest start, then document order.
            candidates.append((-ov, abs(p_start - g["start"]), i, j))
    candidates.sort()
    used_p, used_g, result = set(), set(), MentionMatch()
    for _, _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            result.pairs.append((predicted[i], gold[j]))
    result.false_positives = [p for i, p in enumerate(predicted) if i not in used_p]
    result.false_negatives = [g for j, g in enumerate(gold) if j not in used_g]
    return result


def _tally(match: MentionMatch) -> dict[str, Score]:
    scores = {kind: Score() for kind in KINDS}
    for _, g in match.pairs:
        scores[g["kind"]].tp += 1
    for p in match.false_positives:
        scores.setdefault(_get(p, "kind"), Score()).fp += 1
    for g in match.false_negatives:
        scores.setdefault(g["kind"], Score()).fn += 1
    return scores


def score(predicted: Iterable, gold_mentions: Iterable[dict], *, check_value: bool = True) -> dict[str, Score]:
    """Per-kind scores of predicted figures against gold mentions (``check_value=False``: span-only)."""
    return _tally(match_mentions(predicted, gold_mentions, check_value=check_value))


def span_score(predicted: Iterable, gold_mentions: Iterable[dict]) -> dict[str, Score]:
    """Per-kind scores on kind + overlap alone, ignoring values (for debugging the parser)."""
    return score(predicted, gold_mentions, check_value=False)


def micro(scores: dict[str, Score]) -> Score:
    """All kinds pooled."""
    return sum(scores.values(), Score())


def add_scores(a: dict[str, Score], b: dict[str, Score]) -> dict[str, Score]:
    """Kind-wise sum of two score tables (micro-averaging over documents)."""
    return {k: a.get(k, Score()) + b.get(k, Score()) for k in dict.fromkeys([*a, *b])}


# ---------------------------------------------------------------- checks


@dataclass
class CheckScore:
    """Verifier scores: claim detection (tp/fp/fn) and agreement on ``consistent``."""

    detection: Score = field(default_factory=Score)
    agree: int = 0
    disagree: int = 0
    false_alarms: list = field(default_factory=list)   # predicted inconsistent, gold says fine or no gold check
    missed_errors: list = field(default_factory=list)  # gold inconsistent, not flagged by a matched prediction
    pairs: list = field(default_factory=list)
    unmatched_predicted: list = field(default_factory=list)
    unmatched_gold: list = field(default_factory=list)

    def __add__(self, other: "CheckScore") -> "CheckScore":
        return CheckScore(
            self.detection + other.detection, self.agree + other.agree, self.disagree + other.disagree,
            self.false_alarms + other.false_alarms, self.missed_errors + other.missed_errors,
            self.pairs + other.pairs, self.unmatched_predicted + other.unmatched_predicted,
            self.unmatched_gold + other.unmatched_gold,
        )

    def to_dict(self) -> dict:
        return {**self.detection.to_dict(), "agree": self.agree, "disagree": self.disagree,
                "false_alarms": len(self.false_alarms), "missed_errors": len(self.missed_errors)}


def score_checks(predicted_checks: Iterable, gold_checks: Iterable[dict]) -> CheckScore:
    """Match verifier checks to gold checks (same kind, overlapping claim spans), one to one.

    Checks whose ``status`` is ``unverifiable`` make no claim about the text
    and are left out.
    """
    predicted = [c for c in predicted_checks if _get(c, "status") != "unverifiable"]
    gold = list(gold_checks)
    candidates = []
    for i, p in enumerate(predicted):
        p_start = _get(p, "claim_start")
        p_end = _end(p, "claim_start", "claim_end", "claim_text")
        for j, g in enumerate(gold):
            if _get(p, "kind") != g["kind"]:
                continue
            g_end = _end(g, "claim_start", "claim_end", "claim_text")
            ov = _overlap(p_start, p_end, g["claim_start"], g_end)
            if ov:
                candidates.append((-ov, abs(p_start - g["claim_start"]), i, j))
    candidates.sort()
    used_p, used_g, result = set(), set(), CheckScore()
    for _, _, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        p, g = predicted[i], gold[j]
        result.pairs.append((p, g))
        if bool(_get(p, "consistent")) == g["consistent"]:
            result.agree += 1
        else:
            result.disagree += 1
        if _get(p, "consistent") is False and g["consistent"]:
            result.false_alarms.append(p)
        if not g["consistent"] and _get(p, "consistent") is not False:
            result.missed_errors.append(g)
    result.unmatched_predicted = [p for i, p in enumerate(predicted) if i not in used_p]
    result.unmatched_gold = [g for j, g in enumerate(gold) if j not in used_g]
    result.false_alarms += [p for p in result.unmatched_predicted if _get(p, "consistent") is False]
    result.missed_errors += [g for g in result.unmatched_gold if not g["consistent"]]
    result.detection = Score(len(result.pairs), len(result.unmatched_predicted), len(result.unmatched_gold))
    return result


# ---------------------------------------------------------------- corpus


@dataclass
class CorpusEvaluation:
    """Micro-averaged scores over a gold corpus, plus the errors for a details report."""

    documents: int = 0
    value: dict = field(default_factory=lambda: {k: Score() for k in KINDS})
    span: dict = field(default_factory=lambda: {k: Score() for k in KINDS})
    checks: Optional[CheckScore] = None
    errors: list = field(default_factory=list)  # dicts: doc, type (fp/fn), kind, text, start, end, value, sentence

    def to_dict(self, details: bool = False) -> dict:
        out = {
            "documents": self.documents,
            "value": {**{k: s.to_dict() for k, s in self.value.items()}, "all": micro(self.value).to_dict()},
            "span": {**{k: s.to_dict() for k, s in self.span.items()}, "all": micro(self.span).to_dict()},
        }
        if self.checks is not None:
            out["checks"] = self.checks.to_dict()
            if details:
                out["check_false_alarms"] = [_check_record(c) for c in self.checks.false_alarms]
                out["check_missed_errors"] = [_check_record(c) for c in self.checks.missed_errors]
        if details:
            out["errors"] = self.errors
        return out


def _check_record(c) -> dict:
    keys = ("source", "kind", "status", "consistent", "claim_text", "claim_start", "reported", "expected",
            "explanation", "note")
    return {k: _plain(_get(c, k)) for k in keys if _get(c, k) is not None}


def _plain(v):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _error_record(doc: GoldDocument, sentences: SentenceIndex, kind_of_error: str, item) -> dict:
    start, end = _get(item, "start"), _end(item)
    s, e = sentences.around(start)
    return {
        "doc": doc.id, "type": kind_of_error, "kind": _get(item, "kind"), "text": _get(item, "text"),
        "start": start, "end": end, "value": _plain(_get(item, "value")),
        "sentence": doc.text[s:max(e, end)],
    }


def _errors(doc: GoldDocument, match: MentionMatch) -> list[dict]:
    """fp/fn records; a false positive sitting on a missed gold mention of its kind notes the gold value."""
    sentences = SentenceIndex(doc.text)     # the extractor's own sentences, not a second definition
    fps = [_error_record(doc, sentences, "fp", p) for p in match.false_positives]
    fns = [_error_record(doc, sentences, "fn", g) for g in match.false_negatives]
    for fp in fps:
        for fn in fns:
            if fp["kind"] == fn["kind"] and _overlap(fp["start"], fp["end"], fn["start"], fn["end"]):
                fp["gold_value"] = fn["value"]
                break
    return fps + fns


def evaluate_corpus(docs: Iterable[GoldDocument], extract: Callable, verify: Optional[Callable] = None) -> CorpusEvaluation:
    """Run ``extract(text, source=id)`` (and ``verify`` if given) on every gold document and score them."""
    result = CorpusEvaluation(checks=CheckScore() if verify is not None else None)
    for doc in docs:
        predicted = list(extract(doc.text, source=doc.id))
        match = match_mentions(predicted, doc.mentions)
        result.value = add_scores(result.value, _tally(match))
        result.span = add_scores(result.span, span_score(predicted, doc.mentions))
        result.errors += _errors(doc, match)
        if verify is not None:
            result.checks = result.checks + score_checks(verify(doc.text, source=doc.id), doc.checks)
        result.documents += 1
    result.errors.sort(key=lambda e: (e["doc"], e["start"], e["type"]))
    return result
