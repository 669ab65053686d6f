"""The verifier's extension points: the claim types (data in ``patterns/relations.yaml``,
key ``claim_types``) and the named resolvers that find a claim's operands.

A claim type is a module of this package with ``find(ctx) -> list[Check]``: it detects
its claims, resolves their operands, computes and explains.  Every check it emits names
its resolver (``resolved_by``, one of :data:`RESOLVERS`) and whether the text states the
binding or the verifier inferred it, so a wrong result can be traced to one resolver.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable


from kcextract.exceptions import PatternFileError
from kcextract.patterns import check_keys, read_data_file
from kcextract.verifier.check import CHECK_KINDS
from kcextract.verifier.cues import RELATIONS_FILE

# Every way an operand can be found, most certain first. 'stated' resolvers read a
# binding the text writes out; the others infer it, and may confirm but never accuse.
RESOLVERS = {
    "stated base": "stated: the figure right after the claim, in brackets or after 'so với'",
    "listed parts": "stated: parts after trong đó / gồm / a bracket, or list items under a total",
    "table row": "stated: a table's cells, total row or percentage column",
    "listed items": "stated: the items listed after a stated count",
    "items of a listed breakdown": "stated: the counts in the ';' items of a list whose amounts make the total beside the count",
    "numbered items": "stated when numbered inline after the count's colon, else inferred: items numbered 1, 2, 3 …",
    "names beside the count": "inferred: capitalised names written right after or before a count (confirms only)",
    "same claim in the body": "as the body's check: a headline repeating a claim of the body",
    "shares listed together": "stated: percentages listed after a 'chiếm' claim, each named, parts of one whole",
    "bases of the parts stated": "stated: a total's base as the sum of the bases its parts state in brackets",
    "parts and their growths": "inferred: a total's earlier level as the sum of its parts' earlier levels (confirms only)",
    "levels of a series": "stated: the one level of the same measure stated for each year the claim compares",
    "implied by a stated change": "stated: level and change in one clause; base = level − change",
    "total and count stated": "inferred: an average against a total and a count stated nearby (confirms only)",
    "growths of total and count stated": "inferred: an average's growth from the growths of its total and count (confirms only)",
    "counts of other nouns that make it": "inferred: counts of other nouns after a count's 'trong đó' or in its bracket, all of which make it (confirms only)",
    "parts named in following sentences": "inferred: parts in the sentences after a total (or before a total labelled 'tổng'), each named",
    "exports and imports named": "inferred: the exports and imports the words before them name (trade balance)",
    "total of a sum": "inferred: the total of a breakdown the subject is a part of",
    "plan in the sentence": "inferred: the one plan figure of the sentence",
    "plan implied by an earlier claim": "inferred: the plan an earlier 'đạt X% kế hoạch' claim implies (confirms only)",
    "plan of the named year": "inferred: the plan figure of the year the claim names",
    "same thing, named period": "inferred: the figure of the same thing for the period the claim names",
    "named base": "inferred: the earlier figure the claim's words describe best",
    "described like its subject": "inferred: the one figure described by the subject's words that fits (confirms only)",
    "named subject, value fit": "inferred: a subject named by words and a base that fits by value",
    "value fit": "inferred: the only nearby figure that makes the claim hold (confirms only)",
    "": "no operands found",
}

_KEYS = {"id", "module", "produces", "note"}
_OPTIONAL = {"provides", "needs"}


@dataclass(frozen=True)
class ClaimType:
    """One claim type: its name, the checks it produces and its ``find`` function."""

    id: str
    module: str
    produces: tuple
    note: str
    find: Callable
    provides: tuple = ()
    needs: tuple = ()


@lru_cache(maxsize=None)
def claim_types(path: Path = RELATIONS_FILE) -> tuple[ClaimType, ...]:
    """The claim types listed in the relations file, validated, in running order."""
    data = read_data_file(path)
    entries = data.get("claim_types") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise PatternFileError(path, None, "claim_types", "a list of claim types is required")
    out, provided = [], set()
    for entry in entries:
        eid = entry.get("id", "?") if isinstance(entry, dict) else "?"
        check_keys(entry, _KEYS | _OPTIONAL, path, eid)
        missing = set(entry.get("needs", [])) - provided
        if missing:
            raise PatternFileError(path, eid, "needs", f"{sorted(missing)} is provided by no claim type before it")
        provided |= set(entry.get("provides", []))
        for key in _KEYS:
            if key not in entry:
                raise PatternFileError(path, eid, key, "missing")
        bad = [k for k in entry["produces"] if k not in CHECK_KINDS]
        if bad:
            raise PatternFileError(path, eid, "produces", f"unknown check kinds {bad}")
        try:
            module = importlib.import_module(f"kcextract.verifier.{entry['module']}")
        except ImportError as exc:
            raise PatternFileError(path, eid, "module", f"cannot import: {exc}") from exc
        find = getattr(module, "find", None)
        if not callable(find):
            raise PatternFileError(path, eid, "module", "the module has no find(ctx) function")
        out.append(ClaimType(eid, entry["module"], tuple(entry["produces"]), entry["note"], find,
                             tuple(entry.get("provides", [])), tuple(entry.get("needs", []))))
    return tuple(out)
