"""The stable JSON document of every command (docs/json.md, "JSON output").

Lossless: KB text is kept as it is, every control character escaped by the encoder.
Bump JSON_VERSION on any change to the shape.
"""

from __future__ import annotations

import json
from typing import IO, Any

from rolecompare.compare.report import Cell, Listing, Note, Report, Row, Section
from rolecompare.kb.types import SourceData
from rolecompare.render.format import exact, lead_text
from rolecompare.render.wording import figure_text, posting_line, qualifiers, salary_headlines

JSON_VERSION = 5


def write(obj: Report | Listing, out: IO[str], details: bool = False) -> None:
    out.write(json.dumps(to_data(obj), indent=2, ensure_ascii=True) + "\n")


def to_data(obj: Report | Listing) -> dict[str, Any]:
    if isinstance(obj, Listing):
        return {"version": JSON_VERSION, "command": obj.command, obj.command: obj.rows}
    data = {
        "version": JSON_VERSION,
        "command": obj.command,
        "title": obj.title,
        "roles": [{"id": r["id"], "name": r["name"]} for r in obj.roles],
        "sections": [_section_data(s, obj) for s in obj.sections],
        # credit: the licence's credit line; note: its caveats (the KB's Source.note)
        "sources": [_source_data(src) for src in obj.sources],
        "notes": obj.notes,
        # salary's headlines, as the table shows them above its sections; else empty
        "headlines": salary_headlines(obj),
        # how old the posting data is: the line the table ends with; null with no sources
        "posting_data": posting_line(obj.sources) or None,
    }
    data.update(obj.extra)
    return data


def _source_data(src: SourceData) -> dict[str, Any]:
    return {
        k: src[k]
        for k in ("id", "publisher", "title", "author", "date", "data_date", "credit", "note")
    }


def _section_data(s: Section, report: Report) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "measure": s.measure,
        "rows": [_row_data(row, report) for row in s.rows],
        "detail": s.detail,
        "notes": [_note(n) for n in s.notes],
        "shared": [{"text": sh.text, "source": sh.source, "quote": sh.quote} for sh in s.shared],
    }


def _row_data(row: Row, report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item": row.item,
        "label": row.label,
        "source": row.source,
        "unit": row.unit,
        "meaning": row.meaning,
    }
    ids = [r["id"] for r in report.roles]
    if row.has_figures:
        data["values"] = {rid: _value(row.cells[rid]) for rid in ids}
        data["leader"] = row.leader
        data["lead"] = row.lead
        data["lead_text"] = lead_text(row) or None
        data["figures"] = {rid: _figure(row.cells[rid], row.unit) for rid in ids}
    data["texts"] = {rid: list(row.cells[rid].texts) for rid in ids}
    data["quotes"] = {rid: list(row.cells[rid].quotes) for rid in ids}
    data["not_reported"] = {rid: row.cells[rid].why for rid in ids if row.cells[rid].why}
    data["notes"] = [_note(n) for n in row.notes]
    return data


def _note(note: Note) -> dict[str, Any]:
    return {"text": note.text, "source": note.source, "quotes": list(note.quotes)}


def _figure(cell: Cell, unit: str | None) -> dict[str, Any] | None:
    """Everything the table shows of a role's figure, or None where it has none."""
    text = figure_text(cell)
    if text is None:
        return None
    numbers = cell.written or tuple(exact(v) for v in (cell.range or (cell.value or 0,)))
    written: str | list[str] = list(numbers) if cell.range is not None else numbers[0]
    return {
        "text": text,
        "unit": cell.unit or unit,
        "written": written,
        "approximate": cell.approximate,
        "reported_by": cell.reported_by or None,
        "qualifiers": qualifiers(cell),
        "k": cell.k,
        "n": cell.n,
        "interval": list(cell.interval) if cell.interval else None,
        "percentiles": dict(zip(("p10", "p25", "p75", "p90"), cell.percentiles, strict=True))
        if cell.percentiles
        else None,
    }


def _value(cell: Cell) -> float | dict[str, float] | None:
    if cell.range is not None:
        return {"min": cell.range[0], "max": cell.range[1]}
    return cell.value
