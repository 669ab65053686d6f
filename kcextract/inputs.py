"""Read the documents a command is pointed at: files, directories, stdin, the corpus db.

A bad input (unreadable file, undecodable bytes, empty text) never stops the
run: it becomes an :class:`InputProblem` naming the source, the caller reports
it and goes on with the other documents.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from kcextract.exceptions import KcextractError, SourceError

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class Document:
    """A text to extract from, and where it came from (path or URL)."""

    source: str
    text: str
    title: Optional[str] = None
    published: Optional[str] = None


@dataclass(frozen=True)
class InputProblem:
    """A document that could not be read, with the reason."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def decode_text_file(data: bytes, source: str) -> str:
    """A plain-text document exactly as decoded: strict UTF-8 (offsets point into this).

    Only bytes that are not UTF-8 go through the legacy-encoding detector, which
    normalises to NFC; a UTF-8 file is never altered, so ``text[start:end]``
    of every figure is what the file says.

    >>> decode_text_file("Hòa Bình".encode(), "x.txt")
    'Hòa Bình'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from kcextract.encoding import decode_bytes

        return decode_bytes(data, source)


def document_from_bytes(data: bytes, source: str, kind: str) -> Document:
    """Decode one document; HTML goes through the article-text extraction."""
    if kind == "html":
        from kcextract.encoding import decode_bytes
        from kcextract.htmltext import html_to_text

        text = html_to_text(decode_bytes(data, source), url=source if "://" in source else None)
    else:
        text = decode_text_file(data, source)
    if not text.strip():
        raise SourceError(source, "empty document (no text to read)")
    return Document(source=source, text=text)


def _kind_of(path: Path) -> Optional[str]:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _sniff_kind(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in data[:4096].lower() else "text"


def _expand(paths: Iterable[str]) -> Iterator[tuple[str, Optional[Path]]]:
    for raw in paths:
        if raw == "-":
            yield "-", None
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and _kind_of(child):
                    yield str(child), child
        else:
            yield raw, path


def iter_documents(
    paths: Iterable[str],
    db: Optional[str] = None,
    on_problem: Optional[Callable[[InputProblem], None]] = None,
    site: Optional[str] = None,
) -> Iterator[Document]:
    """Documents from ``paths`` (files, directories recursively, ``-``) and the corpus ``db``.

    Problems go to ``on_problem`` (default: ignored) and the iteration goes on.
    """
    report = on_problem or (lambda problem: None)
    for source, path in _expand(paths):
        try:
            if path is None:
                data = sys.stdin.buffer.read()
                kind = _sniff_kind(data)
            else:
                data = path.read_bytes()
                kind = _kind_of(path) or _sniff_kind(data)
            yield document_from_bytes(data, source, kind)
        except SourceError as exc:
            report(InputProblem(exc.source, exc.reason + (f" (at byte {exc.position})" if exc.position is not None else "")))
        except FileNotFoundError:
            report(InputProblem(source, "no such file or directory"))
        except IsADirectoryError:
            report(InputProblem(source, "is a directory"))
        except PermissionError:
            report(InputProblem(source, "permission denied"))
        except OSError as exc:
            report(InputProblem(source, f"cannot be read: {exc.strerror or exc}"))
    if db is not None:
        from kcextract.store import iter_documents as stored_documents

        try:
            for stored in stored_documents(db, site=site):
                if not (stored.text or "").strip():
                    report(InputProblem(stored.url, "stored document has no text"))
                    continue
                published = stored.published.isoformat() if stored.published else None
                yield Document(source=stored.url, text=stored.text, title=stored.title, published=published)
        except FileNotFoundError:
            report(InputProblem(db, "corpus database not found (run 'kcextract crawl' first, or check --db)"))
        except KcextractError as exc:  # not a kcextract corpus, damaged, or busy: one line naming it
            report(InputProblem(db, getattr(exc, "reason", str(exc))))
