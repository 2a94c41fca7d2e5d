"""Reports as Rich tables: boxes and colour on a terminal, plain text in a pipe.

The only module that imports Rich, and only inside its functions, so that the
machine-readable formats never pay for it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import replace
from typing import IO, TYPE_CHECKING, Any

from rolecompare.compare.report import Listing, Report, Row, Section
from rolecompare.render.format import NOT_REPORTED, lead_text, short_name
from rolecompare.render.layout import (
    ALWAYS_FULL,
    GIST,
    LEAD_HEADER,
    PP_LEGEND,
    gist,
    is_utf,
    labels,
    out_width,
    short_meaning,
    shown_sections,
    terminal_width,
    titled_by_section,
    to_ascii,
    uses_pp,
)
from rolecompare.render.pager import Screen, decorates, page, pages
from rolecompare.render.tablecells import cell_text, unshown
from rolecompare.render.widths import whole
from rolecompare.render.widths import widths as widths_of
from rolecompare.render.wording import (
    flat,
    note_lines,
    posting_line,
    salary_headlines,
    shared_text,
    sources_line,
    use_of,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Fix = Callable[[str], str]


def write(obj: Report | Listing, out: IO[str], details: bool = False, pager: bool = False) -> None:
    if isinstance(obj, Listing):
        from rolecompare.render.plainlist import write_listing

        if pager and pages(out):
            screen = Screen(out)
            write_listing(obj, screen)
            page(screen.getvalue(), out)
        else:
            write_listing(obj, out)
        return
    if pager and pages(out):
        text = io.StringIO()
        _print_table(obj, make_console(text, True, out_width(out)), is_utf(out), details)
        page(text.getvalue(), out)
        return
    print_table(obj, out, details)


def make_console(out: IO[str], decorate: bool, width: int | None = None) -> Console:
    """A console for a terminal (NO_COLOR honoured) or for plain text."""
    from rich.console import Console

    return Console(
        file=out,
        width=width or (out_width(out) if decorate else terminal_width()),
        force_terminal=decorate,
        no_color=not decorate or os.environ.get("NO_COLOR", "") != "",  # set and not empty
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def print_table(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    """Print obj as tables; plain text in a pipe, without the padding Rich leaves.

    A pipe is laid out at COLUMNS, else 80; a TERM=dumb terminal at its real width.
    """
    if decorates(out):
        _print_table(obj, make_console(out, True), is_utf(out), details)
        return
    width = out_width(out)
    buffer = io.StringIO()
    _print_table(obj, make_console(buffer, False, width), is_utf(out), details)
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))


def _print_table(obj: Report | Listing, console: Console, utf: bool, details: bool) -> None:
    from rich.console import Group
    from rich.text import Text

    look = _Look(console, utf, details, obj)
    if isinstance(obj, Listing):
        _print_listing(obj, console, look)
        return
    parts: list[Any] = []
    if not titled_by_section(obj):
        parts.append(Text(look.fix(obj.title), style="bold"))
    if salary_headlines(obj):
        parts += [Text("")] if parts else []
        parts += [Text(look.fix(line), style="bold") for line in salary_headlines(obj)]
    sections, hidden = shown_sections(obj, details)
    body, pp = _body(sections, obj, look, bool(parts))
    parts += body
    if hidden:
        parts += [Text(""), Text(f"{hidden} more section(s) with --details", style="dim")]
    parts.append(Text(""))
    if pp:
        parts.append(Text(PP_LEGEND, style="dim"))
    parts += [Text(look.fix(note), style="bold") for note in obj.notes]
    parts.append(Text(look.fix(sources_line(obj)), style="dim"))
    if posting_line(obj.sources):
        parts.append(Text(look.fix(posting_line(obj.sources)), style="dim"))
    console.print(Group(*parts))


def _body(sections: list[Section], obj: Report, look: _Look, after: bool) -> tuple[list[Any], bool]:
    """The sections' parts, and whether they use pp. At a glance, the tables of figures come
    first: what is said under each section up to the last one with figures follows that
    section's table, each under its section's title, so that every figure is on the first
    screenfuls; the sections after it keep their words under their tables."""
    from rich.text import Text

    figured = [i for i, s in enumerate(sections) if any(r.has_figures for r in s.rows)]
    last = figured[-1] if look.glance and len(sections) > 1 and figured else -1
    parts: list[Any] = []
    pp, deferred = False, []
    for i, section in enumerate(sections):
        if parts or after:
            parts.append(Text(""))
        # A first section titled as the report is not titled twice (salary, summary).
        again = i == 0 and section.title == obj.title and not section.measure
        titled = not (again and not titled_by_section(obj))
        table, under, section_pp = _section(section, obj, look, titled=titled)
        parts += table
        pp = pp or section_pp
        if i > last or not section.rows:  # a title alone: what is said is its content
            parts += under
            continue
        if under:
            deferred.append([Text(""), Text(look.fix(f"{section.title}:"), style="bold"), *under])
        if i == last and deferred == [deferred[-1]] and under:
            parts += under  # only its own words: no title needed
        elif i == last:
            parts += [x for chunk in deferred for x in chunk]
    return parts, pp


class _Look:
    """How a report is drawn on this console: boxes, width, ASCII, glance or details."""

    def __init__(self, console: Console, utf: bool, details: bool, obj: Report | Listing) -> None:
        from rich import box

        self.decorate = console.is_terminal
        self.width = console.width
        self.utf = utf
        self.style = (box.HEAVY_HEAD if utf else box.ASCII) if self.decorate else None
        self.glance = not details and obj.command not in ALWAYS_FULL
        roles = obj.roles if isinstance(obj, Report) else []
        self.show_bars = self.width >= 28 + len(roles) * 20
        self.short = {r["id"]: short_name(r["id"]) for r in roles}

    def fix(self, text: str) -> str:
        return text if self.utf else to_ascii(text)


def _print_listing(obj: Listing, console: Console, look: _Look) -> None:
    """One field per line: records such as sources are too wide for one row each."""
    from rich.table import Table
    from rich.text import Text

    console.print(Text(look.fix(obj.title), style="bold"))
    for record in obj.rows:
        table = Table(
            box=look.style, show_header=False, show_edge=look.decorate, pad_edge=look.decorate
        )
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for column in obj.columns:
            table.add_row(
                column, look.fix(flat(record.get(column))) or (NOT_REPORTED if look.utf else "-")
            )
        console.print()
        console.print(table)


def _section(
    section: Section, obj: Report, look: _Look, titled: bool = True
) -> tuple[list[Any], list[Any], bool]:
    """A section's table (or blocks); what is said under it; and whether it uses pp."""
    from rich.text import Text

    # A row of figures even where its roles' figures differ in unit (a share and a count).
    figures = [r for r in section.rows if r.has_figures]
    # At a glance a table holds the figures, or the statements' gists when there are no
    # figures; the statements of a section with figures follow as gists.
    table_rows = (figures or section.rows) if look.glance else section.rows
    numeric = len(obj.roles) > 1 and any(r.lead is not None for r in table_rows)
    title = look.fix(section.title + (f" ({section.measure})" if section.measure else ""))
    row_labels = dict(zip(map(id, section.rows), labels(section), strict=True))
    grid, whys = _grid(table_rows, obj, look, row_labels, numeric)
    headers = ["", *(r["name"] for r in obj.roles)] + ([LEAD_HEADER] if numeric else [])
    widths = widths_of(headers, grid, look.width, look.decorate, numeric, not look.glance)
    if look.show_bars and not whole(grid, widths):
        # Bars that would make a row wrap are left out: the figures are what is read.
        grid, whys = _grid(table_rows, obj, replace_bars(look), row_labels, numeric)
        widths = widths_of(headers, grid, look.width, look.decorate, numeric, not look.glance)
    if not table_rows:
        parts: list[Any] = [Text(title, style="bold cyan")]
    elif widths is None:
        parts = list(_stacked(title, headers, grid, look.fix, look.width))[0 if titled else 1 :]
    else:
        # The title above the table, not in it: a narrow table would wrap it.
        parts = [Text(title, style="bold cyan")] if titled else []
        parts.append(_rich_table(headers, widths, grid, look, numeric))
    parts += [
        Text(look.fix(f"{NOT_REPORTED} for {', '.join(names)}: {why}"), style="dim")
        for why, names in whys.items()
    ]
    if look.glance:  # what rolecompare computes about the figures stays beside them
        parts += [Text(look.fix(line), style="yellow") for line in _computed(section)]
    under = _uses(table_rows, obj, look.short, look.fix)
    under += _said_under(section, obj, look, table_rows, row_labels)
    return parts, under, numeric and uses_pp(table_rows)


