"""Duplicates: exact content hashes and MinHash near-duplicates, on the seed articles."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from kcextract.crawl import dedup
from kcextract.store import Corpus

SEEDS = sorted((Path(__file__).parent.parent / "corpus" / "seeds").glob("*.txt"))


def paragraphs(index):
    return [p.strip() for p in SEEDS[index].read_text(encoding="utf-8").split("\n") if len(p.strip()) > 80]


@pytest.fixture(scope="module")
def quang_ninh():
    """Seed 004 (Quảng Ninh khuyến công) and a syndicated copy: new title line, last paragraph cut, sign-off."""
    body = paragraphs(4)
    original = "\n".join(body)
    copy = "Quảng Ninh: nhiều đề án khuyến công hiệu quả\n" + "\n".join(body[:-1]) + "\nTheo Báo Công Thương"
    return original, copy


def test_content_hash_ignores_case_spacing_and_unicode_form():
    text = "Kinh phí khuyến công năm 2023 là 1.250 triệu đồng."
    variants = [text.upper(), "  " + text.replace(" ", "\n  ") + " ", unicodedata.normalize("NFD", text)]
    assert {dedup.content_hash(v) for v in variants} == {dedup.content_hash(text)}
    assert dedup.content_hash(text) != dedup.content_hash(text.replace("1.250", "1.520"))


def test_syndicated_copy_is_a_near_duplicate(quang_ninh):
    original, copy = quang_ninh
    jaccard, containment = dedup.similarity(dedup.shingles(original), dedup.shingles(copy))
    assert jaccard >= dedup.JACCARD_MIN and containment > 0.95
    assert dedup.is_near_duplicate(original, copy)


def test_other_articles_are_not(quang_ninh):
    original, _ = quang_ninh
    for index in (0, 1, 2, 3):
        assert not dedup.is_near_duplicate(original, "\n".join(paragraphs(index)))


def test_same_template_with_other_figures_is_not_a_duplicate():
    """A yearly report reusing last year's wording with new numbers must keep its own figures."""
    body = "\n".join(paragraphs(0)[2:12])
    next_year = re.sub(r"\d+", lambda m: str(int(m.group()) + 7), body)
    assert not dedup.is_near_duplicate(body, next_year)


def test_short_texts_are_never_near_duplicates():
    notice = "Xem chi tiết báo cáo tại file đính kèm."
    assert not dedup.is_near_duplicate(notice, notice + " Trân trọng.")


def test_signature_estimates_jaccard(quang_ninh):
    original, copy = quang_ninh
    a, b = dedup.shingles(original), dedup.shingles(copy)
    estimate = float((dedup.signature(a) == dedup.signature(b)).mean())
    assert abs(estimate - dedup.similarity(a, b)[0]) < 0.15


def _store(corpus, site, key, text, published):
    document_id = corpus.insert_document(
        url=f"http://{site}/{key}", canonical_url=f"http://{site}/{key}", url_key=f"{site}/{key}", site=site,
        title=key, published=published, content_hash=dedup.content_hash(text), text=text)
    return document_id, dedup.index_and_link(corpus.conn, document_id, text)


def test_index_and_link_marks_the_later_publication(tmp_path, quang_ninh):
    original, copy = quang_ninh
    corpus = Corpus(tmp_path / "c.db")
    first, link = _store(corpus, "sct.quangninh.gov.vn", "a-1", original, datetime(2017, 5, 2))
    assert link is None
    other, link = _store(corpus, "sct.quangninh.gov.vn", "b-2", "\n".join(paragraphs(1)), datetime(2017, 6, 1))
    assert link is None
    second, link = _store(corpus, "congthuong.vn", "c-3", copy, datetime(2017, 5, 4))
    assert link is not None and link[:2] == (second, first)
    rows = corpus.conn.execute("SELECT id, duplicate_of FROM documents ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [(first, None), (other, None), (second, first)]
    corpus.close()


def test_an_original_crawled_after_its_copy_becomes_the_original(tmp_path, quang_ninh):
    original, copy = quang_ninh
    corpus = Corpus(tmp_path / "c.db")
    copied, _ = _store(corpus, "congthuong.vn", "c-3", copy, datetime(2017, 5, 4))
    source, link = _store(corpus, "sct.quangninh.gov.vn", "a-1", original, datetime(2017, 5, 2))
    assert link[:2] == (copied, source)
    rows = dict(corpus.conn.execute("SELECT id, duplicate_of FROM documents").fetchall())
    assert rows == {copied: source, source: None}
    linked = corpus.conn.execute("SELECT document_id, original_id FROM near_duplicates").fetchall()
    assert [tuple(r) for r in linked] == [(copied, source)]
    corpus.close()
