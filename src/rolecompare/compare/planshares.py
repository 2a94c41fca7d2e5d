"""`plan`'s shares counted from postings, analysis by analysis (the posting profiles,
rolecompare.kb.profiles): what fit scores from, as k of N with a 95% interval.

- `--to` alone: per analysis, the terms the target's postings ask for, most first.
- With `--from`: per analysis that has both roles, the terms the target's postings ask
  for more often, largest gap first, and the current role's strengths (gaps within one
  analysis only, never across two).
What the person has is left out, as in the rest of the plan.
"""

from __future__ import annotations

from collections.abc import Callable

from rolecompare.compare.cells import exact_gap
from rolecompare.compare.cells import share_cell as counted_share
from rolecompare.compare.report import PERCENT, Cell, Row, Section
from rolecompare.kb.profiles import Profile
from rolecompare.kb.types import RoleData, TermData

TOP = 5  # rows of each analysis's section
MEASURE = "% of the role's postings that list it"
KINDS = ("skill", "tool", "degree")


def share_cell(profile: Profile, term: str) -> Cell:
    """A term's share of a profile's postings, with its interval and its record."""
    k, n = profile.share(term)
    record = f"{profile.file} (rules {profile.rule}): role = {profile.role}; term = {term}"
    return counted_share(k, n, record)


def profile_sections(
    profiles: list[Profile],
    target: RoleData,
    current: RoleData | None,
    terms: dict[str, TermData],
    keep: Callable[[str], bool],
) -> list[Section]:
    """A section per analysis (and with current, its strengths), empty ones left out."""
    tid = target["id"]
    sections = []
    for source in sorted({p.source for p in profiles if p.role == tid}):
        theirs = next(p for p in profiles if p.source == source and p.role == tid)
        if current is None:
            sections.append(_most_asked(theirs, target, terms, keep))
            continue
        mine = next((p for p in profiles if p.source == source and p.role == current["id"]), None)
        if mine is not None:
            sections += _gaps(mine, theirs, current, target, terms, keep)
    return [s for s in sections if s.rows]


def _label(term: TermData) -> str:
    return f"{term['name']} ({term['kind']})"


def _wanted(profile: Profile, terms: dict[str, TermData]) -> list[str]:
    """The profile's terms that are skills, tools or degrees, most asked first (KB order)."""
    order = {t: i for i, t in enumerate(terms)}
    found = [t for t in profile.terms() if t in terms and terms[t]["kind"] in KINDS]
    return sorted(found, key=lambda t: (-profile.share(t)[0], order[t]))


def _most_asked(
    profile: Profile, target: RoleData, terms: dict[str, TermData], keep: Callable[[str], bool]
) -> Section:
    tid = target["id"]
    rows = [
        Row(_label(terms[t]), profile.source, {tid: share_cell(profile, t)}, t, PERCENT)
        for t in _wanted(profile, terms)
        if keep(t)
    ][:TOP]
    title = f"What {target['name']} postings list, most common first (top {TOP})"
    return Section(f"postings-{profile.source}", title, rows, MEASURE)


def _gaps(
    mine: Profile,
    theirs: Profile,
    current: RoleData,
    target: RoleData,
    terms: dict[str, TermData],
    keep: Callable[[str], bool],
) -> list[Section]:
    cid, tid = current["id"], target["id"]
    more: list[tuple[float, Row]] = []
    stronger: list[tuple[float, Row]] = []
    order = {t: i for i, t in enumerate(terms)}
    both = set(_wanted(mine, terms)) | set(_wanted(theirs, terms))
    for t in sorted(both, key=lambda t: order[t]):
        cells = {cid: share_cell(mine, t), tid: share_cell(theirs, t)}
        gap = exact_gap(cells[tid].value or 0, cells[cid].value or 0)
        label = _label(terms[t])
        if gap > 0 and keep(t):
            more.append((gap, Row(label, theirs.source, cells, t, PERCENT, leader=tid, lead=gap)))
        elif gap < 0:
            row = Row(label, theirs.source, cells, t, PERCENT, leader=cid, lead=-gap)
            stronger.append((-gap, row))
    source = theirs.source
    return [
        Section(
            f"postings-more-often-{source}",
            f"{target['name']} postings list more often, largest gap first (top {TOP})",
            [r for _, r in sorted(more, key=lambda gr: -gr[0])][:TOP],
            MEASURE,
        ),
        Section(
            f"postings-strengths-{source}",
            f"Your strengths: what {current['name']} postings list more often (top {TOP})",
            [r for _, r in sorted(stronger, key=lambda gr: -gr[0])][:TOP],
            MEASURE,
        ),
    ]
