"""How well a person's skills fit each role, scored openly from the KB.

The rule (also in `rolecompare fit --help` and the README):
- A role asks for every skill, tool and degree that has a posting-mention share
  for it (topics shown by skills, tools and education), and every one named by
  its statements in topics that list requirements (`requirements = true` in the
  vocabulary: job-specific skills, toolsets, education and background).
- Each item weighs its posting-mention share (Python at 77.4% weighs 0.774);
  an item named only in such statements weighs QUALITATIVE_WEIGHT. When
  sources give several shares for one item, the largest counts.
- A role's score is 100 × (weight of the items you have) / (weight of all its items).
- "Learn next" ranks the missing items by the points each would add.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from rolecompare.compare.report import PERCENT, Cell, Report, Row, Section
from rolecompare.compare.topics import leader_of
from rolecompare.errors import UsageError
from rolecompare.kb.data import KB, RoleData, TermData, fold

QUALITATIVE_WEIGHT = 0.25
REQUIREMENT_COMMANDS = ("skills", "tools", "education")
REQUIREMENT_KINDS = ("skill", "tool", "degree")


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    weight: float
    points: float  # what the item is worth in this role's 0–100 score


@dataclass(frozen=True)
class Fit:
    role: RoleData
    score: float
    matched: list[Item]
    missing: list[Item]  # best next first


@dataclass(frozen=True)
class Unmatched:
    given: str
    suggestions: list[str]


def requirements(kb: KB, role_id: str) -> dict[str, float]:
    """Item id -> weight, for everything the role's skills/tools/education facts name."""
    topics = {t["id"] for t in kb["topics"] if t["command"] in REQUIREMENT_COMMANDS}
    kinds = {t["id"]: t["kind"] for t in kb["terms"]}
    weights: dict[str, float] = {}
    for fig in kb["figures"]:
        if (
            role_id in fig["roles"]
            and fig["topic"] in topics
            and fig["percent"] is not None
            and kinds[fig["item"]] in REQUIREMENT_KINDS
        ):
            weights[fig["item"]] = max(weights.get(fig["item"], 0.0), fig["percent"] / 100)
    listing = {t["id"] for t in kb["topics"] if t["requirements"]}
    for st in kb["statements"]:
        if role_id in st["roles"] and st["topic"] in listing:
            for term in st["terms"]:
                if kinds[term] in REQUIREMENT_KINDS:
                    weights.setdefault(term, QUALITATIVE_WEIGHT)
    return weights


def match_terms(kb: KB, given: list[str]) -> tuple[set[str], list[Unmatched]]:
    """Term ids for what the person named; names are folded (case, spaces, dashes)
    and matched against each term's id, name and aliases. A name that fits both a
    degree and a skill means the skill, unless it says "degree"."""
    by_name: dict[str, list[TermData]] = {}
    for term in kb["terms"]:
        if term["kind"] in REQUIREMENT_KINDS:
            for name in {term["id"], term["name"], *term["aliases"]}:
                by_name.setdefault(fold(name), []).append(term)
    found: set[str] = set()
    unmatched: list[Unmatched] = []
    for raw in given:
        key = fold(raw)
        wants_degree = "degree" in key
        if wants_degree and key not in by_name:
            key = key.replace("degreein", "").replace("degree", "")
        terms = by_name.get(key, [])
        if len(terms) > 1:
            terms = [t for t in terms if (t["kind"] == "degree") == wants_degree] or terms
        if terms:
            found.update(t["id"] for t in terms)
        else:
            close = difflib.get_close_matches(key, list(by_name), n=3, cutoff=0.6)
            unmatched.append(Unmatched(raw, sorted({by_name[c][0]["name"] for c in close})))
    return found, unmatched


def parse_have(have: str | None) -> list[str]:
    names = [h.strip() for h in (have or "").split(",") if h.strip()]
    if not names:
        raise UsageError(
            "--have needs at least one skill, tool or degree, comma-separated "
            "(e.g. --have python,sql,docker)"
        )
    return names


def score_roles(kb: KB, roles: list[RoleData], have: set[str]) -> list[Fit]:
    """Each role's fit, best first (ties keep the KB's role order)."""
    names = {t["id"]: t["name"] for t in kb["terms"]}
    fits = []
    for role in roles:
        weights = requirements(kb, role["id"])
        total = sum(weights.values())
        items = [Item(i, names[i], w, round(100 * w / total, 1)) for i, w in weights.items()]
        items.sort(key=lambda it: (-it.weight, it.name))
        matched = [it for it in items if it.id in have]
        missing = [it for it in items if it.id not in have]
        got = sum(it.weight for it in matched)
        score = round(100 * got / total, 1) if total else 0.0
        fits.append(Fit(role, score, matched, missing))
    return sorted(fits, key=lambda f: -f.score)


def fit_report(kb: KB, fits: list[Fit], roles: list[RoleData], learn_next: int = 5) -> Report:
    """Scores side by side (columns in the usual role order; the Lead column names the
    best), with what matched and what to learn next."""
    source = kb["sources"][0]["id"] if kb["sources"] else ""
    scores = {f.role["id"]: Cell((f"{f.score:g}%",), f.score) for f in fits}
    leader, lead = leader_of(scores)
    rows = [
        Row(
            "Score",
            source,
            scores,
            unit=PERCENT,
            leader=leader,
            lead=lead,
            meaning="Share of the role's weighted skills, tools and degrees that you have",
        ),
        Row(
            "You have",
            source,
            {
                f.role["id"]: Cell(tuple(f"{i.name} ({i.points:g})" for i in f.matched))
                for f in fits
            },
        ),
        Row(
            "Learn next",
            source,
            {
                f.role["id"]: Cell(
                    tuple(f"{i.name} (+{i.points:g})" for i in f.missing[:learn_next])
                )
                for f in fits
            },
        ),
    ]
    return Report(
        "fit",
        "Fit: how much of what each role asks for you already have",
        roles,
        [Section("fit", "Fit score (points out of 100)", rows)],
        list(kb["sources"]),
        extra={"fits": fits_data(fits)},
    )


def fits_data(fits: list[Fit]) -> list[dict[str, Any]]:
    """Each role's score with every item's weight and points, best first (README, "JSON")."""

    def items(found: list[Item]) -> list[dict[str, Any]]:
        return [
            {"item": i.id, "name": i.name, "weight": round(i.weight, 4), "points": i.points}
            for i in found
        ]

    return [
        {
            "role": f.role["id"],
            "name": f.role["name"],
            "score": f.score,
            "matched": items(f.matched),
            "missing": items(f.missing),
        }
        for f in fits
    ]
