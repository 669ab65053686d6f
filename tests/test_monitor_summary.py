"""The one-glance summary: a table on a terminal, plain lines off it, silence when nothing happened."""
from __future__ import annotations

from rich.console import Console

from kcextract.monitor.passes import DeliveryResult, PassReport, SiteResult
from kcextract.monitor.summary import plain_lines, print_table

FAILED = {"id": "a1", "type": "failed_check", "site": "binhduong", "url": "http://127.0.0.1/a-1.html",
          "title": "Khuyến công 2026", "claim_text": "47%", "expected": 45,
          "explanation": "2.340 / 5.200 = 45,00%, báo cáo ghi 47%"}
CHANGED = {"id": "a2", "type": "changed_article", "site": "binhduong", "url": "http://127.0.0.1/a-1.html",
           "title": "Khuyến công 2026", "changes": [{"change": "changed", "text": "45%", "old_text": "47%",
                                                     "label": "Kinh phí khuyến công địa phương"}]}


def report_with(alerts=(), failures=(), delivery_error=None):
    site = SiteResult("binhduong", new=1, changed=1, unchanged=7, failed_checks=1, alerts=list(alerts),
                      failures=list(failures))
    report = PassReport(4, sites=[site])
    report.deliveries = {"webhook:http://127.0.0.1:9/hook": DeliveryResult(
        "webhook:http://127.0.0.1:9/hook", delivered=0, pending=2, error=delivery_error)}
    return report


def test_nothing_new_prints_nothing_off_a_terminal():
    quiet = report_with()
    quiet.sites[0].failed_checks = 0
    assert plain_lines(quiet, "kc.db") == []


def test_plain_lines_say_per_site_counts_then_each_alert_and_each_failure():
    lines = plain_lines(report_with([FAILED, CHANGED], [("http://127.0.0.1/x.html", "HTTP 500")],
                                    delivery_error="HTTP 503"), "kc.db")
    assert lines[0] == "kcextract monitor, pass 4: binhduong 1 new, 1 changed, 1 failed checks, 1 failed"
    assert lines[1] == ("  ✗ [binhduong] Khuyến công 2026: 47% does not add up (2.340 / 5.200 = 45,00%, "
                        "báo cáo ghi 47%)  http://127.0.0.1/a-1.html")
    assert "~ [binhduong] Khuyến công 2026: changed: Kinh phí khuyến công địa phương 47% → 45%" in lines[2]
    assert lines[3] == "  failed [binhduong] http://127.0.0.1/x.html: HTTP 500"
    assert lines[4].endswith("not delivered (HTTP 503); 2 alert(s) kept for the next pass")


def test_terminal_table_has_one_row_per_site():
    console = Console(record=True, width=120, force_terminal=True)
    print_table(report_with([FAILED]), console, "kc.db")
    text = console.export_text()
    header = next(line for line in text.splitlines() if "unchanged" in line)
    assert header.split() == ["site", "new", "changed", "unchanged", "✗", "checks", "✗", "pages", "alerts"]
    row = next(line for line in text.splitlines() if line.startswith("binhduong"))
    assert row.split() == ["binhduong", "1", "1", "7", "1", "0", "1"]
    assert "47% does not add up" in text
