"""`fit`'s answer: each role's fit measured from the postings of every analysis that
has posting profiles (compare/fitscore.py), each analysis on its own lines, and what
only the articles name, listed apart and not scored. No weight is invented: a KB
without posting profiles scores nothing, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from rolecompare.compare.cells import leader_of
from rolecompare.compare.fit import (
    REQUIREMENT_KINDS,
    Word,
    named_items,
    official_voice,
    word_notes,
    words_data,
)
from rolecompare.compare.fitscore import LEARN_NEXT, Gain, Measure, measure
from rolecompare.compare.report import PERCENT, Cell, Report, Row, Section
from rolecompare.compare.stats import wilson
from rolecompare.compare.topics import sources_named
from rolecompare.kb.profiles import Profile
from rolecompare.kb.types import KB, RoleData, SourceData, TermData
from rolecompare.render.format import share_of, share_value, share_with_margin

HALF_MEANING = (
    "the role's postings whose known skills you have at least half of, of those that "
    "list a known skill (a skill, tool or degree of the KB's vocabulary); a posting "
    "listing none is left out (the notes say how many)"
)
DEGREES_MEANING = (
    "degrees these postings list that you did not name, ranked as Learn next: a longer "
    "road, not next week's study"
)
HAVE_MEANING = "what you have, with the % of the role's postings that list it"
AVERAGE_MEANING = "the share of a posting's known skills you have, averaged over the same postings"
LEARN_MEANING = (
    f"up to {LEARN_NEXT} missing skills and tools, by how much each would raise the "
    "at-least-half share (pp of postings), then the average; ties by how many postings "
    "ask for them"
)
ALSO_TITLE = "Also named by the articles: no analysis of postings measures these (not scored)"


@dataclass(frozen=True)
class Fit:
    role: RoleData
    measures: list[Measure]  # one per analysis with a profile of the role
    also: dict[str, list[str]]  # source -> items only it names (not yours), KB order
    also_had: list[str]  # items you have that only the articles name


def score_roles(
    kb: KB, roles: list[RoleData], have: set[str], profiles: list[Profile]
) -> list[Fit]:
    """Each role's fit, in the roles' order."""
    kinds = {t["id"]: t["kind"] for t in kb["terms"]}
    order = {t["id"]: i for i, t in enumerate(kb["terms"])}
    learnable = {t for t, kind in kinds.items() if kind in REQUIREMENT_KINDS and kind != "degree"}
    degrees = frozenset(t for t, kind in kinds.items() if kind == "degree")
    fits = []
    for role in roles:
        mine = [p for p in profiles if p.role == role["id"]]
        measures = [measure(p, have, order, learnable, degrees) for p in mine]
        counted = set().union(*(p.terms() for p in mine)) if mine else set()
        also: dict[str, list[str]] = {}
        also_had: list[str] = []
        for item, sources in named_items(kb, role["id"]).items():
            if item in counted:
                continue
            if item in have:
                also_had.append(item)
                continue
            for source in sorted(sources):
                also.setdefault(source, []).append(item)
        for items in also.values():
            items.sort(key=lambda i: order[i])
        fits.append(Fit(role, measures, also, sorted(also_had, key=lambda i: order[i])))
    return fits


def fit_report(kb: KB, fits: list[Fit], roles: list[RoleData], words: list[Word]) -> Report:
    """The fit of every role, analysis by analysis, then what only the articles name."""
    terms = {t["id"]: t for t in kb["terms"]}
    ids = [r["id"] for r in roles]
    sources = sorted({m.source for f in fits for m in f.measures})
    names = {s["id"]: s for s in kb["sources"]}
    sections = [
        Section(
            f"fit-{source}",
            f"Fit measured from the postings of {_dataset(names[source])} [{source}]",
            _analysis_rows(fits, source, ids, terms, first=i == 0),
        )
        for i, source in enumerate(sources)
    ]
    also = sorted({s for f in fits for s in f.also}, key=lambda s: _order(kb, s))
    rows = [_also_row(fits, names[source], terms) for source in also]
    voice = None if sources else official_voice(kb, ids)
    if rows:
        title = ALSO_TITLE if voice is None else f"Named by {voice} (not scored)"
        sections.append(Section("also-named", title, rows))
    title = (
        "Fit: how much of what each role's postings ask for you have"
        if voice is None
        else f"Fit: what {voice} lists for each role (nothing scored)"
    )
    return Report(
        "fit",
        title,
        roles,
        sections,
        sources_named(kb, set(sources) | set(also)),
        notes=_summary(fits, sources, terms, voice) + word_notes(words),
        extra={"fits": fits_data(fits, terms), "words": words_data(words)},
    )


def _also_row(fits: list[Fit], source: SourceData, terms: dict[str, TermData]) -> Row:
    """What one article names for each role that no analysis measures."""
    sid = source["id"]
    cells = {f.role["id"]: Cell(tuple(_label(terms[i]) for i in f.also.get(sid, []))) for f in fits}
    return Row(_short(source), sid, cells)


def _short(source: SourceData) -> str:
    return source["short"] or source["publisher"]


def _dataset(source: SourceData) -> str:
    """A dataset's short title: "data_jobs (2023)"."""
    return source["title"].split(":")[0]


