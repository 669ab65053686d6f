"""What a figure is, beside its value: its qualifier and its frame (label, scope, period, role, per).

A researcher who turns figures into a table by province and year needs, for each
one, what it measures (``label``), whose it is (``scope``), for when (``period``
and ``period_years``), what part it plays (``role``: actual, plan, estimate,
change, share, ratio, growth, base, per_unit) and, for a rate, per what
(``per``).  All are read from the normalised text around the figure, with the
word lists of ``patterns/lexicon.yaml`` and ``patterns/frames.yaml``.

The periods themselves are found by :mod:`kcextract.periods`; this module picks the
one a figure belongs to (its own, never its comparison base's) and the rest of its frame.
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Optional

import regex

from kcextract.cue_prefilter import REGEX_SPACE, may_hold, search_in
from kcextract.patterns import load_patterns, word_regex
from kcextract.periods import CLAUSE_PUNCT, Period, PeriodIndex, after_base_cue
from kcextract.wordindex import WordIndex, WordLists

ROLES = ("actual", "plan", "estimate", "change", "share", "ratio", "growth", "base", "per_unit")

_NOT_YET = object()      # a value not computed yet (None is an answer)


@functools.lru_cache(maxsize=None)
def _ending_regex(name: str):
    """An entry of the lexicon list ``name`` that ends the text (white space aside) and begins
    it or follows a character not of a word (group ``q``), case-insensitively."""
    lex = load_patterns().lexicon
    return regex.compile(r"(?:^|(?<=[^\w]))(?P<q>" + lex.alternation(name) + r")\s*$",
                         regex.IGNORECASE | regex.VERSION0)


_WORD_CHAR = regex.compile(r"\w")


def _folded_alternation(words) -> str:
    """``words`` as a stdlib ``re`` alternation over case-folded text, longest first: each
    entry case-folded, its words joined by ``regex``'s white space."""
    entries = sorted(set(words), key=len, reverse=True)
    return "|".join((REGEX_SPACE + "+").join(map(re.escape, entry.casefold().split())) for entry in entries)


@functools.lru_cache(maxsize=None)
def _ending_folded(name: str) -> "re.Pattern":
    """:func:`_ending_regex` without its look-behind, as a stdlib ``re`` pattern over
    case-folded text."""
    alternation = _folded_alternation(load_patterns().lexicon.lists[name])
    return re.compile(f"(?P<q>{alternation}){REGEX_SPACE}*$")


def _entry_ending(name: str, window: str, folded: Optional[str] = None) -> Optional[tuple[int, int]]:
    """The span of group ``q`` of ``_ending_regex(name).search(window)``, or None; ``folded`` is
    ``window.casefold()`` when the caller has it.

    On these short windows most of the cost of ``regex`` is setting up the search: stdlib ``re``
    on the case-folded window (where it keeps every offset) is three times faster.  Its matches
    are those of ``regex`` once the look-behind is checked, as for a Vietnamese letter the
    characters ``regex`` matches to it case-insensitively are those that fold to it
    (tests/test_periods.py checks every letter)."""
    folded = window.casefold() if folded is None else folded
    if len(folded) != len(window):                # ('ß' folds to 'ss': offsets would move)
        m = _ending_regex(name).search(window)
        return m.span("q") if m else None
    pattern, pos = _ending_folded(name), 0
    while (m := pattern.search(folded, pos)) is not None:
        at = m.start()
        if at == 0 or window[at - 1] == " " or _WORD_CHAR.match(window, at - 1) is None:
            return m.span("q")
        pos = at + 1                              # (the look-behind fails: search on, as regex does)
    return None


@functools.lru_cache(maxsize=1)
def _qualifier_last_words() -> tuple:
    """The last word of each qualifier, case-folded."""
    return tuple(dict.fromkeys(word.split()[-1].casefold() for word in load_patterns().lexicon.lists["QUALIFIER"]))


def find_qualifier(text: str, start: int) -> tuple[str, Optional[int]]:
    """The qualifier written right before ``text[start:]`` and where it starts.

    >>> find_qualifier("hỗ trợ gần 6,7 tỷ đồng", 11)
    ('under', 7)
    >>> find_qualifier("nhiều hơn 82 cơ sở", 10)
    ('exact', None)
    >>> find_qualifier("doanh thu ước đạt 7.456,43", 18)
    ('approx', 10)
    """
    window_start = max(0, start - 30)
    window = text[window_start:start]
    # A qualifier ends with one of these words, then only white space: most figures have
    # none, and are told so without running the regex over the window.
    last = window.rstrip()
    folded = last.casefold()
    in_place = len(folded) == len(last)
    if in_place and not folded.endswith(_qualifier_last_words()):
        return "exact", None
    # (white space folds to itself)
    span = _entry_ending("QUALIFIER", window, folded + window[len(last):] if in_place else None)
    if span is None:
        return "exact", None
    q_start = window_start + span[0]
    if _entry_ending("NOT_QUALIFIER_BEFORE", text[max(0, q_start - 15):q_start]) is not None:
        return "exact", None
    meaning = load_patterns().lexicon.meaning("QUALIFIER", window[span[0]:span[1]])
    return meaning, q_start


