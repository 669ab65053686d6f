"""The ``kcextract`` command line: a thin click shell over the library.

Each verb lives in its own ``*_cmd.py`` module next to this file and lists its
click commands in a module-level ``COMMANDS`` list; they are collected here in
alphabetical module order, so adding a verb never means editing this file.
Modules are imported only when their verb runs (``command_index`` finds them from
their source), so ``--help`` and a one-line ``extract`` start fast.
"""
from __future__ import annotations

import importlib
from functools import cached_property
from pathlib import Path

import click

from kcextract import __version__


class _Commands(dict):
    """``cli.commands``: the verbs imported so far. Reading it whole (iterating, ``items()``,
    ``len``) imports the rest first, so code that walks every command still sees them all."""

    def __init__(self, commands, load_all):
        super().__init__(commands)
        self._load_all = load_all

    def __iter__(self):
        self._load_all()
        return super().__iter__()

    def __len__(self):
        self._load_all()
        return super().__len__()

    def __contains__(self, name):
        self._load_all()
        return super().__contains__(name)

    def __getitem__(self, name):
        self._load_all()
        return super().__getitem__(name)

    def get(self, name, default=None):
        self._load_all()
        return super().get(name, default)

    def keys(self):
        self._load_all()
        return super().keys()

    def values(self):
        self._load_all()
        return super().values()

    def items(self):
        self._load_all()
        return super().items()


class _Group(click.Group):
    """Turns kcextract's own errors (a malformed pattern or site file …) into a clean
    'Error: …' line and exit status 1, instead of a traceback; finds each verb's module
    from the command index and imports it only when that verb is asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self.commands, load_all=self._load_all)

    @cached_property
    def _index(self) -> dict:
        from kcextract.cli.command_index import build_index

        return build_index(Path(__file__).parent, __name__)

    def list_commands(self, ctx):
        return sorted(set(self._index) | set(self.commands))

    def get_command(self, ctx, name):
        if not dict.__contains__(self.commands, name) and name in self._index:
            module = importlib.import_module(self._index[name].module)
            for command in getattr(module, "COMMANDS", []):
                self.commands.setdefault(command.name, command)
        return dict.get(self.commands, name)

    def _load_all(self) -> None:
        for name in self._index:
            self.get_command(None, name)

    def format_commands(self, ctx, formatter):
        """The verbs and their one-line help, from the index: no command module is imported."""
        from kcextract.cli.command_index import short_help

        shown = [c for name, c in sorted(self._index.items()) if not c.hidden]
        if shown:
            limit = formatter.width - 6 - max(len(c.name) for c in shown)
            with formatter.section("Commands"):
                formatter.write_dl([(c.name, short_help(c, limit)) for c in shown])

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
    # command then runs on what was checked): a bad edit stops here, named. Files that passed
    # before, byte for byte, are not checked again (kcextract.pattern_cache).
    validate_data_files()


def main() -> None:
    """The ``kcextract`` program (``python -m kcextract`` too): :func:`cli`, and the collector
    frozen at exit. Interpreter shutdown otherwise walks every object still alive once more
    (the compiled patterns, underthesea's model): 0.1 s after a command that tagged a noun,
    spent after its work is done. Nothing here leaves a file to be closed by the collector."""
    import atexit
    import gc

    atexit.register(gc.freeze)      # registered first: runs after the handlers a command registers
    cli()
