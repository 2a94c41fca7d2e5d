"""`rolecompare check`'s report: the sections of a draft against a role's postings.

Degrees: each degree phrase the draft writes (with its levels) against each analysis's
share of the role's postings that mention that degree; no analysis in the bundled KB
measures levels, so the share is of the field's degree whatever its level.
Pay: each range the draft states against each analysis's pay percentiles for the role,
compared only in the same currency, period and country (a range with no period written
is read as a year's pay when both amounts are 10,000 or more; with no currency written,
as US dollars when the draft names no place outside the US); hourly pay is never
multiplied. Self-reported survey pay is said to be so, never called posted pay.
List length: the skills and tools the draft names against the number of skills its
analyses' postings list (a profile's `listed` histogram: median and quartiles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol

from rolecompare.compare import check as c
from rolecompare.compare.cells import figure_cell
from rolecompare.compare.check_data import data as check_data
from rolecompare.compare.draft import Pay, elsewhere, list_lines, title_roles
from rolecompare.compare.report import Cell, Report, Row, Section
from rolecompare.compare.topics import sources_named
from rolecompare.kb.types import KB, FigureData, RoleData, TermData
from rolecompare.render.format import money
from rolecompare.text import cut

ANNUAL_AT_LEAST = 10_000  # both amounts this high, with no period written: a year's pay
UNREAD_SHOWN = 8
DEGREE_MEANING = "postings that mention the degree, at any level: no analysis here counts levels"
POSITIONS = ("p10", "p25", "the median", "p75", "p90")


class Listed(Protocol):
    """A profile with its histogram of how many skills a posting lists."""

    @property
    def source(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def listed(self) -> tuple[tuple[int, int], ...]: ...


def check_report(
    kb: KB,
    text: str,
    roles: list[RoleData],
    given: RoleData | None,
    profiles: Sequence[Any] = (),
) -> Report:
    """The draft against the role's postings (compare/check.py's rule)."""
    terms = {t["id"]: t for t in kb["terms"]}
    draft = c.read_draft(kb, text, roles)
    table = c.shares(kb, profiles)
    reading = c.read_role(draft, roles, table)
    titled = title_roles(draft.title, roles)
    role, why = c.choose_role(given, reading, titled, roles)
    sections = _sections(kb, draft, role, reading, roles, terms, table, profiles)
    source = c.left_out_source(table, role["id"], [s["id"] for s in kb["sources"]])
    asked = set(draft.asked)
    left = [] if source is None else c.left_out(table, role["id"], asked, source, _kinds(terms))
    used = {row.source for s in sections for row in s.rows if row.source}
    notes = [
        f"Compared with {role['name']} postings: {why}.",
        c.title_note(draft.title, titled, reading),
    ]
    return Report(
        "check",
        f"A draft against {role['name']} postings",
        [role],
        sections,
        sources_named(kb, used),
        notes=notes,
        extra={"check": check_data(draft, role, why, reading, titled, table, terms, left)},
    )


def _sections(
    kb: KB,
    draft: c.Draft,
    role: RoleData,
    reading: c.Reading,
    roles: list[RoleData],
    terms: dict[str, TermData],
    table: c.Shares,
    profiles: Sequence[Any],
) -> list[Section]:
    rid, label = role["id"], c.role_label(role)
    title = c.title_note(draft.title, title_roles(draft.title, roles), reading)
    rows, unmeasured = c.asked_rows(terms, table, rid, draft.asked)
    if unmeasured:
        names = ", ".join(terms[i]["name"] for i in unmeasured)
        rows.append(Row("Measured by no analysis", "", {rid: Cell((names,))}))
    if not rows:
        rows = [Row("Nothing", "", {rid: Cell(("it names no skill or tool the KB knows",))})]
    out = [
        Section(
            "reads", "Which role it reads like", c.reading_rows(reading, roles, terms, rid, title)
        ),
        Section("asks", f"What it asks for (% of {label} postings that mention it)", rows),
    ]
    source = c.left_out_source(table, rid, [s["id"] for s in kb["sources"]])
    if source is not None:
        left = c.share_rows(
            terms, c.left_out(table, rid, set(draft.asked), source, _kinds(terms)), rid
        )
        title = f"Most asked, and left out (in {source}: the analysis measuring most items)"
        out.append(Section("left-out", title, left or [_none(rid, "it leaves out none")]))
    few = c.share_rows(terms, c.rare(table, rid, draft.asked), rid)
    title = f"What under {c.RARE:g}% of {label} postings ask: reconsider, or a real distinction"
    out.append(Section("rare", title, few or [_none(rid, "none")]))
    out.append(Section("degrees", "Degrees it asks for", _degree_rows(draft, rid, terms, table)))
    out.append(Section("pay", "Salary it states", _pay_rows(kb, draft, rid)))
    out.append(Section("length", "How long its list is", _length_rows(draft, rid, profiles)))
    out.append(Section("unread", "What it could not read", _unread_rows(draft, rid)))
    return out


def _kinds(terms: dict[str, TermData]) -> set[str]:
    return {i for i, t in terms.items() if t["kind"] in c.ASKED_KINDS}


def _none(rid: str, text: str) -> Row:
    return Row("—", "", {rid: Cell((text,))})


def _degree_rows(
    draft: c.Draft, rid: str, terms: dict[str, TermData], table: c.Shares
) -> list[Row]:
    rows: list[Row] = []
    for d in draft.degrees:
        levels = f" ({', '.join(d.levels)})" if d.levels else ""
        for field in d.fields:
            label = f"{terms[field]['name']}{levels}"
            found = table.get((rid, field), {})
            for s in found.values():
                meaning = None if any(r.meaning for r in rows) else DEGREE_MEANING
                rows.append(Row(label, s.source, {rid: s.cell}, field, "percent", meaning))
            if not found:
                text = "not reported: no analysis here measures this degree"
                rows.append(Row(label, "", {rid: Cell((text,))}))
    return rows or [_none(rid, "it names no degree the KB knows")]


def _pay_figures(kb: KB, rid: str) -> list[FigureData]:
    return [f for f in kb["figures"] if rid in f["roles"] and f["pay"] is not None]


def _pay_rows(kb: KB, draft: c.Draft, rid: str) -> list[Row]:
    figures = _pay_figures(kb, rid)
    rows = []
    for pay in draft.pay:
        for fig in figures:
            rows += _compare_pay(kb, draft, pay, fig, rid)
        if not figures:
            text = "not reported: no analysis here has this role's pay"
            rows.append(Row(pay.text, "", {rid: Cell((text,))}))
    return rows or [_none(rid, "it states no salary range")]


def _compare_pay(kb: KB, draft: c.Draft, pay: Pay, fig: FigureData, rid: str) -> list[Row]:
    """The figure's median, then where the draft's range falls, or why it cannot."""
    p = fig["pay"]
    assert p is not None
    where = fig["counted"]["where"] if fig["counted"] else {}
    survey = p["basis"] == "survey"
    meaning = (
        "self-reported survey pay of people in the job, not posted pay" if survey else "posted pay"
    )
    head = Row(
        "Median pay",
        fig["source"],
        {rid: figure_cell(fig)},
        fig["item"],
        f"{p['currency']}/{p['period']}",
        meaning,
    )
    why = _not_comparable(draft, pay, p["currency"], p["period"], where.get("country"))
    if why:
        return [head, Row(pay.text, fig["source"], {rid: Cell((f"not comparable: {why}",))})]
    assumed = _assumed(pay)
    points = (p["p10"], p["p25"], p["median"], p["p75"], p["p90"])
    low, high = (_position(v, points, p["currency"]) for v in (pay.low, pay.high))
    text = f"{money(pay.low, p['currency'])} is {low}; {money(pay.high, p['currency'])} is {high}"
    return [head, Row(pay.text, fig["source"], {rid: Cell((text + assumed,))})]


def _not_comparable(
    draft: c.Draft, pay: Pay, currency: str, period: str, country: str | None
) -> str:
    if pay.period == "hour" and period != "hour":
        return "hourly pay, and this is a year's; hourly pay is never multiplied"
    if pay.period == "" and min(pay.low, pay.high) < ANNUAL_AT_LEAST:
        return "no period written (a year or an hour)"
    place = elsewhere(draft.text)
    if pay.currency and pay.currency != currency:
        return f"in {pay.currency}, and this is in {currency}"
    if country and place and country == "US":
        return f"the draft names {place}; this pay is of the US"
    if not pay.currency and place:
        return f"no currency written, and the draft names {place}"
    return ""


def _assumed(pay: Pay) -> str:
    read = []
    if not pay.period:
        read.append("no period written: read as a year's pay")
    if not pay.currency:
        read.append("no currency written: read as US dollars")
    return f" ({'; '.join(read)})" if read else ""


def _position(value: float, points: tuple[float, ...], currency: str) -> str:
    """Where an amount falls among p10, p25, the median, p75 and p90."""
    named = [f"{n} ({money(v, currency)})" for n, v in zip(POSITIONS, points, strict=True)]
    if value < points[0]:
        return f"below {named[0]}"
    if value > points[-1]:
        return f"above {named[-1]}"
    for i, v in enumerate(points):
        if value == v:
            return f"at {named[i]}"
    i = next(i for i, v in enumerate(points) if v > value)
    return f"between {named[i - 1]} and {named[i]}"


def _length_rows(draft: c.Draft, rid: str, profiles: Sequence[Any]) -> list[Row]:
    lines = len(list_lines(draft.text))
    named = len(draft.asked)
    own = f"{named} skills and tools named, in {lines} list lines"
    rows = [Row("The draft", "", {rid: Cell((own,))})]
    for p in profiles:
        if p.role == rid and getattr(p, "listed", None):
            text = f"{_quartiles(p.listed)} in {p.source}"
            rows.append(Row("Its postings list", p.source, {rid: Cell((text,))}))
    if len(rows) == 1:
        rows.append(
            Row(
                "Its postings list",
                "",
                {rid: Cell(why="not reported: no analysis here counts the skills a posting lists")},
            )
        )
    return rows


def quartiles(listed: dict[int, int]) -> tuple[int, int, int, int]:
    """The 25th, 50th and 75th percentiles of a histogram (length -> postings; the lower
    middle value where a quantile falls between two), and N."""
    total = sum(listed.values())
    marks = []
    for q in (0.25, 0.5, 0.75):
        want, seen = max(1, math.ceil(total * q)), 0
        for length in sorted(listed):
            seen += listed[length]
            if seen >= want:
                marks.append(length)
                break
    return marks[0], marks[1], marks[2], total


def _quartiles(listed: tuple[tuple[int, int], ...]) -> str:
    lo, mid, hi, n = quartiles(dict(listed))
    return f"median {mid} skills (quartiles {lo}–{hi}), of {n:,} postings"


def _unread_rows(draft: c.Draft, rid: str) -> list[Row]:
    lines = draft.unread()
    shown = [cut(line, 100) for line in lines[:UNREAD_SHOWN]]
    if len(lines) > UNREAD_SHOWN:
        shown.append(f"and {len(lines) - UNREAD_SHOWN} more")
    fieldless = [d.text for d in draft.degrees if not d.fields]
    rows = []
    if shown:
        label = "List lines naming nothing it knows"
        cell = Cell(("; ".join(shown),))
        rows.append(Row(label, "", {rid: cell}, meaning="not an error: ignored"))
    if fieldless:
        label = "Degrees with no field it knows"
        rows.append(Row(label, "", {rid: Cell(("; ".join(cut(t, 100) for t in fieldless),))}))
    return rows or [_none(rid, "every list line names something it knows")]
