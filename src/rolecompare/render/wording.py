"""What every text format says alike: headlines, the sources and posting-data lines, a
cell's figure, statements and qualifiers, notes, and safe strings."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from rolecompare.compare.report import Cell, Report, Row, Section
from rolecompare.kb.types import SourceData
from rolecompare.render.format import NOT_REPORTED, cited, gap_text, value_text
from rolecompare.text import safe

T = TypeVar("T")


def made_safe(obj: T) -> T:
    """A copy of a report in which every string is safe to show (rolecompare.text.safe)."""
    if isinstance(obj, str):
        return safe(obj)  # type: ignore[return-value,unused-ignore]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: made_safe(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return dataclasses.replace(obj, **changes)  # type: ignore[return-value,unused-ignore]
    if isinstance(obj, list | tuple):
        return type(obj)(made_safe(x) for x in obj)  # type: ignore[return-value,unused-ignore]
    if isinstance(obj, dict):
        return {made_safe(k): made_safe(v) for k, v in obj.items()}  # type: ignore[return-value,unused-ignore]
    return obj


def shared_text(section: Section, report: Report) -> str:
    who = "Both roles" if len(report.roles) == 2 else "All roles shown"
    return f"{who}: " + " ".join(f"{sh.text.rstrip('.')}. [{sh.source}]" for sh in section.shared)


def headlines(report: Report) -> list[str]:
    """One line per comparable measure: who leads, by how much, and the source."""
    return [line for s in report.sections for row in s.rows if (line := headline(report, row))]


def headline(report: Report, row: Row) -> str:
    """A row's headline, or "" for a row with no lead: "Machine Learning Engineer ahead on
    average annual salary: $166,000 vs about $160,000 (about +$6,000), reported by
    Glassdoor [365datascience]"."""
    if row.lead is None:
        return ""
    # A counted figure's lead stays in its table's Ahead column (its interval and N are
    # there too): a headline each would push the figures off the first page.
    if any(c.k is not None or c.percentiles for c in row.cells.values()):
        return ""
    names = {r["id"]: r["name"] for r in report.roles}
    ranked = sorted((c.value, rid) for rid, c in row.cells.items() if c.value is not None)[::-1]
    values = " vs ".join(value_text(row.cells[rid], row.unit) for _, rid in ranked)
    who = f"{names[row.leader]} ahead" if row.leader else "Tie"
    gap = f" ({gap_text(row)})" if row.leader else ""
    label = row.label
    if label[1:2].islower():  # "Average annual salary", not "AWS"
        label = label[0].lower() + label[1:]
    origin = cited(row.source, [row.cells[rid].reported_by for _, rid in ranked])
    sep = ", " if origin.startswith("reported") else " "
    return f"{who} on {label}: {values}{gap}{sep}{origin}"


def shows_headlines(report: Report) -> bool:
    """Salary's headlines are shown when it compares two roles or more."""
    return report.command == "salary" and len(report.roles) > 1


def salary_headlines(report: Report) -> list[str]:
    """The headlines that every format shows: salary's, when it compares two roles or more."""
    return headlines(report) if shows_headlines(report) else []


def figure_text(cell: Cell) -> str | None:
    """The cell's figure, when it has one (its first text); None for statements only."""
    return cell.texts[0] if cell.reported and cell.has_figure else None


def statements_of(row: Row, cell: Cell) -> list[str]:
    """The cell's statements: its texts after the figure, if any."""
    return list(cell.texts[1:] if figure_text(cell) is not None else cell.texts)


def qualifiers(cell: Cell) -> list[str]:
    """What a figure's cell says besides the figure from the figure's own quote or record:
    a flag or phrase that qualifies that very number, such as O*NET's "Recommend
    Suppress = Y" or BLS's "Much faster than average"."""
    if figure_text(cell) is None or len(cell.quotes) != len(cell.texts):
        return []
    own = cell.quotes[0]
    return [t for t, q in zip(cell.texts[1:], cell.quotes[1:], strict=True) if q == own]


def use_of(cell: Cell) -> str:
    """How a role uses a measured skill, in the source's own words: the part of the
    figure's quote after "(56.7%): ". Empty when the quote says no more."""
    if cell.value is None or not cell.quotes:
        return ""
    quote = cell.quotes[0]
    for match in re.finditer(r"\((\d[\d,]*(?:\.\d+)?)%\):\s*", quote):
        if float(match.group(1).replace(",", "")) == cell.value:
            return quote[match.end() :].strip().rstrip(".")
    return ""


def sources_line(report: Report) -> str:
    """The sources cited; a counted analysis (shares or pay counted from a dataset) with
    its licence's credit and its caveats, which travel with its figures."""
    counted = {
        row.source
        for section in report.sections
        for row in section.rows
        if any(c.k is not None or c.percentiles is not None for c in row.cells.values())
    }
    parts = []
    for s in report.sources:
        by = ", ".join(x for x in (s["author"], s["date"]) if x)
        part = f'[{s["id"]}] {s["publisher"]}, "{s["title"]}"' + (f", {by}" if by else "")
        if s["id"] in counted:
            part += f" — {s['credit']}" if s["credit"] else ""
            part += f". Caveats: {s['note']}" if s["note"] else ""
        parts.append(part)
    return "Sources: " + "; ".join(parts) if parts else "Sources: none"


def posting_line(sources: list[SourceData]) -> str:
    """One line on how old a comparison's posting data is, from its sources' own fields
    (Source.postings, Source.data_date): "Posting data: 365 Data Science, job listings on
    Indeed USA in 2024"; "" for a comparison with no sources."""
    if not sources:
        return ""
    found = [s for s in sources if s["postings"]]
    if not found:
        return "Posting data: not given (no source here dates any job postings)"
    return "Posting data: " + "; ".join(
        f"{s['publisher']}, {s['data_date'] or 'its date not given'}" for s in found
    )


def flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "; ".join(value) if isinstance(value, list) else str(value)


def empty_text(cell: Cell) -> str:
    """What an empty cell shows: "—", and why where the KB knows."""
    return f"{NOT_REPORTED} ({cell.why})" if cell.why else NOT_REPORTED


def note_lines(section: Section) -> list[str]:
    """The section's contradictions, one line each: where its source contradicts itself."""
    notes = [n for row in section.rows for n in row.notes] + section.notes
    return [f"Note [{n.source}]: {n.text}" for n in notes]
