"""Fetched HTML -> clean article text and metadata; the import point for the crawler and extract_html.

The work is split in ``kcextract/html/``: ``clean`` (markup to paragraphs, boilerplate
stop-list), ``families`` (which CMS preset applies), ``article`` (one article page) and
``listing`` (list pages and pagination).

>>> html = ('<html><body><div class="news_column panel"><div class="panel-body">'
...         '<h1 class="title" itemprop="headline">Hỗ trợ 12 cơ sở</h1>'
...         '<span class="h5">Thứ năm - 07/12/2023 08:52</span>'
...         '<div id="news-bodyhtml" class="bodytext"><p>Năm 2023, Trung tâm Khuyến công hỗ trợ 12 cơ sở'
...         ' công nghiệp nông thôn với tổng kinh phí 1.250 triệu đồng.</p><p>Lượt xem: 25</p></div>'
...         '</div></div></body></html>')
>>> article = parse_article(html, "http://127.0.0.1:8080/vi/news/khuyen-cong/ho-tro-12-co-so-1644.html")
>>> article.family, article.title, article.published
('nukeviet', 'Hỗ trợ 12 cơ sở', datetime.datetime(2023, 12, 7, 8, 52))
>>> article.text
'Năm 2023, Trung tâm Khuyến công hỗ trợ 12 cơ sở công nghiệp nông thôn với tổng kinh phí 1.250 triệu đồng.'
"""
from __future__ import annotations

from kcextract.html.article import Article, Attachment, attachment_kind, html_to_text, parse_article
from kcextract.html.clean import clean_text, element_text
from kcextract.html.listing import ListPage, find_next_url, parse_list_page

__all__ = [
    "Article",
    "Attachment",
    "ListPage",
    "attachment_kind",
    "clean_text",
    "element_text",
    "find_next_url",
    "html_to_text",
    "parse_article",
    "parse_list_page",
]