def _computed(section: Section) -> list[str]:
    """The section's notes that rolecompare computes (no quote): where intervals disagree."""
    return [f"Note [{n.source}]: {n.text}" for n in section.notes if not n.quotes]


def replace_bars(look: _Look) -> _Look:
    """The same look without bars."""
    import copy

    plain = copy.copy(look)
    plain.show_bars = False
    return plain


def _grid(
    rows: list[Row], obj: Report, look: _Look, row_labels: dict[int, str], numeric: bool
) -> tuple[list[list[tuple[str, str]]], dict[str, list[str]]]:
    """Per row: label, each role's cell and the lead, as (text, style); and, at a glance,
    why cells are empty, said once under the table rather than in every cell."""
    grid: list[list[tuple[str, str]]] = []
    whys: dict[str, list[str]] = {}
    for row in rows:
        cells = [(row_labels[id(row)], "")]
        for role in obj.roles:
            cell = row.cells[role["id"]]
            if look.glance and not cell.reported and cell.why:
                names = whys.setdefault(cell.why, [])
                names += [] if look.short[role["id"]] in names else [look.short[role["id"]]]
                cell = replace(cell, why="")
            cells.append(cell_text(row, cell, look.glance, look.utf, look.show_bars))
        if numeric:
            cells.append((lead_text(row), ""))
        grid.append(cells)
    return grid, whys


