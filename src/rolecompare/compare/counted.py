"""Summary's counted figures: per posting analysis, each role's most-mentioned term, with N
and its 95% interval; per pay survey, each role's median pay and N. Nothing is merged
across analyses: each row is one analysis's own figures."""

from __future__ import annotations

from rolecompare.compare.cells import figure_cell
from rolecompare.compare.report import PERCENT, Cell, Note, Report, Row, Section
from rolecompare.kb.types import KB, FigureData, RoleData, SourceData, suppressed
from rolecompare.render.format import share_value, short_name

TITLE = "Counted analyses"
MEASURE = "each one's largest share, or median pay"


def counted_section(kb: KB, roles: list[RoleData]) -> Section | None:
    """The section, or None where the KB holds no counted figure for these roles."""
    ids = [r["id"] for r in roles]
    terms = {t["id"]: t for t in kb["terms"]}
    rows, tops = [], []
    for source in kb["sources"]:
        mine = [
            f
            for f in kb["figures"]
            if f["source"] == source["id"] and f["counted"] is not None and not suppressed(f)
        ]
        chosen = {rid: top for rid in ids if (top := _top(mine, rid)) is not None}
        if not chosen:
            continue
        cells = {rid: Cell() for rid in ids}
        for rid, top in chosen.items():
            cells[rid] = cell = figure_cell(top)
            what = terms[top["item"]]["name"] if top["share"] is not None else _pay_kind(top)
            cell.texts = (f"{what}: {cell.texts[0]}",)
        rows.append(Row(f"[{source['id']}]", source["id"], cells, None, _unit(mine)))
        tops.append(chosen)
    if not rows:
        return None
    order = sorted(range(len(rows)), key=lambda i: rows[i].unit != PERCENT)  # shares first
    rows, tops = [rows[i] for i in order], [tops[i] for i in order]
    section = Section("counted-summary", TITLE, rows, MEASURE)
    _disagree(kb, section, tops)
    return section


def _top(figures: list[FigureData], rid: str) -> FigureData | None:
    """The role's largest counted share (the first of equals, in the KB's order), else
    its counted pay."""
    shares = [f for f in figures if rid in f["roles"] and f["share"] is not None]
    if shares:
        return max(shares, key=lambda f: _share(f))
    return next((f for f in figures if rid in f["roles"] and f["pay"] is not None), None)


def _share(fig: FigureData) -> float:
    share = fig["share"]
    assert share is not None
    return share_value(share["k"], share["n"])


def _pay_kind(fig: FigureData) -> str:
    """What counted pay is: a survey's is self-reported, never posted pay."""
    pay = fig["pay"]
    return "Self-reported pay" if pay is not None and pay["basis"] == "survey" else "Posted pay"


def _unit(figures: list[FigureData]) -> str | None:
    """The row's unit: percent for shares, else its pay's ("USD/year") where one."""
    if any(f["share"] is not None for f in figures):
        return PERCENT
    units = {f"{p['currency']}/{p['period']}" for f in figures if (p := f["pay"]) is not None}
    return units.pop() if len(units) == 1 else None


def _disagree(kb: KB, section: Section, tops: list[dict[str, FigureData]]) -> None:
    """A note where a row's 95% interval excludes another source's share for the same
    role and term; and that a source whose shares carry no N has no interval."""
    names: dict[str, SourceData] = {s["id"]: s for s in kb["sources"]}
    terms = {t["id"]: t["name"] for t in kb["terms"]}
    found: dict[str, list[str]] = {}
    pairs: set[str] = set()
    no_n: set[str] = set()
    for row, chosen in zip(section.rows, tops, strict=True):
        for rid, top in chosen.items():
            interval = row.cells[rid].interval
            others = [
                f
                for f in kb["figures"]
                if f["item"] == top["item"] and rid in f["roles"] and f["source"] != row.source
            ]
            for fig in others:
                value = _value(fig)
                if value is None or interval is None:
                    continue
                no_n |= {fig["source"]} if fig["share"] is None else set()
                if not interval[0] <= value <= interval[1]:
                    who = found.setdefault(terms[top["item"]], [])
                    who += [] if short_name(rid) in who else [short_name(rid)]
                    pairs |= {row.source, fig["source"]}
    order = [short_name(rid) for rid in section.rows[0].cells]  # the --roles order
    items = ", ".join(
        term if set(who) == set(order) else f"{term} ({', '.join(sorted(who, key=order.index))})"
        for term, who in found.items()
    )
    notes = [f"95% intervals exclude another source's share: {items}"] if found else []
    notes += [f"{names[s]['short'] or names[s]['publisher']}: no N per role" for s in sorted(no_n)]
    if notes:
        counted = sorted(pairs & {r.source for r in section.rows}) or [section.rows[0].source]
        section.notes.append(Note("; ".join(notes), ", ".join(counted), ()))


def _value(fig: FigureData) -> float | None:
    if fig["share"] is not None:
        return _share(fig)
    return fig["percent"] if fig["counted"] is None else None


NO_N = ": no N per role"


def no_n_once(reports: list[Report]) -> None:
    """In a document of several reports (`report`), "<source>: no N per role" is said
    once, in the first note that says it; a note left with nothing to say is dropped."""
    said: set[str] = set()
    for report in reports:
        for section in report.sections:
            kept = []
            for note in section.notes:
                if note.quotes:  # a source's own contradiction: never edited
                    kept.append(note)
                    continue
                parts = [p for p in note.text.split("; ") if not (p.endswith(NO_N) and p in said)]
                said |= {p for p in parts if p.endswith(NO_N)}
                if parts:
                    note.text = "; ".join(parts)
                    kept.append(note)
            section.notes = kept
