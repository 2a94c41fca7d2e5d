"""CSV for spreadsheets and scripts: one line per row, numbers as plain numbers.

A cell that a spreadsheet would run as a formula (it starts with =, +, -, @, a
tab or a carriage return) gets a leading apostrophe, as OWASP advises for CSV
injection; README, "CSV output".
"""

from __future__ import annotations

import csv
import io
from typing import IO

from rolecompare.compare.report import Cell, Listing, Report, Row
from rolecompare.render.plain import flat

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def write(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    out.write(to_csv(obj))


def neutral(value: str) -> str:
    """A cell no spreadsheet will run."""
    return "'" + value if value.startswith(_FORMULA) else value


def to_csv(obj: Report | Listing) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if isinstance(obj, Listing):
        writer.writerow(obj.columns)
        writer.writerows([neutral(flat(r.get(c))) for c in obj.columns] for r in obj.rows)
        return buf.getvalue()
    ids = [r["id"] for r in obj.roles]
    writer.writerow(["section", "item", "label", "source", "unit", *ids, "leader", "lead"])
    for section in obj.sections:
        for row in section.rows:
            cells = [_cell(row, row.cells[rid]) for rid in ids]
            writer.writerow(
                [
                    neutral(str(v))
                    for v in (
                        section.id,
                        row.item or "",
                        row.label,
                        row.source,
                        row.unit or "",
                        *cells,
                        row.leader or "",
                        "" if row.lead is None else number(row.lead),
                    )
                ]
            )
    return buf.getvalue()


def _cell(row: Row, cell: Cell) -> str:
    if row.unit is None:
        return "; ".join(cell.texts)
    if cell.range is not None:
        return f"{number(cell.range[0])}-{number(cell.range[1])}"
    return "" if cell.value is None else number(cell.value)


def number(value: float) -> str:
    """A plain number, as a spreadsheet reads it: 160000, 56.7, 12.345 (never 1e+06)."""
    return str(int(value)) if value == int(value) else repr(value)
