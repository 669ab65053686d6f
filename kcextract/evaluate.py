"""Score the extractor's figures and the verifier's checks against the gold corpus.

A predicted figure is a hit when it has the gold mention's kind, an
overlapping span and the same value (relative tolerance 1e-6; projects have no
value, so kind and overlap suffice). Matching is one-to-one and greedy by
overlap length, so a figure emitted twice counts once as a hit and once as a
false positive. Totals are micro-averaged over the corpus.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Callable, Iterable, Optional

import regex as re

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
    """The outcome of matching one document: hit pairs and the leftovers on each side.

    ``misvalued`` pairs a gold mention with the prediction that sits on it with
    another value: a miss and a false positive for value-level F1, a hit for the
    span-only score.
    """

    pairs: list = field(default_factory=list)          # (predicted, gold) hits
    false_positives: list = field(default_factory=list)  # predicted figures with no gold partner
    false_negatives: list = field(default_factory=list)  # gold mentions nobody found
    misvalued: list = field(default_factory=list)        # (predicted, gold): same kind and place, other value


def match_mentions(predicted: Iterable, gold_mentions: Iterable[dict], *, check_value: bool = True) -> MentionMatch:
    """One-to-one matching of predicted figures to gold mentions, as ``../shared/tools/score.py`` does.

    Gold mentions in document order each take the first unused prediction of
    their kind that overlaps them, preferring the first one with the same value;
    a prediction taken with another value is used up (``misvalued``).
    """
    predicted, gold = list(predicted), list(gold_mentions)
    spans = [(_get(p, "kind"), _get(p, "start"), _end(p)) for p in predicted]
    used, result = set(), MentionMatch()
    for g in gold:
        best = None
        for i, (kind, start, end) in enumerate(spans):
            if i in used or kind != g["kind"] or not (start < g["end"] and g["start"] < end):
                continue
            ok = not check_value or kind == "project" or same_value(_get(predicted[i], "value"), g.get("value"))
            if best is None or (ok and not best[1]):
                best = (i, ok)
                if ok:
                    break
        if best is None:
            result.false_negatives.append(g)
            continue
        used.add(best[0])
        (result.pairs if best[1] else result.misvalued).append((predicted[best[0]], g))
    result.false_positives = [p for i, p in enumerate(predicted) if i not in used]
    return result


def _tally(match: MentionMatch, *, by_span: bool = False) -> dict[str, Score]:
    """Per-kind counts; a misvalued pair is a hit by span, a false positive and a miss by value."""
    scores = {kind: Score() for kind in KINDS}
    for _, g in match.pairs:
        scores[g["kind"]].tp += 1
    for p, g in match.misvalued:
        if by_span:
            scores[g["kind"]].tp += 1
        else:
            scores[g["kind"]].fp += 1
            scores[g["kind"]].fn += 1
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
    return _tally(match_mentions(predicted, gold_mentions), by_span=True)


def micro(scores: dict[str, Score]) -> Score:
    """All kinds pooled."""
    return sum(scores.values(), Score())


def add_scores(a: dict[str, Score], b: dict[str, Score]) -> dict[str, Score]:
    """Kind-wise sum of two score tables (micro-averaging over documents)."""
    return {k: a.get(k, Score()) + b.get(k, Score()) for k in dict.fromkeys([*a, *b])}


# ---------------------------------------------------------------- frames


@dataclass
class Accuracy:
    """``ok`` right out of ``n`` judged (``nan`` when nothing was judged).

    >>> Accuracy(3, 4).value, Accuracy(3, 4) + Accuracy(1, 1)
    (0.75, Accuracy(ok=4, n=5))
    """

    ok: int = 0
    n: int = 0

    @property
    def value(self) -> float:
        return self.ok / self.n if self.n else float("nan")

    def add(self, right: bool) -> None:
        self.n += 1
        self.ok += bool(right)

    def __add__(self, other: "Accuracy") -> "Accuracy":
        return Accuracy(self.ok + other.ok, self.n + other.n)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "n": self.n, "accuracy": None if not self.n else round(self.value, 4)}


_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def predicted_years(p) -> list[int]:
    """A prediction's period as years: its ``period_years``, else the years written in ``period``
    (a range keeps its two ends), as the reference scorer reads it.

    >>> predicted_years({"period": "giai đoạn 2021-2022-2023"}), predicted_years({"period_years": [2016]})
    ([2021, 2023], [2016])
    """
    years = _get(p, "period_years")
    if isinstance(years, (list, tuple)):
        return [int(y) for y in years if str(y).isdigit()]
    found = [int(y) for y in _YEAR.findall(_get(p, "period") or "")]
    return sorted({found[0], found[-1]}) if found else []


def _same_unit(predicted, gold) -> bool:
    """Count units agree when one, lower-cased and white space collapsed, starts the other."""
    g, p = (" ".join(str(u or "").lower().split()) for u in (gold, predicted))
    return bool(p) and (p.startswith(g) or g.startswith(p))


@dataclass
class FrameScore:
    """What the value hits say beside their value: qualifier, count unit, period, label, role.

    ``period`` and ``label`` are the reference scorer's (money and percent
    hits whose gold carries ``period_years``; money hits with a label);
    ``fields`` holds accuracy by frame field and kind where the gold carries it.
    """

    qualifier: dict = field(default_factory=lambda: {k: Accuracy() for k in KINDS if k != "project"})
    unit: Accuracy = field(default_factory=Accuracy)
    period: Accuracy = field(default_factory=Accuracy)
    label: Accuracy = field(default_factory=Accuracy)
    fields: dict = field(default_factory=dict)   # (field, kind) -> Accuracy

    def __add__(self, other: "FrameScore") -> "FrameScore":
        return FrameScore(
            {k: self.qualifier.get(k, Accuracy()) + other.qualifier.get(k, Accuracy())
             for k in dict.fromkeys([*self.qualifier, *other.qualifier])},
            self.unit + other.unit, self.period + other.period, self.label + other.label,
            {k: self.fields.get(k, Accuracy()) + other.fields.get(k, Accuracy())
             for k in dict.fromkeys([*self.fields, *other.fields])},
        )

    @property
    def qualifier_all(self) -> Accuracy:
        return sum(self.qualifier.values(), Accuracy())

    def to_dict(self) -> dict:
        return {
            "qualifier": {**{k: a.to_dict() for k, a in self.qualifier.items()}, "all": self.qualifier_all.to_dict()},
            "count_unit": self.unit.to_dict(), "period_years": self.period.to_dict(),
            "money_with_label": self.label.to_dict(),
            "fields": {f"{name}/{kind}": a.to_dict() for (name, kind), a in sorted(self.fields.items())},
        }


def score_frames(match: MentionMatch) -> FrameScore:
    """Frame agreement over the value hits of one document."""
    result = FrameScore()
    for p, g in match.pairs:
        kind = g["kind"]
        if kind == "project":
            continue
        result.qualifier[kind].add((_get(p, "qualifier") or "exact") == (g.get("qualifier") or "exact"))
        if kind == "count" and g.get("unit"):
            result.unit.add(_same_unit(_get(p, "unit"), g["unit"]))
        if kind in ("money", "percent") and "period_years" in g:
            result.period.add(sorted(predicted_years(p)) == sorted(g["period_years"]))
        if kind == "money":
            result.label.add(bool((_get(p, "label") or "").strip()))
        if "period_years" in g:
            result.fields.setdefault(("period_years", kind), Accuracy()).add(
                sorted(predicted_years(p)) == sorted(g["period_years"]))
        if g.get("role"):
            result.fields.setdefault(("role", kind), Accuracy()).add(_get(p, "role") == g["role"])
    return result


# ---------------------------------------------------------------- checks


@dataclass
class CheckScore:
    """Verifier scores.

    Verdicts, as ``../shared/tools/score_checks.py`` defines them (a prediction
    answers a gold check when their claim spans overlap, whatever their kinds):
    ``found`` of ``gold_inconsistent`` (not minor) checks some answer marks
    inconsistent; ``confirmed`` of ``gold_consistent`` checks some answer marks
    consistent and none inconsistent; ``false_alarms``: predictions marked
    inconsistent that overlap no gold inconsistent or minor check. ``minor``
    checks (a last-digit rounding slip) are neither required nor false alarms.

    Detection (same kind, overlapping claim, one to one, unverifiable left out):
    ``detection`` tp/fp/fn and ``agree``/``disagree`` on the verdict.
    """

    detection: Score = field(default_factory=Score)
    agree: int = 0
    disagree: int = 0
    gold_inconsistent: int = 0
    found: int = 0
    gold_consistent: int = 0
    confirmed: int = 0
    minor: int = 0
    false_alarms: list = field(default_factory=list)     # predicted inconsistent where the gold has no error
    missed_errors: list = field(default_factory=list)    # gold inconsistent, flagged by no prediction on it
    unconfirmed: list = field(default_factory=list)      # gold consistent, not confirmed
    pairs: list = field(default_factory=list)
    unmatched_predicted: list = field(default_factory=list)
    unmatched_gold: list = field(default_factory=list)

    def __add__(self, other: "CheckScore") -> "CheckScore":
        return CheckScore(*(a + b for a, b in zip(_check_fields(self), _check_fields(other))))

    @property
    def inconsistency_recall(self) -> float:
        return self.found / self.gold_inconsistent if self.gold_inconsistent else 1.0

    @property
    def consistent_coverage(self) -> float:
        return self.confirmed / self.gold_consistent if self.gold_consistent else 1.0

    def to_dict(self) -> dict:
        return {**self.detection.to_dict(), "agree": self.agree, "disagree": self.disagree,
                "gold_inconsistent": self.gold_inconsistent, "found": self.found,
                "gold_consistent": self.gold_consistent, "confirmed": self.confirmed, "minor": self.minor,
                "inconsistency_recall": round(self.inconsistency_recall, 4),
                "consistent_coverage": round(self.consistent_coverage, 4),
                "false_alarms": len(self.false_alarms), "missed_errors": len(self.missed_errors)}


def _check_fields(c: CheckScore) -> list:
    return [getattr(c, f.name) for f in fields(CheckScore)]


def _claim_span(c) -> tuple[int, int]:
    start = _get(c, "claim_start")
    return start, _end(c, "claim_start", "claim_end", "claim_text")


def score_checks(predicted_checks: Iterable, gold_checks: Iterable[dict]) -> CheckScore:
    """Score one document's verifier checks against its gold checks (see :class:`CheckScore`)."""
    answers = [c for c in predicted_checks if isinstance(_get(c, "claim_start"), int)]
    gold = list(gold_checks)
    result = _verdicts(answers, gold)
    _detect(result, [c for c in answers if _get(c, "status") != "unverifiable"], gold)
    return result


