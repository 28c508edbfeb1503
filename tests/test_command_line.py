"""The command line loads only the module of the command it runs."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from selfcare_tui.cli import COMMANDS, build_parser


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    return set(subparsers.choices)


def test_the_table_names_every_command_the_modules_register() -> None:
    assert command_names(build_parser()) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_is_parsed_with_its_own_module(name: str) -> None:
    assert name in command_names(build_parser([name, "--help"]))
    assert name in command_names(build_parser(["--mute", name, "x"]))


def test_an_option_value_is_not_taken_for_a_command() -> None:
    assert command_names(build_parser(["--routines", "list"])) == set()


def test_an_unknown_command_is_told_every_command() -> None:
    assert command_names(build_parser(["dance"])) == set(COMMANDS)


def test_the_version_is_answered_before_the_command_line_loads() -> None:
    code = (
        "import sys\nfrom selfcare_tui.launcher import main\nmain(['--version'])\n"
        "print(sorted(m for m in set(sys.modules) if m.startswith('selfcare_tui.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines() == ["selfcare 0.1.0", "['selfcare_tui.launcher']"]


def test_the_version_with_other_options_loads_no_command_module() -> None:
    code = (
        "import sys\nfrom selfcare_tui.launcher import main\n"
        "try:\n    main(['--plain', '--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in set(sys.modules) if m.startswith('selfcare_tui.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines()[0] == "selfcare 0.1.0"
    loaded = result.stdout.splitlines()[1]
    assert "commands" not in loaded and "run_command" not in loaded


def test_the_app_alone_is_opened_without_a_parser() -> None:
    code = (
        "import sys\nimport selfcare_tui.app.launch as launch\n"
        "loaded = lambda: sorted({'argparse', 'selfcare_tui.cli'} & set(sys.modules))\n"
        "launch.open_app = lambda: print(loaded()) or 3\n"
        "from selfcare_tui.launcher import main\nsys.exit(main([]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.stdout, result.returncode) == ("[]\n", 3)


def test_a_commands_abbreviated_option_is_its_own() -> None:
    # --s is --since for history, though it also begins the top level's --speech
    assert "history" in command_names(build_parser(["history", "--s", "2024-01-01"]))
    assert (
        build_parser(["history", "--s", "2024-01-01"])
        .parse_args(["history", "--s", "2024-01-01"])
        .since
        == "2024-01-01"
    )


def test_an_abbreviated_top_level_option_still_works() -> None:
    parser = build_parser(["--rout", "folder", "list"])
    assert parser.parse_args(["--rout", "folder", "list"]).routines == ["folder"]
