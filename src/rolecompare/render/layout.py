"""How text is laid out for the room it has: widths, the terminal's encoding, ASCII
fallbacks, which sections and rows a table shows, and a statement's gist."""

from __future__ import annotations

import os
import re
from typing import IO

from rolecompare.compare.report import Report, Row, Section
from rolecompare.render.format import lead_text

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


def titled_by_section(report: Report) -> bool:
    """A report of one section with the report's own title: say the title once."""
    return len(report.sections) == 1 and report.sections[0].title == report.title


def labels(section: Section) -> list[str]:
    """Each row's label, naming its source when the section mixes sources."""
    mixed = len({r.source for r in section.rows}) > 1
    return [
        f"{r.label} [{r.source}]" if mixed and r.item is not None else r.label for r in section.rows
    ]


def shown_sections(report: Report, details: bool) -> tuple[list[Section], int]:
    """The sections a table shows, and how many --details would add."""
    shown = [s for s in report.sections if details or not s.detail]
    return shown, len(report.sections) - len(shown)


LEAD_HEADER = "Ahead by"


PP_LEGEND = "pp = percentage points"


# Reports whose rows are all shown in full: they have no --details.
ALWAYS_FULL = frozenset({"fit", "quiz", "plan"})


# A gist is a statement's first sentence, whole; a list of short names (technologies,
# titles) is shown up to 2 * GIST characters, whatever the width (so no width adds words).
GIST = 78


def uses_pp(rows: list[Row]) -> bool:
    return any(" pp" in lead_text(r) for r in rows)


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
