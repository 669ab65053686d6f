"""The claim types added for real reports, the resolvers' names and the one gate before 'fail'.

Each passage imitates a construction seen in real published text (../shared/realtext,
../shared/realgold) with invented figures: the construction is the rule, not the sentence.
"""
from decimal import Decimal as D

import pytest

from kcextract.verifier import verify_text
from kcextract.verifier.check import Check, Operand
from kcextract.verifier.plausibility import review
from kcextract.verifier.registry import RESOLVERS, claim_types


def _one(text, kind, claim):
    return next(c for c in verify_text(text) if c.kind == kind and c.claim_text == claim)


def test_growth_implied_by_a_stated_change_holds_and_fails():
    text = "Doanh thu của hợp tác xã đạt 52,5 tỷ đồng, tăng 7,5 tỷ đồng (16,7%)."
    check = _one(text, "growth", "16,7%")
    assert (check.status, check.resolved_by, check.binding) == ("ok", "implied by a stated change", "stated")
    assert "52,5 − 7,5 = 45 tỷ đồng" in check.explanation
    wrong = _one(text.replace("16,7%", "19%"), "growth", "19%")
    assert wrong.status == "fail" and wrong.expected == D("16.7")


def test_growth_implied_by_a_change_in_cases_after_so_voi_cung_ky():
    text = "Năm nay có 90 doanh nghiệp giải thể, tăng 30 trường hợp so với cùng kỳ (55%)."
    check = _one(text, "growth", "55%")
    assert check.status == "fail" and "90 − 30 = 60" in check.explanation
    assert _one(text.replace("55%", "50%"), "growth", "50%").status == "ok"
    down = "Số doanh nghiệp tạm ngừng có 40 trường hợp, giảm 10 trường hợp (20%)."
    assert _one(down, "growth", "20%").status == "ok"           # 10 / (40 + 10)


def test_an_average_is_confirmed_by_the_total_and_the_count_never_accused():
    text = ("Trong năm, 1.200 doanh nghiệp thành lập mới với tổng vốn đăng ký 18.000 tỷ đồng; vốn đăng ký "
            "bình quân một doanh nghiệp đạt 15 tỷ đồng.")
    check = _one(text, "average", "15 tỷ đồng")
    assert check.status == "ok" and [o.text for o in check.operands] == ["18.000 tỷ đồng", "1.200 doanh nghiệp"]
    assert check.binding == "inferred"
    assert not [c for c in verify_text(text.replace("15 tỷ", "17 tỷ")) if c.status == "fail"]


def test_a_total_is_confirmed_by_the_parts_in_the_following_sentences():
    text = ("Năm 2024, tỉnh hỗ trợ 9 cơ sở sản xuất công nghiệp.\n\nHuyện Yên Lập có 4 cơ sở công nghiệp nông "
            "thôn được hỗ trợ máy móc. Huyện Tam Nông có 5 cơ sở tham gia đào tạo.")
    check = _one(text, "sum", "9 cơ sở")
    assert (check.status, check.resolved_by) == ("ok", "parts named in following sentences")
    # Parts that do not add up are no evidence: an inferred breakdown never accuses.
    assert not [c for c in verify_text(text.replace("9 cơ sở", "10 cơ sở")) if c.kind == "sum"]


def test_a_list_cue_belongs_to_the_nearest_count():
    text = ("Có tổng số 21 đề án được phê duyệt, thực hiện 03 nội dung bao gồm: đào tạo nghề; hỗ trợ máy móc; "
            "tuyên truyền.")
    checks = [c for c in verify_text(text) if c.kind == "count_list"]
    assert [(c.claim_text, c.status) for c in checks] == [("03 nội dung", "ok")]


def test_words_naming_a_category_never_accuse_and_other_units_are_not_bases():
    text = ("Làng có 143 hộ làm nghề, chiếm 50% tổng số hộ trong làng. Toàn thành phố có 247 làng nghề. "
            "Làng có 780 lao động thường xuyên và 500 lao động thời vụ, chiếm 47% tổng số lao động.")
    assert not [c for c in verify_text(text) if c.status == "fail"]


def _fail(kind, reported, expected, binding="stated", operands=None):
    ops = operands or (Operand("a", 0, 1, D(1)), Operand("b", 2, 3, D(2)))
    return Check(kind, "fail", "x", 10, 11, D(reported), D(expected), ops, "phép tính", None,
                 resolved_by="stated base", binding=binding)


