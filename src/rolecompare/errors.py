"""The one error type users see, and the problems a knowledge base can have."""

from __future__ import annotations

from typing import NamedTuple

from rolecompare.exitcodes import DATA_ERROR, INTERNAL_ERROR, INTERRUPTED, USAGE_ERROR

__all__ = ["DATA_ERROR", "INTERNAL_ERROR", "INTERRUPTED", "USAGE_ERROR"]
MAX_PROBLEMS = 50  # problems listed one per line before "and N more"
# Characters of one line of a message. Each value a message quotes is cut to 300 where it
# is put in (text.shown, text.cut); this bounds a line that a value reached uncut.
MAX_LINE = 1_000


class RoleCompareError(Exception):
    """An error meant for the user: a message and the exit code that goes with it."""

    def __init__(self, message: str, exit_code: int = DATA_ERROR) -> None:
        from rolecompare.text import cut

        message = "\n".join(cut(line, MAX_LINE) for line in message.split("\n"))
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class UsageError(RoleCompareError):
    def __init__(self, message: str) -> None:
        super().__init__(message, USAGE_ERROR)


class Unparsable(Exception):
    """A KB file whose text is not a document of its syntax: the line, where known, and why."""

    def __init__(self, line: int | None, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.path = path  # the field it is in, where there is one


_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def field_path(path: tuple[str | int, ...]) -> str:
    """A field path as people write it, figures[3].percent, for validate, verify and the
    rules alike: a key that is not a bare TOML key is quoted TOML-style (records[0].values.
    "Data Value"), its control characters escaped, so that one problem stays one line."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        key = part if part and _BARE_KEY.issuperset(part) else _quoted(part)
        out += f".{key}" if out else key
    return out


def _quoted(key: str) -> str:
    escaped = (
        f"\\{c}"
        if c in '"\\'
        else c
        if c.isprintable()
        else f"\\u{ord(c):04x}"
        if ord(c) < 0x10000
        else f"\\U{ord(c):08x}"
        for c in key
    )
    return '"' + "".join(escaped) + '"'


class Problem(NamedTuple):
    """One thing wrong with a KB: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        from rolecompare.text import shown

        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {shown(self.field, 120)}:" if self.field else ""
        return f"{shown(where, 200)}:{field} {shown(self.message)}"


class KBError(RoleCompareError):
    """A KB that failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(f"and {len(self.problems) - MAX_PROBLEMS:,} more problems")
        super().__init__("\n".join(shown), DATA_ERROR)
