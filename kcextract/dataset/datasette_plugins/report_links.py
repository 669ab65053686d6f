"""Datasette plugin (loaded by ``kcextract serve`` with ``--plugins-dir``): a figure's text
links to its highlight in the HTML report that ``serve`` mounts at ``/report``."""
from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup, escape


@hookimpl
def render_cell(value, column, table, row, datasette):
    config = datasette.plugin_config("kcextract") or {}
    report = config.get("report")
    if not report or table != "figures" or column != "text" or value is None:
        return None
    figure_id = row["id"]
    document_id = str(figure_id).split("-", 1)[0]
    href = f"{report}/documents/{escape(document_id)}.html#f-{escape(figure_id)}"
    return Markup(f'<a href="{href}" title="in its article, highlighted">{escape(value)}</a>')
