"""Pure functions from a KB to comparison reports: rows of cells, one cell per role.

Nothing here prints; render.py turns a Report into a table, JSON, CSV or markdown,
so every format shows the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rolecompare.errors import UsageError
from rolecompare.kb import (
    KB,
    FigureData,
    RoleData,
    SourceData,
    StatementData,
    TermData,
    fold,
    origin,
    role_names,
)

if TYPE_CHECKING:
    from rolecompare.fit import Fit
    from rolecompare.quiz import Result as QuizResult

PERCENT = "percent"
# The records below are plain dataclasses (eq=False, not frozen): every run creates
# these classes, and frozen ones cost twice the start-up time. Nothing mutates them
# after a query returns.


@dataclass(eq=False)
class Cell:
    """What one source says for one role on one row; an empty cell is not reported."""

    texts: tuple[str, ...] = ()
    value: float | None = None
    range: tuple[float, float] | None = None
    approximate: bool = False
    quotes: tuple[str, ...] = ()

    @property
    def reported(self) -> bool:
        return bool(self.texts)


@dataclass(eq=False)
class Row:
    label: str
    source: str
    cells: dict[str, Cell]
    item: str | None = None
    unit: str | None = None  # "percent", "USD/year", ...; None for statements
    meaning: str | None = None
    leader: str | None = None
    lead: float | None = None  # percentage points between the leader and the runner-up


@dataclass(eq=False)
class Shared:
    """A statement a source makes about every role shown: printed once, under the table."""

    text: str
    source: str
    quote: str


@dataclass(eq=False)
class Section:
    id: str
    title: str
    rows: list[Row]
    measure: str | None = None
    shared: list[Shared] = field(default_factory=list)


@dataclass(eq=False)
class Report:
    command: str
    title: str
    roles: list[RoleData]
    sections: list[Section]
    sources: list[SourceData] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def select_roles(kb: KB, spec: str | None) -> list[RoleData]:
    """The roles a --roles value names, in the order given; every role when spec is None."""
    return pick_roles(kb["roles"], spec)


def pick_roles(roles: list[RoleData], spec: str | None) -> list[RoleData]:
    """select_roles over a list of roles: ids first, then names and aliases, folded."""
    if spec is None:
        return list(roles)
    by_id = {role["id"]: role for role in roles}
    by_name: dict[str, RoleData] = {}  # folded names, built only when an id does not match
    chosen: list[RoleData] = []
    for raw in spec.split(","):
        name = raw.strip()
        if not name:
            raise UsageError(f"--roles has an empty role name in {spec!r}; {valid_roles(roles)}")
        if name not in by_id and not by_name:
            by_name = {fold(n): role for role in roles for n in role_names(role)}
        role = by_id.get(name) or by_name.get(fold(name))
        if role is None:
            names = [n for r in roles for n in role_names(r)]
            raise UsageError(f"unknown role {name!r}{suggest(name, names)}; {valid_roles(roles)}")
        if role in chosen:
            raise UsageError(f"role {role['id']!r} is named twice in --roles")
        chosen.append(role)
    return chosen


def valid_roles(roles: list[RoleData]) -> str:
    return "valid roles: " + ", ".join(f"{r['id']} ({r['name']})" for r in roles)


def suggest(name: str, known: Iterable[str]) -> str:
    """'; did you mean mle?' for the closest known name, or nothing."""
    import difflib

    folded: dict[str, str] = {}
    for k in known:
        folded.setdefault(fold(k), k)  # the first spelling: a role's name before its aliases
    close = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=0.5)
    return f"; did you mean {folded[close[0]]}?" if close else ""


def compare(kb: KB, command: str, roles: list[RoleData]) -> Report:
    """Every topic that `command` shows, each figure and statement under its own source."""
    topics = [t for t in kb["topics"] if t["command"] == command]
    ids = [r["id"] for r in roles]
    chosen = set(ids)
    terms = {t["id"]: t for t in kb["terms"]}
    sections = []
    for topic in topics:
        # Only facts about the chosen roles: the others are not shown, so they must not
        # decide a row's order or unit (and need not be loaded: see loader.load_kb).
        figures = [f for f in kb["figures"]
                   if f["topic"] == topic["id"] and not chosen.isdisjoint(f["roles"])]
        statements = [s for s in kb["statements"]
                      if s["topic"] == topic["id"] and not chosen.isdisjoint(s["roles"])]
        on_all = [len(ids) > 1 and chosen <= set(s["roles"]) for s in statements]
        shared = [Shared(s["text"], s["source"], origin(s))
                  for s, everyone in zip(statements, on_all, strict=True) if everyone]
        own = [s for s, everyone in zip(statements, on_all, strict=True) if not everyone]
        rows = _merge(_figure_rows(terms, figures, ids) + _statement_rows(kb, terms, own, ids))
        rows = [r for r in rows if any(c.reported for c in r.cells.values())]
        if rows or shared:
            sections.append(Section(topic["id"], topic["title"], rows, topic["measure"], shared))
    return Report(command, _TITLES.get(command, command), roles, sections,
                  _sources_of(kb, sections))


_TITLES = {
    "skills": "Skills in job postings",
    "tools": "Tools and technologies",
    "education": "Education",
    "salary": "Salary",
    "summary": "Key differences",
    "work": "The work itself",
    "path": "Career paths",
}


def _figure_rows(terms: dict[str, TermData], figures: list[FigureData],
                 ids: list[str]) -> list[Row]:
    groups: dict[tuple[str, str], dict[str, FigureData]] = {}
    for fig in figures:
        group = groups.setdefault((fig["item"], fig["source"]), {})
        for role in fig["roles"]:
            group[role] = fig
    rows = []
    for (item, source), by_role in groups.items():
        cells = {rid: _figure_cell(by_role[rid]) if rid in by_role else Cell() for rid in ids}
        units = {_unit(f) for f in by_role.values()}
        unit = units.pop() if len(units) == 1 else None
        leader, lead = _leader(cells) if unit == PERCENT else (None, None)
        term = terms[item]
        rows.append(Row(term["name"], source, cells, item, unit, term["meaning"], leader, lead))
    return rows


def _figure_cell(fig: FigureData) -> Cell:
    approx = "approximately " if fig["approximate"] else ""
    by = f" (reported by {fig['reported_by']})" if fig["reported_by"] else ""
    quote = origin(fig)
    if fig["percent"] is not None:
        text = f"{as_written(fig['percent'], quote)}%"
        return Cell((text,), fig["percent"], None, fig["approximate"], (quote,))
    if fig["count"] is not None:
        text = f"{approx}{as_written(fig['count'], quote)}{by}"
        return Cell((text,), fig["count"], None, fig["approximate"], (quote,))
    if fig["money"] is not None:
        m = fig["money"]
        text = f"{approx}{money(m['amount'], m['currency'])} a {m['period']}{by}"
        return Cell((text,), m["amount"], None, fig["approximate"], (quote,))
    r = fig["range"]
    assert r is not None  # the model requires exactly one value
    text = (f"{approx}{money(r['min'], r['currency'])}–{money(r['max'], r['currency'])}"
            f" a {r['period']}{by}")
    return Cell((text,), None, (r["min"], r["max"]), fig["approximate"], (quote,))


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def as_written(value: float, quote: str) -> str:
    """The number as its quote writes it: 33.0 stays "33.0" and 40 stays "40"."""
    for match in _NUMBER.finditer(quote):
        if float(match.group().replace(",", "")) == value:
            return match.group()
    return f"{value:g}"


def _unit(fig: FigureData) -> str:
    if fig["percent"] is not None:
        return PERCENT
    if fig["count"] is not None:
        return "count"
    m = fig["money"] or fig["range"]
    assert m is not None
    return f"{m['currency']}/{m['period']}"


def money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    number = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def _leader(cells: dict[str, Cell]) -> tuple[str | None, float | None]:
    values = sorted(((c.value, rid) for rid, c in cells.items() if c.value is not None),
                    reverse=True)
    if len(values) < 2:
        return None, None
    (top, rid), (second, _) = values[0], values[1]
    lead = round(top - second, 1)
    return (rid if lead > 0 else None), lead


def _statement_rows(kb: KB, terms: dict[str, TermData], statements: list[StatementData],
                    ids: list[str]) -> list[Row]:
    sources = {s["id"]: s for s in kb["sources"]}
    groups: dict[tuple[str | None, str], dict[str, list[StatementData]]] = {}
    for st in statements:
        group = groups.setdefault((st["item"], st["source"]), {})
        for role in st["roles"]:
            group.setdefault(role, []).append(st)
    rows = []
    for (item, source), by_role in groups.items():
        cells = {
            rid: Cell(tuple(s["text"] for s in by_role.get(rid, [])),
                      quotes=tuple(origin(s) for s in by_role.get(rid, [])))
            for rid in ids
        }
        label = terms[item]["name"] if item else sources[source]["publisher"]
        meaning = terms[item]["meaning"] if item else None
        rows.append(Row(label, source, cells, item, None, meaning))
    return rows


def _merge(rows: list[Row]) -> list[Row]:
    """One row per item and source: a statement joins the figures on its item's row."""
    merged: dict[tuple[str | None, str], Row] = {}
    out: list[Row] = []
    for row in rows:
        key = (row.item, row.source)
        first = merged.get(key) if row.item is not None else None
        if first is None:
            merged[key] = row
            out.append(row)
            continue
        for rid, cell in row.cells.items():
            old = first.cells[rid]
            first.cells[rid] = replace(old, texts=old.texts + cell.texts,
                                       quotes=old.quotes + cell.quotes)
    return out


