"""JSON KB files: parse with the json module (in C), as strictly as TOML is parsed.

    raw = parse(text)                       # or Unparsable(line, "not valid JSON: ...")
    JsonLines(text).locate(("statements", 3, "text"))  # its line, or None

Stricter than json.loads: a key given twice in one object is refused (TOML refuses
it too; a silent override would hide a figure), and so is a number that is not
finite (NaN, Infinity, 1e999). The json module keeps no positions, so JsonLines
scans the text once to find a field's line; it runs only when a file has a problem
to place.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from rolecompare.errors import Unparsable

Path = tuple[str | int, ...]
MAX_DIGITS = 4300  # Python's limit on the digits of an integer read from text
# Paths are followed this deep and no deeper (a KB document is 5 deep), so that a deeply
# nested text costs the scan a bounded tuple per token, not one as long as its nesting.
DEEPEST = 16


class _Refused(Exception):
    """Raised inside json.loads for what JSON allows and a KB does not."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Refused
    return obj


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused
    return value


def _constant(text: str) -> float:
    raise _Refused


def parse(text: str) -> Any:
    """The JSON document in text, or Unparsable with its line where one is known."""
    try:
        return json.loads(
            text, object_pairs_hook=_object, parse_float=_float, parse_constant=_constant
        )
    except json.JSONDecodeError as exc:
        message = re.sub(r"( starting)? at$", "", exc.msg)
        raise Unparsable(exc.lineno, f"not valid JSON: {message[0].lower()}{message[1:]}") from None
    except RecursionError:
        raise Unparsable(None, "not valid JSON: nested too deeply") from None
    except (_Refused, ValueError):  # ValueError: an integer of thousands of digits
        found = JsonLines(text).refused
        if found is None:  # not expected: the scan finds what json.loads refused
            raise Unparsable(None, "not valid JSON: cannot parse") from None
        line, path, why = found
        raise Unparsable(line, why, path) from None


# A token of a JSON text: a string, a punctuation mark, or a bare word (number, literal).
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)


class _Frame:
    """An open object or array: its path, and where the scan is inside it."""

    __slots__ = ("index", "is_object", "key", "keys", "path", "wants_key")

    def __init__(self, path: Path, is_object: bool) -> None:
        self.path = path
        self.is_object = is_object
        self.wants_key = is_object
        self.key = ""
        self.index = 0
        self.keys: set[str] = set()


class JsonLines:
    """Where each key and array element of a JSON text starts, found in one linear scan,
    and the first thing parse refuses (a key given twice, a number that is not finite
    or has too many digits) as (line, path, why)."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Path, int] = {}
        self.refused: tuple[int, Path, str] | None = None
        stack: list[_Frame] = []
        line, pos = 1, 0
        for match in _TOKEN.finditer(text):
            line += text.count("\n", pos, match.start())
            pos = match.start()
            self._token(match.group(), line, stack)
            if self.refused is not None:
                break  # the text after it is unchecked: never scan it

    def locate(self, path: Path) -> int | None:
        """The line of path, or of its longest prefix that has one."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def _token(self, token: str, line: int, stack: list[_Frame]) -> None:
        top = stack[-1] if stack else None
        if token in ("}", "]"):
            if stack:
                stack.pop()
        elif token == "," and top is not None:
            top.index += 1
            top.wants_key = top.is_object
        elif token == ":" and top is not None:
            top.wants_key = False
        elif top is not None and top.wants_key and token[0] == '"':
            self._key(top, _decoded(token), line)
        else:
            path = self._value(top, line)
            if token in ("{", "["):
                stack.append(_Frame(path, token == "{"))
            elif token[0] != '"':
                self._bare(token, path, line)

    def _key(self, top: _Frame, key: str, line: int) -> None:
        path = (*top.path, key) if len(top.path) < DEEPEST else top.path
        if key in top.keys:
            self._refuse(line, path, f"duplicate key {key!r}; a KB file gives a key once")
        top.keys.add(key)
        top.key = key
        self.lines.setdefault(path, line)

    def _value(self, top: _Frame | None, line: int) -> Path:
        """The path of a value that starts here (the line of an element is kept)."""
        if top is None:
            return ()
        if len(top.path) >= DEEPEST:
            return top.path
        if top.is_object:
            return (*top.path, top.key)
        path = (*top.path, top.index)
        self.lines.setdefault(path, line)
        return path

    def _bare(self, token: str, path: Path, line: int) -> None:
        if token in ("true", "false", "null"):
            return
        digits = len(token.lstrip("-"))
        if re.fullmatch(r"-?\d+", token) and digits > MAX_DIGITS:
            self._refuse(line, path, "not valid JSON: a number has too many digits")
            return
        try:
            finite = math.isfinite(float(token))
        except ValueError:
            return  # not a number: json.loads reports it with its line
        if not finite:
            self._refuse(line, path, f"not valid JSON: {token[:20]} is not a finite number")

    def _refuse(self, line: int, path: Path, why: str) -> None:
        if self.refused is None:
            self.refused = (line, path, why)


def _decoded(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        decoded = json.loads(token)
    except ValueError:
        return token[1:-1]
    return decoded if isinstance(decoded, str) else token[1:-1]
