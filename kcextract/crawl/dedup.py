"""Duplicates: the same article stored once, a syndicated copy linked to its original.

Vietnamese khuyến công news is republished widely (a provincial SCT story reappears on
arit.gov.vn, khuyencongonline.gov.vn, a newspaper), often with a different title, an
added sign-off ("KConline", "Theo Báo Công Thương") or a trimmed lead.  Counting its
figures once needs two tests:

* exact: :func:`content_hash` of the normalised text (NFC, case-folded, whitespace
  collapsed); the crawler stores a page of the same site with the same hash only once;
* near: word 5-shingles, a 128-value MinHash signature indexed by 32 LSH bands of 4
  rows, then the candidates' real shingle overlap.  A pair is a near-duplicate when
  the Jaccard similarity is at least :data:`JACCARD_MIN` or one text holds at least
  :data:`CONTAINMENT_MIN` of the other's shingles.  Both rows are kept; the later one
  (later published, or later stored when the dates do not tell) gets ``duplicate_of``.

Memory does not grow with the page: the hash is computed over the text piece by piece,
and the near test reads the first :data:`MAX_WORDS` words (a news article is a few
hundred to a few thousand words; two copies of a longer report agree on their start).
"""
from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from typing import Optional

import numpy as np

SHINGLE = 5
PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
JACCARD_MIN = 0.6
CONTAINMENT_MIN = 0.85
MIN_WORDS = 40          # shorter texts ("see the attached file") would match each other
MAX_WORDS = 20_000      # words read for the near test: bounds its memory whatever a page holds
PIECE = 1 << 20         # characters normalised at a time
SIGNATURE_BLOCK = 4096  # shingles hashed at a time (128 x 4096 uint64 = 4 MB)
_PRIME = (1 << 31) - 1
_rng = random.Random(20240601)
_A = np.array([_rng.randrange(1, _PRIME) for _ in range(PERMUTATIONS)], dtype=np.uint64)
_B = np.array([_rng.randrange(0, _PRIME) for _ in range(PERMUTATIONS)], dtype=np.uint64)
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s")


def normalise(text: str) -> str:
    """The text as compared: NFC, case-folded, whitespace collapsed.

    NFC first, because cp1258 pages and some editors store tones as combining marks.

    >>> normalise("Khuyến  Công\\n") == normalise(unicodedata.normalize("NFD", "khuyến công"))
    True
    """
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _normalised_pieces(text: str):
    """The text normalised as :func:`normalise` does, as pieces of about :data:`PIECE` characters
    cut at whitespace (where NFC and case folding cannot straddle the cut)."""
    pos, size = 0, len(text)
    while pos < size:
        end = min(size, pos + PIECE)
        if end < size:
            space = _SPACE.search(text, end, min(size, end + PIECE))
            end = space.start() if space else end
        yield unicodedata.normalize("NFC", text[pos:end]).casefold()
        pos = end


def words(text: str, limit: int = MAX_WORDS) -> list:
    """The first ``limit`` words of the normalised text (punctuation dropped)."""
    out: list = []
    for piece in _normalised_pieces(text):
        for match in _WORD.finditer(piece):
            out.append(match.group())
            if len(out) >= limit:
                return out
    return out


def content_hash(text: str) -> str:
    """sha256 of the normalised text: equal for the same article however it was spaced or cased.

    >>> content_hash("Khuyến  công") == hashlib.sha256("khuyến công".encode()).hexdigest()
    True
    """
    digest = hashlib.sha256()
    started = False
    for piece in _normalised_pieces(text):
        joined = " ".join(piece.split())
        if joined:
            digest.update(((" " if started else "") + joined).encode("utf-8"))
            started = True
    return digest.hexdigest()


def _hash31(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest(), "little") & _PRIME


def shingles(text: str, size: int = SHINGLE) -> set:
    """Hashed word ``size``-grams of the text (one shingle for a text shorter than ``size`` words)."""
    return _shingles_of(words(text), size)


def _shingles_of(tokens: list, size: int = SHINGLE) -> set:
    if len(tokens) < size:
        return {_hash31(" ".join(tokens))} if tokens else set()
    return {_hash31(" ".join(tokens[i:i + size])) for i in range(len(tokens) - size + 1)}


def signature(shingle_set: set) -> np.ndarray:
    """The MinHash signature (``PERMUTATIONS`` uint32 values) of a shingle set, in blocks of
    :data:`SIGNATURE_BLOCK` shingles so its memory does not grow with the text."""
    values = np.fromiter(shingle_set, dtype=np.uint64, count=len(shingle_set))
    lowest = np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    for start in range(0, len(values), SIGNATURE_BLOCK):
        x = values[start:start + SIGNATURE_BLOCK]
        # a < 2**31 and x < 2**31, so a*x + b stays below 2**63: no overflow in uint64.
        np.minimum(lowest, ((np.outer(_A, x) + _B[:, None]) % _PRIME).min(axis=1), out=lowest)
    return lowest.astype(np.uint32)


def bands(sig: np.ndarray) -> list:
    """(band, bucket) pairs for the LSH index; bucket is a signed 64-bit hash (SQLite INTEGER)."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS].tobytes()
        out.append((band, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)))
    return out


def similarity(a: set, b: set) -> tuple:
    """(Jaccard, containment of the smaller in the larger) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))


