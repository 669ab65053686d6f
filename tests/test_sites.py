"""Site definitions: the shipped scrapers/*.toml and family presets load, and bad files fail clearly."""
from __future__ import annotations

from pathlib import Path

import pytest

from kcextract.exceptions import SiteConfigError
from kcextract.sites import (
    SCRAPERS_DIR,
    SELECTOR_KEYS,
    SITE_KEYS,
    family_names,
    family_preset,
    load_site,
    load_sites,
    site_for_url,
)

SHIPPED = sorted(SCRAPERS_DIR.glob("*.toml"))
MINIMAL = """name = "my-site"
base_url = "http://127.0.0.1:8080"
cms = "nukeviet"
start_urls = ["http://127.0.0.1:8080/vi/news/khuyen-cong/"]
"""


def _write(tmp_path, text, name="site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_user_file(tmp_path):
    site = load_site(_write(tmp_path, MINIMAL))
    assert (site.name, site.cms, site.verified, site.delay) == ("my-site", "nukeviet", False, None)
    assert site.start_urls == ("http://127.0.0.1:8080/vi/news/khuyen-cong/",)
    assert site.feed_urls() == ["http://127.0.0.1:8080/vi/news/rss/"]
    assert site.sitemap_urls()[0] == "http://127.0.0.1:8080/sitemap.xml"
    assert site.selector("body")[0] == "#news-bodyhtml"
    assert site.is_article_url("http://127.0.0.1:8080/vi/news/khuyen-cong/ho-tro-12-co-so-1644.html")
    assert not site.is_article_url("http://127.0.0.1:8080/vi/news/khuyen-cong/page-2/")
    assert not site.is_article_url("http://127.0.0.1:8080/vi/news/print/khuyen-cong/ho-tro-12-co-so-1644.html")
    assert site.in_scope("http://127.0.0.1:8080/vi/news/")
    assert not site.in_scope("http://127.0.0.2:8080/vi/news/")


def test_unknown_key_names_file_and_key(tmp_path):
    path = _write(tmp_path, MINIMAL + 'start_url = "typo"\n')
    with pytest.raises(SiteConfigError) as info:
        load_site(path)
    message = str(info.value)
    assert str(path) in message and "'start_url'" in message
    assert "allowed keys:" in message and "start_urls" in message


def test_unknown_selector_key(tmp_path):
    with pytest.raises(SiteConfigError, match=r"unknown selectors key 'titel'.*allowed keys: .*title"):
        load_site(_write(tmp_path, MINIMAL + '[selectors]\ntitel = "h1"\n'))


@pytest.mark.parametrize(
    "extra,key",
    [('verified = "yes"\n', "verified"), ('delay = "2"\n', "delay"), ("feeds = \"/rss\"\n", "feeds"),
     ("province = 5\n", "province"), ("delay = true\n", "delay")],
)
def test_wrong_type_names_key(tmp_path, extra, key):
    with pytest.raises(SiteConfigError, match=f"key '{key}' must be"):
        load_site(_write(tmp_path, MINIMAL + extra))


def test_missing_required_key(tmp_path):
    with pytest.raises(SiteConfigError, match="missing required key.*start_urls"):
        load_site(_write(tmp_path, MINIMAL.replace('start_urls = ["http://127.0.0.1:8080/vi/news/khuyen-cong/"]\n', "")))


def test_unknown_cms(tmp_path):
    with pytest.raises(SiteConfigError, match="key 'cms'.*unknown cms family 'joomla'.*nukeviet"):
        load_site(_write(tmp_path, MINIMAL.replace('"nukeviet"', '"joomla"')))


def test_bad_regex(tmp_path):
    with pytest.raises(SiteConfigError, match="key 'deny': bad regex"):
        load_site(_write(tmp_path, MINIMAL + "deny = ['(unclosed']\n"))


def test_bad_toml(tmp_path):
    with pytest.raises(SiteConfigError, match="not valid TOML"):
        load_site(_write(tmp_path, 'name = "x\n'))


def test_deny_checked_before_allow(tmp_path):
    site = load_site(_write(tmp_path, MINIMAL + "article_url_pattern = ['-\\d+\\.html$']\ndeny = ['/video/']\n"))
    assert site.is_article_url("http://127.0.0.1:8080/tin/a-12.html")
    assert not site.is_article_url("http://127.0.0.1:8080/video/a-12.html")


def test_duplicate_names_rejected(tmp_path):
    _write(tmp_path, MINIMAL, "a.toml")
    _write(tmp_path, MINIMAL, "b.toml")
    with pytest.raises(SiteConfigError, match="already used"):
        load_sites(tmp_path)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_site_loads_and_is_honest(path):
    site = load_site(path)
    assert site.name == path.stem
    assert site.province and site.verified is False
    assert "no live crawl" in path.read_text(encoding="utf-8")
    assert site.start_urls and all(u.startswith(site.base_url) for u in site.start_urls)
    assert site.family.name == site.cms


def test_at_least_fifteen_publishers_and_the_named_ones():
    sites = load_sites()
    assert len(sites) >= 15
    for name in ["binhduong", "daklak", "quangtri-kc", "arit", "khuyencongonline", "ipc1", "congthuong-vn",
                 "tapchicongthuong", "langngheviet", "dongnai", "quangninh-portal", "bariavungtau", "bentre",
                 "thainguyen", "congthuonghcm"]:
        assert name in sites


ARTICLE_URLS = [
    # (site, URL from sites.md §1, is an article)
    ("daklak", "https://socongthuong.daklak.gov.vn/vi/news/hoat-dong-khuyen-cong/chap-canh-1644.html", True),
    ("quangtri-kc", "https://khuyencong.quangtri.gov.vn/en/kcxttm/industrial-promotion/workshop-3.html", True),
    ("arit", "https://arit.gov.vn/tin-tuc/suc-lan-toa-cua-nhung-mo-hinh-trinh-dien-ky-thuat-d4d2970c_3954/", True),
    ("arit", "https://arit.gov.vn/tin-tuc/suc-lan-toa-1b94e8bc_3953", True),
    ("arit", "https://arit.gov.vn/tin-tuc/danh-muc/hoat-dong-khuyen-cong/khuyen-cong-quoc-gia_10/?page=20", False),
    ("khuyencongonline", "https://khuyencongonline.gov.vn/tin-tuc/quang-ninh-ho-tro-9da06b11_1080", True),
    ("congthuong-vn", "https://congthuong.vn/quang-ninh-go-kho-cong-tac-khuyen-cong-351432.html", True),
    ("congthuong-vn", "https://congthuong.vn/tag/khuyen-cong-337953.tag", False),
    ("tapchicongthuong", "https://tapchicongthuong.vn/khuyen-cong-ho-tro-122616.htm", True),
    ("tapchicongthuong", "https://tapchicongthuong.vn/tag-cat-giam-thue-quan-15840.htm", False),
    ("langngheviet", "https://langngheviet.com.vn/khuyen-cong/ho-tro-lang-nghe.html28078", True),
    ("dongnai", "https://sct.dongnai.gov.vn/Pages/newsdetail.aspx?NewsId=2933&CatId=97", True),
    ("quangninh-portal", "https://www.quangninh.gov.vn/Trang/ChiTietTinTuc.aspx?nid=113139", True),
    ("bariavungtau", "https://oldweb.soct.baria-vungtau.gov.vn/web/guest/danh-cho-nha-dau-tu/-/ctbrvt/extAssetPublisher/content/189842/x.html;jsessionid=AED5", True),
    ("bentre", "https://nongthonmoi.bentre.gov.vn/tin-tuc-su-kien/-/cms-icbt/10180/bai-viet/377416", True),
    ("thainguyen", "https://congthuongthainguyen.gov.vn/vn/khuyen-cong/ho-tro-co-so-9633.phtml", True),
    ("binhduong", "https://socongthuong.binhduong.gov.vn/xem-chi-tiet/chap-canh-san-pham-cong-nghiep-nong-thon", True),
    ("quangnam", "https://congthuong.quangnam.gov.vn/webcenter/portal/socongthuong/pages_tin-tuc/chi-tiet?dDocName=PORTAL533372", True),
    ("angiang", "http://113.161.212.101:81/CTPro/chi-tiet-tin/hoi-nghi-khuyen-cong--1280.html", True),
    ("binhphuoc-kc", "https://khuyencongbinhphuoc.gov.vn/Tin-tuc/Tiep-doan-cong-tac-Vinh-Phuc-536.html", True),
    ("vneec", "https://vneec.gov.vn/tin-tuc/video/t30696/tiet-kiem-nang-luong.html", True),
    ("ipc1", "https://ipc1.gov.vn/ipc1-to-chuc-hoi-nghi-danh-gia-ket-qua-thuc-hien-de-an-2018-2020/", True),
    ("ipc1", "https://ipc1.gov.vn/category/khuyen-cong/page/2/", False),
]


@pytest.mark.parametrize("name,url,expected", ARTICLE_URLS, ids=[f"{a[0]}:{a[1][-40:]}" for a in ARTICLE_URLS])
def test_article_url_rules_on_seen_urls(name, url, expected):
    assert load_sites()[name].is_article_url(url) is expected


def test_site_for_url_by_host():
    assert site_for_url("https://beta.congthuongthainguyen.gov.vn/en/x-3770.phtml").name == "thainguyen"
    assert site_for_url("http://127.0.0.1:8080/") is None


@pytest.mark.parametrize("name", family_names())
def test_family_presets_load(name):
    family = family_preset(name)
    assert family.name == name
    assert set(family.selectors) <= set(SELECTOR_KEYS)
    if name != "generic":
        assert family.detect and family.selectors.get("title") and family.selectors.get("body")


def test_key_tables_documented():
    assert all(description for _, description in SITE_KEYS.values())
    assert all(SELECTOR_KEYS.values())


def test_a_site_file_sets_how_often_the_monitor_rechecks_its_articles(tmp_path):
    from kcextract.monitor.passes import site_recheck

    site = load_site(_write(tmp_path, MINIMAL + 'recheck = "6h"\n'))
    assert site.recheck == 21600.0 and site_recheck(site, 86400) == 21600.0
    assert load_site(_write(tmp_path, MINIMAL, "plain.toml")).recheck is None
    assert site_recheck(load_site(tmp_path / "plain.toml"), 86400) == 86400
    with pytest.raises(SiteConfigError, match="recheck"):
        load_site(_write(tmp_path, MINIMAL + 'recheck = "soon"\n', "bad.toml"))
