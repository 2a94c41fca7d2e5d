"""A plan for a role: what its postings ask for, and what changes from another role.

`plan(kb, target, current, words)` works on what `fit` scores (compare/fit.py,
`requirements`): the skills, tools and degrees with a posting-mention share in a
topic that skills, tools or education show, and those named in statements of
topics that list requirements. Shares are compared only within one source.

- Without a current role: the target's measured items, largest share first,
  then the items its sources only name, by topic (the hiring manager's checklist).
- With one: measured skills and tools the target's postings mention more often,
  largest gap first (both shares shown); the same for degrees, apart; items only
  the target's sources name; the sources' own advice (statements of the
  ADVICE_TOPICS, e.g. the 365 FAQ on moving from data scientist to ML engineer,
  and the target's how-to-become roadmap); and the current role's strengths,
  where its postings mention an item more often.
- What the person has (`--have`, matched as fit matches) is left out and listed
  in the notes.
- Where the KB has posting profiles: the same analysis by analysis, from what each
  analysis counted (compare/planshares.py), after the articles' shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rolecompare.compare.cells import exact_gap
from rolecompare.compare.fit import (
    REQUIREMENT_COMMANDS,
    REQUIREMENT_KINDS,
    Word,
    asked_for,
    have_ids,
    measured,
    official_voice,
)
from rolecompare.compare.report import PERCENT, Cell, Report, Row, Section
from rolecompare.compare.roles import pick_roles
from rolecompare.compare.topics import sources_of
from rolecompare.errors import UsageError
from rolecompare.kb.types import (
    KB,
    FigureData,
    RoleData,
    StatementData,
    TermData,
    origin,
    suppressed,
)
from rolecompare.render.format import as_written, figure_words

if TYPE_CHECKING:
    from rolecompare.kb.profiles import Profile

MEASURE = "% of job postings that mention it"
# The sections of the articles' shares, before which no posting profile's section goes.
FIRST = ("measured", "more-often", "measured-for-target-only", "degrees")
# Topics whose statements advise on a move: the current role's career statements,
# the target's how-to-become roadmap.
CAREER_TOPIC = "career"
ROADMAP_TOPIC = "how-to-become"


def plan_roles(
    roles: list[RoleData], to: str, from_: str | None
) -> tuple[RoleData, RoleData | None]:
    """The roles --to and --from name: one each, and not the same."""

    def one(spec: str, option: str) -> RoleData:
        chosen = pick_roles(roles, spec)
        if len(chosen) != 1:
            raise UsageError(f"{option} takes one role (e.g. {option} mle)")
        return chosen[0]

    target = one(to, "--to")
    current = one(from_, "--from") if from_ is not None else None
    if current is not None and current["id"] == target["id"]:
        raise UsageError("--from and --to name the same role; give two different roles")
    return target, current


def _measured(kb: KB, role_id: str) -> dict[tuple[str, str], FigureData]:
    """(item, source) -> the figure giving the role's posting-mention share."""
    found: dict[tuple[str, str], FigureData] = {}
    for fig in measured(kb, role_id, weighed=False):
        key = (fig["item"], fig["source"])
        old = found.get(key)
        if old is None or (old["percent"] or 0) < (fig["percent"] or 0):
            found[key] = fig
    return found


def _named(kb: KB, role_id: str) -> dict[str, dict[tuple[str, str], list[StatementData]]]:
    """Topic -> (item, source) -> the role's statements naming it, in requirement topics."""
    kinds = {t["id"]: t["kind"] for t in kb["terms"]}
    found: dict[str, dict[tuple[str, str], list[StatementData]]] = {}
    for topic in kb["topics"]:
        if not topic["requirements"]:
            continue
        for st in kb["statements"]:
            if st["topic"] == topic["id"] and role_id in st["roles"]:
                for term in st["terms"]:
                    if kinds[term] in REQUIREMENT_KINDS:
                        group = found.setdefault(topic["id"], {})
                        group.setdefault((term, st["source"]), []).append(st)
    return found