def _verdicts(answers: list, gold: list) -> CheckScore:
    result, error_spans = CheckScore(), []
    spans = [_claim_span(p) for p in answers]
    for g in gold:
        s, e = _claim_span(g)
        if g.get("minor"):
            result.minor += 1
            error_spans.append((s, e))
            continue
        said = [_get(answers[i], "consistent") for i, (ps, pe) in enumerate(spans) if ps < e and s < pe]
        if not g["consistent"]:
            result.gold_inconsistent += 1
            error_spans.append((s, e))
            if False in said:
                result.found += 1
            else:
                result.missed_errors.append(g)
        else:
            result.gold_consistent += 1
            if True in said and False not in said:
                result.confirmed += 1
            else:
                result.unconfirmed.append(g)
    result.false_alarms = [p for p, (ps, pe) in zip(answers, spans) if _get(p, "consistent") is False
                           and not any(ps < e and s < pe for s, e in error_spans)]
    return result


def _detect(result: CheckScore, predicted: list, gold: list) -> None:
    """Claim detection: same kind and overlapping claim, one to one, largest overlap first."""
    candidates = []
    for i, p in enumerate(predicted):
        p_start, p_end = _claim_span(p)
        for j, g in enumerate(gold):
            if _get(p, "kind") != g["kind"]:
                continue
            g_start, g_end = _claim_span(g)
            ov = _overlap(p_start, p_end, g_start, g_end)
            if ov:
                candidates.append((-ov, abs(p_start - g_start), i, j))
    candidates.sort()
    used_p, used_g = set(), set()
    for _, _, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        p, g = predicted[i], gold[j]
        result.pairs.append((p, g))
        if _get(p, "consistent") is g["consistent"]:
            result.agree += 1
        else:
            result.disagree += 1
    result.unmatched_predicted = [p for i, p in enumerate(predicted) if i not in used_p]
    result.unmatched_gold = [g for j, g in enumerate(gold) if j not in used_g]
    result.detection = Score(len(result.pairs), len(result.unmatched_predicted), len(result.unmatched_gold))


