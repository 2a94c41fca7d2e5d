"""CSV for spreadsheets and scripts: one line per row, numbers as plain numbers, and in
columns of their own everything a table shows beside a figure (docs/json.md, "CSV output").

The columns are stable: `section,item,label,source,unit,<role ids...>,leader,lead` as
before, then `lead_text,meaning,notes`, then for each role the columns of ROLE_COLUMNS,
named `<role id>_<column>`, then END_COLUMNS (new columns only ever go at the end).
A list in one cell (quotes, statements) is one entry a line.

A cell that a spreadsheet would run as a formula (it starts with =, +, -, @, a
tab or a carriage return) gets a leading apostrophe, as OWASP advises for CSV
injection; docs/security.md, "CSV output".
"""

from __future__ import annotations

import csv
import io
from typing import IO

from rolecompare.compare.report import Cell, Listing, Report, Row
from rolecompare.render.format import lead_text, plain, plain_written
from rolecompare.render.wording import (
    figure_text,
    flat,
    headline,
    qualifiers,
    shows_headlines,
    statements_of,
)

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Per role, after the common columns: what the table shows beside (or instead of) a figure.
ROLE_COLUMNS = (
    "figure",  # the figure as the table writes it: "approximately $160,000 a year (...)"
    "unit",  # the figure's own unit, even where its row mixes units
    "approximate",  # true or false for a figure; empty for none
    "reported_by",  # who the source says reported the figure
    "qualifiers",  # what the figure's own quote or record adds: "Recommend Suppress = Y: ..."
    "k",  # a counted figure: k of n
    "n",  # its N (a sample size, where the source gives one)
    "ci_low",  # its 95% interval, in percent
    "ci_high",
    "p10",  # counted pay: the 10th, 25th, 75th and 90th percentiles (the figure is the median)
    "p25",
    "p75",
    "p90",
    "statements",  # the source's statements on this row, one a line
    "quotes",  # the verbatim quotes or data records, one a line
    "not_reported",  # why an empty cell is empty, where the KB knows
)

# After every role's columns: the row's headline (salary's, as the table prints it above
# its sections: who leads, by how much, whose figures), else empty; for a row of counted
# figures, its analysis's licence credit and caveats (the table's sources line), which
# travel with its figures.
END_COLUMNS = ["headline", "credit", "caveats"]


def write(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    out.write(to_csv(obj))


def neutral(value: str) -> str:
    """A cell no spreadsheet will run."""
    return "'" + value if value.startswith(_FORMULA) else value


def header(ids: list[str]) -> list[str]:
    """The header row of a report's CSV for these role ids, in column order."""
    common = ["section", "item", "label", "source", "unit", *ids, "leader", "lead"]
    common += ["lead_text", "meaning", "notes"]
    return common + [f"{rid}_{column}" for rid in ids for column in ROLE_COLUMNS] + END_COLUMNS


def to_csv(obj: Report | Listing) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if isinstance(obj, Listing):
        writer.writerow(obj.columns)
        writer.writerows([neutral(flat(r.get(c))) for c in obj.columns] for r in obj.rows)
        return buf.getvalue()
    ids = [r["id"] for r in obj.roles]
    writer.writerow(header(ids))
    sources = {s["id"]: s for s in obj.sources}
    for section in obj.sections:
        for row in section.rows:
            counted = any(c.k is not None or c.percentiles for c in row.cells.values())
            # What rolecompare computes about counted figures (where intervals disagree)
            # is said on each counted row its note names.
            computed = [
                n
                for n in section.notes
                if counted and not n.quotes and row.source in n.source.split(", ")
            ]
            source = sources.get(row.source) if counted else None
            values = [
                section.id,
                row.item or "",
                row.label,
                row.source,
                row.unit or "",
                *(_value(row, row.cells[rid]) for rid in ids),
                row.leader or "",
                "" if row.lead is None else plain(row.lead),
                lead_text(row),
                row.meaning or "",
                "\n".join(f"[{n.source}] {n.text}" for n in [*row.notes, *computed]),
            ]
            for rid in ids:
                values += _role_columns(row, row.cells[rid])
            values.append(headline(obj, row) if shows_headlines(obj) else "")
            values += [(source and source["credit"]) or "", (source and source["note"]) or ""]
            writer.writerow([neutral(v) for v in values])
    return buf.getvalue()


def _value(row: Row, cell: Cell) -> str:
    """The role's column: the figure's number as its source wrote it (19.70 stays 19.70,
    160,000 is 160000, a range min-max), else the row's statements."""
    if cell.has_figure and cell.written:
        return "-".join(plain_written(w) for w in cell.written)
    if cell.range is not None:
        return f"{plain(cell.range[0])}-{plain(cell.range[1])}"
    if cell.value is not None:
        return plain(cell.value)
    return "" if row.has_figures else "; ".join(cell.texts)


def _role_columns(row: Row, cell: Cell) -> list[str]:
    figure = figure_text(cell)
    quals = qualifiers(cell)
    said = [t for t in statements_of(row, cell) if t not in quals]
    low, high = cell.interval or (None, None)
    percentiles = [plain(p) for p in cell.percentiles] if cell.percentiles else [""] * 4
    return [
        figure or "",
        cell.unit or (row.unit or "" if figure else ""),
        ("true" if cell.approximate else "false") if figure else "",
        cell.reported_by,
        "\n".join(quals),
        "" if cell.k is None else str(cell.k),
        "" if cell.n is None else str(cell.n),
        "" if low is None else plain(low),
        "" if high is None else plain(high),
        *percentiles,
        "\n".join(said),
        "\n".join(dict.fromkeys(cell.quotes)),
        cell.why,
    ]
