"""kcextract: Vietnamese khuyến công reports -> figures with provenance -> checks.

The library is the product; the CLI (``kcextract ...``) is a thin shell over
these verbs.
"""
from __future__ import annotations

__version__ = "0.1.0"

from kcextract.figure import Figure  # noqa: E402


def extract(text, source=None):
    """Every figure (money, percent, count, project) in ``text``, with offsets into it."""
    return read_document(text, source=source).figures


def read_document(text, source=None):
    """The text read once (:class:`kcextract.document.Document`): sentences, paragraphs, tables, figures."""
    from kcextract.document import read_document as read

    return read(text, source=source)


def extract_html(html, url=None):
    """Figures of an HTML page's article text (offsets into that text, see ``extract --text``)."""
    from kcextract.extractor import extract_figures
    from kcextract.htmltext import html_to_text

    return extract_figures(html_to_text(html, url=url), source=url)


def verify(text, source=None):
    """Every arithmetic claim of ``text`` recomputed: a list of Check records."""
    from kcextract.verifier import verify_text

    return verify_text(text, source=source)


def load(db):
    """The dataset of a corpus database (built by ``kcextract dataset``) as pandas DataFrames:
    ``.documents``, ``.figures`` and ``.checks`` (joined to their documents), ``.projects``."""
    from kcextract.dataset import load as load_dataset

    return load_dataset(db)


__all__ = ["Figure", "extract", "extract_html", "load", "read_document", "verify", "__version__"]
