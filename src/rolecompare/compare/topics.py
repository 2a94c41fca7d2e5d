"""Comparison tables: each topic's figures and statements, under their own sources."""

from __future__ import annotations

from dataclasses import replace

from rolecompare.compare.cells import figure_cell, leader_of, unit_of
from rolecompare.compare.report import PERCENT, Cell, Note, Report, Row, Section, Shared
from rolecompare.kb.types import (
    KB,
    FigureData,
    RoleData,
    SourceData,
    StatementData,
    TermData,
    TopicData,
    origin,
    suppressed,
)
from rolecompare.render.format import (
    comparable,
    short_name,
)


def compare(kb: KB, command: str, roles: list[RoleData]) -> Report:
    """Every topic that `command` shows, each figure and statement under its own source."""
    terms = {t["id"]: t for t in kb["terms"]}
    said: set[str] = set()  # the sources whose "no N per role" is said already
    sections = [
        section
        for topic in kb["topics"]
        if topic["command"] == command
        for section in [_topic_section(kb, terms, topic, roles, said)]
        if section is not None
    ]
    if not sections and command == "summary":
        sections = _summary_of_topics(kb, roles)
    if command == "summary":
        from rolecompare.compare.counted import counted_section

        extra = counted_section(kb, roles)
        sections[1:1] = [extra] if extra is not None else []
    notes = [] if sections else [_nothing(kb, command)]
    sources = sources_of(kb, sections)
    return Report(command, _title(command, sources), roles, sections, sources, notes)


def _topic_section(
    kb: KB, terms: dict[str, TermData], topic: TopicData, roles: list[RoleData], said: set[str]
) -> Section | None:
    """A topic's section: its figures' and statements' rows, and the statements every
    role shown shares; None when it has nothing on these roles."""
    ids = [r["id"] for r in roles]
    chosen = set(ids)
    # Only facts about the chosen roles: the others are not shown, so they must not
    # decide a row's order or unit (and need not be loaded: see loader.load_kb).
    figures, statements = _facts_of(kb, topic, chosen)
    on_all = [len(ids) > 1 and chosen <= set(s["roles"]) for s in statements]
    shared = [
        Shared(s["text"], s["source"], origin(s))
        for s, everyone in zip(statements, on_all, strict=True)
        if everyone
    ]
    own = [s for s, everyone in zip(statements, on_all, strict=True) if not everyone]
    rows = _merge(_figure_rows(terms, figures, ids) + _statement_rows(kb, terms, own, ids))
    rows = _by_item([r for r in rows if any(c.reported for c in r.cells.values())])
    if not rows and not shared:
        return None
    section = Section(topic["id"], topic["title"], rows, topic["measure"], shared, topic["detail"])
    _explain_gaps(kb, section, roles)
    _add_notes(kb, section, chosen)
    _disagreements(kb, section, ids, said)
    return section


def _facts_of(
    kb: KB, topic: TopicData, chosen: set[str]
) -> tuple[list[FigureData], list[StatementData]]:
    """The topic's figures and statements about at least one of the chosen roles."""
    figures = [
        f for f in kb["figures"] if f["topic"] == topic["id"] and not chosen.isdisjoint(f["roles"])
    ]
    statements = [
        s
        for s in kb["statements"]
        if s["topic"] == topic["id"] and not chosen.isdisjoint(s["roles"])
    ]
    return figures, statements


NO_PAY = (
    "No source in this KB reports pay{named}. Pay by occupation is in the U.S. Bureau of "
    "Labor Statistics' Occupational Outlook Handbook (median pay), not in the O*NET database."
)


def _nothing(kb: KB, command: str) -> str:
    """What an empty answer says: for salary, where no figure in the KB is money, which
    source would have pay."""
    if command == "salary" and not any(f["money"] or f["range"] for f in kb["figures"]):
        shorts = [s["short"] or s["publisher"] for s in kb["sources"]]
        return NO_PAY.format(named=f" ({', '.join(shorts)})" if shorts else "")
    return f"This KB has nothing on these roles for `{command}`."


