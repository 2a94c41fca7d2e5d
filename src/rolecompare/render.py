"""Reports and listings to text: a Rich table, JSON, CSV or GitHub markdown.

The only module that imports Rich, and only inside print_table, so that the
machine-readable formats never pay for it.
"""

from __future__ import annotations

import io
import json
import os
import sys
from typing import IO, TYPE_CHECKING, Any

from rolecompare.queries import PERCENT, Cell, Listing, Report, Row, Section, as_written

if TYPE_CHECKING:
    from rich.console import Console

    from rolecompare.fit import Fit, Item

NOT_REPORTED = "—"
JSON_VERSION = 1
_ASCII = str.maketrans({"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
                        "→": "->", "•": "*", "…": "...", "é": "e"})


def emit(obj: Report | Listing, fmt: str, out: IO[str] | None = None) -> None:
    """Write obj to out (stdout) in the chosen format."""
    out = out or sys.stdout
    utf = _is_utf(out)
    if fmt == "json":
        emit_data(to_data(obj), out)
        return
    if not utf and hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    if fmt == "table":
        print_table(obj, out)
        return
    text = to_csv(obj) if fmt == "csv" else to_markdown(obj)
    out.write(text if utf else text.translate(_ASCII))


def _is_utf(out: IO[str]) -> bool:
    encoding = getattr(out, "encoding", None) or "utf-8"
    return encoding.lower().replace("-", "").startswith("utf")


# ---- data (JSON) -------------------------------------------------------------------------


def to_data(obj: Report | Listing) -> dict[str, Any]:
    """The stable JSON document (README, "JSON output"); bump JSON_VERSION on any change."""
    if isinstance(obj, Listing):
        return {"version": JSON_VERSION, "command": obj.command, obj.command: obj.rows}
    return {
        "version": JSON_VERSION,
        "command": obj.command,
        "title": obj.title,
        "roles": [{"id": r["id"], "name": r["name"]} for r in obj.roles],
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "measure": s.measure,
                "rows": [_row_data(row, obj) for row in s.rows],
                "shared": [{"text": sh.text, "source": sh.source, "quote": sh.quote}
                           for sh in s.shared],
            }
            for s in obj.sections
        ],
        "sources": [
            {k: src[k] for k in ("id", "publisher", "title", "author", "date")}
            for src in obj.sources
        ],
        "notes": obj.notes,
    }


def fit_data(fits: list[Fit]) -> list[dict[str, Any]]:
    """`fit --format json`: one object per role, best first (README, "JSON output")."""

    def items(found: list[Item]) -> list[dict[str, Any]]:
        return [{"item": i.id, "name": i.name, "weight": round(i.weight, 4), "points": i.points}
                for i in found]

    return [{"role": f.role["id"], "name": f.role["name"], "score": f.score,
             "matched": items(f.matched), "missing": items(f.missing)} for f in fits]


