"""TOML KB files: parse with tomllib (refusing what would make it crawl), place a field.

    raw = parse(text)                       # or Unparsable(line, "not valid TOML: ...")
    LineIndex(text).locate(("figures", 3, "percent"))  # its line, or None

tomllib keeps no positions, so LineIndex finds a field's line from the text; it is
built only when a file has a problem to place.
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import Any

from rolecompare.errors import Unparsable

MAX_LINE = 10_000  # characters: bounds the dotted keys and arrays one line can hold
MAX_DOTTED = 32  # parts of one dotted key; tomllib's cost grows with their square


def parse(text: str) -> Any:
    """The TOML document in text, or Unparsable with its line where one is known."""
    import tomllib

    refused = refusal(text)
    if refused is not None:
        raise Unparsable(*refused)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _toml_error(exc, text)
        raise Unparsable(line, f"not valid TOML: {message}") from None
    except (ValueError, RecursionError) as exc:
        # What tomllib lets through: an integer of thousands of digits, deep nesting.
        why = (
            "nested too deeply"
            if isinstance(exc, RecursionError)
            else ("a number has too many digits" if "digits" in str(exc) else str(exc))
        )
        raise Unparsable(None, f"not valid TOML: {why}") from None


def refusal(text: str) -> tuple[int, str] | None:
    """The first line that tomllib would take far too long or too much memory to parse.

    Linear, and mostly in C: only a text with a line long enough, or with enough dots
    on one line, is looked at line by line."""
    if len(text) <= MAX_LINE and text.count(".") < MAX_DOTTED:
        return None
    lines = text.splitlines()
    if (
        max(map(len, lines), default=0) <= MAX_LINE
        and max(map(str.count, lines, repeat(".")), default=0) < MAX_DOTTED
    ):
        return None
    for n, line in enumerate(lines, 1):
        refused = _refusal(n, line)
        if refused is not None:
            return refused
    return None


def _refusal(n: int, line: str) -> tuple[int, str] | None:
    if len(line) > MAX_LINE:
        return n, f"line is longer than {MAX_LINE:,} characters; refusing to parse"
    head = line.split("=", 1)[0] if "=" in line else line if line.lstrip()[:1] == "[" else ""
    if head.count(".") >= MAX_DOTTED:
        return n, f"a dotted key has more than {MAX_DOTTED} parts; refusing to parse"
    return None


_AT_LINE = r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)"


def _toml_error(exc: Exception, source: str) -> tuple[str, int | None]:
    text = str(exc)
    match = re.search(_AT_LINE, text)
    line = int(match.group(1)) if match and match.group(1) else None
    message = re.sub(_AT_LINE, "", text).strip() or "cannot parse"
    if match and not match.group(1):
        message += " at end of file"
        line = max(1, source.count("\n") + (not source.endswith("\n")))  # its last line
    return message[0].lower() + message[1:], line


class LineIndex:
    """Where each table header and key of a TOML text is, found in one pass.

    Problems are placed by following a field path such as ("figures", 3, "percent")
    through table headers and `key =` lines; where it cannot follow further it gives
    the last line found. One pass makes every look-up cheap, so a file with thousands
    of problems is placed in linear time.

    The pass reads the text as TOML does, without regular expressions that could
    backtrack: a line inside a multi-line string or array is never a header or a key,
    whatever it looks like. Lines end at "\\n" only, as tomllib counts them. The text
    is one that tomllib parsed; on any other the lines found are only a best guess.
    """

    def __init__(self, text: str) -> None:
        self.headers: dict[tuple[str, ...], list[int]] = {}
        self.keys: dict[tuple[int, str], int] = {}
        section = 0
        state = _Scan()
        for n, line in enumerate(text.split("\n"), 1):
            if state.inside is None and state.depth == 0:
                header = _header(line)
                if header is not None:
                    self.headers.setdefault(header, []).append(n)
                    section = n
                    continue
                key, rest = _key_line(line)
                if key is not None:
                    self.keys.setdefault((section, key), n)
                    state.scan(line, rest)
                    continue
            state.scan(line, 0)

    def locate(self, path: tuple[Any, ...]) -> int | None:
        found: int | None = None
        section, i = 0, 0
        prefix: tuple[str, ...] = ()
        while i < len(path) and isinstance(path[i], str):
            # The shortest run of names from here that a header names: `[a.b]` defines
            # table a without a header of its own.
            name, lines, j = prefix, list[int](), i
            while j < len(path) and isinstance(path[j], str):
                name = (*name, path[j])
                lines = self.headers.get(name, [])
                if lines:
                    break
                j += 1
            index = path[j + 1] if j + 1 < len(path) and isinstance(path[j + 1], int) else None
            if lines and (index is None or index < len(lines)):
                section = found = lines[index or 0]
                prefix = name
                i = j + (1 if index is None else 2)
                continue
            found = self.keys.get((section, path[i]), found)
            break
        return found


# Runs of one character class: a match can only grow, never backtrack.
_BARE = re.compile(r"[A-Za-z0-9_-]*")
_BLANKS = re.compile(r"[ \t]*")


def _run_end(run: re.Pattern[str], line: str, i: int) -> int:
    found = run.match(line, i)
    return i if found is None else found.end()


def _skip_blank(line: str, i: int) -> int:
    return _run_end(_BLANKS, line, i)


def _dotted_key(line: str, i: int) -> tuple[list[str], int] | None:
    """The parts of the dotted key at line[i:] and where it ends, or None if there is none.

    Each character is looked at once or twice: linear in the line."""
    parts: list[str] = []
    while True:
        i = _skip_blank(line, i)
        if i >= len(line):
            return None
        if line[i] in "\"'":
            end = _string_end(line, i)
            if end is None:
                return None
            parts.append(_key_string(line[i:end]))
            i = end
        else:
            start, i = i, _run_end(_BARE, line, i)
            if i == start:
                return None
            parts.append(line[start:i])
        i = _skip_blank(line, i)
        if i < len(line) and line[i] == ".":
            i += 1
            continue
        return parts, i


def _string_end(line: str, i: int) -> int | None:
    """Where the one-line string that opens at line[i] ends (after its closing quote)."""
    if line[i] == "'":
        end = line.find("'", i + 1)
        return None if end < 0 else end + 1
    j = i + 1
    while True:
        found = _BASIC_STOP.search(line, j)
        if found is None:
            return None
        j = found.start()
        if line[j] == '"':
            return j + 1
        j += 2  # an escaped character, maybe a quote


def _key_string(token: str) -> str:
    """A quoted key as tomllib reads it (escapes decoded), from its token."""
    if token[0] == "'" or "\\" not in token:
        return token[1:-1]
    import tomllib

    try:
        return next(iter(tomllib.loads(f"{token} = 0")))
    except (tomllib.TOMLDecodeError, StopIteration):
        return token[1:-1]


def _header(line: str) -> tuple[str, ...] | None:
    """The dotted name of a `[table]` or `[[array of tables]]` line, part by part."""
    i = _skip_blank(line, 0)
    if not line.startswith("[", i):
        return None
    double = line.startswith("[[", i)
    found = _dotted_key(line, i + (2 if double else 1))
    if found is None:
        return None
    parts, end = found
    if not line.startswith("]]" if double else "]", end):
        return None
    return tuple(parts)


def _key_line(line: str) -> tuple[str | None, int]:
    """The first part of the key of a `key = value` line, and where its value starts."""
    found = _dotted_key(line, 0)
    if found is None:
        return None, 0
    parts, end = found
    if not line.startswith("=", end) or line.startswith("==", end):
        return None, 0
    return parts[0], end + 1


class _Scan:
    """What a TOML text is inside at the end of each line: a multi-line string (its
    delimiter) or none, and how many arrays and inline tables are open."""

    def __init__(self) -> None:
        self.inside: str | None = None
        self.depth = 0

    def scan(self, line: str, i: int) -> None:
        """Follow line from i. Each search is for one character of a class, which cannot
        backtrack, and starts where the last one ended: linear in the line."""
        n = len(line)
        while i < n:
            if self.inside is not None:
                i = self._in_multiline(line, i)
                continue
            found = _SPECIAL.search(line, i)
            if found is None:
                return
            i = found.start()
            c = line[i]
            if c == "#":
                return
            if c in "\"'":
                if line.startswith(c * 3, i):
                    self.inside = c * 3
                    i += 3
                else:
                    end = _string_end(line, i)
                    if end is None:
                        return  # not valid TOML: the rest of the line is a guess anyway
                    i = end
                continue
            if c in "[{":
                self.depth += 1
            elif self.depth > 0:
                self.depth -= 1
            i += 1

    def _in_multiline(self, line: str, i: int) -> int:
        """Where the multi-line string ends in line (after its delimiter), or the line's end."""
        assert self.inside is not None
        quote = self.inside[0]
        stop = _BASIC_STOP if quote == '"' else _LITERAL_STOP
        n = len(line)
        while i < n:
            found = stop.search(line, i)
            if found is None:
                return n
            i = found.start()
            if line[i] == "\\":
                i += 2  # an escaped character, maybe a quote
                continue
            if line.startswith(self.inside, i):
                run = i + 3
                while run < n and run < i + 5 and line[run] == quote:
                    run += 1  # up to two quotes before the delimiter belong to the string
                self.inside = None
                return run
            i += 1
        return n


# Single characters, so that a search never backtracks.
_SPECIAL = re.compile(r"[#\"'\[\]{}]")
_BASIC_STOP = re.compile(r'[\\"]')
_LITERAL_STOP = re.compile("'")
