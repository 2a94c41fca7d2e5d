"""Questions asked on a terminal, one at a time, on stderr (stdout stays for the report)."""

from __future__ import annotations

import sys
import textwrap

from rolecompare.compare.quiz import SCALE
from rolecompare.errors import UsageError
from rolecompare.kb.types import StatementData
from rolecompare.text import safe


def ask_ratings(asked: list[StatementData]) -> list[int]:
    """A 1–5 answer to each statement; an empty or wrong answer asks again, q quits."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(
            f"quiz asks {len(asked)} questions on a terminal; with no terminal, "
            "give --answers (see 'rolecompare quiz --answers list')"
        )
    scale = " · ".join(f"{k} {v}" for k, v in SCALE.items())
    _say(f"Rate each statement: {scale}. q quits.")
    given = [_one(n, len(asked), st["text"], scale) for n, st in enumerate(asked, 1)]
    _say("")
    if len(set(given)) == 1 and len(given) > 1:
        _say(
            f"You answered {given[0]} to every statement, so the quiz cannot tell the roles "
            "apart from your answers."
        )
    return given


def _one(n: int, total: int, text: str, scale: str) -> int:
    _say("")
    _say(f"[{n}/{total}] {safe(text)}")
    while True:
        sys.stderr.write("  1-5 (q quits)> ")
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise UsageError("the quiz ended before every question was answered")
        answer = line.strip().lower()
        if answer in {"q", "quit"}:
            raise UsageError("quiz stopped; nothing was scored")
        if answer in {"1", "2", "3", "4", "5"}:
            return int(answer)
        _say(f"  please type a number from 1 to 5 ({scale}), or q to quit")


def _say(text: str) -> None:
    import shutil

    width = max(20, min(shutil.get_terminal_size().columns, 200)) - 1
    lines = textwrap.wrap(text, width, subsequent_indent="  ") if text else [""]
    sys.stderr.write("\n".join(lines) + "\n")