@functools.lru_cache(maxsize=1)
def _after_starts() -> tuple:
    """How a QUALIFIER_AFTER entry can begin right after a figure: a space, then its first
    word as written in lower case, capitalised or in capitals."""
    firsts = {w.split()[0] for w in load_patterns().lexicon.lists["QUALIFIER_AFTER"]}
    return tuple(" " + form for w in firsts for form in (w.lower(), w.capitalize(), w.upper()))


def qualifier_after(text: str, end: int) -> Optional[str]:
    """The qualifier written right after a figure ending at ``end`` ('trở lên'), or None.

    >>> qualifier_after("có kim ngạch từ 1 tỷ USD trở lên gồm", 24), qualifier_after("1 tỷ USD, trở thành", 8)
    ('at_least', None)
    """
    # (asked for every figure, and most are followed by none of these words: told at C speed)
    if not text.startswith(_after_starts(), end):
        return None
    m = word_regex("QUALIFIER_AFTER").match(text, end + 1)
    return load_patterns().lexicon.meaning("QUALIFIER_AFTER", m.group(0)) if m else None


@functools.lru_cache(maxsize=1)
def _stop_words() -> tuple:
    """LABEL_STOP case-folded, and the first words of its two-word entries."""
    stops = frozenset(w.casefold() for w in load_patterns().lexicon.lists["LABEL_STOP"])
    return stops, frozenset(w.split(" ")[0] for w in stops if " " in w)


def _extend_phrase(words: list[str], limit: int = 6) -> list[str]:
    """Take words until a stop word (single or two-syllable), punctuation or a number
    (of the first ``limit`` words; the one after them is read for a two-syllable stop).
    ``words`` are those ``str.split`` gives (the first ``limit + 1`` hold no white space)."""
    stops, pair_firsts = _stop_words()
    kept: list[str] = []
    folded = " ".join(words[:limit + 1]).casefold().split(" ")     # (one casefold, not one a word)
    n = len(folded)
    for i, word in enumerate(words[:limit]):
        bare = word.strip(",.;:()“”\"")
        low = folded[i]
        if (not bare or not bare[0].isalpha() or low in stops
                or low in pair_firsts and i + 1 < n and low + " " + folded[i + 1] in stops):
            break
        kept.append(bare)
        if bare != word:  # punctuation glued to the word ends the phrase
            break
    return kept


_PHRASE_WORDS = 7      # words a phrase is read from (a limit of 6, and the word after for a pair)
_HEADING = regex.compile(r"[ \t\-–•+*]*(?P<label>[^:\n;,.]{3,40}?)[ \t]*:(?!\d)")


def label_before(text: str, sentence_start: int, start: int, words: Optional[WordIndex] = None) -> Optional[str]:
    """The last measuring phrase (LABEL_HEAD + modifiers) before ``start`` in its sentence.

    >>> s = "tổng kinh phí khuyến công thực hiện năm 2016 là 56.147 triệu đồng"
    >>> label_before(s, 0, s.index("56"))
    'tổng kinh phí khuyến công'
    >>> s = "Kinh phí KCQG: Tổng kinh phí thực hiện là 23.436 triệu đồng"
    >>> label_before(s, 0, s.index("23"))
    'Kinh phí KCQG'
    """
    heads = (words or _plain(text)).matches("LABEL_HEAD", sentence_start, start)
    if not heads:
        return None
    head = heads[-1]
    extra = _extend_phrase(text[head.end():start].split(None, _PHRASE_WORDS))
    # A heading before a colon names what the line is about, and a bare 'tổng kinh phí'
    # after it only restates it: 'Kinh phí KCQG: Tổng kinh phí thực hiện là 23.436 triệu
    # đồng' -> 'Kinh phí KCQG'.  ('kế hoạch', 'tỷ lệ' … say something else: kept.)
    if not extra:
        heading = _HEADING.match(text, sentence_start, start)
        if (heading and heads[0].start() < heading.end("label")
                and _cues().cue("RESTATING_HEAD").fullmatch(head.group(0))):
            return " ".join(heading.group("label").split())
    return " ".join([head.group(0)] + extra)


def label_after(text: str, end: int, sentence_end: int, unit: str) -> Optional[str]:
    """The noun phrase a count stands before: '48 cơ sở công nghiệp nông thôn' -> 'cơ sở công nghiệp nông thôn'.

    >>> t = "hỗ trợ 48 cơ sở công nghiệp nông thôn được chuyển giao"
    >>> label_after(t, t.index(" công"), len(t), "cơ sở")
    'cơ sở công nghiệp nông thôn'
    """
    if not unit:
        return None
    extra = _extend_phrase(text[end:sentence_end].split(None, _PHRASE_WORDS), limit=5)
    return " ".join([unit] + extra)