def _title(command: str, sources: list[SourceData]) -> str:
    """The command's title; one about job postings names its sources instead where every
    source shown reports on official occupations (O*NET's data are no postings)."""
    title = _TITLES.get(command, command)
    if sources and all(s["per_occupation"] for s in sources) and command in _OFFICIAL_TITLES:
        shorts = ", ".join(s["short"] or s["publisher"] for s in sources)
        return f"{_OFFICIAL_TITLES[command]} ({shorts})"
    return title


# Where no topic of the KB is shown by `summary`, it shows one row per topic of these
# commands (their topics shown without --details), in this order.
SUMMARY_OF = ("work", "skills", "tools", "education", "path")


def _summary_of_topics(kb: KB, roles: list[RoleData]) -> list[Section]:
    """A summary made of the KB's other topics, for a KB with no summary topics (one
    imported from O*NET): per topic, each role's statements (the first is shown at a
    glance, "+N more" with --details), each led by its item's name where the topic's
    items differ; for a topic of figures, each role's largest figure, with its item's
    name (a suppressed value is never the largest). Nothing is computed or reworded."""
    ids = [r["id"] for r in roles]
    chosen = set(ids)
    terms = {t["id"]: t for t in kb["terms"]}
    rows: list[Row] = []
    for command in SUMMARY_OF:
        for topic in kb["topics"]:
            if topic["command"] != command or topic["detail"]:
                continue
            row = _topic_row(kb, terms, topic, ids, chosen)
            if row is not None:
                rows.append(row)
    said = [r for r in rows if not r.has_figures]
    shares = [r for r in rows if r.has_figures]
    sections = [Section("summary-of-topics", "What the sources say, one row per topic", said)]
    sections.append(Section("summary-of-shares", "The largest share, one row per topic", shares))
    return [s for s in sections if s.rows]


def _topic_row(
    kb: KB, terms: dict[str, TermData], topic: TopicData, ids: list[str], chosen: set[str]
) -> Row | None:
    figures, statements = _facts_of(kb, topic, chosen)
    figures = [f for f in figures if not suppressed(f)]
    if figures:
        cells = {rid: _largest(terms, figures, rid) for rid in ids}
        source = figures[0]["source"]
        return Row(topic["title"], source, cells, None, None, topic["measure"])
    if not statements:
        return None
    items = {s["item"] for s in statements}
    cells = {}
    for rid in ids:
        said = [s for s in statements if rid in s["roles"]]
        texts = tuple(
            f"{terms[s['item']]['name']}: {s['text']}"
            if len(items) > 1 and s["item"]
            else s["text"]
            for s in said
        )
        quotes = tuple(origin(s) for s in said)
        cells[rid] = Cell(texts, quotes=quotes)
    return Row(topic["title"], statements[0]["source"], cells, None, None, topic["measure"])


def _largest(terms: dict[str, TermData], figures: list[FigureData], rid: str) -> Cell:
    """The role's largest percent among the figures, led by its item's name."""
    mine = [f for f in figures if rid in f["roles"] and f["percent"] is not None]
    top = max(mine, key=lambda f: f["percent"] or 0.0, default=None)
    if top is None:
        return Cell()
    cell = figure_cell(top)
    name = terms[top["item"]]["name"]
    return replace(cell, texts=(f"{name}: {cell.texts[0]}",))


def _explain_gaps(kb: KB, section: Section, roles: list[RoleData]) -> None:
    """An empty cell under a source about official occupations says why: the role has no
    occupation there. Never a figure borrowed from a "nearest" occupation."""
    official = {s["id"]: s["short"] or s["publisher"] for s in kb["sources"] if s["per_occupation"]}
    for row in section.rows:
        if row.source not in official:
            continue
        for role in roles:
            cell = row.cells[role["id"]]
            if not cell.reported and row.source not in role["occupations"]:
                cell.why = f"no {official[row.source]} occupation"


