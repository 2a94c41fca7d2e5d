"""What every text format shares: safe strings, labels, leads, the sources line."""

from __future__ import annotations

import dataclasses
import os
import re
from typing import IO, Any, TypeVar

from rolecompare.compare.report import Cell, Report, Row, Section
from rolecompare.kb.data import SourceData
from rolecompare.render.format import NOT_REPORTED as NOT_REPORTED  # listing.py's too
from rolecompare.render.format import cited, gap_text, lead_text, value_text
from rolecompare.text import safe

MIN_WIDTH, MAX_WIDTH, PIPE_WIDTH = 20, 1000, 80  # columns; a pipe without COLUMNS gets 80
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


LEAD_HEADER = "Ahead by"
PP_LEGEND = "pp = percentage points"
# Reports whose rows are all shown in full: they have no --details.
ALWAYS_FULL = frozenset({"fit", "quiz", "plan"})
# A gist is a statement's first sentence, whole; a list of short names (technologies,
# titles) is shown up to 2 * GIST characters, whatever the width (so no width adds words).
GIST = 78


def uses_pp(rows: list[Row]) -> bool:
    return any(" pp" in lead_text(r) for r in rows)


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


# Words before a full stop that do not end a sentence ("e.g. Python", "U.S. Bureau").
_ABBREVIATIONS = frozenset({"e.g", "i.e", "vs", "etc", "dr", "mr", "ms", "mrs", "no", "approx"})


def first_sentence(text: str) -> tuple[str, bool]:
    """The first sentence of text, whole, and whether more follows it.

    A sentence ends at ".", "!" or "?" followed by a space and a capital letter, a digit
    or an opening quote or bracket, except after an abbreviation ("e.g.", "vs.") or
    initials ("U.S.").
    """
    text = " ".join(text.split())
    for match in re.finditer(r"[.!?](?=\s+[A-Z0-9“\"'(\[])", text):
        word = text[: match.start()].rsplit(" ", 1)[-1]
        if word.lower().strip("(“\"'") in _ABBREVIATIONS or re.fullmatch(
            r"(?:[A-Z]\.)*[A-Z]", word
        ):
            continue
        return text[: match.end()], True
    return text, False


def gist(texts: list[str], budget: int) -> str:
    """The first sentence of the first statement, whole (never cut: a hedge or a qualifier
    stays with its sentence), and how many more --details shows. Short items (names)
    are listed, as many as fit in 2 * budget characters."""
    if not texts:
        return ""
    if len(texts) > 1 and all(len(t) <= 40 for t in texts):
        return _names(texts, 2 * budget)  # names are scanned, not read: show more of them
    first, rest = first_sentence(texts[0])
    more = len(texts) - 1
    if more:
        return f"{first} (+{more} more; --details)"
    return f"{first} (more with --details)" if rest else first


def _names(texts: list[str], budget: int) -> str:
    """Short items (technologies, titles) listed whole, as many as fit, then how many more."""
    shown: list[str] = []
    for i, text in enumerate(texts):
        more = len(texts) - i - 1
        suffix = f" (+{more} more; --details)" if more else ""
        if shown and len(", ".join([*shown, text])) + len(suffix) > budget:
            return ", ".join(shown) + f" (+{len(texts) - len(shown)} more; --details)"
        shown.append(" ".join(text.split()))
    return ", ".join(shown)


def short_meaning(meaning: str) -> str:
    """A term's meaning without asides: its main clause, whole, and its final caveat
    (after " — ": "not an average salary"), which is never dropped."""
    main, _, caveat = meaning.rpartition(" — ")
    if not main:
        main, caveat = caveat, ""
    main = re.sub(r"\s*\([^)]*\)", "", main).split(";")[0].split(", as ")[0]
    main = first_sentence(main.split(", from ")[0])[0]
    return main + (f" — {caveat}" if caveat else "")


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


def shown_sections(report: Report, details: bool) -> tuple[list[Section], int]:
    """The sections a table shows, and how many --details would add."""
    shown = [s for s in report.sections if details or not s.detail]
    return shown, len(report.sections) - len(shown)


def terminal_width(default: int = PIPE_WIDTH) -> int:
    """COLUMNS when it is a sensible number, clamped; else default."""
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return default
    return min(max(width, MIN_WIDTH), MAX_WIDTH) if width > 0 else default


def out_width(out: IO[str]) -> int:
    """The width to lay out for: a terminal's own, clamped; else terminal_width()."""
    try:
        columns = os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return terminal_width()
    # A terminal that does not know its size (0) is laid out like a pipe.
    return min(max(columns, MIN_WIDTH), MAX_WIDTH) if columns > 0 else terminal_width()