def _order(kb: KB, source: str) -> int:
    return next((i for i, s in enumerate(kb["sources"]) if s["id"] == source), len(kb["sources"]))


def _analysis_rows(
    fits: list[Fit], source: str, ids: list[str], terms: dict[str, TermData], first: bool
) -> list[Row]:
    """One analysis's rows: at least half, the average, what you have, learn next (the
    first analysis's rows say what each means)."""
    found = {f.role["id"]: next((m for m in f.measures if m.source == source), None) for f in fits}
    half: dict[str, Cell] = {}
    average: dict[str, Cell] = {}
    yours: dict[str, Cell] = {}
    learn: dict[str, Cell] = {}
    degrees: dict[str, Cell] = {}
    for rid in ids:
        m = found.get(rid)
        if m is None or not m.known:
            for cells in (half, average, yours, learn, degrees):
                cells[rid] = Cell(why="no posting profile")
            continue
        half[rid] = _half_cell(m)
        text = _percent(m.average)
        average[rid] = Cell((text,), float(text[:-1]), unit=PERCENT, written=(text[:-1],))
        yours[rid] = Cell(tuple(f"{_name(terms[t])} {share_of(k, m.n)}" for t, k in m.have))
        learn[rid] = Cell(tuple(_gain_text(g, m, terms) for g in m.learn))
        degrees[rid] = Cell(tuple(_gain_text(g, m, terms) for g in m.degrees))
    lead_half, gap_half = leader_of(half)
    lead_avg, gap_avg = leader_of(average)
    means = (HALF_MEANING, AVERAGE_MEANING, HAVE_MEANING, LEARN_MEANING) if first else (None,) * 4
    return [
        Row("At least half", source, half, None, PERCENT, means[0], lead_half, gap_half),
        Row("Average share", source, average, None, PERCENT, means[1], lead_avg, gap_avg),
        Row("You have", source, yours, meaning=means[2]),
        Row("Learn next", source, learn, meaning=means[3]),
    ] + (
        [Row("Degrees listed", source, degrees, meaning=DEGREES_MEANING)]
        if any(c.texts for c in degrees.values())
        else []
    )


def _half_cell(m: Measure) -> Cell:
    """The at-least-half share: k of the postings with a known term, and its interval."""
    lo, hi = wilson(m.half, m.known)
    return Cell(
        (share_with_margin(m.half, m.known, lo, hi),),
        share_value(m.half, m.known),
        unit=PERCENT,
        written=(share_of(m.half, m.known)[:-1],),
        k=m.half,
        n=m.known,
        interval=(lo, hi),
        noun="postings",
    )


def _percent(value: Fraction) -> str:
    """An exact fraction (0-1) as a percent to one decimal: "32.8%"."""
    return share_of(value.numerator, value.denominator)


