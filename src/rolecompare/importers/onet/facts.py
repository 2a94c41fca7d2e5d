"""The facts an O*NET import makes: each occupation's figures and statements, and the
vocabulary (topics and terms) they name.

    maker = FactMaker(db, titles, chosen, counts)
    facts = maker.make(occupations)      # code -> [("statements", {...}), ...]
    topics, terms = topic_records(), term_records(maker.vocab)   # term_records: ids.py

One fact per row that a file gives for a chosen occupation, each with a `record` that
names its file, the key columns that identify its row and the other columns it reads,
exactly as in the file (nothing rounded, merged or invented); the package's docstring
lists the topics. Every file is read and every term id made before any fact, over the
whole database, so that ids do not depend on which occupations are imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rolecompare.errors import RoleCompareError
from rolecompare.importers.jsonwrite import Table
from rolecompare.importers.onet.ids import Ids, Term, Titles, Vocabulary, distinct_names
from rolecompare.importers.onet.read import (
    ALTERNATE,
    CATEGORIES,
    CODE,
    EDUCATION,
    OCCUPATIONS,
    RELATED,
    TASKS,
    TECHNOLOGY,
    ZONE_NAMES,
    ZONES,
    Rows,
    quoted,
    read_rows,
)

Fact = tuple[str, Table]  # the list it goes in ("figures", "statements"), and the record
SCALE = "RL"  # Required Level of Education
SUPPLEMENTAL = "Supplemental"
PERCENT = re.compile(r"\d{1,3}(?:\.\d+)?")

TECH_MEASURE = "O*NET's flags Hot Technology and In Demand, not shares of job postings"
# Each row's Domain Source says whose answers its Data Value shares out: incumbents'
# or occupational experts' (shown with --details), so the measure names neither alone.
EDUCATION_MEASURE = (
    "% of ratings (Data Value, scale RL) of incumbents or occupational experts, as each "
    "row's Domain Source says"
)
# The level that is no degree: an education term, but not a degree that fit asks for.
NO_DEGREE = "1"
# id, title, command, measure, detail; the order in which each command shows them
TOPICS: list[tuple[str, str, str, str | None, bool]] = [
    ("onet-description", "What the occupation is", "work", None, False),
    ("onet-tasks", "Tasks", "work", None, False),
    ("onet-supplemental-tasks", "Supplemental tasks", "work", None, True),
    ("onet-alternate-titles", "Alternate titles", "work", None, True),
    (
        "onet-technology",
        "Technology skills flagged Hot Technology or In Demand",
        "skills",
        TECH_MEASURE,
        False,
    ),
    (
        "onet-technology-other",
        "Technology skills with neither flag",
        "tools",
        "listed by O*NET, with neither Hot Technology nor In Demand",
        False,
    ),
    ("onet-job-zone", "Job zone (how much preparation the work needs)", "education", None, False),
    (
        "onet-required-education",
        "Required level of education",
        "education",
        EDUCATION_MEASURE,
        False,
    ),
    ("onet-related-occupations", "Related occupations", "path", None, False),
]
# Topics whose statements list what an occupation asks for (fit and plan count them).
REQUIREMENT_TOPICS = {"onet-technology"}
ITEM_DESCRIPTION = "occupation-description"
ITEM_JOB_ZONE = "job-zone"
# The item of every alternate title: `roles --search` finds a role by these statements too
# (compare/roles.py, ALTERNATE_TITLE), also by the titles several occupations share, which
# are no alias of any.
ITEM_ALTERNATE = "alternate-title"
FLAGS = {
    ("Y", "Y"): "Hot Technology, In Demand",
    ("Y", "N"): "Hot Technology",
    ("N", "Y"): "In Demand",
    ("N", "N"): "Listed (neither Hot Technology nor In Demand)",
}

EDUCATION_COLUMNS = [
    CODE,
    "Element ID",
    "Scale ID",
    "Category",
    "Data Value",
    "N",
    "Recommend Suppress",
    "Date",
    "Domain Source",
]
RELATED_COLUMNS = [CODE, "Related O*NET-SOC Code", "Relatedness Tier", "Index"]


def record(file: str, key: dict[str, str], values: dict[str, str] | None = None) -> Table:
    rec: Table = {"file": file, "key": dict(key)}
    if values:
        rec["values"] = dict(values)
    return rec


@dataclass
class Counts:
    figures: int = 0
    statements: int = 0
    suppressed: int = 0
    files: int = 0
    bytes: int = 0


def check_education(line: int, cat: str, value: str, items: dict[str, str]) -> None:
    """An error unless the row's category is a known level and its value a percentage."""
    if cat not in items:
        raise RoleCompareError(
            f"{EDUCATION}:{line}: category {quoted(cat)} of scale {SCALE} is not in {CATEGORIES}"
        )
    if not PERCENT.fullmatch(value) or float(value) > 100:
        raise RoleCompareError(
            f"{EDUCATION}:{line}: Data Value {quoted(value)} is not a percentage"
        )


