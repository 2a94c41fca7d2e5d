"""A job-posting draft against real postings (`rolecompare check FILE`).

The rule (also in `rolecompare check --help`; README text in the check helper's report):
- What the draft asks for: the skills, tools and degrees the KB's free-text reader
  (rolecompare.textmatch) finds in it, each with its share of the role's postings in
  every posting analysis that measures it (a source of postings: `postings = true`).
- The role it reads like: within each analysis that measures an item the draft asks
  for in two roles or more, a role gains that item's share in it minus the highest
  other role's share (percentage points, never across two analyses); the role with the
  most is the one the draft reads like, and the items with the largest gaps are the
  reason. No item measured for two roles, or a tie, reads like no role.
- The role compared: --role, else the role it reads like, else the role its title
  names, else the KB's first role (the output says which and why).
- Left out: the items of one analysis (the one measuring the most items for the role,
  then the largest N) that the draft does not ask for, most common first.
- Shares from a posting profile (data/postings/): every skill and tool that some posting
  of that analysis (of any role) names; one that none names is not measured there.
- Few ask: items every measuring analysis gives under RARE percent of the role's postings.
- Degrees, salary, list length and what it could not read: compare/draft.py reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from rolecompare.compare.cells import exact_gap, figure_cell, share_cell
from rolecompare.compare.draft import Pay, list_lines, pay_ranges, role_spans, title_of
from rolecompare.compare.report import PERCENT, Cell, Row
from rolecompare.kb.types import KB, FigureData, RoleData, TermData
from rolecompare.textmatch import Degree, Hit, Matcher

RARE = 10.0  # percent: under this share of a role's postings, an item is one few ask
LEFT_OUT = 5  # the most-asked left-out items shown
REASONS = 3  # the items named as the reason for the role read
REQUIREMENT_COMMANDS = ("skills", "tools", "education")
ASKED_KINDS = ("skill", "tool")


class Profile(Protocol):
    """One analysis's postings of one role, term sets and all (rolecompare.kb.profiles)."""

    @property
    def source(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def n(self) -> int: ...
    def share(self, term: str) -> tuple[int, int]: ...
    def terms(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Share:
    """One item's share of one role's postings in one analysis, and its cell."""

    source: str
    role: str
    item: str
    value: float  # percent, as shown
    cell: Cell


Shares = dict[tuple[str, str], dict[str, Share]]  # (role, item) -> source -> its share


@dataclass(frozen=True)
class Gap:
    """An item's shares in one analysis, by role, and the role read's lead there."""

    item: str
    source: str
    values: dict[str, float]
    written: dict[str, str]  # each share as its cell writes it ("41.0", "33")


@dataclass(frozen=True)
class Reading:
    """Which role a draft reads like (None: no measured item tells), and why."""

    role: RoleData | None
    scores: dict[str, float]
    gaps: list[Gap]


@dataclass(frozen=True)
class Draft:
    """What was read from a draft: its title, terms, degrees, pay ranges and lines."""

    text: str
    title: str
    hits: list[Hit]
    degrees: list[Degree]
    pay: list[Pay]

    @property
    def asked(self) -> list[str]:
        """The skills and tools it names, each once, in the order first named."""
        return list(dict.fromkeys(h.term for h in self.hits if h.kind in ASKED_KINDS))

    def unread(self) -> list[str]:
        """Its list lines that name no skill, tool, degree or pay the KB reads."""
        spans = [(h.start, h.end) for h in self.hits]
        spans += [(d.start, d.end) for d in self.degrees]
        spans += [(m, m + 1) for p in self.pay if (m := self.text.find(p.text)) >= 0]
        return [
            line
            for start, end, line in list_lines(self.text)
            if not any(start <= s < end for s, _ in spans)
        ]


def read_draft(kb: KB, text: str, roles: list[RoleData]) -> Draft:
    """What the draft names, its title line and the roles' names left out (a "Machine
    Learning Engineer" asks for no machine learning)."""
    matcher = Matcher.from_kb(kb)
    title, start, end = title_of(text)
    named = role_spans(text, roles)
    hits = [
        h
        for h in matcher.find(text)
        if not start <= h.start < end and not any(a <= h.start < b for a, b in named)
    ]
    degrees = [d for d in matcher.degrees(text) if not start <= d.start < end]
    return Draft(text, title, hits, degrees, pay_ranges(text))


def posting_sources(kb: KB) -> list[str]:
    """The ids of the KB's sources of postings, in the KB's order."""
    return [s["id"] for s in kb["sources"] if s["postings"]]


def _measured(kb: KB) -> Iterable[FigureData]:
    topics = {t["id"] for t in kb["topics"] if t["command"] in REQUIREMENT_COMMANDS}
    kinds = {t["id"]: t["kind"] for t in kb["terms"]}
    ids = set(posting_sources(kb))
    for fig in kb["figures"]:
        measured = fig["share"] is not None or fig["percent"] is not None
        wanted = fig["source"] in ids and fig["topic"] in topics
        if measured and wanted and kinds[fig["item"]] != "statistic":
            yield fig


def shares(kb: KB, profiles: Sequence[Profile] = ()) -> Shares:
    """Every measured share of postings: the facts' (skills, tools and education topics),
    then a profile's for each skill and tool its analysis has no fact of (a profile's
    postings, from their skills lists, name every term of the vocabulary or none)."""
    out: Shares = {}
    for fig in _measured(kb):
        cell = figure_cell(fig)
        assert cell.value is not None
        for role in fig["roles"]:
            by_source = out.setdefault((role, fig["item"]), {})
            by_source.setdefault(
                fig["source"], Share(fig["source"], role, fig["item"], cell.value, cell)
            )
    named = _named(profiles)
    for p in profiles:
        for term in kb["terms"]:
            if term["kind"] not in ASKED_KINDS or term["id"] not in named[p.source]:
                continue  # a skills list names no degree; a term no list names is unmeasured
            by_source = out.setdefault((p.role, term["id"]), {})
            if p.source not in by_source and p.n > 0:
                k, n = p.share(term["id"])
                quote = f"postings profile {p.source}/{p.role}: {k:,} of {n:,} postings"
                cell = share_cell(k, n, quote)
                assert cell.value is not None
                by_source[p.source] = Share(p.source, p.role, term["id"], cell.value, cell)
    return {key: by for key, by in out.items() if by}


def _named(profiles: Sequence[Profile]) -> dict[str, set[str]]:
    """Each analysis's terms that some posting of some role names: only those does its
    skills-list vocabulary measure (data_jobs' lists never name "deep learning": that is
    not 0% of postings asking for it, but an item the analysis does not report)."""
    named: dict[str, set[str]] = {}
    for p in profiles:
        terms = named.setdefault(p.source, set())
        terms |= set(p.terms())
    return named


def read_role(draft: Draft, roles: list[RoleData], table: Shares) -> Reading:
    """The role the draft reads like (see the module's rule)."""
    ids = [r["id"] for r in roles]
    sums = dict.fromkeys(ids, Decimal(0))
    gaps = []
    for item in draft.asked:
        sources = dict.fromkeys(s for rid in ids for s in table.get((rid, item), {}))
        for source in sources:
            values = {
                rid: table[(rid, item)][source].value
                for rid in ids
                if source in table.get((rid, item), {})
            }
            if len(values) < 2:
                continue
            written = {
                rid: (table[(rid, item)][source].cell.written or (f"{v:g}",))[0]
                for rid, v in values.items()
            }
            gaps.append(Gap(item, source, values, written))
            for rid, v in values.items():
                other = max(w for o, w in values.items() if o != rid)
                sums[rid] += Decimal(repr(v)) - Decimal(repr(other))
    scores = {rid: float(v) for rid, v in sums.items()}
    best = sorted(ids, key=lambda r: -scores[r])
    tie = len(best) < 2 or scores[best[0]] == scores[best[1]]
    role = None if not gaps or tie else next(r for r in roles if r["id"] == best[0])
    return Reading(role, scores, gaps)


def reasons(reading: Reading) -> list[Gap]:
    """The gaps that favour the role read most, largest first."""
    if reading.role is None:
        return []
    rid = reading.role["id"]

    def lead(g: Gap) -> float:
        return exact_gap(g.values[rid], max(v for o, v in g.values.items() if o != rid))

    return sorted((g for g in reading.gaps if lead(g) > 0), key=lambda g: -lead(g))[:REASONS]


def choose_role(
    given: RoleData | None, reading: Reading, titled: list[RoleData], roles: list[RoleData]
) -> tuple[RoleData, str]:
    """The role compared, and why it is that one (the module's rule)."""
    if given is not None:
        return given, "--role"
    if reading.role is not None:
        return reading.role, "the role it reads like"
    if len(titled) == 1:
        return titled[0], "the role its title names (no measured item tells which it reads like)"
    return roles[0], "the KB's first role (neither its items nor its title tell which)"


def left_out_source(table: Shares, role: str, order: list[str]) -> str | None:
    """The analysis measuring the most items for the role (then the largest N)."""
    counts: dict[str, int] = {}
    biggest: dict[str, int] = {}
    for (rid, _), by_source in table.items():
        if rid == role:
            for source, sh in by_source.items():
                counts[source] = counts.get(source, 0) + 1
                biggest[source] = max(biggest.get(source, 0), sh.cell.n or 0)
    if not counts:
        return None
    return min(counts, key=lambda s: (-counts[s], -biggest[s], order.index(s)))


def asked_rows(
    terms: dict[str, TermData], table: Shares, role: str, items: list[str]
) -> tuple[list[Row], list[str]]:
    """A row per item and analysis measuring it, most common first; and the items no
    analysis measures for the role."""
    measured = [i for i in items if (role, i) in table]
    measured.sort(key=lambda i: -max(sh.value for sh in table[(role, i)].values()))
    rows = [
        Row(terms[i]["name"], sh.source, {role: sh.cell}, i, PERCENT, terms[i]["meaning"])
        for i in measured
        for sh in table[(role, i)].values()
    ]
    return rows, [i for i in items if (role, i) not in table]


def share_rows(terms: dict[str, TermData], found: list[Share], role: str) -> list[Row]:
    return [
        Row(
            terms[s.item]["name"],
            s.source,
            {role: s.cell},
            s.item,
            PERCENT,
            terms[s.item]["meaning"],
        )
        for s in found
    ]


def left_out(
    table: Shares, role: str, asked: set[str], source: str, kinds: set[str]
) -> list[Share]:
    """The skills and tools (ids in kinds) of one analysis that the draft leaves out."""
    found = [
        by[source]
        for (rid, item), by in table.items()
        if rid == role and item not in asked and source in by and item in kinds
    ]
    return sorted(found, key=lambda s: (-s.value, s.item))[:LEFT_OUT]


def rare(table: Shares, role: str, items: list[str]) -> list[Share]:
    """The asked items that every analysis measuring them gives under RARE percent."""
    return [
        sh
        for i in items
        if (role, i) in table and all(s.value < RARE for s in table[(role, i)].values())
        for sh in table[(role, i)].values()
    ]


def role_label(role: RoleData) -> str:
    return role["id"].upper() if len(role["id"]) <= 4 else role["name"]


def gap_text(gap: Gap, roles: dict[str, RoleData]) -> str:
    """ "MLE 67.1% vs DS 16.8% (+50.3 pp)": the item's shares in one analysis, highest first."""
    ranked = sorted(gap.values.items(), key=lambda kv: -kv[1])
    shares = " vs ".join(f"{role_label(roles[r])} {gap.written[r]}%" for r, _ in ranked)
    return f"{shares} (+{exact_gap(ranked[0][1], ranked[1][1]):.1f} pp)"


def reading_rows(
    reading: Reading, roles: list[RoleData], terms: dict[str, TermData], role: str, title: str
) -> list[Row]:
    """The role read (with every role's summed gap), the title's agreement, and the items
    whose shares differ most in its favour, one row each (within one analysis)."""
    by_id = {r["id"]: r for r in roles}
    if reading.role is not None:
        scores = ", ".join(f"{role_label(r)} {reading.scores[r['id']]:+.1f} pp" for r in roles)
        read = f"{reading.role['name']} (summed gaps: {scores})"
    elif reading.gaps:
        read = "no role: its measured items lean to no role more than another"
    else:
        read = "no role: no item it asks for is measured for two roles"
    rows = [
        Row("Reads like", "", {role: Cell((read,))}, meaning=READ_MEANING),
        Row("Title", "", {role: Cell((title,))}),
    ]
    rows += [
        Row(terms[g.item]["name"], g.source, {role: Cell((gap_text(g, by_id),))}, g.item)
        for g in reasons(reading)
    ]
    return rows


READ_MEANING = (
    "within each analysis, each item it asks for adds its share of a role's postings "
    "minus the other role's, and the role with the most is the one it reads like"
)


def title_note(title: str, titled: list[RoleData], reading: Reading) -> str:
    """Whether the title agrees with the role the draft reads like, in one sentence."""
    if not title:
        return "It has no title line."
    quoted = f'Its title "{title}"'
    if not titled:
        return f"{quoted} names no role of the KB."
    names = " and ".join(r["name"] for r in titled)
    if len(titled) > 1:
        return f"{quoted} names {names}: two roles, so it agrees with no single one."
    if reading.role is None:
        return f"{quoted} names {names}; its items do not tell which role it reads like."
    if titled[0]["id"] == reading.role["id"]:
        return f"{quoted} names {names}, and it reads like one: they agree."
    return (
        f"{quoted} names {names}, but it reads like a {reading.role['name']} posting: "
        "the title and the requirements disagree."
    )
