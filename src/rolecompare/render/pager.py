"""The pager, as git and gh run it, and whether output is decorated (a real terminal).
No Rich here: the table module lays text out, this module shows it."""

from __future__ import annotations

import io
import os
from typing import IO


class Screen(io.StringIO):
    """Text laid out for the terminal `out` (its width and encoding), kept for the pager."""

    def __init__(self, out: IO[str]) -> None:
        super().__init__()
        self._out = out

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._out, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._out.fileno()


def decorates(out: IO[str]) -> bool:
    """Colour and boxes only on a real terminal, and not on TERM=dumb."""
    return out.isatty() and os.environ.get("TERM", "") != "dumb"


def pager_command() -> list[str] | None:
    """The pager to run, as git and gh choose it: PAGER, else `less -FRX`; None when
    PAGER is empty or `cat`, or the program is not installed (then output just prints)."""
    import shlex
    import shutil

    raw = os.environ.get("PAGER")
    try:
        command = shlex.split(raw if raw is not None else "less -FRX")
    except ValueError:
        return None
    if not command or command[0] == "cat" or shutil.which(command[0]) is None:
        return None
    return command


def pages(out: IO[str]) -> bool:
    return decorates(out) and pager_command() is not None


def page(text: str, out: IO[str]) -> None:
    """Show text through the pager; if the pager cannot start, print it."""
    import subprocess

    command = pager_command()
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    # The pager gets the bytes the terminal itself would: in its encoding, with a "?" for
    # what it cannot show (an ASCII locale cannot encode "ü"), as printing without it does.
    data = text.encode(encoding_of(out), "replace")
    from rolecompare.main import ctrl_c_to_child

    try:
        assert command is not None
        out.flush()
        with ctrl_c_to_child():
            subprocess.run(command, input=data, env=env, check=False, stdout=out)
    except (OSError, AssertionError):
        out.write(text)


def encoding_of(out: IO[str]) -> str:
    import codecs

    try:
        return codecs.lookup(getattr(out, "encoding", None) or "utf-8").name
    except LookupError:
        return "utf-8"