def _mentioned(kb: KB, role_id: str) -> set[str]:
    """Every term the role's skills, tools and education facts name (career advice and
    the like do not count: they say what to learn, not what the role asks for)."""
    topics = {t["id"] for t in kb["topics"] if t["command"] in REQUIREMENT_COMMANDS}
    ids = {f["item"] for f in kb["figures"] if role_id in f["roles"] and f["topic"] in topics}
    for st in kb["statements"]:
        if role_id in st["roles"] and st["topic"] in topics:
            ids.update(st["terms"])
            if st["item"]:
                ids.add(st["item"])
    return ids


def _label(term: TermData) -> str:
    return f"{term['name']} ({term['kind']})"


def _share(fig: FigureData | None) -> Cell:
    if fig is None or fig["percent"] is None:
        return Cell()
    quote = origin(fig)
    flagged = suppressed(fig)
    text = figure_words(as_written(fig["percent"], quote, PERCENT), PERCENT, suppressed=flagged)
    return Cell((text,), fig["percent"], quotes=(quote,), suppressed=flagged)


def _said(statements: list[StatementData]) -> Cell:
    return Cell(tuple(s["text"] for s in statements), quotes=tuple(origin(s) for s in statements))


def plan(
    kb: KB,
    target: RoleData,
    current: RoleData | None,
    words: list[Word],
    profiles: list[Profile] | None = None,
    id_prefix: str = "",
) -> Report:
    """The target's checklist, or, with a current role, what changes (module docstring);
    with posting profiles, their shares too, analysis by analysis (compare/planshares.py).
    Each section's id starts with id_prefix (the report page's "plan-", unique there)."""
    have = have_ids(words)
    terms = {t["id"]: t for t in kb["terms"]}
    left_out: dict[str, str] = {}

    def keep(item: str) -> bool:
        if item in have:
            left_out[item] = _label(terms[item])
            return False
        return True

    voice = official_voice(kb, [target["id"]] + ([current["id"]] if current else []))
    if current is None:
        sections = _checklist(kb, target, terms, keep)
        roles = [target]
        title = f"Plan: what {asked_for(target['name'], voice)}, most common first"
    else:
        sections = _move(kb, current, target, terms, keep)
        roles = [current, target]
        title = f"Plan: from {current['name']} to {target['name']}"
    _add_shares(sections, profiles or [], target, current, terms, keep)
    if voice is not None:
        _official_words(kb, sections, voice, roles)
    _title_sources(sections)
    notes = _plan_notes(target, current, sections, left_out, voice)
    for sec in sections:  # last: the notes above read the sections' own ids
        sec.id = f"{id_prefix}{sec.id}"
    said = {"to": target["id"], "from": current["id"] if current else None}
    extra: dict[str, Any] = {"plan": {**said, "have": sorted(have), "left_out": list(left_out)}}
    return Report("plan", title, roles, sections, sources_of(kb, sections), notes, extra)


def _add_shares(
    sections: list[Section],
    profiles: list[Profile],
    target: RoleData,
    current: RoleData | None,
    terms: dict[str, TermData],
    keep: Any,
) -> None:
    """The posting profiles' shares (if any), after the sections that come FIRST."""
    if not profiles:
        return
    from rolecompare.compare.planshares import profile_sections

    at = next((i for i, sec in enumerate(sections) if sec.id not in FIRST), len(sections))
    sections[at:at] = profile_sections(profiles, target, current, terms, keep)


def _official_words(kb: KB, sections: list[Section], voice: str, roles: list[RoleData]) -> None:
    """On official occupation data (no postings), say so: titles name the source, not
    postings, and a measured section has its figures' own measure ("% of ratings")."""
    measures = {t["id"]: t["measure"] for t in kb["topics"]}
    topic_of = {(f["item"], f["source"]): f["topic"] for f in kb["figures"]}
    for sec in sections:
        for role in roles:
            name = role["name"]
            sec.title = sec.title.replace(f"{name} postings ask for", asked_for(name, voice))
            sec.title = sec.title.replace(
                f"{name} postings mention more often", f"{voice} lists for {name}, largest first"
            )
        if sec.measure == MEASURE:
            found = {measures[topic_of[(r.item, r.source)]] for r in sec.rows if r.item}
            sec.measure = found.pop() if len(found) == 1 else None


