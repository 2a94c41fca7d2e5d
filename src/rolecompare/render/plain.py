"""What every text format shares: safe strings, labels, leads, the sources line."""

from __future__ import annotations

import dataclasses
from typing import IO, Any, TypeVar

from rolecompare.compare.report import POINTS, Cell, Listing, Report, Row, Section
from rolecompare.text import safe

NOT_REPORTED = "—"
_ASCII = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "→": "->",
        "•": "*",
        "…": "...",
        "é": "e",
        "×": "x",
        "≥": ">=",
        "≤": "<=",
        "█": "#",
    }
)
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


def is_utf(out: IO[str]) -> bool:
    encoding = getattr(out, "encoding", None) or "utf-8"
    return encoding.lower().replace("-", "").startswith("utf")


def tolerate_encoding(out: IO[str]) -> None:
    """A console that cannot encode a character shows "?" rather than failing."""
    reconfigure = getattr(out, "reconfigure", None)
    if not is_utf(out) and reconfigure is not None:
        reconfigure(errors="replace")


def to_ascii(text: str) -> str:
    return text.translate(_ASCII)


def titled_by_section(report: Report) -> bool:
    """A report of one section with the report's own title: say the title once."""
    return len(report.sections) == 1 and report.sections[0].title == report.title


def shared_text(section: Section, report: Report) -> str:
    who = "Both roles" if len(report.roles) == 2 else "All roles shown"
    return f"{who}: " + " ".join(f"{sh.text.rstrip('.')}. [{sh.source}]" for sh in section.shared)


def labels(section: Section) -> list[str]:
    """Each row's label, naming its source when the section mixes sources."""
    mixed = len({r.source for r in section.rows}) > 1
    return [
        f"{r.label} [{r.source}]" if mixed and r.item is not None else r.label for r in section.rows
    ]


def lead_text(row: Row) -> str:
    if row.lead is None:
        return ""
    if row.leader is None:
        return "tie"
    unit = "points" if row.unit == POINTS else "pp"
    return f"{short_name(row.leader)} +{row.lead:g} {unit}"


def short_name(role_id: str) -> str:
    return role_id.upper() if len(role_id) <= 4 else role_id


def sources_line(report: Report) -> str:
    parts = []
    for s in report.sources:
        by = ", ".join(x for x in (s["author"], s["date"]) if x)
        parts.append(f'[{s["id"]}] {s["publisher"]}, "{s["title"]}"' + (f", {by}" if by else ""))
    return "Sources: " + "; ".join(parts) if parts else "Sources: none"


def flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "; ".join(value) if isinstance(value, list) else str(value)


def is_listing(obj: Report | Listing) -> bool:
    return isinstance(obj, Listing)


def empty_text(cell: Cell) -> str:
    """What an empty cell shows: "—", and why where the KB knows."""
    return f"{NOT_REPORTED} ({cell.why})" if cell.why else NOT_REPORTED


def note_lines(section: Section) -> list[str]:
    """The section's contradictions, one line each: where its source contradicts itself."""
    notes = [n for row in section.rows for n in row.notes] + section.notes
    return [f"Note [{n.source}]: {n.text}" for n in notes]


def shown_sections(report: Report, details: bool) -> tuple[list[Section], int]:
    """The sections a table shows, and how many --details would add."""
    shown = [s for s in report.sections if details or not s.detail]
    return shown, len(report.sections) - len(shown)
