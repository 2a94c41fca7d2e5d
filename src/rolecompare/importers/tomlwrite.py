"""A small TOML writer for the KB files that importers make.

Writes strings, booleans, integers, finite floats, arrays and tables, and escapes
every string so that tomllib reads back exactly what was written: quotation marks,
backslashes and every control character (U+0000-U+001F, U+007F) are escaped; other
characters are written as they are (files are UTF-8). A lone surrogate, which UTF-8
cannot encode, and a float that is not finite, which a KB must not hold, are
refused with ValueError.

    dumps({"source": "onet", "roles": ["x"]})      # a whole document
    block("statements", {"topic": "t", "text": "…"})  # one [[statements]] element
"""

from __future__ import annotations

import functools
import math
import re
from typing import TypeAlias

Value: TypeAlias = "str | bool | int | float | list[Value] | dict[str, Value]"
Table: TypeAlias = "dict[str, Value]"

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# What a TOML basic string may not hold as it is; surrogates are caught here too.
_ESCAPE_ME = re.compile('[\\x00-\\x1f\\x7f"\\\\\ud800-\udfff]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    if "\ud800" <= char <= "\udfff":
        raise ValueError(f"a lone surrogate (U+{ord(char):04X}) cannot be written as UTF-8")
    return f"\\u{ord(char):04X}"


def string(text: str) -> str:
    """A TOML basic string that reads back as exactly `text`."""
    if _ESCAPE_ME.search(text) is None:
        return f'"{text}"'
    return '"' + _ESCAPE_ME.sub(_escape, text) + '"'


@functools.lru_cache(maxsize=4096)  # KB files repeat a few dozen keys many times
def key(name: str) -> str:
    """A TOML key: bare where TOML allows it, else a quoted string."""
    return name if _BARE_KEY.fullmatch(name) else string(name)


def value(v: Value) -> str:
    """One TOML value; arrays and tables are written inline, on one line."""
    if isinstance(v, str):
        return string(v)
    if isinstance(v, bool):  # before int: a bool is an int
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"{v} is not a finite number")
        return repr(v)  # the shortest form that reads back as the same float; TOML-valid
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _pairs(table: Table) -> str:
    return "".join(f"{key(k)} = {value(v)}\n" for k, v in table.items())


def block(name: str, table: Table) -> str:
    """One element of an array of tables: `[[name]]` and its key/value lines."""
    return f"[[{key(name)}]]\n{_pairs(table)}"


def _is_tables(v: Value) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def dumps(doc: Table) -> str:
    """A TOML document: plain keys first, then each table as `[name]` and each
    non-empty list of tables as `[[name]]` elements; deeper tables are inline."""
    plain: Table = {k: v for k, v in doc.items() if not isinstance(v, dict) and not _is_tables(v)}
    out = [_pairs(plain)] if plain else []
    for k, v in doc.items():
        if isinstance(v, dict):
            out.append(f"[{key(k)}]\n{_pairs(v)}")
        elif _is_tables(v):
            assert isinstance(v, list)
            out += [block(k, x) for x in v if isinstance(x, dict)]
    return "\n".join(out)