def _rich_table(
    headers: list[str],
    widths: list[int],
    grid: list[list[tuple[str, str]]],
    look: _Look,
    numeric: bool,
) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=look.style,
        show_edge=look.decorate,
        header_style="bold",
        expand=False,
        pad_edge=look.decorate,
    )
    for i, (header, w) in enumerate(zip(headers, widths, strict=True)):
        lead = numeric and i == len(headers) - 1
        table.add_column(look.fix(header), width=w, no_wrap=lead, overflow="fold")
    for cells in grid:
        table.add_row(*(Text(look.fix(t), style=s) for t, s in cells))
    return table


def _said_under(
    section: Section, obj: Report, look: _Look, table_rows: list[Row], row_labels: dict[int, str]
) -> list[Any]:
    """Under the table: statements' gists (at a glance), meanings, shared statements, notes."""
    from rich.text import Text

    fix, parts = look.fix, []
    if look.glance:  # a first sentence, whole, of what the table's cells do not show
        for row in section.rows:
            for role in obj.roles:
                said, whole = unshown(row, row.cells[role["id"]], row in table_rows)
                head = f"{row_labels[id(row)]} — {look.short[role['id']]}: "
                if said:
                    text = "; ".join(said) if whole else gist(said, GIST - len(head))
                    parts.append(Text(fix(head + text)))
    for row in section.rows:
        if row.meaning and (not look.glance or row in table_rows):
            meaning = short_meaning(row.meaning) if look.glance else row.meaning
            parts.append(Text(fix(f"{row.label}: {meaning}"), style="dim"))
    if section.shared:
        if look.glance:
            who = shared_text(section, obj).split(":")[0] + ": "
            texts = [sh.text for sh in section.shared]
            parts.append(Text(fix(who + gist(texts, GIST - len(who))), style="italic"))
        else:
            parts.append(Text(fix(shared_text(section, obj)), style="italic"))
    notes = note_lines(section)
    if look.glance:  # a contradiction's first sentence, whole; --details has it all
        notes = [gist([n], GIST) for n in notes if n not in _computed(section)]
    return parts + [Text(fix(line), style="yellow") for line in notes]


def _uses(rows: list[Row], report: Report, short: dict[str, str], fix: Fix) -> list[Text]:
    """How each role uses each measured skill, where the figure's quote says so."""
    from rich.text import Text

    lines = []
    for row in rows:
        uses = [(rid, use_of(row.cells[rid])) for rid in short]
        said = "; ".join(f"{short[rid]}: {use}" for rid, use in uses if use)
        if said:
            lines.append(Text(fix(f"{row.label} — {said}")))
    return lines


def _stacked(
    title: str, headers: list[str], grid: list[list[tuple[str, str]]], fix: Fix, width: int
) -> list[Text]:
    """A narrow layout: under the section's title, one block per row, "Role: value" lines."""
    import textwrap

    from rich.text import Text

    def wrap(text: str, indent: str) -> list[str]:
        return textwrap.wrap(
            " ".join(text.split()),
            width=width,
            initial_indent=indent,
            subsequent_indent=indent + "  ",
            break_long_words=False,
            break_on_hyphens=False,
        )

    lines = [Text(title, style="bold cyan")]
    for cells in grid:
        lines.append(Text(fix(cells[0][0]), style="bold"))
        for header, (text, style) in zip(headers[1:], cells[1:], strict=True):
            items = text.splitlines()
            if not items:
                continue
            if len(items) == 1:
                wrapped = wrap(f"{header}: {text}", "  ")
            else:  # a list: an item a line, under the role's name
                wrapped = [f"  {header}:", *(ln for item in items for ln in wrap(item, "    "))]
            lines += [Text(fix(line), style=style) for line in wrapped]
    return lines


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

    from rolecompare.render.wording import made_safe

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
