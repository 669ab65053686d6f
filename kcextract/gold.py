"""The gold corpus: hand-annotated documents that measure the extractor and the verifier.

A gold file is one JSON document (format in ``corpus/README.md`` and
``annotation.md``). :func:`load_gold` reads every gold file under a directory
and validates it loudly: any offset that does not fit the text, any value
outside the closed vocabularies, is reported with the file, the mention or
check index and the field, so a bad annotation never silently skews a score.

Two shapes are read: the text inline (``"text"``, as in ``corpus/gold`` and
``../shared/realgold``) or in a file beside it (``"text_file"``, relative to the
JSON's folder, with its ``"text_sha256"``, as the blind annotators of
``corpus/realtext`` write it, so third-party texts are never copied).
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from kcextract.exceptions import KcextractError
from kcextract.figure import KINDS, QUALIFIERS

CHECK_KINDS = ("ratio", "share", "growth", "difference", "multiple", "average", "sum", "count_list")
CURRENCIES = ("VND", "USD")
# The frame roles of annotation.md (a figure's part in its sentence).
ROLES = ("actual", "plan", "estimate", "change", "share", "ratio", "growth", "base", "per_unit")

_DOC_KEYS = {"id": str, "url": str, "mentions": list, "checks": list}
_OPTIONAL_DOC_KEYS = {"source": str, "text": str, "text_file": str, "text_sha256": str, "annotator": str,
                      "file": str}
_FRAME_KEYS = {"label", "scope", "period_years", "period_text", "role", "per"}
_MENTION_KEYS = {
    "kind", "text", "start", "end", "value", "value_max", "currency", "unit",
    "qualifier", "of_total", "name", "note", *_FRAME_KEYS,
}
_CHECK_KEYS = {
    "kind", "claim_text", "claim_start", "claim_end", "operands", "operand_spans",
    "reported", "expected", "consistent", "note", "minor",
}


class GoldError(KcextractError):
    """A gold annotation file is malformed; names the file and every bad mention/check field."""

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n  ".join(self.problems)
        super().__init__(f"{self.path}: {len(self.problems)} problem(s) in gold file:\n  {lines}")


@dataclass
class GoldDocument:
    """One annotated document: its text and the figures and checks a human found in it."""

    id: str
    url: str
    source: str
    text: str
    mentions: list[dict]
    checks: list[dict]
    path: Optional[Path] = None
    file: Optional[str] = None
    extra: dict = field(default_factory=dict)
    annotator: Optional[str] = None

    @property
    def has_frames(self) -> bool:
        """Whether the annotator gave mentions their frame fields (period_years, role, ...)."""
        return any("period_years" in m or "role" in m for m in self.mentions)


def gold_files(path) -> list[Path]:
    """The gold JSON files under ``path`` (``corpus/`` means ``corpus/gold/``), sorted.

    >>> gold_files("/nonexistent-dir")
    Traceback (most recent call last):
    ...
    kcextract.gold.GoldError: /nonexistent-dir: 1 problem(s) in gold file:
      no such file or directory
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise GoldError(path, ["no such file or directory"])
    root = path / "gold" if (path / "gold").is_dir() else path
    return sorted(root.rglob("*.json"))


def load_gold(path, *, on_error=None) -> list[GoldDocument]:
    """Every gold document under ``path`` (a corpus dir, a gold dir or one file), validated.

    A bad file raises :class:`GoldError`; with ``on_error`` (a callable taking
    the error) it is reported there and left out, so one annotator's slip does
    not hide the measurement of the other files.
    """
    files = gold_files(path)
    if not files:
        raise GoldError(path, ["no gold *.json files found"])
    docs, seen = [], {}
    for f in files:
        try:
            doc = load_gold_file(f)
            if doc.id in seen:
                raise GoldError(f, [f"id {doc.id!r} already used by {seen[doc.id]}"])
        except GoldError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        seen[doc.id] = f
        docs.append(doc)
    return docs