def _sources_of(kb: KB, sections: list[Section]) -> list[SourceData]:
    used = {row.source for s in sections for row in s.rows}
    used |= {sh.source for s in sections for sh in s.shared}
    return _sources_named(kb, used)


def _sources_named(kb: KB, ids: set[str]) -> list[SourceData]:
    """The KB's sources with these ids, in the KB's order."""
    return [s for s in kb["sources"] if s["id"] in ids]


def career_paths(kb: KB, roles: list[RoleData]) -> Report:
    """Each source's ladders, step by step side by side, then the career statements."""
    ids = [r["id"] for r in roles]
    sections = []
    for source in kb["sources"]:
        ladders = {rid: ld for ld in kb["ladders"] if ld["source"] == source["id"]
                   for rid in ld["roles"] if rid in ids}
        if not ladders:
            continue
        rows = []
        for i in range(max(len(ld["steps"]) for ld in ladders.values())):
            steps = {rid: ld["steps"][i] for rid, ld in ladders.items() if i < len(ld["steps"])}
            levels = {s["level"] for s in steps.values()}
            shared_level = levels.pop() if len(levels) == 1 else None
            cells = {}
            for rid in ids:
                step = steps.get(rid)
                if step is None:
                    cells[rid] = Cell()
                    continue
                titles = either(step["titles"])
                own = f"{step['level']}: " if step["level"] and not shared_level else ""
                cells[rid] = Cell((own + titles,), quotes=(ladders[rid]["quote"],))
            rows.append(Row(shared_level or f"Step {i + 1}", source["id"], cells))
        for label, key in (("Specializations", "specializations"), ("Can lead to", "leads_to")):
            cells = {
                rid: Cell(tuple(ladders[rid][key]), quotes=(ladders[rid]["quote"],))  # type: ignore[literal-required]
                if rid in ladders and ladders[rid][key] else Cell()  # type: ignore[literal-required]
                for rid in ids
            }
            if any(c.reported for c in cells.values()):
                rows.append(Row(label, source["id"], cells))
        sections.append(Section(f"ladder-{source['id']}", f"Career ladder ({source['publisher']})",
                                rows))
    rest = compare(kb, "path", roles)
    sections += rest.sections
    return Report("path", "Career paths", roles, sections, _sources_of(kb, sections))


