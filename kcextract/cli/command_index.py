"""Which module holds which verb, read from the ``*_cmd.py`` sources without importing them.

``kcextract --help`` lists every verb, and ``kcextract extract`` needs one: importing every
command module (and through them rich, pandas, the crawler, the dataset …) cost about half a
second on each start. The index reads each module's ``COMMANDS = [...]`` list and the click
decorators of the functions it names, so only the verb that runs is imported. A test compares
the index with the imported commands, so it cannot drift from what click builds.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

# click's default command name drops these suffixes of the function name (click.decorators).
_SUFFIXES = {"command", "cmd", "group", "grp"}


@dataclass(frozen=True)
class IndexedCommand:
    """A verb as its source declares it: name, module, the function's name, help texts."""

    name: str
    module: str
    function: str
    help: Optional[str]
    short_help: Optional[str] = None
    hidden: bool = False


def _click_decorator(node: ast.FunctionDef) -> Optional[ast.Call]:
    for decorator in node.decorator_list:
        if (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr in ("command", "group")):
            return decorator
    return None


def _literal(node, default=None):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return default


def _default_name(function: str) -> str:
    name = function.lower().replace("_", "-")
    left, sep, suffix = name.rpartition("-")
    return left if sep and suffix in _SUFFIXES else name


def commands_of(path: Path, module: str) -> list:
    """The verbs a command module lists in ``COMMANDS``, in its order."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    listed = []
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "COMMANDS" for t in node.targets)
                and isinstance(node.value, (ast.List, ast.Tuple))):
            listed = [element.id for element in node.value.elts if isinstance(element, ast.Name)]
    found = []
    for function in listed:
        node = functions.get(function)
        decorator = _click_decorator(node) if node else None
        if decorator is None:
            raise ValueError(f"{path}: COMMANDS names {function!r}, which is not a click command defined there")
        keywords = {k.arg: k.value for k in decorator.keywords}
        name = _literal(decorator.args[0]) if decorator.args else _literal(keywords.get("name"))
        docstring = ast.get_docstring(node, clean=False)
        found.append(IndexedCommand(
            name=name or _default_name(function), module=module, function=function,
            help=_literal(keywords["help"]) if "help" in keywords else docstring,
            short_help=_literal(keywords.get("short_help")) if "short_help" in keywords else None,
            hidden=bool(_literal(keywords.get("hidden"), False)) if "hidden" in keywords else False))
    return found


def build_index(package_dir: Path, package: str) -> dict:
    """``{verb: IndexedCommand}`` of every ``*_cmd.py`` in ``package_dir``, modules in name order."""
    index = {}
    for path in sorted(package_dir.glob("*_cmd.py")):
        for command in commands_of(path, f"{package}.{path.stem}"):
            index.setdefault(command.name, command)
    return index


def short_help(command: IndexedCommand, limit: int) -> str:
    """The line ``--help`` shows for a verb, made by click from the same text it would use."""
    import click

    return click.Command(command.name, help=command.help, short_help=command.short_help).get_short_help_str(limit)
