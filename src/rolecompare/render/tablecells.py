"""What a table's cell shows, as (text, style): a figure and its bar, a gist at a glance,
"(see below)", or why it is empty; and what a glance leaves for under the table. No Rich."""

from __future__ import annotations

from rolecompare.compare.report import NUMERIC, Cell, Row
from rolecompare.render.format import figure_detail
from rolecompare.render.layout import gist
from rolecompare.render.wording import empty_text, figure_text, qualifiers, statements_of


def unshown(row: Row, cell: Cell, in_table: bool) -> tuple[list[str], bool]:
    """At a glance, what a cell says that its table does not show, and whether to show it
    whole rather than as a gist: every statement of a row under the table; of a figure in
    it, what the figure's own quote or record adds (O*NET's suppress flag, BLS's outlook
    phrase), whole, so that no qualifier is dropped or cut; for a cell with no figure
    ("see below"), its statements."""
    if not in_table:
        return statements_of(row, cell), False
    if not row.has_figures:
        return [], False  # a statement row in the table shows its gist there
    if figure_text(cell) is None:
        return list(cell.texts), False
    return qualifiers(cell), True


def cell_text(row: Row, cell: Cell, glance: bool, utf: bool, show_bars: bool) -> tuple[str, str]:
    """One role's cell: its text and style."""
    if not cell.reported:
        return (empty_text(cell) if utf else "-"), "dim"
    figure = figure_text(cell)
    if glance and figure is None and row.has_figures:
        return "(see below)", "dim"
    if glance and figure is None:
        return gist(list(cell.texts), 60), ""
    lead = row.leader is not None and row.cells.get(row.leader) is cell
    detail = [] if glance or figure is None else [d for d in (figure_detail(cell),) if d]
    if (cell.unit or row.unit) in NUMERIC and cell.value is not None:
        text = cell.texts[0]
        if show_bars:
            text += " " + bar(cell.value, 10, utf)
        rest = [] if glance else list(cell.texts[1:])
        return "\n".join([text, *detail, *rest]), ("bold green" if lead else "")
    texts = [figure] if glance and figure is not None else list(cell.texts)
    texts[1:1] = detail
    bullet = "• " if utf else "* "
    many = len(texts) > 1
    return "\n".join((bullet if many else "") + t for t in texts), ("bold" if lead else "")


_EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(percent: float, width: int, utf: bool = True) -> str:
    """An inline bar for 0–100, `width` characters wide at 100."""
    filled = max(0.0, min(percent, 100.0)) / 100 * width
    if not utf:
        return "#" * round(filled)
    whole = int(filled)
    rest = _EIGHTHS[int((filled - whole) * 8)] if whole < width else ""
    return ("█" * whole + rest).rstrip()