def education_record(rows: Rows, line: int, cells: list[str]) -> Table:
    """The record of an education row: its key columns and the values it gives."""
    code, element, scale, cat, value, n, suppress, date, domain = cells
    key = {
        CODE: code,
        "Element ID": rows.cell(line, "Element ID", element),
        "Scale ID": scale,
        "Category": cat,
    }
    return record(
        EDUCATION,
        key,
        {
            "Data Value": value,
            "N": rows.cell(line, "N", n),
            "Recommend Suppress": rows.cell(line, "Recommend Suppress", suppress),
            "Date": rows.cell(line, "Date", date),
            "Domain Source": rows.cell(line, "Domain Source", domain),
        },
    )


class FactMaker:
    """The facts of the chosen occupations; the terms they name gather in vocab, and the
    figures and statements made are counted in counts."""

    def __init__(self, db: Path, titles: Titles, chosen: set[str], counts: Counts) -> None:
        self.db = db
        self.titles = titles
        self.chosen = chosen
        self.vocab = Vocabulary()
        self.ids = Ids()
        self.counts = counts

    def make(self, occ: Rows) -> dict[str, list[Fact]]:
        """The figures and statements of each chosen occupation, in the order made.

        Every file is read first and every term id made before any fact, over the
        whole database, so that ids do not depend on which occupations are imported."""
        tasks = read_rows(self.db, TASKS, [CODE, "Task ID", "Task", "Task Type"])
        tech = read_rows(self.db, TECHNOLOGY, [CODE, "Example", "Hot Technology", "In Demand"])
        zones = read_rows(self.db, ZONES, [CODE, "Job Zone", "Date", "Domain Source"])
        zone_names = read_rows(self.db, ZONE_NAMES, ["Job Zone", "Name"])
        cats = read_rows(self.db, CATEGORIES, ["Scale ID", "Category", "Category Description"])
        edu = read_rows(self.db, EDUCATION, EDUCATION_COLUMNS)
        related = read_rows(self.db, RELATED, RELATED_COLUMNS)

        self._occupation_aspects()
        task_items = self._task_terms(tasks)
        tier_items = self._tier_terms(related)
        level_items = self._level_terms(cats)
        tech_items = self.ids.assign((r[1] for _l, r in tech.rows), "", "technology")
        tech_names = distinct_names(tech_items)

        facts: dict[str, list[Fact]] = {}
        alternates = read_rows(self.db, ALTERNATE, [CODE, "Alternate Title", "Short Title"])
        self._descriptions(facts, occ)
        self._alternates(facts, alternates)
        self._tasks(facts, tasks, task_items)
        self._technology(facts, tech, tech_items, tech_names)
        self._job_zones(facts, zones, zone_names)
        self._education(facts, edu, level_items)
        self._related(facts, related, tier_items)
        return facts

    def _occupation_aspects(self) -> None:
        """The aspect terms of an occupation's description and job zone."""
        self._aspect(ITEM_DESCRIPTION, "Description", "The occupation as O*NET describes it")
        self._aspect(
            ITEM_ALTERNATE,
            "Alternate title",
            f"Another title for the occupation, from {ALTERNATE}",
        )
        self._aspect(
            ITEM_JOB_ZONE,
            "Job zone",
            f"How much preparation an occupation needs; {ZONE_NAMES} names each zone",
        )

    def _task_terms(self, tasks: Rows) -> dict[str, str]:
        """An aspect term for each Task Type: its id by Task Type."""
        kinds = sorted({r[3] for _l, r in tasks.rows})
        task_items = self.ids.assign(kinds, "tasks-", "untyped")
        for kind in kinds:
            name = "Tasks (Task Type n/a)" if kind == "n/a" else f"{kind} tasks"
            self.vocab.add(Term(task_items[kind], name, "aspect"))
        return task_items

    def _tier_terms(self, related: Rows) -> dict[str, str]:
        """An aspect term for each Relatedness Tier: its id by tier."""
        tiers = sorted({r[2] for _l, r in related.rows})
        tier_items = self.ids.assign(tiers, "related-", "tier")
        for tier in tiers:
            self.vocab.add(Term(tier_items[tier], f"Related ({tier})", "aspect"))
        return tier_items

    def _level_terms(self, cats: Rows) -> dict[str, str]:
        """A degree term for each education level of the scale: its id by Category."""
        levels = {
            cat: cats.cell(line, "Category Description", text)
            for line, (scale, cat, text) in cats.rows
            if scale == SCALE
        }
        level_names = {cat: text.split(" - ", 1)[0].strip() or text for cat, text in levels.items()}
        level_ids = self.ids.assign(level_names.values(), "education-", "level")
        level_items = {cat: level_ids[name] for cat, name in level_names.items()}
        for cat in sorted(levels, key=number_order):
            name = level_names[cat]
            kind = "aspect" if cat == NO_DEGREE else "degree"
            self.vocab.add(
                Term(level_items[cat], name, kind, levels[cat] if levels[cat] != name else None)
            )
        return level_items

    def _descriptions(self, facts: dict[str, list[Fact]], occ: Rows) -> None:
        for line, (code, _title, desc) in occ.rows:
            if code in self.chosen:
                text = occ.cell(line, "Description", desc)
                rec = record(OCCUPATIONS, {CODE: code}, {"Description": text})
                facts.setdefault(code, []).append(
                    self._statement("onet-description", ITEM_DESCRIPTION, text, rec)
                )

    def _alternates(self, facts: dict[str, list[Fact]], rows: Rows) -> None:
        for line, (code, title, short) in rows.rows:
            if code in self.chosen:
                text = rows.cell(line, "Alternate Title", title)
                rec = record(
                    ALTERNATE,
                    {
                        CODE: code,
                        "Alternate Title": text,
                        "Short Title": rows.cell(line, "Short Title", short),
                    },
                )
                facts.setdefault(code, []).append(
                    self._statement("onet-alternate-titles", ITEM_ALTERNATE, text, rec)
                )

    def _aspect(self, term_id: str, name: str, meaning: str | None = None) -> str:
        self.ids.taken.add(term_id)
        return self.vocab.add(Term(term_id, name, "aspect", meaning))

    def _statement(self, topic: str, item: str, text: str, record: Table) -> Fact:
        self.counts.statements += 1
        return (
            "statements",
            {"topic": topic, "item": self.vocab.use(item), "text": text, "record": record},
        )

    def _tasks(self, facts: dict[str, list[Fact]], rows: Rows, items: dict[str, str]) -> None:
        for line, (code, task_id, task, kind) in rows.rows:
            if code not in self.chosen:
                continue
            topic = "onet-supplemental-tasks" if kind == SUPPLEMENTAL else "onet-tasks"
            text = rows.cell(line, "Task", task)
            rec = record(
                TASKS,
                {CODE: code, "Task ID": rows.cell(line, "Task ID", task_id)},
                {"Task": text, "Task Type": rows.cell(line, "Task Type", kind)},
            )
            facts.setdefault(code, []).append(self._statement(topic, items[kind], text, rec))

    def _technology(
        self,
        facts: dict[str, list[Fact]],
        rows: Rows,
        items: dict[str, str],
        names: dict[str, str],
    ) -> None:
        for line, (code, example, hot, demand) in rows.rows:
            if code not in self.chosen:
                continue
            flags = FLAGS.get((hot, demand))
            if flags is None:
                raise RoleCompareError(
                    f"{TECHNOLOGY}:{line}: Hot Technology and In Demand are "
                    f"Y or N, not {quoted(hot)} and {quoted(demand)}"
                )
            name = rows.cell(line, "Example", example)
            self.vocab.add(Term(items[example], names[example], "tool"))
            topic = "onet-technology-other" if (hot, demand) == ("N", "N") else "onet-technology"
            rec = record(
                TECHNOLOGY,
                {CODE: code, "Example": name},
                {"Hot Technology": hot, "In Demand": demand},
            )
            fact = self._statement(topic, items[example], flags, rec)
            fact[1]["terms"] = [items[example]]  # what fit and plan count
            facts.setdefault(code, []).append(fact)

    def _job_zones(self, facts: dict[str, list[Fact]], rows: Rows, ref: Rows) -> None:
        names = {zone: ref.cell(line, "Name", name) for line, (zone, name) in ref.rows}
        for line, (code, zone, date, domain) in rows.rows:
            if code not in self.chosen:
                continue
            if zone not in names:
                raise RoleCompareError(
                    f"{ZONES}:{line}: job zone {quoted(zone)} is not in {ZONE_NAMES}"
                )
            rec = record(
                ZONES,
                {CODE: code},
                {
                    "Job Zone": zone,
                    "Date": rows.cell(line, "Date", date),
                    "Domain Source": rows.cell(line, "Domain Source", domain),
                },
            )
            # The date and domain source stay with the zone: "Analyst - Preliminary" is
            # part of what the zone is worth.
            text = f"{names[zone]} (Date: {date}; Domain Source: {domain})"
            facts.setdefault(code, []).append(
                self._statement("onet-job-zone", ITEM_JOB_ZONE, text, rec)
            )

    def _education(self, facts: dict[str, list[Fact]], rows: Rows, items: dict[str, str]) -> None:
        for line, cells in rows.rows:
            code, _element, scale, cat, value, _n, suppress, _date, _domain = cells
            if scale != SCALE or code not in self.chosen:
                continue
            check_education(line, cat, value, items)
            rec = education_record(rows, line, cells)
            item = self.vocab.use(items[cat])
            self.counts.figures += 1
            fact: Table = {
                "topic": "onet-required-education",
                "item": item,
                "percent": float(value),
                "record": rec,
            }
            out = facts.setdefault(code, [])
            out.append(("figures", fact))
            if suppress == "Y":
                self.counts.suppressed += 1
                out.append(
                    self._statement(
                        "onet-required-education",
                        item,
                        "Recommend Suppress = Y: O*NET recommends suppressing this value",
                        rec,
                    )
                )

    def _related(self, facts: dict[str, list[Fact]], rows: Rows, items: dict[str, str]) -> None:
        for line, (code, other, tier, index) in rows.rows:
            if code not in self.chosen:
                continue
            if other not in self.titles:
                raise RoleCompareError(
                    f"{RELATED}:{line}: related occupation {quoted(other)} is not in {OCCUPATIONS}"
                )
            rec = record(
                RELATED,
                {CODE: code, "Related O*NET-SOC Code": other},
                {
                    "Relatedness Tier": rows.cell(line, "Relatedness Tier", tier),
                    "Index": rows.cell(line, "Index", index),
                },
            )
            text = f"{self.titles[other][1]} ({other})"
            facts.setdefault(code, []).append(
                self._statement("onet-related-occupations", items[tier], text, rec)
            )


def topic_records() -> list[Fact]:
    """The topics file's records, in TOPICS' order."""
    topics: list[Fact] = []
    for tid, title, command, measure, detail in TOPICS:
        topic: Table = {"id": tid, "title": title, "command": command}
        if measure:
            topic["measure"] = measure
        if tid in REQUIREMENT_TOPICS:
            topic["requirements"] = True
        if detail:
            topic["detail"] = True
        topics.append(("topics", topic))
    return topics


def number_order(text: str) -> tuple[int, str]:
    return (int(text), text) if text.isdigit() else (1 << 30, text)
