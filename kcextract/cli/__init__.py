"""The ``kcextract`` command line: a thin click shell over the library.

Each verb lives in its own ``*_cmd.py`` module next to this file and lists its
click commands in a module-level ``COMMANDS`` list; they are collected here in
alphabetical module order, so adding a verb never means editing this file.
"""
from __future__ import annotations

import importlib
import pkgutil

import click

from kcextract import __version__


class _Group(click.Group):
    """Turns kcextract's own errors (a malformed pattern or site file …) into a clean
    'Error: …' line and exit status 1, instead of a traceback."""

    def invoke(self, ctx):
        from kcextract.exceptions import KcextractError

        try:
            return super().invoke(ctx)
        except KcextractError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kcextract")
def cli():
    """Turn Vietnamese khuyến công news and reports into checked numbers.

    Pipeline: crawl -> extract -> verify (each verb also works on its own).
    """
    from kcextract.patterns import validate_data_files

    # Every data file of patterns/ is validated at start-up (each loader is cached, so the
    # command then runs on what was checked): a bad edit stops here, named.
    validate_data_files()


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.endswith("_cmd"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            for command in getattr(module, "COMMANDS", []):
                cli.add_command(command)


_register_commands()
