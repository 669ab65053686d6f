"""Page understanding on fixture pages (tests/fixtures/pages/pages.json) and the boilerplate stop-list.

Each article fixture names the exact title and date, snippets its text must contain and
boilerplate it must not; list fixtures name their article URLs, card dates and next page.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kcextract.html.clean import boilerplate_rules, clean_text
from kcextract.htmltext import html_to_text, parse_article, parse_list_page
from kcextract.sites import load_site

PAGES = Path(__file__).parent / "fixtures" / "pages"
MANIFEST = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))
ARTICLES = MANIFEST["articles"]
LISTS = MANIFEST["lists"]


def _read(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=ARTICLES, ids=[a["file"] for a in ARTICLES])
def case(request):
    spec = request.param
    return spec, parse_article(_read(spec["file"]), spec["url"])


def test_family_detected(case):
    spec, article = case
    assert article.family == spec["family"]


def test_exact_title(case):
    spec, article = case
    assert article.title == spec["title"]


def test_exact_published(case):
    spec, article = case
    assert article.published == dt.datetime.fromisoformat(spec["published"])


def test_canonical_url(case):
    spec, article = case
    assert article.canonical_url == spec["canonical_url"]


def test_text_keeps_key_sentences(case):
    spec, article = case
    for snippet in spec["with"]:
        assert snippet in article.text, snippet


def test_text_has_no_boilerplate(case):
    spec, article = case
    for snippet in spec["without"]:
        assert snippet not in article.text, snippet


def test_text_shape(case):
    _, article = case
    assert article.text == article.text.strip()
    assert "\n\n\n" not in article.text
    assert "  " not in article.text
    assert not article.text.startswith(article.title)


def test_attachments(case):
    spec, article = case
    found = [(a.url, a.title, a.kind) for a in article.attachments]
    assert len(found) == len(spec["attachments"]), found
    for (needle, kind), (url, title, got_kind) in zip(spec["attachments"], found):
        assert needle in url or needle == title
        assert got_kind == kind


def test_nukeviet_visible_date_beats_microdata():
    # datePublished says 11/12 (the edit time, theme.php quirk), og says 08/12; span.h5 says 07/12.
    spec = ARTICLES[0]
    assert "2023-12-11T09:20:00" in _read(spec["file"])
    assert parse_article(_read(spec["file"]), spec["url"]).published == dt.datetime(2023, 12, 7, 8, 52)


def test_site_selectors_override_family(tmp_path):
    # A user site file whose date selector points at the microdata: the site wins over the preset.
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\nbase_url = "http://127.0.0.1:8080"\ncms = "nukeviet"\n'
        'start_urls = ["http://127.0.0.1:8080/vi/news/khuyen-cong/"]\n'
        '[selectors]\ndate = "span[itemprop=datePublished]"\n',
        encoding="utf-8",
    )
    site = load_site(path)
    spec = ARTICLES[0]
    article = parse_article(_read(spec["file"]), spec["url"], site=site)
    assert article.published == dt.datetime(2023, 12, 11, 9, 20)
    assert article.title == spec["title"]  # title still from the family preset


def test_shipped_site_used_for_its_host():
    spec = ARTICLES[0]
    url = "https://socongthuong.daklak.gov.vn/vi/news/hoat-dong-khuyen-cong/x-1644.html"
    article = parse_article(_read(spec["file"]), url)
    assert article.family == "nukeviet"
    assert article.attachments[0].url.startswith("https://socongthuong.daklak.gov.vn/")


def test_header_clock_is_never_the_date():
    spec = next(a for a in ARTICLES if a["file"] == "generic/header-clock.html")
    html = _read(spec["file"]).replace('<span class="detail__time">10:35 | 10/10/2024</span>', "")
    article = parse_article(html, spec["url"])
    assert article.published != dt.datetime(2024, 11, 26, 3, 10)


def test_sharepoint_header_date_skipped_without_date_field():
    spec = next(a for a in ARTICLES if a["file"] == "sharepoint/detail.html")
    html = _read(spec["file"]).replace('<div class="news-date">Ngày đăng: 24/02/2016 10:05</div>', "")
    article = parse_article(html, spec["url"])
    assert article.published != dt.datetime(2016, 2, 26)


def test_html_to_text_matches_parse_article():
    spec = ARTICLES[0]
    assert html_to_text(_read(spec["file"]), spec["url"]) == parse_article(_read(spec["file"]), spec["url"]).text


def test_html_to_text_without_url():
    text = html_to_text(_read("liferay/detail.html"))
    assert "đạt 26,07% kế hoạch năm" in text
    assert "Tin khác" not in text


def test_generic_fallback_without_trafilatura(monkeypatch):
    # The density fallback must still give the article when trafilatura cannot be imported.
    import builtins

    real_import = builtins.__import__

    def no_trafilatura(name, *args, **kwargs):
        if name == "trafilatura":
            raise ImportError("no trafilatura")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_trafilatura)
    spec = next(a for a in ARTICLES if a["file"] == "generic/glued-words.html")
    article = parse_article(_read(spec["file"]), spec["url"])
    for snippet in spec["with"]:
        assert snippet in article.text
    for snippet in ("tỉnhđang", "vớitổng", "từnguồn"):
        assert snippet not in article.text


@pytest.mark.parametrize("spec", LISTS, ids=[s["file"] for s in LISTS])
def test_list_page(spec):
    page = parse_list_page(_read(spec["file"]), spec["url"])
    assert page.family == spec["family"]
    assert page.article_urls == [u for u, _ in spec["items"]]
    assert page.items == [(u, dt.datetime.fromisoformat(d)) for u, d in spec["items"]]
    assert page.next_url == spec["next_url"]


def test_list_page_on_local_server_keeps_only_local_links():
    page = parse_list_page(_read("nukeviet/category-page-2.html"), "http://127.0.0.1:8080/vi/news/hoat-dong-khuyen-cong/page-2/")
    assert page.article_urls == [
        "http://127.0.0.1:8080/vi/news/hoat-dong-khuyen-cong/tap-huan-nghiep-vu-khuyen-cong-nam-2023-1631.html",
        "http://127.0.0.1:8080/vi/news/hoat-dong-khuyen-cong/binh-chon-san-pham-cong-nghiep-nong-thon-tieu-bieu-cap-tinh-nam-2023-1618.html",
    ]
    assert page.next_url == "http://127.0.0.1:8080/vi/news/hoat-dong-khuyen-cong/page-3/"


PAGINATION = [
    # (page url, links on the page, expected next)
    ("http://h/vi/news/kc/", ['<a href="/vi/news/kc/page-2/">2</a>'], "http://h/vi/news/kc/page-2/"),
    ("http://h/category/kc/page/4/", ['<a href="/category/kc/page/3/">3</a>', '<a href="/category/kc/page/5/">5</a>'],
     "http://h/category/kc/page/5/"),
    ("http://h/?cat=4&paged=2", ['<a href="/?cat=4&amp;paged=1">1</a>', '<a href="/?cat=4&amp;paged=3">3</a>'],
     "http://h/?cat=4&paged=3"),
    ("http://h/tin-tuc/danh-muc/kc_10/?page=20", ['<a href="?page=19">19</a>', '<a href="?page=21">21</a>'],
     "http://h/tin-tuc/danh-muc/kc_10/?page=21"),
    ("http://h/web/guest/tin?_101_cur=2", ['<a href="/web/guest/tin?_101_cur=3">3</a>'], "http://h/web/guest/tin?_101_cur=3"),
    ("http://h/kinh-te/trang-22.html", ['<a href="/kinh-te/trang-23.html">23</a>'], "http://h/kinh-te/trang-23.html"),
    ("http://h/list.aspx", ['<a href="/list.aspx?x=1">Trang đầu</a>', '<a href="/list2.aspx">Trang sau</a>'], "http://h/list2.aspx"),
    ("http://h/index.php?mod=article&cid=36", ['<a href="/index.php?mod=article&amp;cid=36&amp;now=10">»</a>'],
     "http://h/index.php?mod=article&cid=36&now=10"),
    ("http://h/vi/news/kc/page-9/", ['<a href="/vi/news/kc/page-8/">8</a>', '<a href="/vi/news/kc/">1</a>'], None),
]


@pytest.mark.parametrize("url,links,expected", PAGINATION, ids=[p[0] for p in PAGINATION])
def test_next_page_shapes(url, links, expected):
    html = "<html><body><div class='pager'>" + " ".join(links) + "</div></body></html>"
    assert parse_list_page(html, url).next_url == expected


def _rule_hits(rule, line):
    if rule.action == "strip_prefix":
        m = rule.regex.match(line)
        return bool(m) and m.end() < len(line)
    return rule.regex.fullmatch(line) is not None


BOILERPLATE_CASES = [
    pytest.param(rule, text, True, id=f"{rule.id}: {text}") for rule in boilerplate_rules() for text in rule.match
] + [
    pytest.param(rule, text, False, id=f"{rule.id} (no): {text}") for rule in boilerplate_rules() for text in rule.no_match
]


@pytest.mark.parametrize("rule,text,hits", BOILERPLATE_CASES)
def test_boilerplate_examples(rule, text, hits):
    assert _rule_hits(rule, text) is hits


def test_every_boilerplate_rule_has_examples():
    for rule in boilerplate_rules():
        assert rule.match and rule.no_match, rule.id


def test_required_stop_strings_are_covered():
    # Strings the brief names: each must be removed when it stands on its own line after the body.
    body = "Năm 2023, Trung tâm hỗ trợ 12 cơ sở với kinh phí 1.250 triệu đồng. " * 5
    for junk in ["Lượt xem: 12", "Tổng truy cập: 18409948", "Tổng lượt truy cập 5", "Views Today : 3",
                 "Đã xem: 7", "Đang truy cập:457", "Truy cập nội dung luôn", "Chia sẻ :"]:
        assert clean_text(body + "\n\n" + junk) == body.strip(), junk
    for heading in ["Tin liên quan", "Những tin cũ hơn", "Tin khác", "BÀI VIẾT CÙNG CHUYÊN MỤC"]:
        assert clean_text(body + "\n\n" + heading + "\n\nMột tin khác về khuyến công") == body.strip(), heading


def test_cut_after_spares_an_early_mention():
    text = "Tin liên quan\n\nNăm 2018, Quảng Ninh dành 28 tỷ đồng cho khuyến công.\n\nKết quả: 16 đề án."
    assert clean_text(text) == "Năm 2018, Quảng Ninh dành 28 tỷ đồng cho khuyến công.\n\nKết quả: 16 đề án."


def test_invisible_characters_and_nbsp():
    assert clean_text("Kinh\u00a0phí\u200b 1.250\ufeff triệu\u00a0 đồng") == "Kinh phí 1.250 triệu đồng"


SEEDS = Path(__file__).parent.parent / "corpus" / "seeds"


def test_seed_pages_lose_their_counters_and_related_blocks():
    # Real stored page texts: the Bình Dương page ends in counters, the Bắc Kạn one in
    # "BÀI VIẾT CÙNG CHUYÊN MỤC" and a WordPress view counter.
    binhduong = clean_text((SEEDS / "000_b484966547e25757.txt").read_text(encoding="utf-8"))
    assert binhduong.endswith("Đại điện Trung tâm Khuyến công và Tư vấn PTCN Bình Dương tham dự Hội nghị")
    assert "tổng kinh phí khuyến công thực hiện năm 2016 của 20 tỉnh, thành phố khu vực phía Nam là 56.147 triệu đồng" in binhduong
    for junk in ("Truy cập nội dung luôn", "Lượt xem", "Thống kê truy cập", "Đang truy cập", "Tổng truy cập"):
        assert junk not in binhduong
    backan = clean_text((SEEDS / "002_ad25474bd4a68f57.txt").read_text(encoding="utf-8"))
    assert backan.endswith("(Nông Thị Thảo) Sở Công Thương")
    for junk in ("Chia sẻ", "BÀI VIẾT CÙNG CHUYÊN MỤC", "Views Today", "Total views", "004727", "Skip to content"):
        assert junk not in backan


def test_empty_and_bare_pages_do_not_crash():
    empty = parse_article("", "http://127.0.0.1:8080/x")
    assert (empty.title, empty.published, empty.text) == ("", None, "")
    assert "no article text found" in empty.warnings
    assert parse_list_page("", "http://127.0.0.1:8080/").items == []
    assert html_to_text("<html><body><h1>T</h1><p>Kinh phí 1.250 triệu đồng cho 12 cơ sở.</p></body></html>") == \
        "Kinh phí 1.250 triệu đồng cho 12 cơ sở."


def test_list_card_dates_stay_with_their_own_card_in_flat_and_nested_lists():
    """Each card's date is read inside that card only (the one-pass card finder of a list page)."""
    flat = "".join(f'<div><a href="/tin-tuc/bai-{i}.html">Bài {i}</a> <span>{i + 1:02d}/03/2023</span></div>'
                   for i in range(3))
    nested = ('<div class="box"><div><div><div><div><div><a href="/tin-tuc/bai-9.html">Bài 9</a></div></div>'
              '</div></div></div><div><a href="/tin-tuc/bai-8.html">Bài 8</a> 20/05/2021</div></div>')
    page = parse_list_page(f"<html><body><div class='list'>{flat}</div>{nested}</body></html>",
                           "http://127.0.0.1:1/tin-tuc/")
    dates = dict(page.items)
    assert [dates[f"http://127.0.0.1:1/tin-tuc/bai-{i}.html"] for i in range(3)] == \
        [dt.datetime(2023, 3, day) for day in (1, 2, 3)]
    assert dates["http://127.0.0.1:1/tin-tuc/bai-8.html"] == dt.datetime(2021, 5, 20)
    assert dates["http://127.0.0.1:1/tin-tuc/bai-9.html"] is None     # bai-8's date is not its date