def _cues():
    return load_patterns().frames


# The cue lists a figure's frame looks for in its sentence before it (frames.yaml cues, and
# LABEL_HEAD of lexicon.yaml), found through one WordIndex per text.
_SENTENCE_LISTS = ("SCOPE_HEAD", "SCOPE_PREPOSITION", "SCOPE_WHOLE", "PER_LEAD", "RATIO_LEAD",
                   "PLAN", "ESTIMATE", "PLAN_COUNT")


@functools.lru_cache(maxsize=1)
def _word_lists() -> WordLists:
    frames = _cues()
    lists = {name: (frames.cue_words[name], frames.cue(name)) for name in _SENTENCE_LISTS}
    lists["LABEL_HEAD"] = (load_patterns().lexicon.lists["LABEL_HEAD"], word_regex("LABEL_HEAD"))
    return WordLists(lists)


def words_of(text: str) -> WordIndex:
    """The cue words of ``text``, indexed once for all its figures."""
    return WordIndex(text, _word_lists())


def _plain(text: str) -> WordIndex:
    """The cue lists over ``text`` without an index (each question scans its range), for one call."""
    return WordIndex(text, _word_lists(), indexed=False)


# ---------------------------------------------------------------- the frame of one figure


_PER_AFTER = regex.compile(r"\s*/\s*(?P<per>\p{L}[\p{L}\p{M}]*(?:\s+\p{L}[\p{L}\p{M}]*)?)")
_PER_EACH_AFTER = regex.compile(r"\s+mỗi\s+(?P<per>\p{L}[\p{L}\p{M}]*(?:\s+\p{Ll}[\p{L}\p{M}]*)?)(?=\s*[,;.)]|$)")
_NOUN_AFTER = regex.compile(r"\s*(?P<noun>\p{L}[\p{L}\p{M}.]*(?:\s+\p{L}[\p{L}\p{M}.]*){0,3})")
_CHANGE_CUT = regex.compile(r"[\d,;:(]")                  # between a change word and its amount
_LEADING_NUMBERS = regex.compile(r"^(?:\d[\d.,/]*\s+)+")
_DIGIT = regex.compile(r"\d")
_FOLLOWING = regex.compile(r"[^,;.()\n]{3,80}")
_PART_STOP = regex.compile(r"[,;.()\n]")
# A capitalised name after a scope head ('tỉnh Bắc Kạn'), or a region named by its direction
# ('khu vực phía Nam', 'vùng miền Trung'): 'phía', 'miền' are lower-case but part of the name.
# (its words on one line: a name does not run on into the next paragraph's first word)
_SCOPE_NAME = regex.compile(
    r"\s+(?P<name>(?:(?:phía|miền)[^\S\n]+)?(?:\p{Lu}[\p{L}\p{M}.]*|[A-Z]{2,})"
    r"(?:(?:[^\S\n]+|[^\S\n]*-[^\S\n]*)(?:\p{Lu}[\p{L}\p{M}.]*|[A-Z]{2,}))*)")


def clause_start(text: str, lo: int, start: int) -> int:
    """Where the clause holding ``start`` begins (after the last , ; : ( before it, not before ``lo``)."""
    rfind = text.rfind
    cut = max(rfind(",", lo, start), rfind(";", lo, start), rfind(":", lo, start), rfind("(", lo, start),
              rfind("\n", lo, start))
    return cut + 1 if cut >= 0 else lo


def clause_end(text: str, end: int, hi: int) -> int:
    m = CLAUSE_PUNCT.search(text, end, hi)
    return m.start() if m else hi


def _clause_ends(text: str):
    """``clause_end`` for the figures of ``text`` in order.  The mark found after one figure
    is the first after any later figure of its sentence that ends by it (no mark begins
    between them, and a match of CLAUSE_PUNCT does not depend on where the search began)."""
    last = [None, 0, None]          # the sentence end, where the search began, the mark (or None)

    def clause_end_of(end: int, hi: int) -> int:
        if last[0] == hi and last[1] <= end and (last[2] is None or end <= last[2]):
            return hi if last[2] is None else last[2]
        m = CLAUSE_PUNCT.search(text, end, hi)
        last[:] = hi, end, m.start() if m else None
        return m.start() if m else hi

    return clause_end_of


def _last(pattern, text: str, lo: int, hi: int):
    found = None
    for found in pattern.finditer(text, lo, hi):
        pass
    return found


