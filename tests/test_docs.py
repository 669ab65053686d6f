"""The README and the CLI agree: every command has help and is shown in the README,
and the README's set-up and test commands are the ones CI runs."""
from __future__ import annotations

from pathlib import Path

import click
import pytest

from kcextract.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "kcextract"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_a_readme_mention(name, command):
    assert command.help, f"{name} has no help"
    assert name in README, f"README does not show `{name}`"


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = 'python3 -m pip install -e ".[test]" && python3 -m pytest'
    assert test_command in README
    assert test_command in ci


def test_readme_opens_with_the_purpose_then_two_setup_commands():
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in setup.splitlines() if line.startswith("python3 -m pip install")]
    assert len(commands) == 2
    assert README.index("khuyến công") < README.index("## Set-up")
