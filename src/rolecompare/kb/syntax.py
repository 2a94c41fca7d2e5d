"""A KB file's syntax, chosen by its name: TOML (as people write it) or JSON (as
importers write it). Both hold the same documents, checked by the same models.

    text = decode(data)               # or Unparsable: not UTF-8
    raw = parse(name, text)           # or Unparsable: not valid TOML / JSON
    line_index(name, text).locate(("figures", 3, "percent"))   # a line, or None
"""

from __future__ import annotations

from typing import Any, Protocol

from rolecompare.errors import Unparsable


class LineFinder(Protocol):
    def locate(self, path: tuple[Any, ...]) -> int | None: ...


def decode(data: bytes) -> str:
    """A KB file's text: UTF-8, without the byte order mark some editors add."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise Unparsable(data.count(b"\n", 0, exc.start) + 1, "not UTF-8 text") from None


def is_json(name: str) -> bool:
    return name.endswith(".json")


def parse(name: str, text: str) -> Any:
    """The document in a KB file's text, read by the syntax its name gives."""
    if is_json(name):
        from rolecompare.kb import jsontext

        return jsontext.parse(text)
    from rolecompare.kb import tomltext

    return tomltext.parse(text)


def line_index(name: str, text: str) -> LineFinder:
    """What finds a field's line in a KB file's text (one pass over the text)."""
    if is_json(name):
        from rolecompare.kb.jsontext import JsonLines

        return JsonLines(text)
    from rolecompare.kb.tomltext import LineIndex

    return LineIndex(text)