# ---------------------------------------------------------------- corpus


@dataclass
class CorpusEvaluation:
    """Micro-averaged scores over a gold corpus, plus the errors for a details report."""

    documents: int = 0
    value: dict = field(default_factory=lambda: {k: Score() for k in KINDS})
    span: dict = field(default_factory=lambda: {k: Score() for k in KINDS})
    frames: FrameScore = field(default_factory=FrameScore)
    checks: Optional[CheckScore] = None
    errors: list = field(default_factory=list)  # dicts: doc, type (fp/fn), kind, text, start, end, value, sentence

    @property
    def numeric(self) -> Score:
        """Money, percent and count pooled (the issues' "numeric F1")."""
        return micro({k: s for k, s in self.value.items() if k != "project"})

    def to_dict(self, details: bool = False) -> dict:
        out = {
            "documents": self.documents,
            "value": {**{k: s.to_dict() for k, s in self.value.items()}, "all": micro(self.value).to_dict(),
                      "numeric": self.numeric.to_dict()},
            "span": {**{k: s.to_dict() for k, s in self.span.items()}, "all": micro(self.span).to_dict()},
            "frames": self.frames.to_dict(),
        }
        if self.checks is not None:
            out["checks"] = self.checks.to_dict()
            if details:
                out["check_false_alarms"] = [_check_record(c) for c in self.checks.false_alarms]
                out["check_missed_errors"] = [_check_record(c) for c in self.checks.missed_errors]
                out["check_unconfirmed"] = [_check_record(c) for c in self.checks.unconfirmed]
        if details:
            out["errors"] = self.errors
        return out