def _per_after(text: str, end: int):
    """``_PER_AFTER.match(text, end) or _PER_EACH_AFTER.match(text, end)``, asked only where the
    first thing after the white space is '/' or 'mỗi' (most figures have neither after them).
    (Every character ``regex`` reads as white space is one for ``str.isspace``.)"""
    at, n = end, len(text)
    while at < n and text[at].isspace():
        at += 1
    if text.startswith("/", at):
        return _PER_AFTER.match(text, end)
    if at > end and text.startswith("mỗi", at):
        return _PER_EACH_AFTER.match(text, end)
    return None


def per_unit_of(text: str, lead_lo: int, start: int, end: int, words: Optional[WordIndex] = None) -> Optional[str]:
    """The unit of a rate: '300 triệu đồng/đề án' -> 'đề án'; 'bình quân một doanh nghiệp đạt 13,2 tỷ' -> 'doanh nghiệp'.

    >>> t = "mức hỗ trợ 300 triệu đồng/đề án"
    >>> per_unit_of(t, 0, t.index("300"), t.index("/"))
    'đề án'
    """
    m = _per_after(text, end)
    if m:
        return m.group("per")
    words = words or _plain(text)
    if not words.may_match("PER_LEAD", lead_lo, start):       # (most figures: no need for the clause)
        return None
    lead = words.last("PER_LEAD", clause_start(text, lead_lo, start), start)
    if lead is not None:
        noun = _NOUN_AFTER.match(text, lead.end(), start)
        if noun:
            phrase = noun.group("noun")
            stop = _cues().cue("PER_END").search(phrase)
            return (phrase[:stop.start()] if stop else phrase).strip() or None
    return None


def _change_before(text: str, change, before: str, lo: int, hi: int):
    """The last change word in ``before`` (``text[lo:hi]``, read as a text of its own)."""
    return _last(change, before, 0, len(before)) if may_hold(text, "CHANGE", lo, hi) else None


def _search_before(text: str, name: str, before: str, lo: int, hi: int):
    """``cue(name).search(before)`` for ``before`` = ``text[lo:hi]``."""
    return _cues().cues[name].search(before) if may_hold(text, name, lo, hi) else None


def role_of(kind: str, text: str, lead_lo: int, start: int, end: int, clause_hi: int, per: Optional[str],
            signed: bool = False, lead: Optional[str] = None, sentence_lo: Optional[int] = None,
            words: Optional[WordIndex] = None) -> str:
    """The part a figure plays in its clause (see :data:`ROLES`); ``base`` is decided by the caller.
    ``lead`` replaces the words before the figure where they are elsewhere (a table cell's header)."""
    cue = _cues().cues                            # name -> regex (a dict: read for every figure)
    before_lo = max(lead_lo, start - 25)
    before = text[before_lo:start]
    if kind == "percent":
        if lead is not None:                      # a table column: its header says
            if cue["GROWTH_HEADER"].search(lead):
                return "growth"
            if cue["SHARE_HEADER"].search(lead):
                return "share"
        share = _search_before(text, "SHARE", before, before_lo, start)
        if signed or share is None and _search_before(text, "GROWTH", before, before_lo, start):
            return "growth"
        if share is not None:
            return "share"
        after = text[end:min(clause_hi, end + 30)].lstrip()
        if cue["RATIO_AFTER"].match(after):
            return "ratio"
        if cue["BASE"].match(after):
            return "growth"                       # '12,8% so với cùng kỳ'
        words = words or _plain(text)
        if words.matches("RATIO_LEAD", min(lead_lo, sentence_lo if sentence_lo is not None else lead_lo), start):
            return "ratio"                        # 'tỷ lệ giải ngân … (62,75%), … (100%)'
        if _search_before(text, "SHARE_WEAK", before, before_lo, start):
            return "share"                        # 'bằng 19,9% cả nước', 'tương đương 80% số lao động'
        return "growth"
    if per:
        return "per_unit"
    change = _change_before(text, cue["CHANGE"], before, before_lo, start)
    if (change is not None and not _CHANGE_CUT.search(before[change.end():]) and len(before) - change.end() < 14
            and not cue["CHANGE_NOT_BEFORE"].match(before[change.end():].lstrip())):
        return "change"
    # The words before the figure, as a text of their own (or the table header given as ``lead``).
    if lead is None:
        words = words or _plain(text)

        def in_lead(name: str) -> bool:
            return words.occurs(name, lead_lo, start)
    else:
        def in_lead(name: str) -> bool:
            return cue[name].search(lead) is not None
    if kind == "count":
        # What is counted is done or to be done: a count is never an estimate, and one in
        # the future ('sẽ tổ chức 02 lớp', 'tiếp tục hỗ trợ 40 cơ sở') is a plan.
        return "plan" if in_lead("PLAN") or in_lead("PLAN_COUNT") else "actual"
    if in_lead("ESTIMATE"):
        return "estimate"
    if in_lead("PLAN"):
        return "plan"
    return "actual"


