"""The phrasebook: short realistic Vietnamese passages with every figure they hold.

Each case in ``tests/phrasebook/*.yaml`` is run through ``kcextract.extract`` and
must give back exactly the expected figures: same kind, same span (located by
its text, in order), the same value for every field the case states, and nothing
else.  See ``tests/phrasebook/README.md`` for the format and the annotation
decisions behind the expected values.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import yaml

PHRASEBOOK_DIR = Path(__file__).parent / "phrasebook"

CASE_KEYS = {"id", "text", "figures", "note", "form"}
# "form: NFD" feeds the extractor the decomposed form of the passage (as some
# CMSs and Mac-made documents deliver it); expected texts are decomposed too,
# so the file itself stays readable and editor-proof.
FORMS = {"NFC", "NFD"}
FIGURE_KEYS = {"kind", "text", "value", "value_max", "currency", "unit",
               "qualifier", "of_total", "name"}
KINDS = {"money", "percent", "count", "project"}
QUALIFIERS = {"exact", "approx", "under", "over", "at_least", "at_most"}
CURRENCIES = {"VND", "USD"}
NUMERIC_FIELDS = ("value", "value_max", "of_total")
# Compared after NFC + whitespace folding: they are labels, not spans.
LABEL_FIELDS = ("unit", "name")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class PhrasebookError(ValueError):
    """A phrasebook file is malformed; the message names the file and the case id."""


@dataclass
class Expected:
    """One expected figure, with its span located in the passage."""

    kind: str
    text: str
    start: int
    end: int
    fields: dict = field(default_factory=dict)  # every key the case states, except kind/text


@dataclass
class Case:
    """One passage and the figures it must yield."""

    path: Path
    id: str
    text: str
    expected: list
    note: str = ""


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice (a silent overwrite otherwise)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _as_decimal(x):
    if x is None:
        return None
    try:
        return Decimal(str(x))
    except (InvalidOperation, ValueError):
        return None


def _fold(s):
    """NFC and single spaces: how unit and name labels are compared."""
    if s is None:
        return None
    return " ".join(unicodedata.normalize("NFC", s).split())


def _digit_boundary_ok(text: str, start: int, end: int) -> bool:
    """The span does not cut a number: no digit (or digit group like ``.250``, ``/10``) right before or after it.

    So ``2`` is not found inside ``2016``, ``50`` not inside ``1.250``, ``10 đề án`` not inside ``02/10 đề án``.
    """
    before = text[start - 1] if start > 0 else ""
    before2 = text[start - 2] if start > 1 else ""
    after = text[end] if end < len(text) else ""
    after2 = text[end + 1] if end + 1 < len(text) else ""
    starts_with_digit = text[start].isdigit()
    ends_with_digit = text[end - 1].isdigit()
    if starts_with_digit and (before.isdigit() or (before in ".,/" and before2.isdigit())):
        return False
    if ends_with_digit and (after.isdigit() or (after in ".,/" and after2.isdigit())):
        return False
    return True


def _locate(text: str, needle: str, from_pos: int):
    """First occurrence of ``needle`` at or after ``from_pos`` that does not cut a number."""
    pos = text.find(needle, from_pos)
    while pos != -1:
        if _digit_boundary_ok(text, pos, pos + len(needle)):
            return pos
        pos = text.find(needle, pos + 1)
    return None


def _validate_figure(where: str, i: int, fig, passage: str, cursor: int) -> Expected:
    here = f"{where}, figure {i + 1}"
    if not isinstance(fig, dict):
        raise PhrasebookError(f"{here}: a figure must be a mapping, got {fig!r}")
    unknown = set(fig) - FIGURE_KEYS
    if unknown:
        raise PhrasebookError(f"{here}: unknown key(s) {sorted(unknown)}; allowed {sorted(FIGURE_KEYS)}")
    for key in ("kind", "text", "value"):
        if key not in fig:
            raise PhrasebookError(f"{here}: missing key {key!r}")
    kind, ftext = fig["kind"], fig["text"]
    if kind not in KINDS:
        raise PhrasebookError(f"{here}: kind {kind!r} not one of {sorted(KINDS)}")
    if not isinstance(ftext, str) or not ftext:
        raise PhrasebookError(f"{here}: text must be a non-empty string")
    if kind == "project":
        if fig["value"] is not None:
            raise PhrasebookError(f"{here}: a project has value null")
        if not isinstance(fig.get("name"), str) or not fig["name"]:
            raise PhrasebookError(f"{here}: a project needs a name")
    elif not _is_number(fig["value"]):
        raise PhrasebookError(f"{here}: value must be a number, got {fig['value']!r}")
    for key in ("value_max", "of_total"):
        if key in fig and fig[key] is not None and not _is_number(fig[key]):
            raise PhrasebookError(f"{here}: {key} must be a number or null, got {fig[key]!r}")
    if "qualifier" in fig and fig["qualifier"] not in QUALIFIERS:
        raise PhrasebookError(f"{here}: qualifier {fig['qualifier']!r} not one of {sorted(QUALIFIERS)}")
    if "currency" in fig and fig["currency"] is not None and fig["currency"] not in CURRENCIES:
        raise PhrasebookError(f"{here}: currency {fig['currency']!r} not one of {sorted(CURRENCIES)}")
    if kind == "money" and fig.get("currency", "VND") is None:
        raise PhrasebookError(f"{here}: money needs a currency")
    start = _locate(passage, ftext, cursor)
    if start is None:
        if ftext in passage:
            raise PhrasebookError(
                f"{here}: text {ftext!r} occurs in the passage but not after the previous figure "
                f"(figures must be listed in order) or only inside a longer number")
        raise PhrasebookError(f"{here}: text {ftext!r} does not occur in the passage")
    rest = {k: v for k, v in fig.items() if k not in ("kind", "text")}
    return Expected(kind=kind, text=ftext, start=start, end=start + len(ftext), fields=rest)


def load_file(path: Path, seen_ids: dict | None = None) -> list[Case]:
    """Read and validate one phrasebook file; raise PhrasebookError naming file and id on any problem."""
    seen_ids = {} if seen_ids is None else seen_ids
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise PhrasebookError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise PhrasebookError(f"{path}: the file must be a YAML list of cases")
    cases = []
    for n, raw in enumerate(data, 1):
        if not isinstance(raw, dict):
            raise PhrasebookError(f"{path}: case #{n} is not a mapping")
        cid = raw.get("id")
        where = f"{path.name}: case {cid!r}" if cid else f"{path.name}: case #{n}"
        unknown = set(raw) - CASE_KEYS
        if unknown:
            raise PhrasebookError(f"{where}: unknown key(s) {sorted(unknown)}; allowed {sorted(CASE_KEYS)}")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            raise PhrasebookError(f"{where}: id must be a lowercase slug (a-z, 0-9, -)")
        if cid in seen_ids:
            raise PhrasebookError(f"{where}: duplicate id, already used in {seen_ids[cid]}")
        seen_ids[cid] = path.name
        passage = raw.get("text")
        if not isinstance(passage, str) or not passage.strip():
            raise PhrasebookError(f"{where}: text must be a non-empty string")
        form = raw.get("form")
        if form is not None:
            if form not in FORMS:
                raise PhrasebookError(f"{where}: form {form!r} not one of {sorted(FORMS)}")
            passage = unicodedata.normalize(form, passage)
        figs = raw.get("figures")
        if not isinstance(figs, list):
            raise PhrasebookError(f"{where}: figures must be a list (use [] for none)")
        expected, cursor = [], 0
        for i, fig in enumerate(figs):
            if form is not None and isinstance(fig, dict) and isinstance(fig.get("text"), str):
                fig = dict(fig, text=unicodedata.normalize(form, fig["text"]))
            exp = _validate_figure(where, i, fig, passage, cursor)
            expected.append(exp)
            cursor = exp.end
        note = raw.get("note", "")
        if not isinstance(note, str):
            raise PhrasebookError(f"{where}: note must be a string")
        cases.append(Case(path=path, id=cid, text=passage, expected=expected, note=note))
    return cases


def load_phrasebook(directory: Path = PHRASEBOOK_DIR) -> list[Case]:
    """Every case of every ``*.yaml`` file in ``directory``, ids unique across files."""
    seen: dict = {}
    cases = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise PhrasebookError(f"{directory}: no *.yaml phrasebook files")
    for path in files:
        cases.extend(load_file(path, seen))
    return cases


CASES = load_phrasebook()


# ---------------------------------------------------------------- comparison

def _show_value(x):
    if isinstance(x, Decimal):
        return format(x.normalize(), "f") if x == x.to_integral_value() else str(x)
    return repr(x) if isinstance(x, str) else str(x)


def _describe_expected(e: Expected) -> str:
    extras = " ".join(f"{k}={_show_value(v)}" for k, v in e.fields.items())
    return f"{e.kind:<8} {e.text!r} @{e.start}-{e.end} {extras}"


def _describe_predicted(f) -> str:
    parts = [f"value={_show_value(f.value)}"]
    for k in ("value_max", "currency", "unit", "qualifier", "of_total", "name"):
        v = getattr(f, k, None)
        if v is not None and not (k == "qualifier" and v == "exact"):
            parts.append(f"{k}={_show_value(v)}")
    return f"{f.kind:<8} {f.text!r} @{f.start}-{f.end} " + " ".join(parts)


def _field_mismatches(exp: Expected, pred) -> list[str]:
    problems = []
    for key, want in exp.fields.items():
        got = getattr(pred, key, None)
        if key in NUMERIC_FIELDS:
            ok = (want is None and got is None) or (
                want is not None and got is not None and _as_decimal(want) == _as_decimal(got))
        elif key in LABEL_FIELDS:
            ok = _fold(want) == _fold(got)
        else:
            ok = want == got
        if not ok:
            problems.append(f"{key}: expected {_show_value(_as_decimal(want) if key in NUMERIC_FIELDS and want is not None else want)}, "
                            f"got {_show_value(got)}")
    return problems


def compare(case: Case, predicted) -> list[str]:
    """Readable list of differences between expected and predicted figures (empty when they agree)."""
    by_span = {}
    for f in predicted:
        by_span.setdefault((f.start, f.end), []).append(f)
    problems, used = [], set()
    for exp in case.expected:
        cands = [f for f in by_span.get((exp.start, exp.end), []) if f.kind == exp.kind]
        if not cands:
            same_span = by_span.get((exp.start, exp.end), [])
            if same_span:
                problems.append(f"WRONG KIND  {_describe_expected(exp)}  (predicted {same_span[0].kind})")
            else:
                problems.append(f"MISSING     {_describe_expected(exp)}")
            used.update(id(f) for f in same_span)
            continue
        pred = cands[0]
        used.add(id(pred))
        bad = _field_mismatches(exp, pred)
        if bad:
            problems.append(f"WRONG FIELD {_describe_expected(exp)}\n              " + "; ".join(bad))
    for f in predicted:
        if id(f) not in used:
            problems.append(f"EXTRA       {_describe_predicted(f)}")
    return problems


def _report(case: Case, predicted, problems) -> str:
    lines = [f"{case.path.name} :: {case.id}", f"text: {case.text!r}"]
    if case.note:
        lines.append(f"note: {case.note}")
    lines.append("expected:")
    lines += [f"  {_describe_expected(e)}" for e in case.expected] or ["  (no figures)"]
    lines.append("predicted:")
    lines += [f"  {_describe_predicted(f)}" for f in predicted] or ["  (no figures)"]
    lines.append("problems:")
    lines += [f"  {p}" for p in problems]
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_phrasebook_case(case: Case):
    from kcextract import extract

    predicted = list(extract(case.text))
    for f in predicted:
        # the contract's provenance rule, checked once per figure
        assert case.text[f.start:f.end] == f.text, (
            f"{case.id}: figure text {f.text!r} is not the original text at {f.start}-{f.end} "
            f"({case.text[f.start:f.end]!r})")
    problems = compare(case, predicted)
    assert not problems, _report(case, predicted, problems)


# ------------------------------------------------------ the loader's own checks

def _write(tmp_path, body: str) -> Path:
    p = tmp_path / "sample.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def test_loader_locates_spans_in_order_and_skips_digits_inside_numbers(tmp_path):
    p = _write(tmp_path, """