def emit_data(data: Any, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    out.write(json.dumps(data, indent=2, ensure_ascii=not _is_utf(out)) + "\n")


def _row_data(row: Row, report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item": row.item,
        "label": row.label,
        "source": row.source,
        "unit": row.unit,
        "meaning": row.meaning,
    }
    ids = [r["id"] for r in report.roles]
    if row.unit is not None:
        data["values"] = {rid: _value(row.cells[rid]) for rid in ids}
        data["leader"] = row.leader
        data["lead"] = row.lead
    data["texts"] = {rid: list(row.cells[rid].texts) for rid in ids}
    data["quotes"] = {rid: list(row.cells[rid].quotes) for rid in ids}
    return data


def _value(cell: Cell) -> float | dict[str, float] | None:
    if cell.range is not None:
        return {"min": cell.range[0], "max": cell.range[1]}
    return cell.value


# ---- CSV and markdown --------------------------------------------------------------------


def to_csv(obj: Report | Listing) -> str:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if isinstance(obj, Listing):
        writer.writerow(obj.columns)
        writer.writerows([_flat(r.get(c)) for c in obj.columns] for r in obj.rows)
        return buf.getvalue()
    ids = [r["id"] for r in obj.roles]
    writer.writerow(["section", "item", "label", "source", "unit", *ids, "leader", "lead"])
    for section in obj.sections:
        for row in section.rows:
            cells = [_csv_cell(row, row.cells[rid]) for rid in ids]
            writer.writerow([section.id, row.item or "", row.label, row.source, row.unit or "",
                             *cells, row.leader or "", "" if row.lead is None else row.lead])
    return buf.getvalue()


def _csv_cell(row: Row, cell: Cell) -> str:
    if row.unit is None or cell.range is not None:
        return "; ".join(cell.texts)
    return "" if cell.value is None else as_written(cell.value, cell.quotes[0])


def _flat(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return "; ".join(value) if isinstance(value, list) else value


def to_markdown(obj: Report | Listing) -> str:
    lines = [f"## {obj.title}", ""]
    if isinstance(obj, Listing):
        lines += _md_table(obj.columns, [[_flat(r.get(c)) or NOT_REPORTED for c in obj.columns]
                                         for r in obj.rows])
        return "\n".join(lines) + "\n"
    names = [r["name"] for r in obj.roles]
    for section in obj.sections:
        numeric = any(row.unit == PERCENT for row in section.rows)
        if not _titled_by_section(obj):
            lines += [f"### {section.title}", ""]
        if section.measure:
            lines += [f"*{section.measure}*", ""]
        header = ["", *names] + (["Lead"] if numeric else [])
        body = [
            [label, *(_md_cell(row.cells[r["id"]]) for r in obj.roles)]
            + ([_lead_text(row, obj)] if numeric else [])
            for row, label in zip(section.rows, _labels(section), strict=True)
        ]
        if body:
            lines += [*_md_table(header, body), ""]
        meanings = [f"- {row.label}: {row.meaning}" for row in section.rows if row.meaning]
        if meanings:
            lines += [*meanings, ""]
        if section.shared:
            lines += [_shared_text(section, obj), ""]
    lines += [*obj.notes, "", sources_line(obj)] if obj.notes else [sources_line(obj)]
    return "\n".join(lines) + "\n"


def _titled_by_section(report: Report) -> bool:
    """A report of one section with the report's own title: say the title once."""
    return len(report.sections) == 1 and report.sections[0].title == report.title


def _shared_text(section: Section, report: Report) -> str:
    who = "Both roles" if len(report.roles) == 2 else "All roles shown"
    return f"{who}: " + " ".join(f"{sh.text.rstrip('.')}. [{sh.source}]" for sh in section.shared)


def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(r) for r in body)]


def _md_cell(cell: Cell) -> str:
    return "<br>".join(cell.texts) if cell.reported else NOT_REPORTED


def _labels(section: Section) -> list[str]:
    """Each row's label, naming its source when the section mixes sources."""
    mixed = len({r.source for r in section.rows}) > 1
    return [f"{r.label} [{r.source}]" if mixed and r.item is not None else r.label
            for r in section.rows]


def _lead_text(row: Row, report: Report) -> str:
    if row.lead is None:
        return ""
    if row.leader is None:
        return "tie"
    return f"{_short_name(row.leader)} +{row.lead:g} pp"


def _short_name(role_id: str) -> str:
    return role_id.upper() if len(role_id) <= 4 else role_id


def sources_line(report: Report) -> str:
    parts = []
    for s in report.sources:
        by = ", ".join(x for x in (s["author"], s["date"]) if x)
        parts.append(f"[{s['id']}] {s['publisher']}, \"{s['title']}\"" + (f", {by}" if by else ""))
    return "Sources: " + "; ".join(parts) if parts else "Sources: none"


# ---- Rich table --------------------------------------------------------------------------


def decorates(out: IO[str]) -> bool:
    """Colour and boxes only on a real terminal, and not on TERM=dumb."""
    return out.isatty() and os.environ.get("TERM", "") != "dumb"


def make_console(out: IO[str], decorate: bool) -> Console:
    """A console for a terminal (NO_COLOR honoured) or for plain text."""
    from rich.console import Console

    width = None if decorate else int(os.environ.get("COLUMNS", "0") or 0) or 100
    return Console(
        file=out,
        width=width,
        force_terminal=decorate,
        no_color=not decorate or "NO_COLOR" in os.environ,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def print_table(obj: Report | Listing, out: IO[str]) -> None:
    """Print obj as tables; plain text in a pipe, without the padding Rich leaves."""
    if decorates(out):
        _print_table(obj, make_console(out, True), _is_utf(out))
        return
    buffer = io.StringIO()
    _print_table(obj, make_console(buffer, False), _is_utf(out))
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))