def _add_notes(kb: KB, section: Section, chosen: set[str]) -> None:
    """Each contradiction a source makes here, beside the row of its item (else the section)."""
    for c in kb["contradictions"]:
        if c["topic"] != section.id or chosen.isdisjoint(c["roles"]):
            continue
        note = Note(c["text"], c["source"], tuple(c["quotes"]))
        row = next(
            (
                r
                for r in section.rows
                if c["item"] and r.item == c["item"] and r.source == c["source"]
            ),
            None,
        )
        (row.notes if row is not None else section.notes).append(note)
    _follow_claims(kb, section, chosen)


def _follow_claims(kb: KB, section: Section, chosen: set[str]) -> None:
    """A contradiction follows its passages into the other topics: beside the first row of
    this section, from the same source, whose quote is one of the contradiction's passages
    (summary's "Higher percentage above $160,000" carries the salary note too)."""
    for c in kb["contradictions"]:
        if c["topic"] == section.id or chosen.isdisjoint(c["roles"]):
            continue
        passages = [" ".join(q.split()) for q in c["quotes"]]
        row = next(
            (
                r
                for r in section.rows
                if r.source == c["source"]
                and any(
                    _within(quote, passages) for cell in r.cells.values() for quote in cell.quotes
                )
            ),
            None,
        )
        if row is not None:
            row.notes.append(Note(c["text"], c["source"], tuple(c["quotes"])))


def _within(quote: str, passages: list[str]) -> bool:
    """The quote is (part of) one of the passages; a few words are not enough to say so."""
    words = " ".join(quote.split())
    return len(words) >= 12 and any(words in p for p in passages)


_OFFICIAL_TITLES = {"skills": "Skills"}


def _disagreements(kb: KB, section: Section, ids: list[str], said: set[str]) -> None:
    """Where a counted share's 95% interval excludes another source's share for the same
    role and item, one note says so for the section; that a source whose shares carry no
    N has no interval to compare (once a report, in the first section it is in); and, in a
    section of shares none of which is counted, which counted analyses have no figure here."""
    counted = [r for r in section.rows if any(c.interval for c in r.cells.values())]
    if not counted:
        _not_counted(kb, section, said)
        return
    found = _excluded(section, counted, ids)
    sources = {sid for _, pair in found.values() for sid in pair}
    names = {s["id"]: s for s in kb["sources"]}
    no_n = sorted(
        {
            r.source
            for r in section.rows
            if r.unit == PERCENT and r not in counted and any(c.value for c in r.cells.values())
        }
        - said
    )
    said |= set(no_n)
    notes = []
    if found:
        every = [short_name(rid) for rid in ids]
        items = ", ".join(
            label
            if set(who) == set(every)
            else f"{label} ({', '.join(sorted(who, key=every.index))})"
            for label, (who, _) in found.items()
        )
        notes.append(f"95% intervals exclude another source's share: {items}")
    notes += [
        f"{names[sid]['short'] or names[sid]['publisher']}: no N per role"
        for sid in no_n
        if sid in names
    ]
    if notes:
        mine = sorted({r.source for r in counted} & (sources or {r.source for r in counted}))
        section.notes.append(Note("; ".join(notes), ", ".join(mine), ()))


def _excluded(
    section: Section, counted: list[Row], ids: list[str]
) -> dict[str, tuple[list[str], set[str]]]:
    """Per item's label: the roles whose counted interval excludes another source's share
    of the same item, and the sources of those pairs."""
    found: dict[str, tuple[list[str], set[str]]] = {}
    for row in counted:
        for other in section.rows:
            if other is row or other.item != row.item or other.unit != PERCENT:
                continue
            for rid in ids:
                cell, theirs = row.cells[rid], other.cells[rid]
                if cell.interval is None or theirs.value is None:
                    continue
                lo, hi = cell.interval
                if not lo <= theirs.value <= hi:
                    who, pair = found.setdefault(row.label, ([], set()))
                    if short_name(rid) not in who:
                        who.append(short_name(rid))
                    pair |= {row.source, other.source}
    return found


