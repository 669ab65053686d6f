"""The dataset tables: stable ids, incremental rebuilds, summable money, provinces, load()."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from dataset_corpus import make_corpus  # noqa: E402

import kcextract  # noqa: E402
from kcextract.cli import cli  # noqa: E402
from kcextract.dataset import build, load, rows  # noqa: E402
from kcextract.store import Corpus  # noqa: E402


@pytest.fixture()
def corpus(tmp_path):
    return make_corpus(tmp_path / "kc.db")


def _ids(db, table):
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute(f"SELECT id FROM {table}"))


def test_build_stores_every_figure_and_check_with_its_document(corpus):
    summary = build(corpus, version="v1")
    assert (summary.documents, summary.extracted, summary.unchanged) == (6, 6, 0)
    data = load(corpus)
    text = (Path(__file__).parent.parent / "corpus/seeds/000_b484966547e25757.txt").read_text(encoding="utf-8")
    expected = kcextract.extract(text)
    first = data.figures[data.figures.document_id == 1]
    assert list(first.text) == [f.text for f in expected]
    assert list(first.start) == [f.start for f in expected]
    # every figure row carries its article's URL, site, title and date
    row = first.iloc[0]
    assert row.url == "https://binhduong.example.vn/tin-tuc/000.html" and row.site == "binhduong"
    assert row.title.startswith("Kết quả") and str(row.published).startswith("2023-12-27")
    # the 23,23% that should be 23,04% is a failed check, its operands tied to figure ids
    failed = data.checks[(data.checks.document_id == 1) & (data.checks.status == "fail")]
    assert list(failed.claim_text) == ["23,23%"] and failed.iloc[0].expected == pytest.approx(23.04)
    assert '"1-' in failed.iloc[0].operand_figure_ids


def test_rebuild_updates_rather_than_duplicates_and_only_reextracts_what_changed(corpus):
    build(corpus, version="v1")
    figures, checks = _ids(corpus, "figures"), _ids(corpus, "checks")
    again = build(corpus, version="v1")
    assert (again.extracted, again.unchanged) == (0, 6)
    assert _ids(corpus, "figures") == figures and _ids(corpus, "checks") == checks

    store = Corpus(corpus)          # one article's text changes: only it is read again
    store.conn.execute("UPDATE documents SET text = text || ? WHERE id = 5", ("\nHỗ trợ thêm 150 triệu đồng.",))
    store.close()
    changed = build(corpus, version="v1")
    assert (changed.extracted, changed.unchanged) == (1, 5)
    assert set(figures) < set(_ids(corpus, "figures"))
    assert "5-" + str(len(Path(__file__).parent.parent.joinpath(
        "corpus/seeds/004_be7211e38747573a.txt").read_text(encoding="utf-8")) + 13) in " ".join(_ids(corpus, "figures"))

    new_version = build(corpus, version="v2")       # a new extractor re-reads everything
    assert (new_version.extracted, new_version.unchanged) == (6, 0)
    assert len(_ids(corpus, "figures")) == len(set(_ids(corpus, "figures")))


def test_a_document_gone_from_the_corpus_leaves_the_dataset(corpus):
    build(corpus, version="v1")
    with sqlite3.connect(corpus) as conn:
        conn.execute("DELETE FROM documents WHERE id = 6")
    summary = build(corpus, version="v1")
    assert summary.removed == 1
    assert not [i for i in _ids(corpus, "figures") if i.startswith("6-")]


def test_money_is_in_vnd_and_million_vnd_and_syndicated_copies_are_not_summed(corpus):
    build(corpus, version="v1")
    figures = load(corpus).figures
    money = figures[(figures.kind == "money") & (figures.currency == "VND")]
    assert (money.value_million_vnd * 1e6 - money.value).abs().max() < 1e-3
    copy = figures[figures.document_id == 6]
    assert copy.duplicate.all() and not copy.summable.any()
    original = figures[figures.document_id == 1]
    assert original.summable.any()
    # an amount is summed once per article, never as a plan or the part of a stated total
    summed = original[original.summable]
    assert summed.value.is_unique
    assert not original[original.summable & (original.role.fillna("actual") != "actual")].shape[0]


def test_a_price_is_marked_per_unit_and_never_summable(tmp_path):
    db = tmp_path / "kc.db"
    store = Corpus(db)
    store.insert_document(url="https://x.vn/1", canonical_url="https://x.vn/1", url_key="x.vn/1", site="daklak",
                          title="Giá", published=None, http_status=200, content_hash="h", raw_html=b"",
                          text="Năm 2023, tỉnh hỗ trợ 500 triệu đồng; giá bán 1,2 triệu đồng/sản phẩm.")
    store.close()
    build(db, version="v1")
    figures = load(db).figures.set_index("text")
    assert figures.loc["1,2 triệu đồng", "per_unit"] and not figures.loc["1,2 triệu đồng", "summable"]
    assert not figures.loc["500 triệu đồng", "per_unit"] and figures.loc["500 triệu đồng", "summable"]
    assert "#:~:text=500%20tri%E1%BB%87u%20%C4%91%E1%BB%93ng" in figures.loc["500 triệu đồng", "source_link"]


def test_provinces_are_the_2025_ones_with_the_old_name_beside(corpus):
    build(corpus, version="v1")
    documents = load(corpus).documents.set_index("site")
    assert tuple(documents.loc["binhduong", ["province", "province_old", "province_from"]]) == (
        "TP. Hồ Chí Minh", "Bình Dương", "site")
    assert tuple(documents.loc["quangnam", ["province", "province_old"]]) == ("Đà Nẵng", "Quảng Nam")
    assert tuple(documents.loc["daklak", ["province", "province_old"]]) == ("Đắk Lắk", "Đắk Lắk")
    # a national paper: the one province its title names
    assert tuple(documents.loc["baocongthuong", ["province", "province_from"]]) == ("Ninh Bình", "title")


def test_a_field_the_extractor_adds_later_becomes_a_column(corpus, monkeypatch):
    original = rows.record_of

    def with_new_field(obj):
        record = original(obj)
        # given for money only: the column is made by the first money figure, and the other
        # figures' rows, before and after it, leave it empty
        record["confidence"] = 0.5 if record.get("kind") == "money" else None
        return record

    monkeypatch.setattr(rows, "record_of", with_new_field)
    build(corpus, version="v1")
    figures = load(corpus).figures
    money = figures.kind == "money"
    assert money.any() and (~money).any() and str(figures.confidence.dtype) == "float64"
    assert (figures.confidence[money] == 0.5).all() and figures.confidence[~money].isna().all()


def test_load_gives_typed_frames(corpus):
    build(corpus, version="v1")
    data = load(corpus)
    assert str(data.figures.value.dtype) == "float64" and str(data.figures.start.dtype) == "Int64"
    assert str(data.figures.summable.dtype) == "boolean" and str(data.documents.published.dtype) == "datetime64[ns]"
    assert set(data.frames()) == {"documents", "figures", "checks", "projects"}
    assert kcextract.load(corpus).documents.shape == data.documents.shape


def test_load_without_a_dataset_says_what_to_run(corpus):
    with pytest.raises(LookupError, match="kcextract dataset"):
        load(corpus)


def test_dataset_command(corpus, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["dataset", "--db", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "6 documents (6 extracted, 0 unchanged" in result.output
    assert runner.invoke(cli, ["dataset", "--db", str(corpus)]).output.count("6 unchanged") == 1
    missing = runner.invoke(cli, ["dataset", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "none.db" in missing.output


def test_an_empty_corpus_says_so(tmp_path):
    Corpus(tmp_path / "empty.db").close()
    result = CliRunner().invoke(cli, ["dataset", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 0 and "no documents found in" in result.output


def test_an_interrupted_build_resumes_without_redoing_what_it_stored(corpus):
    seen = []

    def stop_after_two(state, doc):
        seen.append(doc.id)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(corpus, version="v1", on_document=stop_after_two)
    resumed = build(corpus, version="v1")
    assert (resumed.extracted, resumed.unchanged) == (4, 2)
    assert len(_ids(corpus, "figures")) == len(set(_ids(corpus, "figures")))


def _stop_in_the_third_document(monkeypatch):
    """Make the third document's write fail after its old rows are deleted."""
    from kcextract.dataset import builder

    written = []
    original = builder._Writer.write

    def write_then_stop(self, document_rows):
        written.append(document_rows)
        if len(written) == 3:
            raise KeyboardInterrupt
        original(self, document_rows)

    monkeypatch.setattr(builder._Writer, "write", write_then_stop)