def test_the_gate_turns_doubtful_or_absurd_failures_into_unverifiable():
    assert review(_fail("share", "23.23", "23.04")).status == "fail"                 # a real slip stays
    assert review(_fail("share", "26.7", "61.44")).status == "fail"                  # seed 003: 2.3× off, stated
    for doubtful in (_fail("share", "23.23", "23.04", binding="inferred"),           # inferred binding
                     _fail("ratio", "94.82", "459.04"),                              # 4.8× off
                     _fail("share", "60", "120"),                                    # a share over 100%
                     _fail("growth", "9", "-33.94"),                                 # opposite sign, far off
                     _fail("ratio", "80", "100", operands=(Operand("a", 0, 1, D(5)), Operand("a", 0, 1, D(5)))),
                     _fail("sum", "1000000000", "20500000000")):                     # parts 20× the total
        reviewed = review(doubtful)
        assert reviewed.status == "unverifiable" and "không kết luận" in reviewed.explanation
    assert review(_fail("sum", "8250", "8.25")).status == "fail"                     # a unit slip is an error


def test_every_check_names_a_known_resolver_and_every_claim_type_is_declared():
    assert {c.id for c in claim_types()} >= {"sums", "ratio_share_growth", "implied_base", "averages",
                                            "count_lists", "tables", "cross_sentence_sums"}
    text = ("Tổng kinh phí năm 2023 là 4.600 triệu đồng, giảm 8% so với năm 2022 (5.000 triệu đồng), trong đó "
            "kinh phí khuyến công quốc gia 2.600 triệu đồng, kinh phí địa phương 2.000 triệu đồng.")
    checks = verify_text(text)
    assert checks and all(c.resolved_by in RESOLVERS and c.resolved_by for c in checks if c.status != "unverifiable")
    assert {(c.kind, c.status, c.binding) for c in checks} >= {("growth", "ok", "stated"), ("sum", "ok", "stated")}


def test_a_failure_from_another_pair_of_figures_names_it():
    text = ("Năm 2022 có 40 cơ sở được hỗ trợ trên tổng số 160 cơ sở đăng ký. Năm 2023 có 90 cơ sở được hỗ "
            "trợ, chiếm 25% tổng số cơ sở đăng ký (200 cơ sở).")
    check = _one(text, "share", "25%")
    assert check.status == "fail" and check.cause == "another period or item"
    assert "40 cơ sở / 160 cơ sở" in check.explanation


def test_every_semicolon_item_of_a_breakdown_counts_not_just_a_prefix_that_fits():
    text = ("Giai đoạn 2021-2025, huyện đăng ký 12 sản phẩm tham gia OCOP. Trong đó, nhóm thực phẩm có 7 sản "
            "phẩm; nhóm đồ uống có 3 sản phẩm; nhóm thảo dược có 2 sản phẩm; nhóm lưu niệm có 1 sản phẩm.")
    check = _one(text, "sum", "12 sản phẩm")
    assert check.status == "fail" and check.expected == 13 and check.binding == "stated"
    # The same list adding up to another total stated just before breaks that one down.
    other = ("Theo quy hoạch, tỉnh sẽ có 15 cụm công nghiệp. Đến nay có 12 cụm công nghiệp đã được phê duyệt. "
             "Trong đó, có 7 cụm công nghiệp đi vào hoạt động; 5 cụm công nghiệp đang xây dựng; "
             "3 cụm công nghiệp chưa được thành lập.")
    assert not [c for c in verify_text(other) if c.status == "fail"]


def test_a_stated_failure_is_not_hidden_by_an_inferred_confirmation():
    text = ("Năm 2024 tỉnh hỗ trợ 15 cơ sở.\nTrong đó, huyện A có 10 cơ sở; huyện B có 3 cơ sở; huyện C có "
            "2 cơ sở; huyện D có 1 cơ sở.")
    check = _one(text, "sum", "15 cơ sở")
    assert check.status == "fail" and check.resolved_by == "listed parts"


def test_a_headline_repeating_a_body_claim_shares_its_check():
    text = ("Vốn đăng ký của doanh nghiệp mới tăng 80%\nTừ đầu năm, vốn đăng ký của doanh nghiệp mới là 1.900 "
            "tỷ đồng, tăng 80% so với cùng kỳ năm trước (1.000 tỷ đồng).")
    head = next(c for c in verify_text(text) if c.kind == "growth" and c.claim_start < text.index("\n"))
    assert (head.status, head.resolved_by, head.expected) == ("fail", "same claim in the body", D("90.00"))
    assert all(c.status == "ok" for c in verify_text(text.replace("80%", "90%")) if c.kind == "growth")