def _not_counted(kb: KB, section: Section, said: set[str]) -> None:
    """A section of shares none of which is counted says which counted analyses of the KB
    have no figure for its items (they did not count them), and, once a report, that its
    sources' shares carry no N."""
    figures = [r for r in section.rows if r.has_figures]
    if not figures or any(r.unit != PERCENT for r in figures):
        return
    analyses = sorted({f["source"] for f in kb["figures"] if f["share"] is not None})
    if not analyses:
        return
    title = section.title
    named = title[0].lower() + title[1:] if title[1:2].islower() else title
    notes = [f"these analyses count no {named}"]
    names = {s["id"]: s for s in kb["sources"]}
    for sid in sorted({r.source for r in figures} - said):
        said.add(sid)
        notes.append(f"{names[sid]['short'] or names[sid]['publisher']}: no N per role")
    section.notes.append(Note("; ".join(notes), ", ".join(analyses), ()))


_TITLES = {
    "skills": "Skills in job postings",
    "tools": "Tools and technologies",
    "education": "Education",
    "salary": "Salary",
    "summary": "Key differences",
    "work": "The work itself",
    "path": "Career paths",
}


def _figure_rows(
    terms: dict[str, TermData], figures: list[FigureData], ids: list[str]
) -> list[Row]:
    groups: dict[tuple[str, str], dict[str, FigureData]] = {}
    for fig in figures:
        group = groups.setdefault((fig["item"], fig["source"]), {})
        for role in fig["roles"]:
            group[role] = fig
    rows = []
    for (item, source), by_role in groups.items():
        kind = terms[item]["kind"]
        cells = {rid: figure_cell(by_role[rid], kind) if rid in by_role else Cell() for rid in ids}
        units = {unit_of(f, kind) for f in by_role.values()}
        unit = units.pop() if len(units) == 1 else None
        leader, lead = leader_of(cells) if comparable(unit) else (None, None)
        term = terms[item]
        rows.append(Row(term["name"], source, cells, item, unit, term["meaning"], leader, lead))
    return rows


def _statement_rows(
    kb: KB, terms: dict[str, TermData], statements: list[StatementData], ids: list[str]
) -> list[Row]:
    sources = {s["id"]: s for s in kb["sources"]}
    groups: dict[tuple[str | None, str], dict[str, list[StatementData]]] = {}
    for st in statements:
        group = groups.setdefault((st["item"], st["source"]), {})
        for role in st["roles"]:
            group.setdefault(role, []).append(st)
    rows = []
    for (item, source), by_role in groups.items():
        cells = {
            rid: Cell(
                tuple(s["text"] for s in by_role.get(rid, [])),
                quotes=tuple(origin(s) for s in by_role.get(rid, [])),
            )
            for rid in ids
        }
        label = terms[item]["name"] if item else sources[source]["publisher"]
        meaning = terms[item]["meaning"] if item else None
        rows.append(Row(label, source, cells, item, None, meaning))
    return rows


def _by_item(rows: list[Row]) -> list[Row]:
    """Figure rows of one item side by side, in the order items first appear (a counted
    analysis's Python row under 365's); every other row keeps its place after them."""
    first: dict[str | None, int] = {}
    for i, row in enumerate(rows):
        first.setdefault(row.item, i)
    figures = [r for r in rows if r.has_figures]
    if len({r.item for r in figures}) == len(figures):
        return rows
    figures.sort(key=lambda r: first[r.item])
    return figures + [r for r in rows if not r.has_figures]


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
            first.cells[rid] = replace(
                old, texts=old.texts + cell.texts, quotes=old.quotes + cell.quotes
            )
    return out


def sources_of(kb: KB, sections: list[Section]) -> list[SourceData]:
    used = {row.source for s in sections for row in s.rows}
    used |= {sh.source for s in sections for sh in s.shared}
    return sources_named(kb, used)


def sources_named(kb: KB, ids: set[str]) -> list[SourceData]:
    """The KB's sources with these ids, in the KB's order."""
    return [s for s in kb["sources"] if s["id"] in ids]
