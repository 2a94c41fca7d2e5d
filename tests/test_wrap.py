"""Messages and help wrap at word boundaries: on a terminal a long error message wraps at
spaces to its width (in a pipe it stays one line per problem), and no help line is wider
than the terminal, so the terminal never breaks a word ("Sepa" / "rate")."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from typing import Any

import pytest

from rolecompare.text import wrapped

HELP = ["", "skills", "salary", "fit", "plan", "quiz", "report", "verify", "validate"]


def test_wrapped_breaks_only_at_spaces() -> None:
    line = "rolecompare: not a skill in the KB: zzzz. Separate names with commas"
    assert wrapped(line, None) == [line]
    assert wrapped(line, 200) == [line]
    lines = wrapped(line, 30)
    assert lines == [
        "rolecompare: not a skill in",
        "  the KB: zzzz. Separate names",
        "  with commas",
    ]
    assert wrapped("rolecompare: /a/very/long/path/that/has/no/space", 20) == [
        "rolecompare:",
        "  /a/very/long/path/that/has/no/space",
    ]


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("command", [*HELP, "import onet"])
def test_no_help_line_is_wider_than_the_terminal(
    cli: Any, monkeypatch: pytest.MonkeyPatch, command: str, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = cli(*command.split(), "--help")
    assert code == 0, err
    wide = [line for line in out.splitlines() if len(line) > width]
    assert not wide, wide


def run_on_terminal(args: list[str], columns: int) -> str:
    """stderr of `rolecompare ARGS` run on a pseudo-terminal `columns` wide."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "rolecompare", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=follower,
            env=env,
            timeout=60,
            check=False,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed: everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_long_message_wraps_at_spaces_on_a_terminal(cli: Any) -> None:
    args = ["fit", "--strict", "--have", "notaskill"]
    code, _, piped = cli(*args)
    assert code == 2
    assert len(piped.splitlines()) == 1  # in a pipe: one line, whole
    assert len(piped) > 60
    shown = run_on_terminal(args, 40)
    lines = shown.splitlines()
    assert len(lines) > 1
    assert all(len(line) <= 40 for line in lines), lines
    assert " ".join(shown.split()) == " ".join(piped.split())  # the same words, none split