_SCOPE_LISTS = ("SCOPE_HEAD", "SCOPE_PREPOSITION", "SCOPE_WHOLE")


def scope_of(text: str, lo: int, start: int, words: Optional[WordIndex] = None,
             names_end: Optional[int] = None) -> Optional[str]:
    """Whose a figure is: the last place, market or company named in its sentence before it
    ('tỉnh Bắc Kạn', 'thị trường EU'), else a whole ('cả nước', 'toàn tỉnh').  Its head is
    looked for in [lo, start), its name may run to ``names_end`` (default: ``start``)."""
    words = words or _plain(text)
    names_end = start if names_end is None else names_end
    if not words.may_match_any(_SCOPE_LISTS, lo, start):      # (half the figures: none of their words)
        return None
    heads = words.matches("SCOPE_HEAD", lo, start)
    prepositions = words.matches("SCOPE_PREPOSITION", lo, start)
    names, office = words.cache("scope names"), _cues().cue("SCOPE_NOT")
    # The last head followed by a name that is not an office's (a head before a preposition
    # at the same place).
    while heads or prepositions:
        keep_head = not prepositions or bool(heads) and heads[-1].start() >= prepositions[-1].start()
        head = heads.pop() if keep_head else prepositions.pop()
        name = _name_after(text, head.end(), names_end, names)
        if name and not office.match(text, name.start("name"), start):
            word = head.group(0) if keep_head and head.group(0)[:1].islower() else ""
            # (a '.' the name ends with closes its sentence: 'thành phố Hà Nội.')
            return (word + " " + name.group("name").rstrip(".")).strip()
    whole = words.last("SCOPE_WHOLE", lo, start)
    return whole.group(0) if whole else None


def _name_after(text: str, at: int, hi: int, found: dict):
    """``_SCOPE_NAME.match(text, at, hi)``, matched once per place with the text whole: with no
    look-around, that match is the one a text cut at ``hi`` gives whenever it ends by ``hi``."""
    name = found.get(at, _NOT_YET)
    if name is _NOT_YET:
        name = found[at] = _SCOPE_NAME.match(text, at)
    if name is not None and name.end() > hi:
        return _SCOPE_NAME.match(text, at, hi)
    return name


def _first_scope(text: str, words: Optional[WordIndex] = None) -> Optional[str]:
    """The first whose a text names (its headline's province or the whole country), for the
    figures stated before any sentence names one."""
    for s0 in range(0, min(len(text), 4000), 400):
        # (a name may run past its window: 'Sở Công Thương TP. Hồ Chí Minh' across the 400th
        # character is 'Hồ Chí Minh', not 'Hồ Chí')
        found = scope_of(text, s0, min(len(text), s0 + 400), words, names_end=min(len(text), s0 + 480))
        if found:
            return found
    return None


# The characters of a phrase on which stdlib ``re`` and ``regex`` agree: what each reads as a
# word character (\w: not '²', '½', the joiners, '‿', nor the combining marks of decomposed
# Vietnamese text), and a case-folded character keeps this and its offset ('ß', 'İ', 'ẞ' fold to
# two).  Latin, the Vietnamese letters of Latin Extended Additional, punctuation and currency signs
# (tests/test_frames.py checks each); a phrase holding anything else is read with ``regex``.
_FOLDS_AS_REGEX_READS = re.compile(
    "[\x00-\xb1\xb4-\xb8\xba\xbb\xbf-\xde\xe0-\u012f\u0131-\u0148\u014a-\u01ef\u01f1-\u024f"
    "\u1e00-\u1e95\u1e9b-\u1e9d\u1e9f-\u1eff\u2000-\u200b\u200e-\u203e\u2041-\u2053\u2055-\u206f"
    "\u20a0-\u20bf]*")


@functools.lru_cache(maxsize=None)
def _folded_cue(name: str) -> "re.Pattern":
    """The cue list ``name`` as :func:`kcextract.patterns.cue_regex` builds it, as a stdlib ``re``
    pattern over case-folded text."""
    return re.compile(r"(?<!\w)(?:" + _folded_alternation(_cues().cue_words[name]) + r")(?!\w)")


def _phrase_cue(name: str, folds: bool):
    """The pattern that finds cue list ``name`` in a phrase, and the reading of the phrase it runs
    on: with ``folds`` (the phrase matches _FOLDS_AS_REGEX_READS), stdlib ``re`` on the case-folded
    phrase, which finds what ``regex`` finds on the phrase itself, at the same offsets.  On these
    few words most of the cost of ``regex`` (case-insensitive) is setting up the search: stdlib
    ``re`` on folded text takes fewer instructions."""
    return (_folded_cue(name), str.casefold) if folds else (_cues().cue(name), _as_is)


def _as_is(phrase: str) -> str:
    return phrase


_QUOTE_OR_PAREN = re.compile("[“”\"()]")
_ASCII_DIGIT = re.compile("[0-9]")


