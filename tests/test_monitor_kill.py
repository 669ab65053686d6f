"""Kill-safety: passes killed with SIGKILL (no clean-up of any kind) at chosen moments are
completed by the next pass; no alert is lost and none is made twice.  Also ``--every``
ending cleanly on SIGTERM.  Each pass runs as a real ``python -m kcextract monitor``."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "monitor"))

from monitor_servers import NEW, ChangingSite, WebhookReceiver  # noqa: E402

from kcextract.crawl.fetcher import Fetcher  # noqa: E402
from kcextract.exceptions import KcextractError  # noqa: E402
from kcextract.monitor import MonitorPass  # noqa: E402
from kcextract.monitor.ledger import read  # noqa: E402
from kcextract.sites import load_site  # noqa: E402

PASS_TIMEOUT = 120


def monitor(site_path, db, *extra):
    """A monitor pass as its own process."""
    return subprocess.Popen([sys.executable, "-m", "kcextract", "monitor", "--site-file", str(site_path),
                             "--db", str(db), "--delay", "0", "--recheck", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def killer(proc_box):
    """An ``on_request`` hook that SIGKILLs the pass the first time it fires."""
    def hook(path):
        proc = proc_box.pop() if proc_box else None
        if proc is not None:
            os.kill(proc.pid, signal.SIGKILL)
    return hook


def reference_alerts(tmp_path, site_path, server):
    """The alert ids two uninterrupted passes (site version 1, then 2) produce."""
    site, db = load_site(site_path), tmp_path / "reference.db"
    for version in (1, 2):
        server.version(version)
        MonitorPass(db, [site], fetcher=Fetcher(delay=0, timeout=5, retries=0), recheck=0).run()
    server.version(1)
    return {a["id"] for a in read(db, "alerts")}


@pytest.mark.slow
def test_passes_killed_mid_delivery_and_mid_crawl_are_completed_by_the_next(tmp_path):
    with ChangingSite() as server, WebhookReceiver() as hook:
        site_path = server.site_file(tmp_path)
        expected = reference_alerts(tmp_path, site_path, server)
        db = tmp_path / "kc.db"
        notify = ("--notify", f"webhook:{hook.url}")

        # 1. killed while its first alert is in flight to the webhook
        box = []
        hook.on_request = killer(box)
        proc = monitor(site_path, db, *notify)
        box.append(proc)
        proc.wait(PASS_TIMEOUT)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        hook.on_request = lambda path: None

        # 2. the site changes; the next pass is killed while fetching the new article
        server.version(2)
        box = []
        server.on_request = lambda path: killer(box)(path) if path == NEW else None
        proc = monitor(site_path, db, *notify)
        box.append(proc)
        proc.wait(PASS_TIMEOUT)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        server.on_request = lambda path: None

        # 3. killed at an arbitrary moment, then 4. a pass left alone
        proc = monitor(site_path, db, *notify)
        time.sleep(0.5)
        proc.kill()
        proc.wait(PASS_TIMEOUT)
        final = monitor(site_path, db, *notify)
        out, err = final.communicate(timeout=PASS_TIMEOUT)
        assert final.returncode == 0, err

    alerts = read(db, "alerts")
    assert {a["id"] for a in alerts} == expected and len(alerts) == len(expected)
    assert read(db, "alerts", undelivered=True) == []
    assert set(hook.ids()) == expected
    # At most the one alert whose POST was in flight at the first kill arrives twice, with the same
    # Idempotency-Key (the receiver answered, the pass died before recording it).
    repeats = [i for i in set(hook.ids()) if hook.ids().count(i) > 1]
    assert len(repeats) <= 1 and hook.keys == hook.ids()
    statuses = [r["status"] for r in read(db, "runs")]
    assert statuses[0] == "done" and statuses[1:3] == ["interrupted", "interrupted"]


def finished_passes(db) -> int:
    """Passes recorded as done so far (0 while the first pass is still creating the database)."""
    try:
        return len([r for r in read(db, "runs") if r["status"] == "done"])
    except (FileNotFoundError, KcextractError):
        return 0


@pytest.mark.slow
def test_every_runs_passes_until_sigterm_and_ends_cleanly(tmp_path):
    with ChangingSite() as server:
        server.version(1)
        site_path = server.site_file(tmp_path)
        db = tmp_path / "kc.db"
        proc = monitor(site_path, db, "--every", "1s", "--notify", "stdout")
        deadline = time.monotonic() + PASS_TIMEOUT
        while time.monotonic() < deadline:
            if finished_passes(db) >= 2:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=PASS_TIMEOUT)
    assert proc.returncode == 0, err
    assert err.strip().endswith("stopped")
    assert len(out.splitlines()) == 3          # the first pass's three alerts, once
    runs = read(db, "runs", limit=100)
    assert len([r for r in runs if r["status"] == "done"]) >= 2


@pytest.mark.slow
def test_a_second_process_refuses_while_a_pass_runs_and_the_first_finishes_untouched(tmp_path):
    import threading

    release = threading.Event()
    with ChangingSite() as server:
        server.version(1)
        site_path = server.site_file(tmp_path)
        db = tmp_path / "kc.db"
        # the first pass stalls on the list page until the second one has been refused
        server.on_request = lambda path: release.wait(PASS_TIMEOUT) if path == "/tin-tuc/" else None
        first = monitor(site_path, db, "--notify", "stdout")
        lock = Path(f"{db}.monitor-lock")
        deadline = time.monotonic() + PASS_TIMEOUT
        while time.monotonic() < deadline and f"pid {first.pid}" not in (lock.read_text() if lock.exists() else ""):
            time.sleep(0.05)
        second = monitor(site_path, db, "--notify", "stdout")
        out2, err2 = second.communicate(timeout=PASS_TIMEOUT)
        release.set()
        out1, err1 = first.communicate(timeout=PASS_TIMEOUT)
    assert second.returncode == 1 and out2 == ""
    assert f"another monitor pass is running (pid {first.pid}, started" in err2
    assert first.returncode == 0, err1
    assert len(out1.splitlines()) == 3
    assert [r["status"] for r in read(db, "runs")] == ["done"]
