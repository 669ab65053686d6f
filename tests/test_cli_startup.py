"""The command line imports only what the verb it runs needs (start-up time is measured by
``python -m benchmarks``; here: which modules load, and that the index matches click)."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

import kcextract.cli
from kcextract.cli import cli
from kcextract.cli.command_index import build_index, commands_of, short_help

CLI_DIR = Path(kcextract.cli.__file__).parent
HEAVY = ("pandas", "pyarrow", "rich", "requests", "bs4", "underthesea", "trafilatura", "jinja2")


def _imported_after(args: list, stdin: str = "") -> set:
    """Modules loaded by a fresh process that runs ``kcextract ARGS``."""
    script = ("import sys, json\nfrom kcextract.cli import cli\n"
              f"try:\n    cli({args!r})\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", script], input=stdin, capture_output=True, text=True, timeout=120)
    return set(json.loads(done.stderr.rsplit("MODULES ", 1)[1]))


def test_the_index_lists_exactly_the_commands_click_builds():
    eager = {}
    for path in sorted(CLI_DIR.glob("*_cmd.py")):
        module = importlib.import_module(f"kcextract.cli.{path.stem}")
        for command in module.COMMANDS:
            eager.setdefault(command.name, (module.__name__, command))
    index = build_index(CLI_DIR, "kcextract.cli")
    assert set(index) == set(eager) >= {"extract", "verify", "dataset", "crawl", "corpus", "monitor"}
    for name, (module, command) in eager.items():
        assert index[name].module == module
        assert index[name].hidden == command.hidden
        for limit in (40, 74):
            assert short_help(index[name], limit) == command.get_short_help_str(limit), name


def test_help_imports_no_command_module_and_no_heavy_library():
    loaded = _imported_after(["--help"])
    assert not {m for m in loaded if m.endswith("_cmd")}
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_a_verb_imports_only_its_own_module():
    loaded = _imported_after(["extract", "-"], stdin="hỗ trợ 48 cơ sở\n")
    assert {m for m in loaded if m.endswith("_cmd")} == {"kcextract.cli.extract_cmd"}
    assert not {m for m in loaded if m.split(".")[0] in ("pandas", "pyarrow", "requests", "trafilatura", "jinja2")}


def test_help_lists_every_verb_and_subcommands_still_work():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for verb in build_index(CLI_DIR, "kcextract.cli"):
        assert f"\n  {verb} " in result.output
    assert CliRunner().invoke(cli, ["corpus", "--help"]).exit_code == 0
    missing = CliRunner().invoke(cli, ["no-such-verb"])
    assert missing.exit_code == 2 and "No such command" in missing.output


def test_a_commands_list_naming_something_else_is_reported(tmp_path):
    path = tmp_path / "broken_cmd.py"
    path.write_text("import click\n\ndef helper():\n    pass\n\nCOMMANDS = [helper]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'helper', which is not a click command"):
        commands_of(path, "x.broken_cmd")


def test_default_names_follow_click(tmp_path):
    path = tmp_path / "names_cmd.py"
    path.write_text('import click\n\n@click.command()\ndef init_data_command():\n    """Do it."""\n\n'
                    '@click.group("explicit", hidden=True)\ndef other():\n    pass\n\n'
                    "COMMANDS = [init_data_command, other]\n", encoding="utf-8")
    found = commands_of(path, "x.names_cmd")
    namespace: dict = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    assert [c.name for c in found] == [c.name for c in namespace["COMMANDS"]] == ["init-data", "explicit"]
    assert [c.hidden for c in found] == [False, True]
    assert isinstance(namespace["COMMANDS"][1], click.Group)


def test_the_program_freezes_the_collector_at_exit_and_still_prints_everything():
    """``kcextract`` (the console script and ``python -m kcextract``) is :func:`kcextract.cli.main`:
    the collector is frozen at exit, so shutdown skips a last walk over the loaded model; what
    the command wrote is all there."""
    script = ("import atexit, gc, sys\nregistered = []\n"
              "atexit.register = lambda f, *a, **k: registered.append(f)\n"
              "from kcextract.cli import main\nsys.argv = ['kcextract', 'extract', '-']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write('FREEZE %s' % (gc.freeze in registered))\n")
    done = subprocess.run([sys.executable, "-c", script], input="hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở\n",
                          capture_output=True, text=True, timeout=120)
    assert "FREEZE True" in done.stderr
    ran = subprocess.run([sys.executable, "-m", "kcextract", "extract", "-", "--format", "jsonl"],
                         input="hỗ trợ gần 6,7 tỷ đồng cho 48 cơ sở\n", capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert [json.loads(line)["text"] for line in ran.stdout.splitlines()] == ["6,7 tỷ đồng", "48 cơ sở"]
