"""Start-up time of the command line, as a user meets it: a fresh process each time."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

ONE_LINE = "Năm 2023, tỉnh hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở.\n"


def _command() -> list:
    """The installed ``kcextract`` script, else the module run by this Python."""
    script = shutil.which("kcextract")
    return [script] if script else [sys.executable, "-m", "kcextract"]


def best_of(args: list, stdin: str = "", repeat: int = 5) -> float:
    """Fastest wall time of ``repeat`` runs (the others met a busy machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(args, input=stdin, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()[-300:]}")
    return best


def measure(repeat: int = 5) -> dict:
    """Seconds for ``kcextract --help``, a one-line ``extract`` and a bare ``python`` (the floor)."""
    kcextract = _command()
    return {
        "python -c pass": best_of([sys.executable, "-c", "pass"], repeat=repeat),
        "kcextract --help": best_of(kcextract + ["--help"], repeat=repeat),
        "kcextract extract - (one line)": best_of(kcextract + ["extract", "-"], stdin=ONE_LINE, repeat=repeat),
    }
