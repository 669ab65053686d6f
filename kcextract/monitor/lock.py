"""One monitor pass at a time per database: an advisory file lock beside the database.

``flock`` is released by the operating system when the process ends, however it ends
(Ctrl-C, ``kill -9``, a power cut), so a killed pass never leaves a stale lock behind.
The lock file holds the holder's pid and start time, for the refusal message.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from kcextract.exceptions import KcextractError
from kcextract.store import utcnow


class PassRunning(KcextractError):
    """Another monitor pass holds the database's lock; this pass did nothing."""


def lock_path(db_path) -> Path:
    """``kc.db`` -> ``kc.db.monitor-lock``."""
    return Path(f"{db_path}.monitor-lock")


class PassLock:
    """Context manager holding the monitor lock of ``db_path``.

    :raises PassRunning: when another process (or another open of this lock) holds it.
    """

    def __init__(self, db_path):
        self.db_path = str(db_path)
        self.path = lock_path(db_path)
        self._fh = None

    def __enter__(self) -> "PassLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown process"
            fh.close()
            raise PassRunning(
                f"{self.db_path}: another monitor pass is running ({holder}); this pass did nothing."
                " Wait for it to end, or give --db another database") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {utcnow()}\n")
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
