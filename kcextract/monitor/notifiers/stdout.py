"""``--notify stdout``: each alert as one JSON line on standard output (for pipes and cron mail)."""
from __future__ import annotations

import json
import sys

from kcextract.monitor.notifiers import Notifier


class StdoutNotifier(Notifier):
    scheme = "stdout"
    needs_target = False
    help = "JSON lines on standard output"

    def deliver(self, pending, recent):
        stream = self.settings.get("stream") or sys.stdout
        for alert in pending:
            stream.write(json.dumps(alert, ensure_ascii=False) + "\n")
            stream.flush()
            yield alert["id"], None


NOTIFIER = StdoutNotifier