def load_gold_file(path) -> GoldDocument:
    """One gold file, validated (raises :class:`GoldError` listing every problem)."""
    path = Path(path)
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(path, [f"not valid UTF-8 JSON: {exc}"]) from None
    if not isinstance(raw, dict):
        raise GoldError(path, ["top level must be a JSON object"])
    problems = []
    if isinstance(raw.get("text_file"), str) and "text" not in raw:
        text, problems = read_text_file(path, raw["text_file"], raw.get("text_sha256"))
        if text is not None:
            raw = {**raw, "text": text}
    problems += validate_document(raw, path)
    if problems:
        raise GoldError(path, problems)
    known = set(_DOC_KEYS) | set(_OPTIONAL_DOC_KEYS)
    return GoldDocument(
        id=raw["id"], url=raw["url"], source=raw.get("source") or raw.get("text_file") or "", text=raw["text"],
        mentions=raw["mentions"], checks=raw["checks"], path=path, file=raw.get("file"),
        extra={k: v for k, v in raw.items() if k not in known}, annotator=raw.get("annotator"),
    )


def read_text_file(path, name: str, sha256: Optional[str]):
    """The text a gold file points to (``text_file``, relative to the gold file's folder), checked
    against its ``text_sha256``: (text, []) or (None, problems)."""
    target = Path(path).resolve().parent / name
    try:
        data = target.read_bytes()
    except OSError as exc:
        return None, [f"field 'text_file': cannot read {target} ({exc.strerror or exc})"]
    if not isinstance(sha256, str):
        return None, ["field 'text_sha256' is required with 'text_file'"]
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256.lower():
        return None, [f"field 'text_sha256': {target} has sha256 {digest}, not {sha256}"]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [f"field 'text_file': {target} is not UTF-8 ({exc})"]


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def validate_document(doc: dict, path=None) -> list[str]:
    """Every problem of a gold document (empty list when it is valid)."""
    problems = [f"unknown field {k!r}" for k in doc if k not in _DOC_KEYS and k not in _OPTIONAL_DOC_KEYS]
    for key, typ in _DOC_KEYS.items():
        if key not in doc:
            problems.append(f"missing field {key!r}")
        elif not isinstance(doc[key], typ):
            problems.append(f"field {key!r} must be {typ.__name__}, got {type(doc[key]).__name__}")
    for key, typ in _OPTIONAL_DOC_KEYS.items():
        if doc.get(key) is not None and not isinstance(doc[key], typ):
            problems.append(f"field {key!r} must be {typ.__name__}, got {type(doc[key]).__name__}")
    if "text" not in doc:
        problems.append("missing field 'text' (or 'text_file' with 'text_sha256')")
    if problems:
        return problems
    text = doc["text"]
    if not doc["id"]:
        problems.append("field 'id' is empty")
    if not unicodedata.is_normalized("NFC", text):
        problems.append("field 'text' is not NFC-normalised")
    if "file" in doc:
        problems += _validate_file(doc["file"], text, path)
    for i, m in enumerate(doc["mentions"]):
        problems += [f"mention {i} {_label(m)}: {p}" for p in validate_mention(m, text)]
    problems += _validate_order(doc["mentions"])
    for i, c in enumerate(doc["checks"]):
        problems += [f"check {i} {_label(c, 'claim_text')}: {p}" for p in validate_check(c, text)]
    return problems


def _label(item, key="text") -> str:
    return f"({item.get(key)!r})" if isinstance(item, dict) else ""


def _validate_file(name, text, path) -> list[str]:
    """The ``file`` field names the source text (relative to the corpus root); it must match ``text``."""
    if not isinstance(name, str) or not name:
        return ["field 'file' must be a non-empty string"]
    start = Path(path).resolve().parent if path else Path.cwd()
    for base in (start, *start.parents):
        candidate = base / name
        if candidate.is_file():
            try:
                content = candidate.read_bytes().decode("utf-8")
            except UnicodeDecodeError as exc:
                return [f"field 'file': {candidate} is not UTF-8 ({exc})"]
            if content != text:
                where = next((i for i, (a, b) in enumerate(zip(content, text)) if a != b),
                             min(len(content), len(text)))
                return [f"field 'file': text differs from {candidate} at character {where}"]
            return []
    return [f"field 'file': {name!r} not found next to the gold file or in any parent directory"]