def either(titles: list[str]) -> str:
    """Join titles as people write them: "A, B or C"."""
    return " or ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 2 else titles)


@dataclass(eq=False)
class Listing:
    """A plain list of records (roles, sources), one row each."""

    command: str
    title: str
    columns: list[str]
    rows: list[dict[str, str | list[str] | None]]


def list_roles(kb: KB) -> Listing:
    rows: list[dict[str, str | list[str] | None]] = [
        {"id": r["id"], "name": r["name"], "aliases": list(r["aliases"])} for r in kb["roles"]
    ]
    return Listing("roles", "Roles", ["id", "name", "aliases"], rows)


def list_sources(kb: KB) -> Listing:
    columns = ["id", "publisher", "title", "author", "date", "method", "sample", "note"]
    rows: list[dict[str, str | list[str] | None]] = [
        {c: s[c] for c in columns} for s in kb["sources"]  # type: ignore[literal-required]
    ]
    return Listing("sources", "Sources", columns, rows)


def fit_report(kb: KB, fits: list[Fit], roles: list[RoleData], learn_next: int = 5) -> Report:
    """Scores side by side (columns in the usual role order; the Lead column names the
    best), with what matched and what to learn next."""
    source = kb["sources"][0]["id"] if kb["sources"] else ""
    scores = {f.role["id"]: Cell((f"{f.score:g}%",), f.score) for f in fits}
    leader, lead = _leader(scores)
    rows = [
        Row("Score", source, scores, unit=PERCENT, leader=leader, lead=lead,
            meaning="Share of the role's weighted skills, tools and degrees that you have"),
        Row("You have", source, {f.role["id"]: Cell(tuple(
            f"{i.name} ({i.points:g})" for i in f.matched)) for f in fits}),
        Row("Learn next", source, {f.role["id"]: Cell(tuple(
            f"{i.name} (+{i.points:g})" for i in f.missing[:learn_next])) for f in fits}),
    ]
    return Report("fit", "Fit: how much of what each role asks for you already have", roles,
                  [Section("fit", "Fit score (points out of 100)", rows)], list(kb["sources"]))


def quiz_report(kb: KB, results: list[QuizResult], leaning: RoleData | None,
                roles: list[RoleData]) -> Report:
    source = kb["sources"][0]["id"] if kb["sources"] else ""
    cells = {r.role["id"]: Cell((f"{r.agreement:g}%",), r.agreement) for r in results}
    leader, lead = _leader(cells)
    reasons = {r.role["id"]: Cell(tuple(s["text"] for s in r.reasons),
                                  quotes=tuple(origin(s) for s in r.reasons)) for r in results}
    rows = [Row("Agreement", source, cells, unit=PERCENT, leader=leader, lead=lead),
            Row("Because you agreed", source, reasons)]
    used = {s["source"] for r in results for s in r.reasons}
    if leaning is None:
        notes = ["No clear leaning: you agreed with each role's statements about as much.",
                 "Next: rolecompare summary"]
    else:
        rid = leaning["id"]
        notes = [f"You lean towards {leaning['name']}.",
                 f"Next: rolecompare path --role {rid}; rolecompare skills --roles {rid}; "
                 "rolecompare fit --have <your skills>"]
    return Report("quiz", "Which role is right for you?", roles,
                  [Section("quiz", "How much you agreed with each role's statements", rows)],
                  _sources_named(kb, used), notes)
