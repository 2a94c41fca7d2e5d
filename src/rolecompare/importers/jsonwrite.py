"""The JSON KB files that importers write: one record per line, so that a line number
(as `rolecompare validate` gives it) points at one fact.

    line = compact({"topic": "t", "text": "…"})       # one record, as UTF-8 bytes
    document({"source": "onet", "roles": ["x"]}, {"statements": [line, line]})

gives

    {
      "source": "onet",
      "roles": ["x"],
      "statements": [
        {"topic": "t", "text": "…"},
        {"topic": "t", "text": "…"}
      ]
    }

Keys keep the order they were given in. Text is written as it is (UTF-8), except what
JSON must escape: quotation marks, backslashes and the control characters U+0000-U+001F.
A number that is not finite, which a KB must not hold, and a lone surrogate, which UTF-8
cannot encode, are refused with ValueError.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TypeAlias

Value: TypeAlias = "str | bool | int | float | list[Value] | dict[str, Value] | None"
Table: TypeAlias = "dict[str, Value]"


def compact(value: Value) -> bytes:
    """One JSON value on one line, as UTF-8."""
    return _dumps(value).encode("utf-8")  # UnicodeEncodeError (a ValueError): a lone surrogate


def _dumps(value: Value, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)


def _member(key: str, value: Value) -> bytes:
    """A top-level member: a table is spread over lines, anything else is on one."""
    if isinstance(value, dict) and value:
        text = _dumps(value, indent=2).replace("\n", "\n  ")  # strings hold no raw newline
    else:
        text = _dumps(value)
    return f"  {_dumps(key)}: {text}".encode()


def document(head: Mapping[str, Value], lists: Mapping[str, list[bytes]]) -> bytes:
    """A JSON object: head's members, then each non-empty list, one element per line
    (each element made by compact)."""
    members = [_member(key, value) for key, value in head.items()]
    for key, items in lists.items():
        if items:
            opening = f"  {_dumps(key)}: [\n    ".encode()
            members.append(opening + b",\n    ".join(items) + b"\n  ]")
    if not members:
        return b"{}\n"
    return b"{\n" + b",\n".join(members) + b"\n}\n"