def validate_mention(m, text: str) -> list[str]:
    """Problems of one mention against the document text."""
    if not isinstance(m, dict):
        return ["must be a JSON object"]
    problems = [f"unknown field {k!r}" for k in m if k not in _MENTION_KEYS]
    for key in ("kind", "text", "start", "end"):
        if key not in m:
            problems.append(f"missing field {key!r}")
    if problems:
        return problems
    kind, start, end = m["kind"], m["start"], m["end"]
    if kind not in KINDS:
        problems.append(f"field 'kind': {kind!r} not one of {KINDS}")
    if not isinstance(m["text"], str) or not m["text"]:
        problems.append("field 'text' must be a non-empty string")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        problems.append("fields 'start'/'end' must be integers")
    elif not 0 <= start < end <= len(text):
        problems.append(f"fields 'start'/'end': span {start}-{end} outside the text (length {len(text)})")
    elif text[start:end] != m["text"]:
        problems.append(f"field 'start': text[{start}:{end}] is {text[start:end]!r}, not {m['text']!r}")
    value = m.get("value")
    if kind == "project":
        if value is not None:
            problems.append("field 'value' must be null for a project")
        if not isinstance(m.get("name"), str) or not m.get("name"):
            problems.append("field 'name' must be a non-empty string for a project")
    elif kind in KINDS:
        if not _is_number(value):
            problems.append(f"field 'value' must be a number, got {value!r}")
        if m.get("name") is not None:
            problems.append("field 'name' is only for projects")
    qualifier = m.get("qualifier", "exact")
    if qualifier not in QUALIFIERS:
        problems.append(f"field 'qualifier': {qualifier!r} not one of {QUALIFIERS}")
    currency, unit = m.get("currency"), m.get("unit")
    if kind == "money":
        if currency not in CURRENCIES:
            problems.append(f"field 'currency': {currency!r} not one of {CURRENCIES}")
        if unit is not None and unit != currency:
            problems.append(f"field 'unit': money unit must be the currency code, got {unit!r}")
    elif currency is not None:
        problems.append("field 'currency' is only for money")
    if kind == "percent" and unit not in (None, "%"):
        problems.append(f"field 'unit': percent unit must be '%', got {unit!r}")
    if kind == "count" and (not isinstance(unit, str) or not unit):
        problems.append("field 'unit' must name the counted noun for a count")
    problems += validate_frame(m)
    of_total = m.get("of_total")
    if of_total is not None:
        if kind != "count":
            problems.append("field 'of_total' is only for counts")
        elif not _is_number(of_total) or (_is_number(value) and of_total < value):
            problems.append(f"field 'of_total': {of_total!r} must be a number >= value")
    value_max = m.get("value_max")
    if value_max is not None and (not _is_number(value_max) or (_is_number(value) and value_max < value)):
        problems.append(f"field 'value_max': {value_max!r} must be a number >= value")
    return problems


def validate_frame(m: dict) -> list[str]:
    """Problems of a mention's frame fields (annotation.md, "periods"); all are optional."""
    problems = []
    years = m.get("period_years")
    if years is not None:
        if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
            problems.append(f"field 'period_years': {years!r} must be a list of integer years")
        elif years != sorted(set(years)):
            problems.append(f"field 'period_years': {years!r} must be sorted, without repeats")
    role = m.get("role")
    if role is not None and role not in ROLES:
        problems.append(f"field 'role': {role!r} not one of {ROLES}")
    for key in ("label", "scope", "period_text", "per"):
        if m.get(key) is not None and not isinstance(m[key], str):
            problems.append(f"field {key!r} must be a string or null")
    return problems


