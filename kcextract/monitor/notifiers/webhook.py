"""``--notify webhook:URL``: each alert POSTed as one JSON object, with retries and backoff.

requests + urllib3's ``Retry`` do the retrying (connection errors, 429 and 5xx, with
exponential backoff and ``Retry-After`` honoured).  When an alert still cannot be
delivered, delivery to this webhook stops for this pass and the alert stays pending in
the database for the next one, so a receiver that is down loses nothing.  Every POST
carries ``Idempotency-Key: <alert id>``: an alert is never re-sent once its 2xx answer
was recorded, and a receiver can discard the one repeat a kill in the instant between
its answer and that record could cause.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kcextract import __version__
from kcextract.monitor.notifiers import Notifier, NotifierError

RETRIES = 4            # extra attempts per alert within one pass
BACKOFF = 1.0          # seconds; waits 1, 2, 4, 8 … between attempts
TIMEOUT = 10.0         # seconds per request
RETRY_STATUSES = (429, 500, 502, 503, 504)


class WebhookNotifier(Notifier):
    scheme = "webhook"
    help = "the URL to POST each alert to, e.g. webhook:http://127.0.0.1:9000/hook"

    def __init__(self, target: str = "", **settings):
        super().__init__(target, **settings)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise NotifierError(f"--notify webhook:{target}: not an http(s) URL")
        retry = Retry(total=settings.get("retries", RETRIES), backoff_factor=settings.get("backoff", BACKOFF),
                      status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"POST"}),
                      raise_on_status=False, respect_retry_after_header=True)
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.timeout = settings.get("timeout", TIMEOUT)

    def post(self, alert: dict) -> str | None:
        """POST one alert; None when the receiver took it (2xx), else the reason."""
        body = json.dumps(alert, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": alert["id"],
                   "User-Agent": f"kcextract/{__version__} monitor"}
        try:
            resp = self.session.post(self.target, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            return f"{self.target}: {exc.__class__.__name__}: {exc}"
        if 200 <= resp.status_code < 300:
            return None
        return f"{self.target}: HTTP {resp.status_code}"

    def deliver(self, pending, recent):
        for alert in pending:
            error = self.post(alert)
            yield alert["id"], error
            if error is not None:
                return          # the receiver is down: the rest waits for the next pass


NOTIFIER = WebhookNotifier