def _print_table(obj: Report | Listing, console: Console, utf: bool) -> None:
    from rich import box
    from rich.console import Group, RenderableType
    from rich.table import Table
    from rich.text import Text

    decorate = console.is_terminal
    style = (box.HEAVY_HEAD if utf else box.ASCII) if decorate else None

    def fix(text: str) -> str:
        return text if utf else text.translate(_ASCII)

    dash = NOT_REPORTED if utf else "-"
    if isinstance(obj, Listing):
        # One field per line: records such as sources are too wide for one row each.
        console.print(Text(fix(obj.title), style="bold"))
        for record in obj.rows:
            table = Table(box=style, show_header=False, show_edge=decorate, pad_edge=decorate)
            table.add_column(style="bold", no_wrap=True)
            table.add_column(overflow="fold")
            for column in obj.columns:
                table.add_row(column, fix(_flat(record.get(column))) or dash)
            console.print()
            console.print(table)
        return

    # Everything goes out in one print: Rich's per-print overhead adds up over sections.
    parts: list[RenderableType] = []
    if not _titled_by_section(obj):
        parts.append(Text(fix(obj.title), style="bold"))
    blank = Text("")
    n = len(obj.roles)
    show_bars = console.width >= 28 + n * 20
    for section in obj.sections:
        numeric = any(row.unit == PERCENT for row in section.rows)
        title = section.title + (f" ({section.measure})" if section.measure else "")
        table = Table(title=fix(title), title_justify="left", box=style, show_edge=decorate,
                      header_style="bold", expand=False,
                      title_style="bold cyan", pad_edge=decorate)
        labels = _labels(section)
        label_w, role_w, lead_w = _widths(section, labels, obj, console.width, decorate,
                                          numeric)
        table.add_column("", overflow="fold", width=label_w)
        for role in obj.roles:
            table.add_column(fix(role["name"]), overflow="fold", width=role_w)
        if numeric:
            table.add_column("Lead", no_wrap=True, width=lead_w)
        for row, label in zip(section.rows, labels, strict=True):
            cells: list[Text | str] = [fix(label)]
            for role in obj.roles:
                cell = row.cells[role["id"]]
                if not cell.reported:
                    cells.append(Text(dash, style="dim"))
                elif row.unit == PERCENT and cell.value is not None:
                    lead = row.leader == role["id"]
                    text = Text(cell.texts[0], style="bold green" if lead else "")
                    if show_bars:
                        text.append(" " + bar(cell.value, 10, utf),
                                    style="green" if lead else "blue")
                    for more in cell.texts[1:]:
                        text.append("\n" + fix(more))
                    cells.append(text)
                else:
                    bullet = "• " if utf else "* "
                    many = len(cell.texts) > 1
                    cells.append("\n".join(fix((bullet if many else "") + t) for t in cell.texts))
            if numeric:
                cells.append(_lead_text(row, obj))
            table.add_row(*cells)
        if parts:
            parts.append(blank)
        if section.rows:
            parts.append(table)
        else:
            parts.append(Text(fix(title), style="bold cyan"))
        for row in section.rows:
            if row.meaning:
                parts.append(Text(fix(f"{row.label}: {row.meaning}"),
                                  style="dim"))
        if section.shared:
            parts.append(Text(fix(_shared_text(section, obj)),
                              style="italic"))
    parts.append(blank)
    parts += [Text(fix(note), style="bold") for note in obj.notes]
    parts.append(Text(fix(sources_line(obj)), style="dim"))
    console.print(Group(*parts))


def _widths(section: Section, labels: list[str], report: Report, width: int, boxed: bool,
            numeric: bool) -> tuple[int, int, int]:
    """Column widths for a section: the label's, each role's and the lead's.

    Fixed here rather than measured by Rich, which would measure every cell first;
    role columns share what the label and lead columns leave, never below 8.
    """
    columns = 1 + len(report.roles) + numeric
    frame = 1 + 3 * columns if boxed else 2 * (columns - 1)
    label = min(max([len(text) for text in labels] + [8]), 22)
    lead = max([len(_lead_text(r, report)) for r in section.rows] + [4]) if numeric else 0
    role = max(8, (width - frame - label - lead) // len(report.roles))
    return label, role, lead


_EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(percent: float, width: int, utf: bool = True) -> str:
    """An inline bar for 0–100, `width` characters wide at 100."""
    filled = max(0.0, min(percent, 100.0)) / 100 * width
    if not utf:
        return "#" * round(filled)
    whole = int(filled)
    rest = _EIGHTHS[int((filled - whole) * 8)] if whole < width else ""
    return ("█" * whole + rest).rstrip()


# ---- SVG ---------------------------------------------------------------------------------


def to_svg(obj: Report | Listing, width: int = 100, title: str = "rolecompare") -> str:
    """obj as print_table shows it in a colour terminal `width` columns wide, as an SVG image.

    Rich's SVG asks for the Fira Code web font from a CDN; that request is dropped, so the
    image needs nothing but itself (it falls back to the viewer's monospace font).
    """
    import re

    from rich.console import Console

    console = Console(
        record=True,
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        no_color=False,
        legacy_windows=False,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    _print_table(obj, console, utf=True)
    svg = console.export_svg(title=title)
    return re.sub(r"@font-face\s*\{[^}]*\}\s*", "", svg)
