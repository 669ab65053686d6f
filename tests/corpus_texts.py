"""Every text the tests hold (seed articles, the article sets, the phrasebook), for checks that a
fast path finds what a plain scan finds on real-shaped Vietnamese."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def every_text() -> tuple:
    """``(name, text)`` of each seed article, each article of tests/articles*/ and each phrasebook entry."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    for path in sorted(ROOT.glob("tests/articles*/*.json")):
        text = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
        if text.strip():
            texts.append((f"{path.parent.name}/{path.name}", text))
    for path in sorted((ROOT / "tests" / "phrasebook").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            texts.append((f"{path.stem}#{entry['id']}", entry["text"]))
    return tuple(texts)
