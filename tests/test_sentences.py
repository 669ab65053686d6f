"""Sentence and line spans: boundaries after '.', '!', '?', '…' and at line breaks, trimmed."""
from kcextract.sentences import line_spans, split_sentences, trimmed


def _pieces(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_a_decimal_point_or_an_abbreviation_does_not_end_a_sentence():
    text = "Kinh phí 4.475 triệu đồng. TP. Hồ Chí Minh đạt 93,71%! Năm 2024… Tiếp"
    assert _pieces(text) == ["Kinh phí 4.475 triệu đồng.", "TP. Hồ Chí Minh đạt 93,71%!", "Năm 2024…", "Tiếp"]


def test_a_sentence_ends_at_its_stop_even_inside_closing_quotes_or_brackets():
    assert _pieces('Ông nói: "Đạt 5 tỷ." Năm sau') == ['Ông nói: "Đạt 5 tỷ.', "Năm sau"]
    assert _pieces("Đề án (hỗ trợ máy sấy.) Kinh phí") == ["Đề án (hỗ trợ máy sấy.", "Kinh phí"]


def test_no_boundary_without_white_space_or_before_a_lower_case_word():
    assert _pieces("Đạt 5 tỷ.Năm sau. và tiếp") == ["Đạt 5 tỷ.Năm sau. và tiếp"]


def test_line_spans_trim_any_white_space_but_split_only_at_line_breaks():
    text = " \u00a0Dòng một\r\n\t\n\u2028 a\u2028b \u3000\n\n"
    assert [text[s:e] for s, e in line_spans(text)] == ["Dòng một", "a\u2028b"]


def test_trimmed_drops_empty_spans_and_trims_both_ends():
    text = "  ab \n   \ncd"
    assert trimmed(text, [(0, 5), (6, 9), (10, 12), (3, 3)]) == [(2, 4), (10, 12)]
