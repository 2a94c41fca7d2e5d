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


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)\s*=""")


class LineIndex:
    """Where each table header and key of a TOML text is, found in one pass.

    Problems are placed by following a field path such as ("figures", 3, "percent")
    through table headers and `key =` lines; where it cannot follow further it gives
    the last line found. One pass makes every look-up cheap, so a file with thousands
    of problems is placed in linear time.
    """

    def __init__(self, text: str) -> None:
        self.headers: dict[str, list[int]] = {}
        self.keys: dict[tuple[int, str], int] = {}
        section = 0
        for n, line in enumerate(text.splitlines(), 1):
            header = _HEADER.match(line)
            if header:
                name = header.group(1).replace('"', "").replace(" ", "")
                self.headers.setdefault(name, []).append(n)
                section = n
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault((section, key.group(1).strip("\"'")), n)

    def locate(self, path: tuple[Any, ...]) -> int | None:
        found: int | None = None
        section, prefix, i = 0, "", 0
        while i < len(path) and isinstance(path[i], str):
            name = f"{prefix}{path[i]}"
            index = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else None
            lines = self.headers.get(name, [])
            if lines and (index is None or index < len(lines)):
                section = found = lines[index or 0]
                prefix = f"{name}."
                i += 1 if index is None else 2
                continue
            found = self.keys.get((section, path[i]), found)
            break
        return found
