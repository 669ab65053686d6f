"""URL canonicalisation and identity keys, on URL shapes seen on Vietnamese publishers (research/sites.md)."""
from __future__ import annotations

import pytest

from kcextract.crawl.urls import canonical_url, same_site, url_key

CANONICAL = [
    # Liferay session ids (Bà Rịa-Vũng Tàu SCT)
    ("https://oldweb.soct.baria-vungtau.gov.vn/web/guest/danh-cho-nha-dau-tu/-/ctbrvt/extAssetPublisher/content/"
     "189842/hoi-nghi.html;jsessionid=AED5F1C0B2D3E4F5",
     "https://oldweb.soct.baria-vungtau.gov.vn/web/guest/danh-cho-nha-dau-tu/-/ctbrvt/extAssetPublisher/content/"
     "189842/hoi-nghi.html"),
    # junk glued to the path with no "?" (congthuong.vn)
    ("https://congthuong.vn/quang-ninh-28-ty-dong-351432.html&mobile=yes&amp=1",
     "https://congthuong.vn/quang-ninh-28-ty-dong-351432.html"),
    # tracking parameters, fragment, default port, host case
    ("HTTPS://Arit.GOV.vn:443/tin-tuc/suc-lan-toa-d4d2970c_3954/?utm_source=facebook&fbclid=IwAR0#binh-luan",
     "https://arit.gov.vn/tin-tuc/suc-lan-toa-d4d2970c_3954/"),
    # content-selecting parameters are kept, in their order
    ("http://sct.dongnai.gov.vn/Pages/newsdetail.aspx?NewsId=2933&CatId=97",
     "http://sct.dongnai.gov.vn/Pages/newsdetail.aspx?NewsId=2933&CatId=97"),
    # double-escaped ampersand in an href
    ("http://congthuonghcm.vn/index.php?mod=article&amp;cid=36&amp;now=10",
     "http://congthuonghcm.vn/index.php?mod=article&cid=36&now=10"),
    # Vietnamese letters in a DotNetNuke path: percent-encoded as UTF-8, escapes upper-cased
    ("http://sovhttdl.hatinh.gov.vn/Quảnlýnhànước/tabid/255/post/3011/Tin.aspx",
     "http://sovhttdl.hatinh.gov.vn/Qu%E1%BA%A3nl%C3%BDnh%C3%A0n%C6%B0%E1%BB%9Bc/tabid/255/post/3011/Tin.aspx"),
    ("http://h.vn/Qu%e1%ba%a3n", "http://h.vn/Qu%E1%BA%A3n"),
    # escaped unreserved characters are decoded
    ("http://h.vn/%7Euser/a%2Db", "http://h.vn/~user/a-b"),
    # dot segments, bare host
    ("http://h.vn/vi/news/../news/./a-1.html", "http://h.vn/vi/news/a-1.html"),
    ("http://h.vn", "http://h.vn/"),
    # a bare IP with a port stays as it is (An Giang SCT)
    ("http://113.161.212.101:81/CTPro/chi-tiet-tin/ket-qua--1280.html",
     "http://113.161.212.101:81/CTPro/chi-tiet-tin/ket-qua--1280.html"),
]


@pytest.mark.parametrize("raw, expected", CANONICAL)
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected
    assert canonical_url(expected) == expected       # idempotent


def test_relative_urls_resolve_against_the_page():
    assert canonical_url("../page-2/", "http://h.vn/vi/news/khuyen-cong/page-1/") == \
        "http://h.vn/vi/news/khuyen-cong/page-2/"
    assert canonical_url("a-1.html#top", "http://h.vn/vi/news/") == "http://h.vn/vi/news/a-1.html"


SAME_DOCUMENT = [
    ("https://arit.gov.vn/tin-tuc/suc-lan-toa-d4d2970c_3954/", "http://arit.gov.vn/tin-tuc/suc-lan-toa-d4d2970c_3954"),
    ("https://www.congthuong.vn/a-351432.html", "https://congthuong.vn/a-351432.html&mobile=yes&amp=1"),
    ("https://beta.congthuongthainguyen.gov.vn/vn/khuyen-cong/a-9633.phtml",
     "https://congthuongthainguyen.gov.vn/vn/khuyen-cong/a-9633.phtml"),
    ("https://oldweb.soct.baria-vungtau.gov.vn/web/guest/x/-/c/content/189842/a.html;jsessionid=1",
     "https://soct.baria-vungtau.gov.vn/web/guest/x/-/c/content/189842/a.html"),
    ("https://amp.tapchicongthuong.vn/bai-viet/a-85798.htm", "https://tapchicongthuong.vn/bai-viet/a-85798.htm"),
    ("http://h.vn/list.aspx?CatId=97&page=2", "http://h.vn/list.aspx?page=2&CatId=97"),
    ("http://h.vn:80/a", "https://h.vn/a/"),
]

DIFFERENT_DOCUMENTS = [
    ("http://sct.dongnai.gov.vn/Pages/newsdetail.aspx?NewsId=2933", "http://sct.dongnai.gov.vn/Pages/newsdetail.aspx?NewsId=2934"),
    ("http://h.vn/A-1.html", "http://h.vn/a-1.html"),                # paths are case-sensitive
    ("http://h.vn:8080/a", "http://h.vn/a"),                          # another port is another server
    ("http://a.h.vn/x", "http://b.h.vn/x"),
    ("http://m.vn/x", "http://vn/x"),                                 # "m." stripped only from a longer host
]


@pytest.mark.parametrize("a, b", SAME_DOCUMENT)
def test_same_document_same_key(a, b):
    assert url_key(a) == url_key(b)


@pytest.mark.parametrize("a, b", DIFFERENT_DOCUMENTS)
def test_different_documents_different_keys(a, b):
    assert url_key(a) != url_key(b)


def test_same_site_accepts_mirrors_only():
    assert same_site("https://beta.congthuongthainguyen.gov.vn/en/x", "https://congthuongthainguyen.gov.vn")
    assert not same_site("https://congthuong.vn/x", "https://congthuongthainguyen.gov.vn")
