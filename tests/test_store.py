"""The SQLite corpus: schema, the iter_documents reader, frontier semantics, stats."""
from __future__ import annotations

import sqlite3
import zlib
from datetime import date, datetime

import pytest

from kcextract import store
from kcextract.store import Corpus


def add(corpus, key, site="a", published=None, text="Nội dung bài viết về khuyến công.", **extra):
    return corpus.insert_document(
        url=f"http://{site}.vn/{key}", canonical_url=f"http://{site}.vn/{key}", url_key=f"{site}.vn/{key}",
        site=site, title=f"Bài {key}", published=published, http_status=200,
        content_hash=f"hash-{site}-{key}", raw_html="<p>Khuyến công</p>".encode(), text=text, **extra)


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "corpus.db"
    corpus = Corpus(path)
    first = add(corpus, "1", published=datetime(2016, 12, 15, 8, 0))
    add(corpus, "2", published=datetime(2023, 12, 7, 8, 52))
    copy = add(corpus, "3", site="b", published=datetime(2023, 12, 9))
    corpus.conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (first, copy))
    corpus.add_attachment(first, "a", "http://a.vn/bao-cao.pdf", "Báo cáo", "pdf")
    corpus.finish_attachment(1, "ok", content=b"%PDF-1.4 test", content_type="application/pdf", size=13)
    corpus.close()
    return path


def test_iter_documents_leaves_duplicates_out_by_default(db):
    assert [d.url for d in store.iter_documents(db)] == ["http://a.vn/1", "http://a.vn/2"]
    assert len(list(store.iter_documents(db, include_duplicates=True))) == 3


def test_iter_documents_fields_and_filters(db):
    doc = next(store.iter_documents(db, site="a", with_attachments=True))
    assert (doc.id, doc.url, doc.canonical_url, doc.site, doc.title) == \
        (1, "http://a.vn/1", "http://a.vn/1", "a", "Bài 1")
    assert doc.published == datetime(2016, 12, 15, 8, 0) and doc.text.startswith("Nội dung")
    assert doc.attachments == [{"url": "http://a.vn/bao-cao.pdf", "title": "Báo cáo", "kind": "pdf",
                                "content_type": "application/pdf", "size": 13, "status": "ok", "reason": None}]
    assert [d.id for d in store.iter_documents(db, since=date(2020, 1, 1))] == [2]
    assert list(store.iter_documents(db, site="nowhere")) == []
    assert doc.to_dict()["published"] == "2016-12-15T08:00:00"


def test_raw_html_is_compressed_and_round_trips(db):
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT raw_html FROM documents WHERE id = 1").fetchone()[0]
    assert zlib.decompress(stored) == "<p>Khuyến công</p>".encode()
    assert store.raw_html(db, 1) == "<p>Khuyến công</p>".encode()


def test_attachment_bytes_are_kept(db):
    assert store.attachment_bytes(db, "http://a.vn/bao-cao.pdf") == b"%PDF-1.4 test"
    assert store.attachment_bytes(db, "http://a.vn/other.pdf") is None


def test_missing_database_is_an_error_naming_the_path(tmp_path):
    missing = tmp_path / "nope.db"
    with pytest.raises(FileNotFoundError, match="nope.db: no corpus database here"):
        list(store.iter_documents(missing))
    assert not missing.exists()


def test_url_keys_are_unique(db):
    corpus = Corpus(db)
    with pytest.raises(sqlite3.IntegrityError):
        add(corpus, "1")
    corpus.close()


def test_frontier_enqueue_refresh_and_skipped(tmp_path):
    corpus = Corpus(tmp_path / "c.db")
    assert corpus.enqueue("a", "http://a.vn/feed", "a.vn/feed", "feed") is True
    assert corpus.enqueue("a", "http://a.vn/feed", "a.vn/feed", "feed") is False
    row = corpus.next_pending("a")
    corpus.mark(row["id"], "done")
    assert corpus.next_pending("a") is None
    corpus.enqueue("a", "http://a.vn/feed", "a.vn/feed", "feed", refresh=True)      # seeds are re-read
    assert corpus.next_pending("a")["url"] == "http://a.vn/feed"
    # articles come before discovery pages
    corpus.enqueue("a", "http://a.vn/x-1.html", "a.vn/x-1.html", "article")
    assert corpus.next_pending("a")["kind"] == "article"
    art = corpus.next_pending("a")
    corpus.mark(art["id"], "skipped", "before --since")
    corpus.enqueue("a", "http://a.vn/x-1.html", "a.vn/x-1.html", "article", refresh=True)
    assert corpus.next_pending("a")["id"] == art["id"]                      # skipped comes back
    corpus.mark(art["id"], "done")
    corpus.enqueue("a", "http://a.vn/x-1.html", "a.vn/x-1.html", "article", refresh=True)
    assert corpus.next_pending("a")["kind"] == "feed"                       # done articles never come back
    corpus.close()