@pytest.mark.parametrize("commit_every, kept", [(2, 2), (1000, 0)])
def test_a_build_stopped_inside_a_document_keeps_only_what_it_committed(corpus, monkeypatch,
                                                                         commit_every, kept):
    """Documents are committed in groups, each whole: stopped in the middle of the third, the
    build keeps the two before it if they were committed, none otherwise, and never half a one."""
    from kcextract.dataset import builder

    build(corpus, version="v0")
    figures = _ids(corpus, "figures")
    monkeypatch.setattr(builder, "COMMIT_EVERY", commit_every)
    _stop_in_the_third_document(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        build(corpus, version="v1")
    monkeypatch.undo()
    assert _ids(corpus, "figures") == figures       # the third document's rows are all there
    resumed = build(corpus, version="v1")
    assert (resumed.extracted, resumed.unchanged) == (6 - kept, kept)
    assert _ids(corpus, "figures") == figures


def test_the_schema_doc_is_up_to_date():
    from kcextract.dataset.schema import schema_markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "dataset-schema.md"
    assert doc.read_text(encoding="utf-8") == schema_markdown(), \
        "regenerate it: python -m kcextract.dataset.schema > docs/dataset-schema.md"


def test_record_of_is_asdict_with_the_public_record_on_top():
    """record_of reads fields without asdict's deep copy: the same keys, order, values and types
    as ``asdict`` then ``update(to_dict())``, for figures and for checks with operands."""
    import dataclasses
    from decimal import Decimal

    from kcextract.batch import analyse
    from kcextract.dataset.rows import DROPPED_FIELDS, record_of
    from kcextract.figure import plain_number

    def reference(obj):
        def plain(d):
            return {k: (plain_number(v) if isinstance(v, Decimal) else v) for k, v in d.items()
                    if k not in DROPPED_FIELDS}
        record = plain(dataclasses.asdict(obj))
        record.update(plain(obj.to_dict()))
        return {k: ([plain(x) if isinstance(x, dict) else x for x in v] if isinstance(v, (list, tuple)) else v)
                for k, v in record.items()}

    text = ("Năm 2023, kinh phí khuyến công là 2.500 triệu đồng, trong đó ngân sách tỉnh 1.500 triệu "
            "đồng, ngân sách huyện 1.000 triệu đồng, đạt 104% kế hoạch, tăng gần 25% so với năm 2022.")
    analysis = analyse(text, "a.txt", verify=True)
    records = list(analysis.figures) + list(analysis.checks)
    assert analysis.checks and any(check.operands for check in analysis.checks)
    for obj in records:
        mine, theirs = record_of(obj), reference(obj)
        assert list(mine.items()) == list(theirs.items())
        assert [type(v) for v in mine.values()] == [type(v) for v in theirs.values()]


def _facets(db, document_id):
    with sqlite3.connect(db) as conn:
        return {table: set(conn.execute(f"SELECT site, province, year FROM {table} WHERE document_id = ?",
                                        (document_id,)).fetchall()) for table in ("figures", "checks")}


def test_figure_and_check_rows_carry_their_documents_facets_and_follow_them(corpus):
    """Site, province and year are written with the rows; a document whose text is unchanged
    but whose site or date changed gets new facets on its rows without being re-extracted."""
    build(corpus, version="v1")
    assert _facets(corpus, 1) == {"figures": {("binhduong", "TP. Hồ Chí Minh", 2023)},
                                  "checks": {("binhduong", "TP. Hồ Chí Minh", 2023)}}
    store = Corpus(corpus)
    store.conn.execute("UPDATE documents SET site = 'daklak', published = '2019-05-01T08:00:00' WHERE id = 1")
    store.close()
    again = build(corpus, version="v1")
    assert (again.extracted, again.unchanged) == (0, 6)
    assert _facets(corpus, 1) == {"figures": {("daklak", "Đắk Lắk", 2019)}, "checks": {("daklak", "Đắk Lắk", 2019)}}
    assert _facets(corpus, 2)["figures"] == {("baocongthuong", "Ninh Bình", 2016)}      # the others as they were
    with sqlite3.connect(corpus) as conn:
        assert {row[0] for row in conn.execute("SELECT province FROM projects WHERE document_id = 1")} <= {"Đắk Lắk"}


def test_the_search_index_is_rebuilt_only_when_a_document_was_added_removed_retitled_or_rewritten(corpus, monkeypatch):
    from kcextract.dataset import search

    rebuilt = []
    original = search.rebuild_search
    monkeypatch.setattr(search, "rebuild_search", lambda conn: (rebuilt.append(1), original(conn)))

    def found(query):
        with sqlite3.connect(corpus) as conn:
            return search.search(conn, query)

    build(corpus, version="v1")
    assert len(rebuilt) == 1 and found('title:"Gỡ khó"') == [5]
    build(corpus, version="v2", force=True)                  # everything re-extracted, no text changed
    assert len(rebuilt) == 1 and found('title:"Gỡ khó"') == [5]
    store = Corpus(corpus)
    store.conn.execute("UPDATE documents SET title = 'Tháo gỡ vướng mắc' WHERE id = 5")
    store.close()
    build(corpus, version="v2")
    assert len(rebuilt) == 2 and found('title:"vướng mắc"') == [5] and found('title:"Gỡ khó"') == []
    with sqlite3.connect(corpus) as conn:
        conn.execute("DROP TABLE documents_fts")
    build(corpus, version="v2")
    assert len(rebuilt) == 3 and found('title:"vướng mắc"') == [5]