def _validate_order(mentions) -> list[str]:
    """Mentions sorted by span, no duplicate spans, no two overlapping mentions of one kind."""
    spans = [(i, m) for i, m in enumerate(mentions)
             if isinstance(m, dict) and isinstance(m.get("start"), int) and isinstance(m.get("end"), int)]
    problems = []
    for (i, a), (j, b) in zip(spans, spans[1:]):
        if (b["start"], b["end"]) < (a["start"], a["end"]):
            problems.append(f"mention {j} {_label(b)}: field 'start': mentions are not sorted "
                            f"({b['start']} comes after {a['start']} of mention {i})")
    for x, (i, a) in enumerate(spans):
        for j, b in spans[x + 1:]:
            if (a["start"], a["end"]) == (b["start"], b["end"]):
                problems.append(f"mention {j} {_label(b)}: field 'start': duplicate span "
                                f"{b['start']}-{b['end']} (mention {i})")
            elif a.get("kind") == b.get("kind") and a["start"] < b["end"] and b["start"] < a["end"]:
                problems.append(f"mention {j} {_label(b)}: field 'start': overlaps mention {i} of the same kind")
    return problems


def validate_check(c, text: str) -> list[str]:
    """Problems of one arithmetic-check annotation against the document text."""
    if not isinstance(c, dict):
        return ["must be a JSON object"]
    problems = [f"unknown field {k!r}" for k in c if k not in _CHECK_KEYS]
    for key in ("kind", "claim_text", "claim_start", "operands", "reported", "consistent"):
        if key not in c:
            problems.append(f"missing field {key!r}")
    if problems:
        return problems
    if c["kind"] not in CHECK_KINDS:
        problems.append(f"field 'kind': {c['kind']!r} not one of {CHECK_KINDS}")
    claim, start = c["claim_text"], c["claim_start"]
    if not isinstance(claim, str) or not claim:
        problems.append("field 'claim_text' must be a non-empty string")
    elif not isinstance(start, int) or isinstance(start, bool):
        problems.append("field 'claim_start' must be an integer")
    elif text[start:start + len(claim)] != claim:
        problems.append(f"field 'claim_start': text at {start} is {text[start:start + len(claim)]!r}, not {claim!r}")
    elif c.get("claim_end") is not None and c["claim_end"] != start + len(claim):
        problems.append(f"field 'claim_end': {c['claim_end']} != claim_start + len(claim_text)")
    operands = c["operands"]
    if not isinstance(operands, list) or not operands:
        problems.append("field 'operands' must be a non-empty list of texts")
        return problems
    for k, op in enumerate(operands):
        if not isinstance(op, str) or not op:
            problems.append(f"field 'operands'[{k}] must be a non-empty string")
        elif op not in text:
            problems.append(f"field 'operands'[{k}]: {op!r} does not occur in the text")
    spans = c.get("operand_spans")
    if spans is not None:
        if not isinstance(spans, list) or len(spans) != len(operands):
            problems.append("field 'operand_spans' must have one [start, end] per operand")
        else:
            for k, (op, span) in enumerate(zip(operands, spans)):
                ok = (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span))
                if not ok or text[span[0]:span[1]] != op:
                    problems.append(f"field 'operand_spans'[{k}]: {span!r} does not hold {op!r}")
    if not _is_number(c["reported"]):
        problems.append(f"field 'reported' must be a number, got {c['reported']!r}")
    if c.get("expected") is not None and not _is_number(c["expected"]):
        problems.append(f"field 'expected' must be a number or null, got {c['expected']!r}")
    if not isinstance(c["consistent"], bool):
        problems.append(f"field 'consistent' must be true or false, got {c['consistent']!r}")
    if c.get("minor") is not None and not isinstance(c["minor"], bool):
        problems.append(f"field 'minor' must be true or false, got {c['minor']!r}")
    return problems

