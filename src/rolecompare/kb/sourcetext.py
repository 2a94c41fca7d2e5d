"""A source document as verify compares it: its text normalised (an HTML page read as a
reader sees it), the numbers a text writes, a figure's numbers, and a data file's rows."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from rolecompare.kb.sourcefiles import parse_tsv

_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2022": ""})


_SPACE = re.compile(r"\s+")


_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


HTML = (".html", ".htm")


# Elements whose edges separate words; text inside inline ones (a, span, em) runs on.
_BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "iframe", "img", "input", "label", "li", "main", "nav",
        "noscript", "ol", "option", "p", "pre", "section", "select", "table", "tbody", "td",
        "tfoot", "th", "thead", "title", "tr", "ul",
    )
)  # fmt: skip


FieldPath = tuple[str | int, ...]


def normalise(text: str) -> str:
    """Text as quotes are compared: one space for any whitespace, straight quotes, no bullets."""
    return _SPACE.sub(" ", text.replace("\\$", "$").translate(_CHARS)).strip()


def numbers(text: str) -> set[float]:
    """The numbers written in a text, as values: "112,590" is 112590.0."""
    return {float(n.replace(",", "")) for n in _NUMBER.findall(text)}


class _TextOfHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text of an HTML page, as a reader sees it (script and style left out)."""
    parser = _TextOfHTML()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


class RecordTable:
    """A tab-separated data file: its header, and its lines indexed by one column on demand.
    Read as `import onet` reads it (sourcefiles.parse_tsv): the same header, BOM or not,
    and every row as wide as the header, or the file refused."""

    def __init__(self, data: bytes) -> None:
        table = parse_tsv(data)
        self.header = table.header
        self._lines = table.lines
        self._index: dict[int, dict[str, list[str]]] = {}

    def find(self, key: list[tuple[int, str]]) -> list[list[str]]:
        """The rows whose cells in these columns hold these values."""
        # Index by the first key column only (splitting no further than it), then
        # split and filter the few lines that match: most lines are never split.
        first, value = key[0]
        index = self._index.get(first)
        if index is None:
            index = {}
            for line in self._lines:
                index.setdefault(line.split("\t", first + 1)[first], []).append(line)
            self._index[first] = index
        rows = [line.split("\t") for line in index.get(value, [])]
        return [row for row in rows if all(row[c] == v for c, v in key)]


def figure_values(figure: dict[str, Any]) -> list[tuple[FieldPath, float]]:
    found: list[tuple[FieldPath, float]] = []
    for field in ("percent", "count"):
        if isinstance(figure.get(field), int | float):
            found.append(((field,), figure[field]))
    money = figure.get("money")
    if isinstance(money, dict) and isinstance(money.get("amount"), int | float):
        found.append((("money", "amount"), money["amount"]))
    bounds = figure.get("range")
    if isinstance(bounds, dict):
        found += [
            (("range", end), bounds[end])
            for end in ("min", "max")
            if isinstance(bounds.get(end), int | float)
        ]
    return found