def test_seed_003s_error_is_explained_as_the_earlier_periods_share():
    """The issue's own example: 26,7% is 63 / 236, 63 being 145 − 82, the 2018-2020 figure."""
    from pathlib import Path

    text = (Path(__file__).parent.parent / "corpus/seeds/003_c333191b0e993c06.txt").read_text(encoding="utf-8")
    check = next(c for c in verify_text(text) if c.claim_text == "26,7%")
    assert check.status == "fail" and check.cause == "another period or item"
    assert "63 / 236" in check.explanation and "145 cơ sở − 82 cơ sở" in check.explanation


def test_a_claim_type_that_needs_what_no_earlier_one_provides_is_refused(tmp_path):
    import yaml

    from kcextract.exceptions import PatternFileError
    from kcextract.verifier.cues import RELATIONS_FILE

    data = yaml.safe_load(RELATIONS_FILE.read_text(encoding="utf-8"))
    data["claim_types"] = [t for t in data["claim_types"] if t["id"] != "sums"]      # part_of never provided
    bad = tmp_path / "relations.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PatternFileError, match="part_of"):
        claim_types.__wrapped__(bad)


@pytest.mark.parametrize("form", ["NFD", "old tone marks and non-breaking spaces"])
def test_the_verifier_reads_the_normalised_text_and_points_into_the_original(form):
    import unicodedata

    text = ("Tổng kinh phí hỗ trợ năm 2024 là 3.200 triệu đồng, trong đó khuyến công quốc gia 1.900 triệu đồng, "
            "khuyến công địa phương 1.300 triệu đồng. Tỉnh Hòa Bình giải ngân 4.560 triệu đồng, đạt 91,2% so "
            "với kế hoạch năm (5.100 triệu đồng).")
    if form == "NFD":
        given = unicodedata.normalize("NFD", text)
    else:
        given = text.replace("Hòa", "Hoà").replace("trong đó ", "trong\u00a0đó ")
    checks = {c.kind: c for c in verify_text(given)}
    assert (checks["sum"].status, checks["ratio"].status) == ("ok", "fail")
    for c in checks.values():
        assert given[c.claim_start:c.claim_end] == c.claim_text
        assert all(given[o.start:o.end] == o.text for o in c.operands)


@pytest.mark.parametrize("line, kind", [
    ("- Vốn ngân sách: 2 tỷ đồng", "sign"), ("  • 12 cơ sở", "sign"), ("\t+ mục", "sign"),
    ("1. Kinh phí", "digit"), ("12) Dự án", "digit"), ("a) Nhóm A", "letter"), ("đ. Khác", "letter"),
    ("A. Phần mở đầu", ""), ("Tổng kinh phí: 3.800 triệu đồng", ""), ("1.500 tỷ đồng", ""),
    ("", ""), ("   ", ""), ("\u00a0- mục", "")])
def test_the_list_marker_a_line_opens_with(line, kind):
    # (sums reads a marker only where its first character can open one: the rest is BULLET's)
    from kcextract.verifier.sums import _marker_type

    assert _marker_type(line) == kind


def test_bullet_openers_hold_every_character_a_list_marker_can_open_with():
    # (sums._marker_type skips BULLET on a line whose first character is not among them: a
    # BULLET widened without its openers would lose markers silently; this fails instead)
    from kcextract.verifier.layout import BULLET, BULLET_OPENERS

    opening = {chr(c) for c in range(0x21, 0x3000)
               if any(BULLET.match(chr(c) + after) for after in (". x", ") x", " x", "1. x"))}
    assert opening - {c for c in opening if c.isnumeric()} <= BULLET_OPENERS
    assert all(BULLET.match(c + ") x") or BULLET.match(c + " x") for c in BULLET_OPENERS)


