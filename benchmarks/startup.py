"""Start-up time of the command line, as a user meets it: a fresh process each time.

The pattern cache (kcextract.pattern_cache) is kept in a temporary folder: warm for the usual
start, emptied before each run for the first start after the pattern files changed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

ONE_LINE = "Năm 2023, tỉnh hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở.\n"
FOUND = "6,7 tỷ đồng"                # what the one-line extract must print


def _command() -> list:
    """The installed ``kcextract`` script, else the module run by this Python."""
    script = shutil.which("kcextract")
    return [script] if script else [sys.executable, "-m", "kcextract"]


def best_of(args: list, stdin: str = "", repeat: int = 5, env: dict = None, before=None,
            expect: str = "") -> float:
    """Fastest wall time of ``repeat`` runs (the others met a busy machine); ``before()`` runs,
    untimed, before each.  A run that fails, or whose output lacks ``expect``, is an error: a
    broken install starts fast and must not be timed as a start-up."""
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        done = subprocess.run(args, input=stdin, capture_output=True, text=True, check=False,
                              env={**os.environ, **(env or {})})
        best = min(best, time.perf_counter() - start)
        if done.returncode != 0 or expect not in done.stdout:
            raise RuntimeError(f"{' '.join(args)} failed (exit {done.returncode}, wanted {expect!r} in its "
                               f"output): {done.stderr.strip()[-300:]}")
    return best


def measure(repeat: int = 5) -> dict:
    """Seconds for ``kcextract --help``, a one-line ``extract`` (pattern cache warm, and cold: every
    data file validated) and a bare ``python`` (the floor)."""
    kcextract = _command()
    one_line = kcextract + ["extract", "-"]
    result = {"python -c pass": best_of([sys.executable, "-c", "pass"], repeat=repeat)}
    with tempfile.TemporaryDirectory(prefix="kcextract-startup-") as cache:
        env = {"KCEXTRACT_CACHE_DIR": cache}
        result["kcextract --help"] = best_of(kcextract + ["--help"], repeat=repeat, env=env, expect="extract")
        result["extract - (one line, cold cache)"] = best_of(one_line, stdin=ONE_LINE, repeat=repeat, env=env,
                                                             before=lambda: _empty(cache), expect=FOUND)
        result["kcextract extract - (one line)"] = best_of(one_line, stdin=ONE_LINE, repeat=repeat, env=env,
                                                           expect=FOUND)
    return result


def _empty(folder: str) -> None:
    for entry in os.listdir(folder):
        os.unlink(os.path.join(folder, entry))