def _check_record(c) -> dict:
    keys = ("source", "kind", "status", "consistent", "claim_text", "claim_start", "reported", "expected",
            "explanation", "note", "minor")
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
    """fp/fn records; a prediction on a gold mention with another value notes the gold value."""
    sentences = SentenceIndex(doc.text)     # the extractor's own sentences, not a second definition
    records = [_error_record(doc, sentences, "fp", p) for p in match.false_positives]
    records += [_error_record(doc, sentences, "fn", g) for g in match.false_negatives]
    for p, g in match.misvalued:
        records.append({**_error_record(doc, sentences, "fp", p), "gold_value": g.get("value")})
        records.append(_error_record(doc, sentences, "fn", g))
    return records


def evaluate_corpus(docs: Iterable[GoldDocument], extract: Callable, verify: Optional[Callable] = None) -> CorpusEvaluation:
    """Run ``extract(text, source=id)`` (and ``verify`` if given) on every gold document and score them."""
    result = CorpusEvaluation(checks=CheckScore() if verify is not None else None)
    for doc in docs:
        predicted = list(extract(doc.text, source=doc.id))
        match = match_mentions(predicted, doc.mentions)
        result.value = add_scores(result.value, _tally(match))
        result.span = add_scores(result.span, _tally(match, by_span=True))
        result.frames = result.frames + score_frames(match)
        result.errors += _errors(doc, match)
        if verify is not None:
            result.checks = result.checks + score_checks(verify(doc.text, source=doc.id), doc.checks)
        result.documents += 1
    result.errors.sort(key=lambda e: (e["doc"], e["start"], e["type"]))
    return result
