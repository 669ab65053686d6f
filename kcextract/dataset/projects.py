"""The ``projects`` table: each named project with its beneficiary, place, amount and status.

Read from the sentence that names the project, with the cue words of
``project_frames.yaml``. A field that its sentence does not state stays empty: a guess
would be worse than a blank in a table a journalist has to defend.

>>> from kcextract.figure import Figure
>>> s = "Đề án “Ứng dụng máy sấy” của Hợp tác xã Phú Vinh tại huyện Chư Sê đã được nghiệm thu."
>>> p = Figure("project", "“Ứng dụng máy sấy”", 6, 24, name="Ứng dụng máy sấy", sentence=s)
>>> frame = project_frame(p, [])
>>> frame["beneficiary"], frame["place"], frame["status"]
('Hợp tác xã Phú Vinh', 'huyện Chư Sê', 'completed')
"""
from __future__ import annotations

import functools
from pathlib import Path

import regex

from kcextract.patterns import read_data_file
from kcextract.textnorm import normalise

FRAMES_FILE = Path(__file__).with_name("project_frames.yaml")
# A capitalised Vietnamese word (a proper name's syllable) or a number ('xã Ea Tu', 'Phường 3').
_NAME_WORD = r"(?:\p{Lu}[\p{L}\p{M}]*|\d+)"


@functools.lru_cache(maxsize=None)
def _cues():
    data = read_data_file(FRAMES_FILE)

    def alternation(words):
        return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))

    beneficiary = regex.compile(
        rf"(?i:(?<!\w)(?:{alternation(data['beneficiary_cues'])})\s+)"
        rf"((?i:{alternation(data['beneficiary_heads'])})(?:\s+(?:{_NAME_WORD}|TNHH|MTV|CP|&))*)")
    place = regex.compile(
        rf"(?i:(?<!\w)(?:{alternation(data['place_cues'])})\s+)"
        rf"((?i:{alternation(data['place_heads'])})(?:\s+{_NAME_WORD})+)")
    status = [(name, regex.compile(rf"(?i)(?<!\w)(?:{alternation(words)})(?!\w)"))
              for name, words in data["status"].items()]
    return beneficiary, place, status


def project_frame(project, figures) -> dict:
    """Beneficiary, place, amount and status of a project figure, from its sentence.

    ``figures`` are the document's other figures; the amount is the first VND money figure
    of the same sentence after the project's name (else before it).
    """
    beneficiary_re, place_re, status_res = _cues()
    sentence = normalise(project.sentence or "").text
    after_name = sentence[max(0, project.end - project.sentence_start):] if project.sentence_start <= project.start else sentence
    beneficiary = beneficiary_re.search(after_name) or beneficiary_re.search(sentence)
    place = place_re.search(after_name) or place_re.search(sentence)
    status = next((name for name, pattern in status_res if pattern.search(sentence)), None)
    same_sentence = [f for f in figures if f.kind == "money" and f.currency == "VND"
                     and f.sentence_start == project.sentence_start and f.sentence == project.sentence]
    amount = (next((f for f in same_sentence if f.start >= project.end), None)
              or next(iter(same_sentence), None))
    return {
        "name": project.name,
        "beneficiary": beneficiary.group(1).strip() if beneficiary else None,
        "place": place.group(1).strip() if place else None,
        "amount": amount.value if amount else None,
        "amount_text": amount.text if amount else None,
        "status": status,
        "sentence": project.sentence,
    }
