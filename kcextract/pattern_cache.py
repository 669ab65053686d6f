"""A disk cache of the loaded and validated ``patterns/``, so an unchanged folder is not re-validated
on every start.

Reading ``patterns/`` (YAML, ~100 regexes expanded and compiled, every example run) and validating the
other data files cost about 0.6 s of a one-line ``kcextract extract``. The result is kept as a pickle in
the user's cache folder, keyed by a hash of every data file, of the code that loads them and of the
versions of kcextract, ``regex`` and Python; a ``regex`` pattern pickles as its compiled code, so loading
it does not parse the regex again. A cache that is missing, corrupt, stale, unreadable or writable by
other users is a miss (the files are validated and the cache rewritten); a folder that cannot be
written just means no cache. Deleting the folder clears it.

Each loader keeps its own kind of entry under the same key: ``patterns`` (the extractor's
:class:`~kcextract.patterns.PatternSet`) and ``cues`` (the verifier's compiled ``relations.yaml``,
whose examples are as costly to run again in every verifying process).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path
from typing import Callable, Iterable, Optional

CACHE_ENV = "KCEXTRACT_CACHE_DIR"
FORMAT = 1          # bump when the layout of an entry changes
KEEP = 8            # entries kept (several checkouts or pattern folders share one cache folder)
_SUFFIX = ".pickle"


def made_by_init(self):
    """``__reduce__`` of a dataclass kept in the cache: pickled as a call of its class with its
    fields, so an object read from the cache is made by ``__init__`` as a fresh one is. Unpickled the
    default way (``__new__``, then its ``__dict__`` filled), its attributes were read by CPython's
    generic, unspecialised lookup: extraction took 1.5% more instructions with the cache than without
    it, verification 0.9% more with the cues cached."""
    return self.__class__, tuple(getattr(self, f.name) for f in fields(self))


def cache_dir() -> Optional[Path]:
    """``$KCEXTRACT_CACHE_DIR``, else ``$XDG_CACHE_HOME/kcextract``, else ``~/.cache/kcextract``
    (None when there is no home to put it in)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "kcextract"
    try:
        return Path.home() / ".cache" / "kcextract"
    except (RuntimeError, KeyError):
        return None


def cache_key(directory: Path, data_files: Iterable[Path], code_files: Iterable[Path]) -> str:
    """A hash of what the loaded patterns depend on: the folder (pattern entries record their file's
    path), each data and code file's name and bytes, and the versions of kcextract, regex and Python."""
    import regex

    from kcextract import __version__

    digest = hashlib.sha256()
    for part in (f"format {FORMAT}", f"kcextract {__version__}", f"regex {regex.__version__}",
                 f"python {sys.version}", f"dir {Path(directory).resolve()}"):
        digest.update(part.encode("utf-8") + b"\0")
    for path in [*data_files, *code_files]:
        digest.update(str(path).encode("utf-8") + b"\0")
        try:
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()


def _path(key: str, kind: str) -> Optional[Path]:
    folder = cache_dir()
    return folder / f"{kind}-{key[:40]}{_SUFFIX}" if folder else None


def read(key: str, kind: str = "patterns") -> Optional[dict]:
    """The entry of ``kind`` (what a loader keeps: ``patterns``, ``cues``) stored under ``key``, or
    None when there is none or it cannot be used."""
    path = _path(key, kind)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            if not _private(os.fstat(fh.fileno())):
                return None
            entry = pickle.load(fh)
    except Exception:       # missing, unreadable, truncated, or pickled by other code: a miss
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    try:
        os.utime(path)      # recently used: kept by _prune
    except OSError:
        pass
    return entry


def kept(key: str, kind: str, make: Callable, of_type: type):
    """What ``make()`` returns, kept under ``key`` as the entry of ``kind``: the one read from the
    cache when it holds an ``of_type`` there, else made now and written for the next start."""
    entry = read(key, kind)
    if entry and isinstance(entry.get(kind), of_type):
        return entry[kind]
    made = make()
    write(key, kind, **{kind: made})
    return made


def _private(stat) -> bool:
    """Only a file this user owns and others cannot write is unpickled (a pickle runs code)."""
    if not hasattr(os, "getuid"):
        return True
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def write(key: str, kind: str = "patterns", **entry) -> bool:
    """Store ``entry`` of ``kind`` under ``key`` atomically (a temporary file renamed into place);
    False when the cache folder cannot be written, which only costs the next start its speed."""
    path = _path(key, kind)
    if path is None:
        return False
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=_SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({**entry, "format": FORMAT, "key": key}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
    except Exception:       # unwritable, full, or unpicklable: no cache, same answers
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _prune(path.parent, kind)
    return True


def _prune(folder: Path, kind: str) -> None:
    """Keep the ``KEEP`` most recently used entries of ``kind``, and drop temporary files left by a
    killed write."""
    try:
        entries = sorted(folder.glob(f"{kind}-*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        leftovers = [p for p in folder.glob(f".tmp-*{_SUFFIX}") if p.stat().st_mtime < time.time() - 3600]
        for old in entries[KEEP:] + leftovers:
            old.unlink()
    except OSError:
        pass
