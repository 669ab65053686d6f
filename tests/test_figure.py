"""The Figure record: the extractor's fast constructor gives the same records as the dataclass's."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kcextract.figure import Figure, OUTPUT_FIELDS


def test_found_is_the_figure_the_constructor_builds():
    fields = dict(value=Decimal("6700000000"), currency="VND", unit="VND", qualifier="under",
                  qualifier_start=7, sentence="hỗ trợ gần 6,7 tỷ đồng", source="a.txt")
    built, found = Figure("money", "6,7 tỷ đồng", 11, 22, **fields), Figure.found("money", "6,7 tỷ đồng", 11, 22, **fields)
    assert found == built and repr(found) == repr(built) and hash(found) == hash(built)
    assert vars(found) == vars(built) and list(vars(found)) == list(vars(built))
    assert found.to_dict() == built.to_dict() and list(found.to_dict()) == list(OUTPUT_FIELDS)
    assert Figure.found("count", "48", 0, 2).period_years == () and Figure.found("count", "48", 0, 2).qualifier == "exact"


def test_found_checks_what_the_constructor_checks():
    with pytest.raises(ValueError, match="does not fit"):
        Figure.found("count", "48 cơ sở", 0, 3)
    with pytest.raises(ValueError, match="unknown figure kind"):
        Figure.found("weight", "48", 0, 2)
    with pytest.raises(ValueError, match="unknown qualifier"):
        Figure.found("count", "48", 0, 2, qualifier="roughly")
    with pytest.raises(TypeError, match="no field 'colour'"):
        Figure.found("count", "48", 0, 2, colour="red")


def test_a_pickled_figure_comes_back_whole_and_smaller_than_its_field_names():
    """Worker processes send figures to the parent pickled: every field, the ones equality
    ignores included, must survive, and the names of the 25 fields must not travel with each."""
    import pickle

    from kcextract.batch import analyse

    figures = analyse("Năm 2023, Trung tâm hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở, đạt 95% kế hoạch.").figures
    assert len(figures) == 3
    for figure in figures:
        back = pickle.loads(pickle.dumps(figure, protocol=5))
        assert back == figure and vars(back) == vars(figure) and list(vars(back)) == list(vars(figure))
    assert figures[0].qualifier == "under" and figures[0].qualifier_start == 27     # 'gần', compared by no __eq__
    assert pickle.loads(pickle.dumps(figures[0])).qualifier_start == 27
    assert b"sentence_start" not in pickle.dumps(figures[0], protocol=5)


def test_the_figures_of_one_sentence_share_its_text():
    """One string per sentence, not a copy per figure: less memory, and --jobs workers pickle it once."""
    from kcextract.batch import analyse

    figures = analyse("Năm 2023 hỗ trợ 12 lớp cho 300 học viên, 6,7 tỷ đồng. Sau đó 5 cơ sở được hỗ trợ.").figures
    first, second = [f for f in figures if f.sentence.startswith("Năm")], [f for f in figures if f.sentence.startswith("Sau")]
    assert len(first) == 3 and len(second) == 1
    assert all(f.sentence is first[0].sentence for f in first) and second[0].sentence is not first[0].sentence


def test_an_analysis_pickles_its_figures_as_rows_and_comes_back_whole():
    """A --jobs worker sends each document's Analysis to the parent: its figures travel as rows
    of values (no field names, no per-figure reduce), and come back equal field for field, the
    ones equality ignores included, with the figures of a sentence still sharing one string."""
    import pickle

    from kcextract.batch import Analysis, analyse
    from kcextract.figure import Figure

    text = ("Năm 2023, Trung tâm hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở, đạt 95% kế hoạch. "
            "Trong đó, 30 cơ sở ở huyện A và 18 cơ sở ở huyện B.")
    analysis = analyse(text, verify=True)
    assert len(analysis.figures) == 5 and analysis.checks
    data = pickle.dumps(analysis, protocol=5)
    assert b"sentence_start" not in data and b"_figure_from_values" not in data      # (no reduce per figure)
    back = pickle.loads(data)
    assert isinstance(back, Analysis) and back == analysis
    assert [vars(f) for f in back.figures] == [vars(f) for f in analysis.figures]
    assert all(type(f) is Figure for f in back.figures)
    first = [f for f in back.figures if f.sentence.startswith("Năm")]
    assert len(first) == 3 and all(f.sentence is first[0].sentence for f in first)
