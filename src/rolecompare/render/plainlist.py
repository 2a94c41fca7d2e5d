"""Listings (roles, sources, quiz statements) as plain text, for people.

No Rich here: a listing is records, not a comparison, and a KB may hold thousands of
roles, which a table of tables is slow to lay out (docs/performance.md,
"What rolecompare does for speed"). Roles are one line
each, in aligned columns; sources are one block each, a field per line; quiz
statements are numbered, in the order --answers takes them; the names --have knows are
grouped by kind, in paragraphs, so that all of them fit on one screen.
"""

from __future__ import annotations

import textwrap
from typing import IO

from rolecompare.compare.report import Listing
from rolecompare.render.format import NOT_REPORTED
from rolecompare.render.layout import is_utf, out_width, to_ascii
from rolecompare.render.wording import flat


def write_listing(obj: Listing, out: IO[str]) -> None:
    width = out_width(out)
    layouts = {"rows": _rows, "numbered": _numbered, "grouped": _grouped}
    body = layouts.get(obj.layout, _blocks)(obj, width)
    text = "\n".join([*textwrap.wrap(obj.title, width), *body]) + "\n"
    out.write(text if is_utf(out) else to_ascii(text))


def _cell(value: object) -> str:
    return flat(value) or NOT_REPORTED


def _rows(obj: Listing, width: int) -> list[str]:
    """One line per record; the last column wraps under itself."""
    table = [list(obj.columns), *([_cell(r.get(c)) for c in obj.columns] for r in obj.rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(obj.columns) - 1)]
    indent = sum(widths) + 2 * len(widths)
    last = width - indent
    if last < 20:  # the columns do not fit side by side: a block per record instead
        return _blocks(obj, width)
    lines = [""]
    for row in table:
        head = "".join(cell.ljust(w + 2) for cell, w in zip(row, widths, strict=False))
        wrapped = textwrap.wrap(row[-1], last, break_long_words=False) or [""]
        lines.append((head + wrapped[0]).rstrip())
        lines += [" " * indent + more for more in wrapped[1:]]
    return lines


def _blocks(obj: Listing, width: int) -> list[str]:
    """One block per record, a field per line (none for a field it lacks), values wrapped
    under themselves."""
    label = max(len(c) for c in obj.columns) + 2
    lines: list[str] = []
    for record in obj.rows:
        lines.append("")
        for column in obj.columns:
            if not record.get(column):
                continue
            wrapped = textwrap.wrap(
                _cell(record.get(column)), max(width - label, 20), break_long_words=False
            ) or [""]
            lines.append(column.ljust(label) + wrapped[0])
            lines += [" " * label + more for more in wrapped[1:]]
    return lines


def _grouped(obj: Listing, width: int) -> list[str]:
    """Per value of the first column, in order of first appearance, one paragraph: a
    heading ("Skills (61):") and the records' `shown` values, comma-separated, wrapped."""
    groups: dict[str, list[str]] = {}
    for record in obj.rows:
        groups.setdefault(_cell(record.get(obj.columns[0])), []).append(
            _cell(record.get(obj.shown))
        )
    lines: list[str] = []
    for group, values in groups.items():
        heading = f"{group[:1].upper()}{group[1:]}s ({len(values):,}):"
        lines.append("")
        lines += textwrap.wrap(
            f"{heading} " + ", ".join(values),
            width,
            break_long_words=False,
            break_on_hyphens=False,
        )
    if obj.note:
        lines += ["", *textwrap.wrap(obj.note, width, break_long_words=False)]
    return lines


def _numbered(obj: Listing, width: int) -> list[str]:
    """`1. text [detail]` per record: the first column numbers, the second is the text."""
    number, text, *rest = obj.columns
    lines = [""]
    for record in obj.rows:
        extra = " ".join(f"[{_cell(record.get(c))}]" for c in rest)
        first = f"{_cell(record.get(number))}. "
        wrapped = textwrap.wrap(
            f"{_cell(record.get(text))} {extra}".strip(),
            max(width - len(first), 20),
            break_long_words=False,
        ) or [""]
        lines.append(first + wrapped[0])
        lines += [" " * len(first) + more for more in wrapped[1:]]
    return lines