def test_a_text_opening_with_a_parts_cue_has_no_total_before_it():
    # 'Cụ thể, …' as the first words: there is no earlier sentence to hold the total, and the
    # cue's own figure is not a total of the figures after it (it was read as 226 + 17 = 243).
    from kcextract.verifier import verify_text

    text = ("Cụ thể, từ năm 2008 đến năm 2017, trung tâm đã hoàn thành 226 đề án khuyến công. "
            "Riêng trong 7 tháng đầu năm 2018, trung tâm đã hoàn thành 17 đề án khuyến công.")
    assert [c for c in verify_text(text) if c.kind == "sum"] == []
    # the same sentences after one that states the total: the breakdown is still read
    total = "Trung tâm đã hoàn thành 243 đề án khuyến công. " + text
    sums = [c for c in verify_text(total) if c.kind == "sum"]
    assert [(c.claim_text, c.status) for c in sums] == [("243 đề án", "ok")]


def test_the_announce_cue_matches_only_at_a_colon_that_ends_its_line():
    # (lists._count_lines_ending_colon tries the cue only on lines that end with ':': a cue
    # widened to match elsewhere would lose announced lists silently; this fails instead)
    import yaml

    from kcextract.verifier.cues import RELATIONS_FILE, load_cues

    entry = next(e for e in yaml.safe_load(RELATIONS_FILE.read_text(encoding="utf-8"))["relations"]
                 if e["id"] == "announce")
    pattern = load_cues().first("announce").pattern
    for example in entry["match"]:
        assert pattern.search(example) and example.rstrip().endswith(":"), example
        for tail in ("x", " 5 đề án", ".", "\nx"):
            assert not pattern.search(example + tail), example + tail


def test_the_list_lead_cue_is_tried_wherever_it_can_match():
    # (lists._may_hold_lead_cue passes over sentences before the list_lead regex runs: a
    # cue widened with a word not in _LEAD_CUE_WORDS would lose lead lists silently)
    import yaml

    from kcextract.verifier.cues import RELATIONS_FILE, load_cues
    from kcextract.verifier.lists import _may_hold_lead_cue

    entry = next(e for e in yaml.safe_load(RELATIONS_FILE.read_text(encoding="utf-8"))["relations"]
                 if e["id"] == "list_lead")
    pattern = load_cues().first("list_lead").pattern
    made = ["- Các đề án GỒM CÓ: A; B", "Những đơn vị LÀ A, B", "Các nội dung như  sau: A",
            "Các tỉnh: A, B", "Các đề án gồm 2 đề án", "Các đề án, gồm: A", "Các đề án đã xong."]
    for sentence in entry["match"] + entry["no_match"] + made:
        at = len(sentence) - len(sentence.lstrip(" \t-–•+*"))
        if pattern.match(sentence):
            assert _may_hold_lead_cue(sentence, at, len(sentence)), sentence
    assert not _may_hold_lead_cue("Các đề án đã hoàn thành đúng tiến độ.", 0, 37)
    assert not _may_hold_lead_cue("Các đề án, gồm: A", 0, 17)


def test_the_or_and_joint_places_are_the_regex_matches():
    # (lists._joints looks for ',' and _JOINT_WORDS before the or_and_joint regex confirms
    # them: a cue widened with another word would split lists differently; this fails instead)
    import yaml

    from kcextract.verifier.cues import RELATIONS_FILE, load_cues
    from kcextract.verifier.lists import _joints

    entry = next(e for e in yaml.safe_load(RELATIONS_FILE.read_text(encoding="utf-8"))["relations"]
                 if e["id"] == "or_and_joint")
    pattern = load_cues().phrase("or_and_joint")
    made = ["A, B VÀ C", "A và và và B", "và B", "A Hoặc B, C và", "Nghệ An,Thanh Hóa và\nHà Tĩnh", "x İ và y"]
    for text in entry["match"] + entry["no_match"] + made:
        for lo, hi in ((0, len(text)), (1, len(text) - 1)):
            assert _joints(pattern, text, lo, hi) == [m.span() for m in pattern.finditer(text, lo, hi)], text


def test_a_count_made_by_counts_of_other_nouns_is_explained_in_their_own_nouns():
    # the sum is said in the total's noun, each part in its own, qualifiers as written
    check = _one("Toàn tỉnh hiện có trên 12.000 cơ sở sản xuất kinh doanh, trong đó gần 2.400 doanh nghiệp "
                 "và 9.600 hộ kinh doanh cá thể.", "sum", "12.000 cơ sở")
    assert (check.status, check.resolved_by, check.binding) == ("ok", "counts of other nouns that make it", "inferred")
    assert check.explanation == ("gần 2.400 doanh nghiệp + 9.600 hộ kinh doanh = 12.000 cơ sở, "
                                 "báo cáo ghi trên 12.000 cơ sở")
    assert check.expected_text == "12.000 cơ sở"
