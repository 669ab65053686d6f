"""A figure stated twice shares one check.

A headline repeats a claim of its body ('Vốn đăng ký doanh nghiệp mới tăng 113%' above
'… 1.986 tỉ đồng, tăng 113% so với cùng kỳ năm trước (921 tỉ đồng)'): the headline's
figure stands alone, so it is checked by the body's check of the same claim, the same
number with the same cue word before it.  A sentence that opens by restating a count to
list it ('… công nhận thêm 3 làng nghề truyền thống. Ba làng nghề mới được công nhận
gồm: …') checks the count where it was first stated too.
"""
from __future__ import annotations

import dataclasses

import regex

from kcextract.verifier.check import Check
from kcextract.verifier.workspace import Context

HEADLINE_MAX = 250          # characters: a first line longer than this is a paragraph, not a title
HEADLINE_LINES = 4
LEAD_CHARS = 160             # the opening words that stand in for a missing title line
_CUE_WORD = regex.compile(r"(\p{L}+)\s*$")
_WORDS = regex.compile(r"\p{L}+")
SUBJECT_WINDOW = 120        # characters before a claim that say what it is about


def _cue(ctx: Context, start: int) -> str:
    m = _CUE_WORD.search(ctx.text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


def _same_subject(ctx: Context, a: int, b: int) -> bool:
    """The words before two statements of a claim share two word pairs ('vốn đăng ký', 'doanh
    nghiệp mới'), so the body's 'kim ngạch nhập khẩu tăng 10%' is not taken for the headline's
    'kim ngạch xuất khẩu tăng 10%' (one pair shared: 'kim ngạch')."""
    def pairs(pos):
        s0, _ = ctx.layout.sentence(pos)
        ws = _WORDS.findall(ctx.text[max(s0, pos - SUBJECT_WINDOW):pos].lower())
        return set(zip(ws, ws[1:]))
    return len(pairs(a) & pairs(b)) >= 2


def headline_span(text: str) -> tuple[int, int]:
    """The short lines a page opens with (site name, date, title) before its first paragraph:
    at most four lines, each short enough to be a title and not ending like a sentence."""
    start = len(text) - len(text.lstrip())
    pos, end = start, start
    for _ in range(HEADLINE_LINES):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end].rstrip()
        if not 0 < len(line) <= HEADLINE_MAX or line.endswith((".", ":", ";")):
            break             # a paragraph (titles, site names and datelines end without a stop)
        end = line_end
        if nl < 0:
            break
        pos = nl + 1
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
    return start, end


def carry_to_headline(ctx: Context, checks: list[Check]) -> list[Check]:
    """Copies of the body's conclusive checks for the figures the headline repeats."""
    h0, h1 = headline_span(ctx.text)
    if h1 <= h0:
        # No title line of its own (a page copied as one line, 'date 2024-04 Số vốn … tăng 15,5
        # lần Quý I/2024, tỉnh …'): the opening words stand in for it.
        h0, h1 = 0, min(len(ctx.text), LEAD_CHARS)
    # The headline's figures, and its multiples ('tăng 15,5 lần', no figure of their own).
    spans = [(ctx.figures[f].text, ctx.figures[f].start, ctx.figures[f].end) for f in ctx.figures_in(h0, h1)]
    spans += [(c.text, c.start, c.end) for c in ctx.claims if c.fig is None and h0 <= c.start < h1]
    # (only a body check of a number the headline writes can be carried: the others' cue
    # words need not be read; most headlines hold no figure)
    written = {text_ for text_, _, _ in spans}
    decided = {}
    for c in checks:
        if c.status != "unverifiable" and c.claim_start >= h1 and c.claim_text in written:
            decided.setdefault((c.kind, c.claim_text, _cue(ctx, c.claim_start)), c)
    out = []
    for text_, start, end in spans:
        for (kind, text, cue), body in decided.items():
            if text_ == text and _cue(ctx, start) == cue and _same_subject(ctx, start, body.claim_start):
                out.append(dataclasses.replace(
                    body, claim_start=start, claim_end=end,
                    explanation=f"{body.explanation} (tít bài nhắc lại số liệu của thân bài)",
                    resolved_by="same claim in the body"))
    return out


RESTATED_LOOK_BACK = 2      # sentences


def carry_to_restated_counts(ctx: Context, checks: list[Check]) -> list[Check]:
    """Copies of a count_list check made on a count that opens its sentence, for the same
    count (value and counted noun) stated in the sentences just before."""
    out = []
    for c in checks:
        if c.kind != "count_list" or c.status == "unverifiable":
            continue
        s0, _ = ctx.layout.sentence(c.claim_start)
        if ctx.text[s0:c.claim_start].strip(" \t-–•+*"):
            continue                      # the count does not open its sentence
        lead = ctx.figures[ctx.first_figure_after(c.claim_start, c.claim_end)]
        start = ctx.layout.start_sentences_back(s0, RESTATED_LOOK_BACK)
        for i in ctx.figures_in(start, s0, kinds=("count",)):
            f = ctx.figures[i]
            if f.value == lead.value and (f.unit or "").lower().startswith((lead.unit or "#").lower()):
                out.append(dataclasses.replace(
                    c, claim_text=f.text, claim_start=f.start, claim_end=f.end,
                    explanation=f"{c.explanation} (câu sau nhắc lại {f.text} để liệt kê)"))
    return out