def test_failed_rows_are_retried_a_bounded_number_of_times(tmp_path):
    corpus = Corpus(tmp_path / "c.db")
    corpus.enqueue("a", "http://a.vn/x", "a.vn/x", "article")
    for attempt in range(5):
        row = corpus.next_pending("a")
        if row is None:
            break
        corpus.mark(row["id"], "failed", "HTTP 500")
        corpus.retry_failed("a", max_tries=3)
    assert attempt == 3
    corpus.close()


def test_stats(db):
    stats = store.corpus_stats(db)
    assert stats["per_year"] == [
        {"site": "a", "year": "2016", "documents": 1, "duplicates": 0},
        {"site": "a", "year": "2023", "documents": 1, "duplicates": 0},
        {"site": "b", "year": "2023", "documents": 1, "duplicates": 1},
    ]
    assert stats["attachments"] == [{"site": "a", "status": "ok", "n": 1, "bytes": 13}]
    assert stats["failures"] == [] and stats["pending"] == 0


def test_last_crawls(db, tmp_path):
    assert store.last_crawls(tmp_path / "none.db") == {}
    corpus = Corpus(db)
    corpus.log("a", "http://a.vn", "crawl-end", reason="done")
    corpus.close()
    assert set(store.last_crawls(db)) == {"a"}


def test_a_schema_1_corpus_is_migrated_in_place_and_readable_before(tmp_path):
    path = tmp_path / "old.db"
    corpus = Corpus(path)
    corpus.enqueue("a", "http://a.vn/l", "a.vn/l", "list")
    corpus.close()
    conn = sqlite3.connect(path)
    for table in ("document_versions", "crawl_runs", "crawl_locks"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP INDEX frontier_state")
    conn.execute("ALTER TABLE frontier DROP COLUMN depth")
    conn.execute("CREATE INDEX frontier_state ON frontier(site, state, kind)")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    assert store.corpus_stats(path)["last_runs"] == []                 # a reader copes with schema 1
    reader = Corpus.open_readonly(path)
    assert reader.versions(1) == []
    reader.close()
    corpus = Corpus(path)                                               # a writer migrates
    assert corpus.next_pending("a")["depth"] == 0
    corpus.close()
    assert rows_of(path, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(store.SCHEMA_VERSION),)]


def test_a_corpus_made_by_a_newer_kcextract_is_refused(tmp_path):
    from kcextract.exceptions import CorpusError

    path = tmp_path / "new.db"
    Corpus(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(CorpusError, match="made by a newer kcextract"):
        Corpus(path)


def test_claim_counts_the_attempt_once_and_interrupted_rows_are_retried_until_their_tries_are_spent(tmp_path):
    corpus = Corpus(tmp_path / "c.db")
    corpus.enqueue("a", "http://a.vn/x", "a.vn/x", "article")
    corpus.enqueue("a", "http://a.vn/y", "a.vn/y", "article")
    row = corpus.next_pending("a")
    corpus.claim(row["id"])
    assert corpus.next_pending("a")["url"] == "http://a.vn/y"          # a claimed row is not handed out again
    assert corpus.recover_interrupted("a", max_tries=3) == [("http://a.vn/x", 1)]
    corpus.retry_failed("a", max_tries=3)
    assert corpus.next_pending("a")["url"] == "http://a.vn/y"          # never-tried rows first
    other = corpus.next_pending("a")
    corpus.claim(other["id"])
    corpus.mark(other["id"], "done")
    row = corpus.next_pending("a")
    assert row["url"] == "http://a.vn/x" and row["tries"] == 1          # the interrupted attempt, counted once
    corpus.claim(row["id"])
    assert corpus.recover_interrupted("a", max_tries=3) == [("http://a.vn/x", 2)]   # killed again
    corpus.retry_failed("a", max_tries=3)
    row = corpus.next_pending("a")
    assert row["url"] == "http://a.vn/x" and row["tries"] == 2
    corpus.claim(row["id"])
    corpus.mark(row["id"], "failed", "boom")
    corpus.retry_failed("a", max_tries=3)
    assert corpus.next_pending("a") is None                              # 3 attempts: left alone
    corpus.close()


def rows_of(path, sql):
    conn = sqlite3.connect(path)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def test_threads_creating_one_new_corpus_at_once_all_succeed(tmp_path):
    """The WAL switch of a new file is a race SQLite answers 'locked' at once; all must win."""
    import threading

    from kcextract.store import Corpus

    for k in range(40):
        db, errors, go = tmp_path / f"new-{k}.db", [], threading.Barrier(4)

        def open_it():
            try:
                go.wait(timeout=5)
                Corpus(db).close()
            except Exception as exc:          # noqa: BLE001 - the test reports any failure
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not errors, errors
