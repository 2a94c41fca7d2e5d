"""What every command returns: a report of rows, one cell per role, or a plain listing.

Renderers turn these into a table, JSON, CSV or markdown, so every format shows
the same rows. Plain dataclasses (eq=False, not frozen): every run creates these
classes, and frozen ones cost twice the start-up time. Nothing mutates them
after a query returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rolecompare.kb.types import RoleData, SourceData

PERCENT = "percent"
# A percent that is not a share: an official percent change ("projected to grow 34%"),
# drawn as a number, never as a bar on the scale of shares.
CHANGE = "percent-change"
NUMERIC = (PERCENT,)  # units shown with a bar and a Lead column
# One record of a listing: a column's value is text, a list, a mapping, or missing.
Record = dict[str, str | list[str] | dict[str, str] | None]


@dataclass(eq=False)
class Cell:
    """What one source says for one role on one row; an empty cell is not reported."""

    texts: tuple[str, ...] = ()
    value: float | None = None
    range: tuple[float, float] | None = None
    approximate: bool = False
    quotes: tuple[str, ...] = ()
    # Why an empty cell is empty, where the KB knows: "no BLS occupation".
    why: str = ""
    # A figure's own unit ("percent", "count", "USD/year"), even where its row mixes units.
    unit: str | None = None
    # The figure's number(s) as its source writes them: ("19.70",), ("100,000", "160,000").
    written: tuple[str, ...] = ()
    reported_by: str = ""  # who the source says reported the figure ("Glassdoor")
    # A counted figure: k of n, with its 95% interval in percent; n alone is a sample size.
    k: int | None = None
    n: int | None = None
    interval: tuple[float, float] | None = None
    noun: str = ""  # what a counted figure counts: "postings"
    # The figure's data record flags it "Recommend Suppress = Y" (O*NET): it takes no part
    # in a lead, and its text says so.
    suppressed: bool = False
    # Whose answers and when, where its data record says (O*NET's Domain Source and
    # Date): ("Incumbent", "08/2019"); shown with --details beside N.
    provenance: tuple[str, ...] = ()
    # Counted pay: the 10th, 25th, 75th and 90th percentiles (value is the median).
    percentiles: tuple[float, float, float, float] | None = None

    @property
    def reported(self) -> bool:
        return bool(self.texts)

    @property
    def has_figure(self) -> bool:
        return self.value is not None or self.range is not None


@dataclass(eq=False)
class Row:
    """One line of a section: what each role's source says about one item."""

    label: str
    source: str
    cells: dict[str, Cell]
    item: str | None = None
    unit: str | None = None  # "percent", "USD/year", ...; None for statements
    meaning: str | None = None
    leader: str | None = None
    lead: float | None = None  # the gap to the runner-up, in the row's unit: pp or money
    notes: list[Note] = field(default_factory=list)

    @property
    def has_figures(self) -> bool:
        """A row of figures, even when its figures' units differ (so it has no unit)."""
        return self.unit is not None or any(c.has_figure for c in self.cells.values())


@dataclass(eq=False)
class Note:
    """What a reader should know beside a row: where its source contradicts itself."""

    text: str
    source: str
    quotes: tuple[str, ...]


@dataclass(eq=False)
class Shared:
    """A statement a source makes about every role shown: printed once, under the table."""

    text: str
    source: str
    quote: str


@dataclass(eq=False)
class Section:
    """A titled table of rows about one topic, with what is said under it."""

    id: str
    title: str
    rows: list[Row]
    measure: str | None = None
    shared: list[Shared] = field(default_factory=list)
    detail: bool = False  # shown in tables only with --details
    notes: list[Note] = field(default_factory=list)  # contradictions on no row of their own


@dataclass(eq=False)
class Report:
    """What a command answers: its sections for the roles shown, and the sources cited."""

    command: str
    title: str
    roles: list[RoleData]
    sections: list[Section]
    sources: list[SourceData] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Command-specific data that JSON adds to the envelope (e.g. fit's item weights).
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Listing:
    """A plain list of records (roles, sources), one row each."""

    command: str
    title: str
    columns: list[str]
    rows: list[Record]
    # How a table shows it: "rows" (a line each), "blocks" (a field per line),
    # "numbered" (the first column numbers the second) or "grouped" (the records grouped
    # by the first column's value, each group's `shown` values flowed in a paragraph).
    layout: str = "blocks"
    shown: str = ""  # the column a grouped layout shows
    note: str = ""  # a line after a grouped layout (where the other columns are)


@dataclass(eq=False)
class Page:
    """What `rolecompare report` shows: every topic's report for the roles, then (for two
    roles) the plan from the first to the second, whose section ids are page-unique."""

    title: str
    roles: list[RoleData]
    reports: list[Report]
    # The KB's sources, then any a report cites that they leave out; and of each, what it
    # does not give of what a reader needs to follow it ("url, author"), by source id.
    sources: list[SourceData]
    not_given: dict[str, str]
    version: str  # 'rolecompare 0.1.0; knowledge base "data", digest 1a2b3c4d5e6f7a8b'