def _subject(phrase: str) -> Optional[str]:
    """The measured noun phrase of a clause's words: without its lead-in ('Trong đó,'), cut
    before a time or a number ('Tổng mức bán lẻ hàng hóa 6 tháng đầu năm 2022 ước đạt' ->
    'Tổng mức bán lẻ hàng hóa') and without the verb or qualifier before the figure."""
    words = phrase.split()
    if _QUOTE_OR_PAREN.search(phrase) is not None:
        words = [w.strip("“”\"()") for w in words]
    phrase = " ".join(words).strip(" ,")
    folds = _FOLDS_AS_REGEX_READS.fullmatch(phrase) is not None     # (and so does any part of it)
    lead_re, reading = _phrase_cue("LABEL_LEAD", folds)
    lead = lead_re.match(reading(phrase))
    while lead is not None and lead.end() < len(phrase):
        phrase = phrase[lead.end():].lstrip(" ,")
        lead = lead_re.match(reading(phrase))
    first = phrase[:1]
    if first.isdecimal() or first > "\uffff":  # (regex may know digits of a newer Unicode, all past the BMP)
        phrase = _LEADING_NUMBERS.sub("", phrase)   # '4 đề án tập huấn … (380 triệu đồng)'
    time_re, reading = _phrase_cue("LABEL_TIME", folds)
    ends = [] if (time := time_re.search(reading(phrase))) is None else [time.start()]
    digit = (_ASCII_DIGIT if folds else _DIGIT).search(phrase)     # (the only \d of those characters)
    if digit is not None:
        # Where r"\S*\d" matches first: the start of the first word holding a digit (the
        # phrase's words are joined by single spaces, its only white space).
        ends.append(phrase.rfind(" ", 0, digit.start()) + 1)
    if ends:
        phrase = phrase[:min(ends)].strip(" ,")
    return _without_tails(phrase, *_phrase_cue("LABEL_TAIL", folds))


def _without_tails(phrase: str, tails_re, reading) -> Optional[str]:
    """``phrase`` without up to four LABEL_TAIL words at its end, cut to ten words, or None
    when nothing that names a measure is left (``tails_re`` runs on ``reading`` of a part)."""
    tails = list(tails_re.finditer(reading(phrase)))
    for _ in range(4):
        tail = tails[-1] if tails else None
        if tail is None or phrase[tail.end():].strip():
            break
        cut = phrase[:tail.start()]
        shorter = cut.strip(" ,")
        # The matches of the shorter phrase are those before the tail when it lost a space or
        # a comma at its end (what follows its end reads as an end of text) and none of them
        # runs past it; else it is scanned again.
        if (len(shorter) < len(cut) and not phrase.startswith((" ", ","))
                and (len(tails) < 2 or tails[-2].end() <= len(shorter))):
            tails.pop()
        else:
            tails = list(tails_re.finditer(reading(shorter)))
        phrase = shorter
    phrase = " ".join(phrase.split()[:10])
    if len(phrase) < 3 or not any(ch.isalpha() for ch in phrase) or tails_re.fullmatch(reading(phrase)):
        return None
    return phrase


def clause_label(text: str, lo: int, start: int, end: int = 0, hi: int = 0, after: bool = True) -> Optional[str]:
    """What a figure measures when no label head names it: the subject of its clause, else of
    the clauses before it in its sentence ('nhóm du lịch lữ hành …, ước đạt 6,7 tỷ đồng'), else
    for a figure that opens its sentence (a headline) the words after it ('Hưng Yên: 42 tỷ
    đồng hỗ trợ phát triển làng nghề').

    >>> t = "Trong đó, giá trị XK tôm 9 tháng năm 2018 đạt 2,62 tỷ USD"
    >>> clause_label(t, 0, t.index("2,62"))
    'giá trị XK tôm'
    """
    pos, own_start = start, None
    for _ in range(3):
        cs = clause_start(text, lo, pos)
        own_start = cs if own_start is None else own_start
        found = _subject(text[cs:pos])
        if found:
            return found
        if cs <= lo:
            break
        pos = cs - 1
    if not after or hi <= end:
        return None
    # Nothing but a word or two before it ('Gần 10 tỷ đồng cho hoạt động khuyến công', 'Trong
    # tổng 1,4 tỷ đồng từ nguồn kinh phí khuyến công'): what follows says what it is.
    before = text[own_start:start].strip(" :-–•\t")
    if len(before.split()) <= 2 or text[lo:start].rstrip().endswith(":"):
        following = _FOLLOWING.match(text[end:hi].lstrip())
        if following:
            phrase = following.group(0)
            lead = _cues().cue("LABEL_AFTER_LEAD").match(phrase)
            phrase = phrase[lead.end():] if lead else phrase
            words = phrase.split()[:8]
            return " ".join(words) if len(words) >= 2 else None
    return None