- id: range
  text: "Năm 2016 hỗ trợ từ 2 - 3 tỷ đồng cho 1.250 cơ sở, mỗi cơ sở 250 triệu."
  figures:
    - {kind: money, text: "2", value: 2000000000}
    - {kind: money, text: "3 tỷ đồng", value: 3000000000}
    - {kind: count, text: "1.250 cơ sở", value: 1250}
    - {kind: money, text: "250 triệu", value: 250000000}
""")
    (case,) = load_file(p)
    spans = [case.text[e.start:e.end] for e in case.expected]
    assert spans == ["2", "3 tỷ đồng", "1.250 cơ sở", "250 triệu"]
    assert case.expected[0].start == case.text.index("từ 2") + 3


def test_loader_nfd_form_decomposes_passage_and_expected_texts(tmp_path):
    p = _write(tmp_path, """
- id: nfd
  form: NFD
  text: "Kinh phí là 56.147 triệu đồng và 02/10 đề án, không phải 10 đề án."
  figures:
    - {kind: money, text: "56.147 triệu đồng", value: 56147000000}
    - {kind: count, text: "02/10 đề án", value: 2, of_total: 10}
    - {kind: count, text: "10 đề án", value: 10}
""")
    (case,) = load_file(p)
    assert case.text == unicodedata.normalize("NFD", case.text) != unicodedata.normalize("NFC", case.text)
    for e in case.expected:
        assert case.text[e.start:e.end] == e.text
    assert case.expected[2].start > case.expected[1].end


@pytest.mark.parametrize("body, message", [
    ("- {id: a, text: 'x 5 cơ sở', figures: [], colour: red}", "unknown key"),
    ("- {id: a, text: 'x 5 cơ sở', figures: [{kind: count, text: '5 cơ sở', value: 5, colour: 1}]}",
     "unknown key"),
    ("- {id: a, text: 'x', figures: []}\n- {id: a, text: 'y', figures: []}", "duplicate id"),
    ("- {id: a, text: 'x 5 cơ sở', figures: [{kind: count, text: '6 cơ sở', value: 6}]}",
     "does not occur"),
    ("- {id: a, text: '5 cơ sở và 6 cơ sở', figures: [{kind: count, text: '6 cơ sở', value: 6},"
     " {kind: count, text: '5 cơ sở', value: 5}]}", "in order"),
    ("- {id: a, text: 'x 5 cơ sở', figures: [{kind: number, text: '5 cơ sở', value: 5}]}", "kind"),
    ("- {id: a, text: 'x 5 cơ sở', figures: [{kind: count, text: '5 cơ sở', value: 5, qualifier: about}]}",
     "qualifier"),
    ("- {id: a, text: 'x', figures: [], id: b}", "duplicate key"),
    ("- {id: A_1, text: 'x', figures: []}", "slug"),
    ("- {id: a, form: NFKC, text: 'x', figures: []}", "form"),
])
def test_loader_rejects_bad_files_naming_file_and_id(tmp_path, body, message):
    p = _write(tmp_path, body)
    with pytest.raises(PhrasebookError) as err:
        load_file(p)
    assert message in str(err.value)
    assert "sample.yaml" in str(err.value)