def _title_sources(sections: list[Section]) -> None:
    """A one-source section names its source in its title (a mixed one, each row)."""
    for sec in sections:
        used = {r.source for r in sec.rows}
        if len(used) == 1:
            sec.title += f" [{used.pop()}]"


def _plan_notes(
    target: RoleData,
    current: RoleData | None,
    sections: list[Section],
    left_out: dict[str, str],
    voice: str | None = None,
) -> list[str]:
    """What was left out because you have it, and what the KB does not say."""
    notes = []
    if left_out:
        notes.append("Left out because you have them: " + ", ".join(left_out.values()) + ".")
    if current is not None and not {"advice", "roadmap"} & {s.id for s in sections}:
        notes.append(
            f"The KB holds no advice from its sources on moving from {current['name']} "
            f"to {target['name']} (no {CAREER_TOPIC!r} or {ROADMAP_TOPIC!r} statements)."
        )
    if not any(s.rows for s in sections):
        notes.append(f"The KB's sources say nothing about what {asked_for(target['name'], voice)}.")
    return notes


def _checklist(kb: KB, target: RoleData, terms: dict[str, TermData], keep: Any) -> list[Section]:
    """The target's measured items by share, then the items its sources only name."""
    tid = target["id"]
    measured = _measured(kb, tid)
    ranked = sorted(measured.items(), key=lambda kv: -(kv[1]["percent"] or 0))
    rows = [
        Row(_label(terms[item]), source, {tid: _share(fig)}, item, PERCENT)
        for (item, source), fig in ranked
        if keep(item) and fig["percent"]  # a share of 0% asks for nothing
    ]
    sections = [
        Section(
            "measured",
            f"What {target['name']} postings ask for, most common first",
            rows,
            MEASURE,
        )
    ]
    return sections + _named_sections(kb, target, terms, keep, {i for i, _ in measured})


def _named_sections(
    kb: KB,
    target: RoleData,
    terms: dict[str, TermData],
    keep: Any,
    skip: set[str],
    current: RoleData | None = None,
) -> list[Section]:
    """Items the target's sources name in requirement topics but do not measure, by topic
    (each item once, in its first topic)."""
    titles = {t["id"]: t["title"] for t in kb["topics"]}
    seen = set(skip)
    sections = []
    for topic, groups in _named(kb, target["id"]).items():
        rows = []
        here: set[str] = set()
        for (item, source), statements in groups.items():
            if item in seen - here:
                continue
            seen.add(item)
            here.add(item)
            if not keep(item):
                continue
            cells = {target["id"]: _said(statements)}
            if current is not None:
                cells = {current["id"]: Cell(), **cells}
            rows.append(Row(_label(terms[item]), source, cells, item))
        if rows:
            what = (
                f"Named for {target['name']}, not by {current['name']}'s sources"
                if current
                else "Named by the sources, not measured"
            )
            sections.append(Section(f"named-{topic}", f"{what}: {titles[topic]}", rows))
    return sections


def _move(
    kb: KB, current: RoleData, target: RoleData, terms: dict[str, TermData], keep: Any
) -> list[Section]:
    cid, tid = current["id"], target["id"]
    mine, theirs = _measured(kb, cid), _measured(kb, tid)
    more, only, stronger = _gaps(mine, theirs, terms, keep, cid, tid)
    sections = _gap_sections(current, target, terms, more, only)
    known = _mentioned(kb, cid) | {i for i, _ in theirs}
    sections += _named_sections(kb, target, terms, keep, known, current)
    sections += _advice(kb, current, target)
    sections.append(
        Section(
            "strengths",
            f"Your strengths: what {current['name']} postings mention more often",
            [r for _, r in sorted(stronger, key=lambda gr: -gr[0])],
            MEASURE,
        )
    )
    return [s for s in sections if s.rows]


