"""A small corpus for the dataset, export, report and serve tests: the five seed articles
stored as if crawled from known sites, plus one syndicated copy."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kcextract.store import Corpus

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"

# (seed file, site, title, published): sites from scrapers/, so provinces come from them.
ARTICLES = [
    ("000_b484966547e25757.txt", "binhduong", "Kết quả các đề án khuyến công quốc gia điểm",
     datetime(2023, 12, 27, 8, 0)),
    ("001_a92b465f80a5c8ca.txt", "baocongthuong", "Hội nghị khuyến công khu vực phía Bắc tại Ninh Bình",
     datetime(2016, 10, 7, 9, 30)),
    ("002_ad25474bd4a68f57.txt", "daklak", "Báo cáo kết quả thực hiện kế hoạch khuyến công năm 2018",
     datetime(2018, 7, 2, 10, 0)),
    ("003_c333191b0e993c06.txt", "quangnam", "Kết quả thực hiện các đề án Khuyến công quốc gia điểm",
     datetime(2023, 12, 27, 14, 0)),
    ("004_be7211e38747573a.txt", "quangninh-portal", "Quảng Ninh: Gỡ khó công tác khuyến công",
     datetime(2017, 3, 15, 7, 45)),
]


def add_article(corpus, key, site, title, published, text):
    return corpus.insert_document(
        url=f"https://{site}.example.vn/tin-tuc/{key}.html",
        canonical_url=f"https://{site}.example.vn/tin-tuc/{key}.html",
        url_key=f"{site}.example.vn/tin-tuc/{key}.html", site=site, title=title, published=published,
        http_status=200, content_hash=f"hash-{site}-{key}", raw_html=b"<p>x</p>", text=text)


def make_corpus(path) -> Path:
    """The corpus at ``path``: five seed articles and a copy of the first on another site."""
    corpus = Corpus(path)
    ids = []
    for name, site, title, published in ARTICLES:
        text = (SEEDS / name).read_text(encoding="utf-8")
        ids.append(add_article(corpus, name[:3], site, title, published, text))
    copy = add_article(corpus, "copy-000", "congthuong-vn", ARTICLES[0][2], datetime(2023, 12, 28),
                       (SEEDS / ARTICLES[0][0]).read_text(encoding="utf-8"))
    corpus.conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (ids[0], copy))
    corpus.close()
    return Path(path)