def _pp(value: Fraction) -> str:
    return _percent(value)[:-1] + " pp"


def _gain_text(g: Gain, m: Measure, terms: dict[str, TermData]) -> str:
    """ "Docker +6.1 pp" (and the average's rise where that is all it raises)."""
    text = f"{_name(terms[g.term])} +{_pp(Fraction(g.half, m.known))}"
    return text if g.half else f"{text} (average +{_pp(g.average)})"


def _label(term: TermData) -> str:
    return f"{term['name']} ({term['kind']})"


def _name(term: TermData) -> str:
    """A term's name; a degree says so (Statistics the skill, Statistics the degree)."""
    return f"{term['name']} (degree)" if term["kind"] == "degree" else term["name"]


def _summary(
    fits: list[Fit], sources: list[str], terms: dict[str, TermData], voice: str | None
) -> list[str]:
    """A sentence per role and analysis, with k of N and what was left out."""
    if voice is not None:  # official occupation data: no job ads were counted
        return [
            f"Nothing is scored: fit scores only from analyses that count what each job "
            f"ad asks for, and this KB holds none; what {voice} lists is shown, not scored."
        ]
    if not sources:
        return [
            "Nothing is scored: this KB holds no posting profiles (postings/<source>/"
            "<role>.json, written by `rolecompare import postings`), and fit weighs "
            "nothing it has not measured."
        ]
    notes = []
    for f in fits:
        for m in f.measures:
            if not m.known:
                continue
            notes.append(
                f"{f.role['name']} [{m.source}]: you have at least half of the known skills "
                f"listed in {share_of(m.half, m.known)} of its postings ({m.half:,} of "
                f"{m.known:,}; N={m.n:,}, of which {m.unknown:,} list no known skill and are "
                f"left out), and on average {_percent(m.average)} of a posting's known skills."
            )
        if f.also_had:
            named = ", ".join(_label(terms[i]) for i in f.also_had)
            notes.append(
                f"{f.role['name']}: you have {named}, which only the articles name for it "
                "(not scored)."
            )
    return notes


def fits_data(fits: list[Fit], terms: dict[str, TermData]) -> list[dict[str, Any]]:
    """Each role's measures, analysis by analysis, exact (docs/json.md, "JSON output")."""
    return [
        {
            "role": f.role["id"],
            "name": f.role["name"],
            "analyses": [_measure_data(m, terms) for m in f.measures],
            "also_named": [
                {
                    **_term(terms[i]),
                    "sources": sorted(s for s, items in f.also.items() if i in items),
                }
                for i in sorted({i for items in f.also.values() for i in items})
            ],
            "also_named_you_have": [_term(terms[i]) for i in f.also_had],
        }
        for f in fits
    ]


def _term(term: TermData) -> dict[str, Any]:
    return {"item": term["id"], "name": term["name"], "kind": term["kind"]}


def _measure_data(m: Measure, terms: dict[str, TermData]) -> dict[str, Any]:
    known = m.known or 1
    return {
        "source": m.source,
        "n": m.n,
        "known": m.known,
        "left_out": m.unknown,
        "at_least_half": {"k": m.half, "n": m.known, "share": 100 * m.half / known},
        "average_share": {
            "share": float(100 * m.average),
            "exact": f"{m.average.numerator}/{m.average.denominator}",
            "n": m.known,
        },
        "have": [{**_term(terms[t]), "k": k, "n": m.n} for t, k in m.have],
        "learn_next": [_gain_data(g, m, terms) for g in m.learn],
        "degrees": [_gain_data(g, m, terms) for g in m.degrees],
    }


def _gain_data(g: Gain, m: Measure, terms: dict[str, TermData]) -> dict[str, Any]:
    return {
        **_term(terms[g.term]),
        "gain_k": g.half,
        "gain_share": 100 * g.half / (m.known or 1),
        "average_gain": float(100 * g.average),
        "k": g.k,
        "n": m.n,
    }