def _near(jaccard: float, containment: float) -> bool:
    return jaccard >= JACCARD_MIN or containment >= CONTAINMENT_MIN


def is_near_duplicate(text_a: str, text_b: str) -> bool:
    """True when two texts are the same article by the thresholds above.

    >>> base = " ".join(f"câu số {i} về khuyến công năm 2023 đạt kết quả tốt" for i in range(12))
    >>> is_near_duplicate(base, "Theo KConline: " + base + " KConline")
    True
    >>> is_near_duplicate(base, base.replace("khuyến công", "nông nghiệp"))
    False
    """
    words_a, words_b = words(text_a), words(text_b)
    if min(len(words_a), len(words_b)) < MIN_WORDS:
        return False
    return _near(*similarity(_shingles_of(words_a), _shingles_of(words_b)))


def _root(conn, document_id: int) -> int:
    """Follow duplicate_of links to the original (bounded, in case of a bad cycle)."""
    for _ in range(50):
        row = conn.execute("SELECT duplicate_of FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None or row[0] is None:
            return document_id
        document_id = row[0]
    return document_id


def _earlier(a_published: Optional[str], a_id: int, b_published: Optional[str], b_id: int) -> bool:
    """Is document a the original of the pair?  Earlier publication wins, then the earlier row."""
    if a_published and b_published and a_published[:10] != b_published[:10]:
        return a_published < b_published
    return a_id < b_id


def index_and_link(conn, document_id: int, text: str) -> Optional[tuple]:
    """Index a just-stored document and link it to a near-duplicate already in the corpus.

    Returns ``(duplicate_id, original_id, similarity)`` when a link was made, else None.
    The caller commits.
    """
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return None
    own = _shingles_of(tokens)
    sig = signature(own)
    own_bands = bands(sig)
    candidates = set()
    for band, bucket in own_bands:
        for (other,) in conn.execute(
            "SELECT document_id FROM minhash_bands WHERE band = ? AND bucket = ?", (band, bucket)
        ):
            if other != document_id:
                candidates.add(other)
    conn.execute("INSERT OR REPLACE INTO minhash (document_id, signature) VALUES (?, ?)",
                 (document_id, sig.tobytes()))
    conn.executemany("INSERT INTO minhash_bands (band, bucket, document_id) VALUES (?, ?, ?)",
                     [(band, bucket, document_id) for band, bucket in own_bands])
    best = None
    for other in sorted(candidates):
        row = conn.execute("SELECT text FROM documents WHERE id = ?", (other,)).fetchone()
        if row is None or not row[0]:
            continue
        jaccard, containment = similarity(own, shingles(row[0]))
        if _near(jaccard, containment):
            score = max(jaccard, containment)
            if best is None or score > best[1]:
                best = (other, score, jaccard)
    if best is None:
        return None
    other, score, jaccard = best
    original = _root(conn, other)
    mine = conn.execute("SELECT published FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
    theirs = conn.execute("SELECT published FROM documents WHERE id = ?", (original,)).fetchone()[0]
    if _earlier(mine, document_id, theirs, original):
        # The new page is the original (e.g. the source site was crawled after the copy).
        conn.execute("UPDATE documents SET duplicate_of = ? WHERE duplicate_of = ?", (document_id, original))
        conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (document_id, original))
        duplicate, original = original, document_id
    else:
        conn.execute("UPDATE documents SET duplicate_of = ? WHERE id = ?", (original, document_id))
        duplicate = document_id
    conn.execute(
        "INSERT OR REPLACE INTO near_duplicates (document_id, original_id, similarity, method)"
        " VALUES (?, ?, ?, ?)",
        (duplicate, original, round(jaccard, 4), f"minhash-{SHINGLE}shingle"),
    )
    return duplicate, original, jaccard


def _forget(conn, document_id: int) -> list:
    """Drop a document's signature and near-duplicate links; returns the copies that pointed at it."""
    followers = [row[0] for row in conn.execute("SELECT id FROM documents WHERE duplicate_of = ?", (document_id,))]
    conn.execute("DELETE FROM minhash WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM minhash_bands WHERE document_id = ?", (document_id,))
    conn.execute("UPDATE documents SET duplicate_of = NULL WHERE id = ? OR duplicate_of = ?",
                 (document_id, document_id))
    conn.execute("DELETE FROM near_duplicates WHERE document_id = ? OR original_id = ?", (document_id, document_id))
    return followers


def relink(conn, document_id: int, text: str) -> None:
    """Re-index a document whose text changed and re-check its near-duplicate links both ways:
    copies of its old text that no longer match are unlinked, a new match is linked.  The caller commits."""
    followers = _forget(conn, document_id)
    index_and_link(conn, document_id, text)
    for follower in followers:
        row = conn.execute("SELECT text FROM documents WHERE id = ?", (follower,)).fetchone()
        conn.execute("DELETE FROM minhash WHERE document_id = ?", (follower,))
        conn.execute("DELETE FROM minhash_bands WHERE document_id = ?", (follower,))
        conn.execute("DELETE FROM near_duplicates WHERE document_id = ?", (follower,))
        index_and_link(conn, follower, (row[0] if row else "") or "")