# ---------------------------------------------------------------- every figure of a document


def _table_context(tables) -> dict:
    """Number cell start -> (header cell span, row label span or None, header row span),
    normalised offsets."""
    context = {}
    for table in tables:
        header = table.rows[0]
        whole = (min(s for s, _ in header), max(e for _, e in header))
        for r, row in enumerate(table.rows[1:], start=1):
            label = row[0] if row and row[0] != header[0] or len(row) > 1 else None
            for k, (s, e) in enumerate(row):
                column = table.column_of(r, k)
                if column < len(header):
                    context[s] = (header[column], label, whole)
    return context


_HEADER_YEAR = regex.compile(r"(?<![\d/.,-])(?:19|20)\d\d(?![\d/.,-])")


def _column_period(text: str, periods: "PeriodIndex", header, whole) -> Optional[Period]:
    """A table column's period: the one its header states ('T1-9/2018', a bare 'Tỷ lệ % 2018'),
    else the latest the header row states (a growth or share column belongs to the newest)."""
    found = periods.in_span(*header)
    if found is not None:
        return found
    year = _HEADER_YEAR.search(text, *header)
    if year:
        return Period(year.start(), year.end(), year.group(0), (int(year.group(0)),))
    i, j = bisect.bisect_left(periods.starts, whole[0]), bisect.bisect_left(periods.starts, whole[1])
    stated = [p for p in periods.periods[i:j] if p.years and not p.base]
    return max(stated, key=lambda p: p.years[-1]) if stated else None


def _framed(figure, **frame):
    """``figure`` with its frame fields set: ``dataclasses.replace`` without re-running the
    checks of ``Figure.__post_init__`` (kind, qualifier, span), which the frame fields do not
    touch; it is most of the cost of replace, paid for every figure of a corpus."""
    framed = object.__new__(type(figure))
    object.__setattr__(framed, "__dict__", figure.__dict__ | frame)     # (a frozen dataclass)
    return framed


def _cell_text(text: str, span) -> str:
    return " ".join(text[span[0]:span[1]].split()).strip(" |\t.") if span else ""


def frame_figures(norm, sentences, tables, figures: list, periods: Optional[PeriodIndex] = None) -> list:
    """The figures with their frames (label, scope, period, period_years, role, per).

    ``norm`` is the NormalisedText the figures were found in, ``sentences`` its
    SentenceIndex, ``tables`` its tables and ``periods`` its PeriodIndex (normalised
    offsets); figures keep their original offsets.
    """
    if not figures:
        return figures
    text = norm.text
    to_norm = _to_norm(norm)
    periods = periods if periods is not None else PeriodIndex(text)
    cells = _table_context(tables)
    cues = _cues()
    words = words_of(text)
    clause_end_of = _clause_ends(text)
    out, previous_end = [], 0
    carried_scope, first_scope = None, _NOT_YET
    for k, f in enumerate(figures):
        if f.kind == "project":
            out.append(_project_parts(text, to_norm, sentences, figures, k))
            continue
        ns, ne = to_norm(f.start), to_norm(f.end)
        s0, s1 = sentences.around(ns)
        lead_lo = max(s0, previous_end) if previous_end <= ns else s0
        previous_end = ne
        hi = clause_end_of(ne, s1)
        period = periods.own((s0, s1), ns, ne, hi)
        base_cue = None
        if f.kind != "percent" and after_base_cue(text, ns, reach=60, amount=True):
            base_cue = _last(cues.cue("BASE"), text, max(0, ns - 60), ns)
        per = per_unit_of(text, lead_lo, ns, ne, words) if f.kind != "percent" else None
        signed = ns > 0 and text[ns - 1] in "+-−" and (ns < 2 or not text[ns - 2].isalnum())
        if base_cue is not None:
            role = "base"
            period = periods.base_in(base_cue.start(), ns) or period
        else:
            role = role_of(f.kind, text, lead_lo, ns, ne, hi, per, signed, sentence_lo=s0, words=words)
            # '(cùng kỳ năm 2021 tăng 4,2%)', 'So với cùng kỳ năm 2022 (đạt 39,15%)': a figure in
            # the parenthesis of a comparison base is the base's.
            paren = text.rfind("(", max(s0, ns - 60), ns)
            if paren >= 0 and ")" not in text[paren:ns]:
                inside = periods.base_in(paren, ns)
                before = periods.base_in(max(s0, paren - 40), paren)
                if inside is not None:
                    period = inside
                elif before is not None and paren - before.end <= 2 and len(text[paren + 1:ns].split()) <= 2:
                    period = before
        # Whose: named in the sentence, else carried from the last figure that named it (a
        # report about one province names it once), else the first whose the text names.
        scope = scope_of(text, s0, ns, words) or carried_scope
        if not scope:
            if first_scope is _NOT_YET:
                first_scope = _first_scope(text, words)
            scope = first_scope
        carried_scope = scope
        label = None
        cell = cells.get(ns)
        if cell is not None:
            header, row_label, whole = cell
            period = _column_period(text, periods, header, whole) or period
            if role not in ("base", "per_unit"):
                role = role_of(f.kind, text, lead_lo, ns, ne, hi, per, signed, lead=text[header[0]:header[1]],
                               words=words)
            label = _cell_text(text, row_label) or _cell_text(text, header) or None
        if label is None:
            if f.kind == "count":
                label = label_after(text, ne, s1, f.unit)
            else:
                label = label_before(text, s0, ns, words) or clause_label(text, s0, ns, ne, s1, after=f.kind == "money")
        out.append(_framed(
            f, label=label, scope=scope, role=role, per=per,
            # The phrase is the one its sentence (or table header) states; a carried period
            # gives its years only, so ``period`` never names a time the sentence does not.
            period=period.text if period and period.text and (s0 <= period.start < s1 or cell is not None) else None,
            period_years=period.years if period else (),
        ))
    return out


