"""The README: its Quick start is exactly the two developer commands, and it shows every
command. (Its generated blocks are checked with docs/ by tests/test_docs.py.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    commands = blocks[0].strip().splitlines()
    assert commands == ["python3 dev.py rolecompare skills", "python3 dev.py test"]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci.strip().splitlines()  # then the same on the lowest versions


def test_every_command_is_documented() -> None:
    from rolecompare.cli import app

    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"rolecompare {name}" in README, name


def test_the_readme_fits_on_a_screen_or_two() -> None:
    assert len(README.splitlines()) <= 250
