"""Test-session set-up: the pattern cache (kcextract.pattern_cache) lives in a temporary folder,
so the suite starts cold, leaves nothing in the user's ~/.cache and never reads what is there."""
from __future__ import annotations

import os
import shutil
import tempfile

_created = []


def pytest_configure(config):
    folder = tempfile.mkdtemp(prefix="kcextract-test-cache-")
    _created.append(folder)
    os.environ["KCEXTRACT_CACHE_DIR"] = folder     # subprocesses the tests start inherit it


def pytest_unconfigure(config):
    for folder in _created:
        shutil.rmtree(folder, ignore_errors=True)
