"""Reading the O*NET database's text files: which files, their rows, its release.

    rows = read_rows(db, OCCUPATIONS, [CODE, "Title", "Description"])
    for line, (code, title, description) in rows.rows: ...
    release = read_release(db)                       # from Read Me.txt

Every file is read as `rolecompare verify` reads it (kb.sourcefiles.parse_tsv: UTF-8, a
byte-order mark ignored, CRLF or LF lines, each row as wide as the header), as a regular
file only, never through a symlink, never waiting on a FIFO, at most
sourcefiles.MAX_DATA_BYTES. Errors are RoleCompareError (exit 1), naming file and line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rolecompare.errors import RoleCompareError
from rolecompare.kb.sourcefiles import SourceFileError, decode_text, parse_tsv, read_under
from rolecompare.text import shown, shown_path

MAX_TEXT = 2000  # the KB's longest text field (models.Text)
README = "Read Me.txt"
OCCUPATIONS = "Occupation Data.txt"
ALTERNATE = "Alternate Titles.txt"
TECHNOLOGY = "Technology Skills.txt"
ZONES = "Job Zones.txt"
ZONE_NAMES = "Job Zone Reference.txt"
EDUCATION = "Education, Training, and Experience.txt"
CATEGORIES = "Education, Training, and Experience Categories.txt"
RELATED = "Related Occupations.txt"
TASKS = "Task Statements.txt"
DB_FILES = (
    README,
    OCCUPATIONS,
    ALTERNATE,
    TECHNOLOGY,
    ZONES,
    ZONE_NAMES,
    EDUCATION,
    CATEGORIES,
    RELATED,
    TASKS,
)

# The source's note: what the import reads of each file.
NOTE = (
    "Imported by rolecompare from the database's text files. Selected: "
    f"{OCCUPATIONS} (titles, descriptions), {ALTERNATE} (a few unique titles as "
    f"aliases), {TASKS}, {TECHNOLOGY} (with the Hot Technology and In Demand "
    f"flags), {ZONES} (named from {ZONE_NAMES}), {EDUCATION} (scale RL, required "
    f"level of education, one figure per category; rows with Recommend Suppress "
    f"= Y are flagged) and {RELATED}. Each fact's record names its file and row."
)

CODE = "O*NET-SOC Code"
CODE_PATTERN = re.compile(r"\d{2}-\d{4}\.\d{2}")


@dataclass
class Rows:
    """The cells of some columns of an O*NET text file, with each row's line number."""

    file: str
    columns: tuple[str, ...]
    rows: list[tuple[int, list[str]]]

    def cell(self, line: int, column: str, text: str) -> str:
        """A cell as the KB will hold it, or an error: KB text is non-empty, has no
        leading or trailing whitespace and is at most MAX_TEXT characters."""
        if not text or text != text.strip() or len(text) > MAX_TEXT:
            why = (
                "is empty"
                if not text
                else "has leading or trailing whitespace"
                if text != text.strip()
                else f"is longer than {MAX_TEXT:,} characters"
            )
            raise RoleCompareError(
                f"{self.file}:{line}: {column} {why}; the KB cannot hold it exactly"
            )
        return text


def read_rows(db: Path, name: str, columns: Sequence[str]) -> Rows:
    """The named columns of a tab-separated O*NET file (CRLF or LF lines, UTF-8), read
    as `rolecompare verify` reads it (sourcefiles.parse_tsv)."""
    try:
        table = parse_tsv(read_bytes(db, name))
    except SourceFileError as exc:
        raise RoleCompareError(exc.at(name)) from None
    header = table.header
    missing = [c for c in columns if c not in header]
    if missing:
        raise RoleCompareError(f"{name}: no column {quoted(missing[0])}; is it an O*NET text file?")
    at = [header.index(c) for c in columns]
    rows = []
    for n, raw in enumerate(table.lines, 2):
        cells = raw.split("\t")  # as many as the header's: parse_tsv checked
        rows.append((n, [cells[i] for i in at]))
    return Rows(name, tuple(columns), rows)


@dataclass(frozen=True)
class Release:
    title: str  # "O*NET 29.2 Database"
    version: str  # "29.2"
    date: str  # "February 2025"
    url: str | None


def read_bytes(db: Path, name: str) -> bytes:
    """A database file's bytes: a regular file, never through a symlink, never waiting
    on a FIFO, at most sourcefiles.MAX_DATA_BYTES."""
    try:
        return read_under(db, name)
    except SourceFileError as exc:
        if exc.message == "not found":
            raise RoleCompareError(
                f"{shown_path(db / name)}: not found; an O*NET database folder holds "
                f"{', '.join(DB_FILES)}"
            ) from None
        raise RoleCompareError(f"{shown_path(db / name)}: {exc.message}") from None


def read_release(db: Path) -> Release:
    path = db / README
    try:
        text = decode_text(read_bytes(db, README))
    except SourceFileError as exc:
        raise RoleCompareError(exc.at(README)) from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = re.fullmatch(r"O\*NET (\S+) Database", lines[0]) if lines else None
    date = re.fullmatch(r"(.+) Release", lines[1]) if len(lines) > 1 else None
    if title is None or date is None:
        raise RoleCompareError(
            f"{shown_path(path)}: expected 'O*NET <version> Database' and '<month> "
            "<year> Release' on its first lines"
        )
    url = next((ln for ln in lines if re.fullmatch(r"https?://\S+/database\.html", ln)), None)
    return Release(title.group(), title.group(1), date.group(1), url)


def quoted(value: str) -> str:
    """A value from a file or an argument, quoted for a one-line message."""
    return f"'{shown(value)}'"