@functools.lru_cache(maxsize=1)
def _project_regexes() -> tuple:
    """'hoàn thành 50% khối lượng' (a status with its share done) and a name running to the
    clause end or to a word that ends a project's part (frames.yaml STATUS_SHARE_LEAD, PART_END)."""
    cues = _cues()
    lead, end = cues.cue("STATUS_SHARE_LEAD").pattern, cues.cue("PART_END").pattern
    share = regex.compile(lead + r"\s+\d+(?:,\d+)?\s*%\s+khối\s+lượng", regex.I | regex.VERSION0)
    name = regex.compile(r"[ ]+(?P<name>[^,;.()\n]{2,80}?)(?=[ ]*(?:[,;.()\n]|$)|[ ]+" + end + ")",
                         regex.I | regex.VERSION0)
    return share, name


def _place_from(text: str, head, hi: int) -> Optional[str]:
    """'xã Yên Hân, huyện Chợ Mới': administrative units joined by commas, from ``head`` on."""
    units = _cues().cue("PLACE_HEAD")
    end, pos = None, head.end()
    while True:
        stop = _PART_STOP.search(text, pos, hi)
        end = stop.start() if stop else hi
        if stop and stop.group(0) == "," and units.match(text[stop.end():hi].lstrip()):
            pos = stop.end()
            continue
        break
    words = " ".join(text[head.start():end].split())
    cut = _cues().cue("PART_END").search(words, 1)
    words = words[:cut.start()] if cut else words
    return words if len(words) > len(head.group(0)) + 1 else None


def _project_parts(text: str, to_norm, sentences, figures: list, k: int):
    """A project with what its sentence or list item says of it: beneficiary, place,
    amount (the first money figure after it) and status (after it, else in its lead)."""
    f = figures[k]
    cues = _cues()
    ns, ne = to_norm(f.start), to_norm(f.end)
    s0, s1 = sentences.around(ns)
    line_end = text.find("\n", ne)
    hi = min(s1, line_end if line_end >= 0 else len(text))
    amount = None
    for j in range(k + 1, len(figures)):        # the figures up to the next project or the end
        later = figures[j]                      # of the item: the first money is its amount
        if to_norm(later.start) >= hi:
            break
        if later.kind == "project":
            hi = to_norm(later.start)
            break
        if amount is None and later.kind == "money" and later.value_max is None:
            amount = later.value
    beneficiary = place = None
    lead = search_in(text, "BENEFICIARY_LEAD", ne, hi)
    if lead:
        name = _project_regexes()[1].match(text, lead.end(), hi)
        beneficiary = name.group("name").strip(" :") if name else None
    if beneficiary is None:
        head = search_in(text, "BENEFICIARY_HEAD", ne, hi)
        if head:
            name = _project_regexes()[1].match(text, head.end(), hi)
            beneficiary = (head.group(0) + (" " + name.group("name") if name else "")).strip()
    head = search_in(text, "PLACE_HEAD", ne, hi)
    if head and (beneficiary is None or head.group(0) not in beneficiary):
        place = _place_from(text, head, hi)
    status = ((_project_regexes()[0].search(text, ne, hi) if may_hold(text, "STATUS_SHARE_LEAD", ne, hi) else None)
              or search_in(text, "STATUS", ne, hi))
    if status is None and may_hold(text, "STATUS", s0, ns):
        status = _last(cues.cue("STATUS"), text, s0, ns)
    return _framed(f, beneficiary=beneficiary, place=place, amount=amount,
                   status=" ".join(status.group(0).split()) if status else None)


def _to_norm(norm):
    """Original offset -> normalised offset (the identity when normalising kept every offset)."""
    if norm.starts is None:
        return lambda offset: offset
    starts = norm.starts
    return lambda offset: bisect.bisect_left(starts, offset)
