"""Rules that span several KB files: references that must resolve, names that must be unique.

Each file has already passed its own model; these checks see the whole KB and
report every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rolecompare.errors import Problem, field_path
from rolecompare.kb.types import fold


@dataclass
class Located:
    """A record from a KB file with where it came from, for error messages."""

    file: str
    path: tuple[str | int, ...]
    data: dict[str, Any]


Path = tuple[str | int, ...]
LineFinder = Callable[[str, Path], int | None]
Report = Callable[[Located, Path, str], None]


def check_kb(
    sources: list[Located],
    roles: list[Located],
    topics: list[Located],
    terms: list[Located],
    facts: list[Located],
    locate: LineFinder,
) -> list[Problem]:
    problems: list[Problem] = []

    def report(rec: Located, sub: Path, message: str) -> None:
        path = rec.path + sub
        problems.append(Problem(rec.file, locate(rec.file, path), field_path(path), message))

    for kind, records in (("source", sources), ("role", roles), ("topic", topics), ("term", terms)):
        _unique_ids(kind, records, report)
    _unique_role_names(roles, report)
    _unique_term_names(terms, report)
    known = Known(*({r.data["id"] for r in recs} for recs in (sources, roles, topics, terms)))
    for rec in roles:
        for code_source in rec.data["occupations"]:
            if code_source not in known.sources:
                report(
                    rec,
                    ("occupations", code_source),
                    f"unknown source {code_source!r}; known: {known.listed('sources')}",
                )
    seen: dict[tuple[str, str, str, str], Located] = {}
    for rec in facts:
        _check_fact_file(rec, known, report)
        _one_value_per_item(rec, seen, report)
    return problems


@dataclass
class Known:
    """The ids a fact may refer to."""

    sources: set[str]
    roles: set[str]
    topics: set[str]
    terms: set[str]

    def __post_init__(self) -> None:
        self._listed: dict[str, str] = {}  # kind -> the few ids a message shows

    def listed(self, kind: str) -> str:
        """A few of the ids of one kind, for a message: sorted once per kind, however many
        problems name an unknown one (docs/performance.md, "What rolecompare does for speed")."""
        shown = self._listed.get(kind)
        if shown is None:
            shown = self._listed[kind] = _known(getattr(self, kind))
        return shown


def _check_fact_file(rec: Located, known: Known, report: Report) -> None:
    """A fact file's source, roles, and each fact's topic and terms must exist."""
    d = rec.data
    if d["source"] not in known.sources:
        report(
            rec, ("source",), f"unknown source {d['source']!r}; known: {known.listed('sources')}"
        )
    for i, role in enumerate(d["roles"]):
        if role not in known.roles:
            report(rec, ("roles", i), f"unknown role {role!r}; known: {known.listed('roles')}")
    if len(set(d["roles"])) != len(d["roles"]):
        report(rec, ("roles",), "a role is listed twice")
    for kind in ("figures", "statements", "contradictions"):
        for i, fact in enumerate(d[kind]):
            if fact["topic"] not in known.topics:
                report(
                    rec,
                    (kind, i, "topic"),
                    f"unknown topic {fact['topic']!r}; known: {known.listed('topics')}",
                )
            if fact.get("item") is not None and fact["item"] not in known.terms:
                report(rec, (kind, i, "item"), f"unknown term {fact['item']!r}")
            for j, term in enumerate(fact.get("terms", [])):
                if term not in known.terms:
                    report(rec, (kind, i, "terms", j), f"unknown term {term!r}")


def _one_value_per_item(
    rec: Located, seen: dict[tuple[str, str, str, str], Located], report: Report
) -> None:
    """A source gives each role one figure per item and topic, across all its files."""
    d = rec.data
    for i, fig in enumerate(d["figures"]):
        for role in d["roles"]:
            key = (d["source"], role, fig["topic"], fig["item"])
            if key in seen:
                report(
                    rec,
                    ("figures", i),
                    f"{role} already has a {fig['topic']}/{fig['item']} figure from "
                    f"{d['source']} in {seen[key].file}; a source gives one value per item",
                )
            else:
                seen[key] = rec


def _unique_ids(kind: str, records: list[Located], report: Report) -> None:
    first: dict[str, Located] = {}
    for rec in records:
        rid = rec.data["id"]
        if rid in first:
            report(rec, ("id",), f"{kind} {rid!r} is already defined in {first[rid].file}")
        else:
            first[rid] = rec


def _unique_role_names(roles: list[Located], report: Report) -> None:
    from rolecompare.kb.lookalike import confusable_key, confusing_characters

    owner: dict[str, str] = {}
    for rec in roles:
        role = rec.data
        names: list[tuple[Path, str]] = [(("id",), role["id"]), (("name",), role["name"])]
        names += [(("aliases", i), a) for i, a in enumerate(role["aliases"])]
        mine: set[str] = set()
        for where, name in names:
            why = confusing_characters(name)
            if why is not None:
                report(
                    rec,
                    where,
                    f"{name!r} holds {why}; role names and aliases must read as what they are",
                )
            key = confusable_key(name)
            if key in mine:
                continue
            mine.add(key)
            if key in owner and owner[key] != role["id"]:
                report(
                    rec,
                    where,
                    f"{name!r} already names role {owner[key]!r}; "
                    "role ids, names and aliases must be unique across the KB",
                )
            else:
                owner.setdefault(key, role["id"])


def _unique_term_names(terms: list[Located], report: Report) -> None:
    # Names must be unique within a kind; "Statistics" may be a degree and a skill.
    owner: dict[tuple[str, str], str] = {}
    for rec in terms:
        term = rec.data
        for i, name in enumerate([term["name"], *term["aliases"]]):
            key = (term["kind"], fold(name))
            if key in owner and owner[key] != term["id"]:
                sub = ("name",) if i == 0 else ("aliases", i - 1)
                report(rec, sub, f"{name!r} already names {term['kind']} {owner[key]!r}")
            owner.setdefault(key, term["id"])


def _known(ids: Iterable[str], shown: int = 8) -> str:
    """The ids a reference may use, a few of them: a message stays one readable line."""
    names = sorted(ids)
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return (", ".join(names[:shown]) + more) or "(none)"
