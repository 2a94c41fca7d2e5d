"""GitHub-flavoured markdown: a heading and a table per section, and the sources."""

from __future__ import annotations

from typing import IO

from rolecompare.compare.report import NUMERIC, Cell, Listing, Report
from rolecompare.render.plain import (
    NOT_REPORTED,
    empty_text,
    flat,
    is_utf,
    labels,
    lead_text,
    note_lines,
    shared_text,
    sources_line,
    titled_by_section,
    to_ascii,
)


def write(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    text = to_markdown(obj)
    out.write(text if is_utf(out) else to_ascii(text))


def to_markdown(obj: Report | Listing) -> str:
    lines = [f"## {obj.title}", ""]
    if isinstance(obj, Listing):
        lines += _table(
            obj.columns, [[flat(r.get(c)) or NOT_REPORTED for c in obj.columns] for r in obj.rows]
        )
        return "\n".join(lines) + "\n"
    names = [r["name"] for r in obj.roles]
    for section in obj.sections:
        numeric = any(row.unit in NUMERIC for row in section.rows) and len(obj.roles) > 1
        if not titled_by_section(obj):
            lines += [f"### {section.title}", ""]
        if section.measure:
            lines += [f"*{section.measure}*", ""]
        header = ["", *names] + (["Lead"] if numeric else [])
        body = [
            [label, *(_cell(row.cells[r["id"]]) for r in obj.roles)]
            + ([lead_text(row)] if numeric else [])
            for row, label in zip(section.rows, labels(section), strict=True)
        ]
        if body:
            lines += [*_table(header, body), ""]
        meanings = [f"- {row.label}: {row.meaning}" for row in section.rows if row.meaning]
        if meanings:
            lines += [*meanings, ""]
        if section.shared:
            lines += [shared_text(section, obj), ""]
        notes = note_lines(section)
        if notes:
            lines += [f"> {line}" for line in notes] + [""]
    lines += [*obj.notes, "", sources_line(obj)] if obj.notes else [sources_line(obj)]
    return "\n".join(lines) + "\n"


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(r) for r in body)]


def _cell(cell: Cell) -> str:
    return "<br>".join(cell.texts) if cell.reported else empty_text(cell)
