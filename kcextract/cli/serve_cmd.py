"""``kcextract serve``: the dataset in Datasette, on 127.0.0.1 (the ``serve`` extra)."""
from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from kcextract.cli.options import db_option
from kcextract.output import EXIT_BAD_INPUT


@click.command()
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--report", "report_dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="An HTML report already written by 'kcextract report' (default: write a fresh one).")
@click.option("--no-report", is_flag=True, help="Serve the tables only, without the HTML report.")
def serve(db, host, port, report_dir, no_report):
    """Browse the dataset in Datasette: facets, full-text search, links to highlights.

    Opens the corpus database as it is, with facets on site, province, year,
    kind and check status, full-text search over the documents that keeps
    Vietnamese tone marks (hòa does not find hoa), and each figure's text linked
    to its highlight in the HTML report, served at /report. Needs the optional
    extra: pip install "kcextract[serve]". Run 'kcextract dataset' first.

    Example:

    \b
        kcextract dataset --db kcextract.db
        kcextract serve --db kcextract.db --port 8001
    """
    try:
        import datasette  # noqa: F401
    except ImportError:
        click.echo('Error: Datasette is not installed; install the extra: pip install "kcextract[serve]"', err=True)
        sys.exit(EXIT_BAD_INPUT)
    from kcextract.dataset.datasette import datasette_command, write_metadata
    from kcextract.exceptions import KcextractError
    from kcextract.report import write_report

    with tempfile.TemporaryDirectory(prefix="kcextract-serve-") as scratch:
        try:
            if not no_report and report_dir is None:
                report_dir = str(write_report(db, Path(scratch) / "report").parent)
            elif not no_report:
                write_report(db, report_dir) if not (Path(report_dir) / "index.html").exists() else None
            else:
                from kcextract.dataset import load

                load(db)            # fails early, with its message, when there is no dataset
        except (FileNotFoundError, LookupError, KcextractError) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        meta = write_metadata(db, Path(scratch) / "metadata.json", report=not no_report)
        command = datasette_command(db, meta, host, port, None if no_report else report_dir)
        click.echo(f"Serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
        status = _run(command)
    sys.exit(status)


def _run(command) -> int:
    """Run Datasette until it stops, or until we are interrupted or terminated (it stops too)."""
    def terminated(signum, frame):
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, terminated)
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        signal.signal(signal.SIGTERM, previous)


COMMANDS = [serve]
