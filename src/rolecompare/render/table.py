"""Reports as Rich tables: boxes and colour on a terminal, plain text in a pipe.

The only module that imports Rich, and only inside its functions, so that the
machine-readable formats never pay for it.
"""

from __future__ import annotations

import io
import os
from typing import IO, TYPE_CHECKING

from rolecompare.compare.report import NUMERIC, Listing, Report, Section
from rolecompare.render.plain import (
    NOT_REPORTED,
    empty_text,
    flat,
    is_utf,
    labels,
    lead_text,
    note_lines,
    shared_text,
    shown_sections,
    sources_line,
    titled_by_section,
    to_ascii,
)

if TYPE_CHECKING:
    from rich.console import Console

MIN_WIDTH, MAX_WIDTH, PIPE_WIDTH = 20, 1000, 80


def write(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    if isinstance(obj, Listing):
        from rolecompare.render.listing import write_listing

        write_listing(obj, out)
        return
    print_table(obj, out, details)


def terminal_width(default: int = PIPE_WIDTH) -> int:
    """COLUMNS when it is a sensible number, clamped; else default."""
    raw = os.environ.get("COLUMNS", "")
    try:
        width = int(raw)
    except ValueError:
        return default
    return min(max(width, MIN_WIDTH), MAX_WIDTH) if width > 0 else default


def decorates(out: IO[str]) -> bool:
    """Colour and boxes only on a real terminal, and not on TERM=dumb."""
    return out.isatty() and os.environ.get("TERM", "") != "dumb"


def make_console(out: IO[str], decorate: bool) -> Console:
    """A console for a terminal (NO_COLOR honoured) or for plain text."""
    from rich.console import Console

    width = _width(out) if decorate else terminal_width()
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


def _width(out: IO[str]) -> int:
    try:
        return min(max(os.get_terminal_size(out.fileno()).columns, MIN_WIDTH), MAX_WIDTH)
    except (OSError, ValueError, AttributeError):
        return terminal_width()


def print_table(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    """Print obj as tables; plain text in a pipe, without the padding Rich leaves."""
    if decorates(out):
        _print_table(obj, make_console(out, True), is_utf(out), details)
        return
    buffer = io.StringIO()
    _print_table(obj, make_console(buffer, False), is_utf(out), details)
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))


def _print_table(obj: Report | Listing, console: Console, utf: bool, details: bool) -> None:
    from rich import box
    from rich.console import Group, RenderableType
    from rich.table import Table
    from rich.text import Text

    decorate = console.is_terminal
    style = (box.HEAVY_HEAD if utf else box.ASCII) if decorate else None

    def fix(text: str) -> str:
        return text if utf else to_ascii(text)

    dash = NOT_REPORTED if utf else "-"
    if isinstance(obj, Listing):
        # One field per line: records such as sources are too wide for one row each.
        console.print(Text(fix(obj.title), style="bold"))
        for record in obj.rows:
            table = Table(box=style, show_header=False, show_edge=decorate, pad_edge=decorate)
            table.add_column(style="bold", no_wrap=True)
            table.add_column(overflow="fold")
            for column in obj.columns:
                table.add_row(column, fix(flat(record.get(column))) or dash)
            console.print()
            console.print(table)
        return

    # Everything goes out in one print: Rich's per-print overhead adds up over sections.
    parts: list[RenderableType] = []
    if not titled_by_section(obj):
        parts.append(Text(fix(obj.title), style="bold"))
    blank = Text("")
    n = len(obj.roles)
    show_bars = console.width >= 28 + n * 20
    sections, hidden = shown_sections(obj, details)
    for section in sections:
        numeric = any(row.unit in NUMERIC for row in section.rows)
        title = section.title + (f" ({section.measure})" if section.measure else "")
        table = Table(
            title=fix(title),
            title_justify="left",
            box=style,
            show_edge=decorate,
            header_style="bold",
            expand=False,
            title_style="bold cyan",
            pad_edge=decorate,
        )
        row_labels = labels(section)
        label_w, role_w, lead_w = _widths(
            section, row_labels, obj, console.width, decorate, numeric
        )
        table.add_column("", overflow="fold", width=label_w)
        for role in obj.roles:
            table.add_column(fix(role["name"]), overflow="fold", width=role_w)
        if numeric:
            table.add_column("Lead", no_wrap=True, width=lead_w)
        for row, label in zip(section.rows, row_labels, strict=True):
            cells: list[Text | str] = [fix(label)]
            for role in obj.roles:
                cell = row.cells[role["id"]]
                if not cell.reported:
                    cells.append(Text(fix(empty_text(cell)) if utf else "-", style="dim"))
                elif row.unit in NUMERIC and cell.value is not None:
                    lead = row.leader == role["id"]
                    text = Text(cell.texts[0], style="bold green" if lead else "")
                    if show_bars:
                        text.append(
                            " " + bar(cell.value, 10, utf), style="green" if lead else "blue"
                        )
                    for more in cell.texts[1:]:
                        text.append("\n" + fix(more))
                    cells.append(text)
                else:
                    bullet = "• " if utf else "* "
                    many = len(cell.texts) > 1
                    cells.append("\n".join(fix((bullet if many else "") + t) for t in cell.texts))
            if numeric:
                cells.append(lead_text(row))
            table.add_row(*cells)
        if parts:
            parts.append(blank)
        if section.rows:
            parts.append(table)
        else:
            parts.append(Text(fix(title), style="bold cyan"))
        for row in section.rows:
            if row.meaning:
                parts.append(Text(fix(f"{row.label}: {row.meaning}"), style="dim"))
        if section.shared:
            parts.append(Text(fix(shared_text(section, obj)), style="italic"))
        parts += [Text(fix(line), style="yellow") for line in note_lines(section)]
    if hidden:
        parts += [blank, Text(f"{hidden} more section(s) with --details", style="dim")]
    parts.append(blank)
    parts += [Text(fix(note), style="bold") for note in obj.notes]
    parts.append(Text(fix(sources_line(obj)), style="dim"))
    console.print(Group(*parts))


def _widths(
    section: Section, labels: list[str], report: Report, width: int, boxed: bool, numeric: bool
) -> tuple[int, int, int]:
    """Column widths for a section: the label's, each role's and the lead's.

    Fixed here rather than measured by Rich, which would measure every cell first;
    role columns share what the label and lead columns leave, never below 8.
    """
    columns = 1 + len(report.roles) + numeric
    frame = 1 + 3 * columns if boxed else 2 * (columns - 1)
    label = min(max([len(text) for text in labels] + [8]), 22)
    lead = max([len(lead_text(r)) for r in section.rows] + [4]) if numeric else 0
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


def to_svg(
    obj: Report | Listing, width: int = 100, title: str = "rolecompare", details: bool = False
) -> str:
    """obj as print_table shows it in a colour terminal `width` columns wide, as an SVG image.

    Rich's SVG asks for the Fira Code web font from a CDN; that request is dropped, so the
    image needs nothing but itself (it falls back to the viewer's monospace font). Like
    every text format, it shows the KB's text made safe (rolecompare.text.safe).
    """
    import re

    from rich.console import Console

    from rolecompare.render.plain import made_safe

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
    _print_table(made_safe(obj), console, True, details)
    svg = console.export_svg(title=title)
    return re.sub(r"@font-face\s*\{[^}]*\}\s*", "", svg)