_Gaps = tuple[list[tuple[float, Row]], list[Row], list[tuple[float, Row]]]


def _gaps(
    mine: dict[tuple[str, str], FigureData],
    theirs: dict[tuple[str, str], FigureData],
    terms: dict[str, TermData],
    keep: Any,
    cid: str,
    tid: str,
) -> _Gaps:
    """The target's measured items as rows: (gap, row) of those it asks for more often,
    those measured for it only, and (gap, row) of those the current role asks for more."""
    more: list[tuple[float, Row]] = []
    only: list[Row] = []
    stronger: list[tuple[float, Row]] = []
    for key, fig in theirs.items():
        item, source = key
        old = mine.get(key)
        cells = {cid: _share(old), tid: _share(fig)}
        label = _label(terms[item])
        if not fig["percent"] and (old is None or not old["percent"]):
            continue  # 0% (or nothing) on both sides: nothing asked for, no strength
        if old is None or suppressed(fig) or suppressed(old):
            # No gap from a value O*NET recommends suppressing: both shown, no lead.
            if keep(item) and fig["percent"]:
                only.append(Row(label, source, cells, item, PERCENT))
            continue
        gap = exact_gap(fig["percent"] or 0, old["percent"] or 0)
        if gap > 0 and keep(item):
            more.append((gap, Row(label, source, cells, item, PERCENT, leader=tid, lead=gap)))
        elif gap < 0:
            stronger.append((-gap, Row(label, source, cells, item, PERCENT, leader=cid, lead=-gap)))
    return more, only, stronger


def _gap_sections(
    current: RoleData,
    target: RoleData,
    terms: dict[str, TermData],
    more: list[tuple[float, Row]],
    only: list[Row],
) -> list[Section]:
    """Skills and tools asked for more often, those measured for the target only, and
    the degrees of both kinds, each by size."""
    tid = target["id"]
    by_gap = [r for _, r in sorted(more, key=lambda gr: -gr[0])]
    gaps = [r for r in by_gap if terms[r.item or ""]["kind"] != "degree"]
    degrees = [r for r in by_gap if terms[r.item or ""]["kind"] == "degree"]
    only_ranked = sorted(only, key=lambda r: -(r.cells[tid].value or 0))
    return [
        Section(
            "more-often",
            f"Skills and tools {target['name']} postings ask for more often, largest gap first",
            gaps,
            MEASURE,
        ),
        Section(
            "measured-for-target-only",
            f"Measured for {target['name']} only ({current['name']}'s share not reported)",
            [r for r in only_ranked if terms[r.item or ""]["kind"] != "degree"],
            MEASURE,
        ),
        Section(
            "degrees",
            f"Degrees {target['name']} postings mention more often (a longer road)",
            degrees + [r for r in only_ranked if terms[r.item or ""]["kind"] == "degree"],
            MEASURE,
        ),
    ]


def _advice(kb: KB, current: RoleData, target: RoleData) -> list[Section]:
    """The current role's career statements (e.g. the 365 FAQ "Can a data scientist be a
    machine learning engineer?") and the target's how-to-become roadmap, in the sources'
    order, each under the role it is about."""
    cid, tid = current["id"], target["id"]
    career = [
        s
        for s in kb["statements"]
        if s["topic"] == CAREER_TOPIC and cid in s["roles"] and tid not in s["roles"]
    ]
    roadmap = [s for s in kb["statements"] if s["topic"] == ROADMAP_TOPIC and tid in s["roles"]]
    sections = []
    if career:
        rows = [Row("Career", s["source"], {cid: _said([s]), tid: Cell()}) for s in career]
        sections.append(
            Section("advice", f"The sources on career moves from {current['name']}", rows)
        )
    if roadmap:
        steps: dict[str, int] = {}
        rows = []
        for s in roadmap:
            steps[s["source"]] = steps.get(s["source"], 0) + 1
            rows.append(
                Row(f"Step {steps[s['source']]}", s["source"], {cid: Cell(), tid: _said([s])})
            )
        sections.append(Section("roadmap", f"How to become a {target['name']}", rows))
    return sections
