"""`rolecompare import postings`: count what each role's postings ask for, from the files.

Each FILE is one analysis (one source of the KB written): for every role, N (its
postings) and, for each vocabulary term, k (its postings that name it), and, where a
file states annual pay, its N, median and 10th/25th/75th/90th percentiles. DuckDB reads
and counts; every count but a text column's is SQL over the file
(importers/postings_sql.py), so the same queries could run on a larger SQL engine. This
module is imported by `import postings` and `verify` only: nothing else pays for DuckDB.

The rules (version RULES, recorded in every figure; docs/commands.md, "Counting postings"):

- A posting's role comes from its title (or, with --label, from that column), read as
  words: case, accents kept, every run of characters other than letters, digits, + and
  # is one space. A role is named when its name, its name + "s", or an alias whose
  last word is the name's last word (or that + "s") occurs as whole consecutive words.
  Any other words may stand around it: "Senior", "Lead", "II", "(Remote)". An alias
  that names the field, not the person ("data science"), is not used: "Director of
  Data Science" is no data scientist. A title naming two roles counts for neither and
  is reported, as is every title that names none.
- Repeats: rows with the same title, company and location (case and outer spaces
  ignored) are one posting; a term counts for it when any copy names it, and its pay
  is the median of its copies' distinct amounts (so one more copy changes nothing).
  Without a company and location column, every row is a posting.
- A skill names a term when both fold to the same letters: case, spaces and every
  character but letters, digits, + and # ignored (scikit-learn = scikitlearn = Scikit
  Learn; C++ and C stay apart). Skills naming no term are counted, by their folded form.
- Degrees (since postings-2; postings-1 read a bare field name as a degree): a skill
  names a degree term only when it names a degree, a degree word and the field
  ("Bachelor's Degree in Computer Science", "Computer Science degree", "MS in
  Statistics"; importers/postings_degrees.py). A bare field name ("Data Science",
  "Engineering") is a discipline: a skill's or tool's when one is called so
  ("Statistics"), else a skill naming no term.
- Text (--text COLUMN, or a known text column such as ai-ml-jobs-usa's "description"):
  a posting names a term when its text does by textmatch.Matcher's rules (the reader of
  `fit --file`; docs/commands.md, "Reading free text"); with a skills list too, when either does
  (the union). Its shares record TEXT_RULES and the text column (where "text"). This
  one step runs in Python, not SQL.
- Pay: annual only. A row whose pay rate column says anything but "year" is not
  counted (hourly pay is never multiplied). Survey pay is "survey", never posted pay.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rolecompare.errors import RoleCompareError, UsageError
from rolecompare.importers.jsonwrite import Table, Value, compact, document
from rolecompare.importers.outdir import check_out, clear_stale, write_staged
from rolecompare.text import shown, shown_path
from rolecompare.textmatch import RULES_VERSION as TEXT_RULES_VERSION

if TYPE_CHECKING:
    from rolecompare.kb.types import KB

RULES = "postings-2"
# Figures counted with a text column: the postings rules, and textmatch's for the text.
TEXT_RULES = f"{RULES}-{TEXT_RULES_VERSION}"
PAY_TOPIC = "survey-pay"  # pay of any basis: the row's name says posted or self-reported
LEVEL_NAMES = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "executive"}
DEFAULT_TOPICS = {
    "skill": ("job-specific-skills", "skills"),
    "tool": ("toolset", "tools"),
    "degree": ("degrees", "education"),
}
TERM_KINDS = tuple(DEFAULT_TOPICS)

# The columns of the pinned datasets, by what they hold; the first one a file has is used.
KNOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("job_title", "title"),
    "company": ("company_name", "company", "companyName"),
    "location": ("job_location", "location"),
    "skills": ("job_skills", "skills"),
    "text": ("description", "job_description"),
    "salary": ("salary_year_avg", "salary_in_usd"),
    "rate": ("salary_rate",),
    "date": ("job_posted_date", "first_seen", "publishedAt", "work_year"),
    "id": ("job_link", "job_id"),
    "label": (),
    "country": ("company_location",),
    "level": ("experience_level",),
    "year": ("work_year",),
}


@dataclass(frozen=True)
class Dataset:
    """What rolecompare knows of a pinned dataset file, by its sha256."""

    id: str
    publisher: str
    title: str
    credit: str
    note: str
    method: str
    url: str
    basis: str = "posted"
    label: str | None = None
    # When its data is from (Source.data_date): the comparisons' "Posting data:" line.
    data_date: str | None = None
    # Said of its pay, in the note, only when the KB written holds pay figures of it.
    pay_note: str = ""


KNOWN: dict[str, Dataset] = {
    "c5d9b56452bb01f91e8c8f76b2b465a4c9b6732ef908aeb762f31664dcd2f721": Dataset(
        "data-jobs-2023",
        "Luke Barousse",
        "data_jobs (2023): job postings with a salary",
        "data_jobs by Luke Barousse (Apache-2.0)",
        "A model assigned the role labels from the title, and they are noisy; the file holds "
        "only the postings that state a salary, which leans towards contract and aggregator "
        "listings (not a sample of all postings); Google Jobs includes Indeed, so it is not "
        "fully independent of 365 Data Science's Indeed analysis. Repeats (same title, "
        "company and location) are counted once.",
        "Counted by rolecompare import postings from Google Jobs postings of 2023 that state "
        "a salary: roles from the dataset's label (job_title_short), skills from its "
        "job_skills list",
        "https://github.com/lukebarousse/Excel_Data_Analytics_Course",
        label="job_title_short",
        data_date="Google Jobs postings of 2023 (2023-01-01 to 2023-12-31)",
        pay_note="Pay: the postings' annual averages, of every country the file holds "
        "(mostly the US); hourly pay is not counted.",
    ),
    "024798d8727777dae5ddca6b0357661c75f29f4c220066017e08e04ba5c6afa9": Dataset(
        "asaniczka-2024",
        "asaniczka",
        "Data Science Job Postings & Skills (2024)",
        "Data Science Job Postings & Skills (2024) by asaniczka, Kaggle (ODC-By 1.0)",
        "One week of LinkedIn search results (2024-01-12 to 2024-01-17), US, UK, Canada and "
        "Australia; roles from the title; skills extracted from each description by the "
        "dataset's author. Repeats (same title, company and location) are counted once.",
        "Counted by rolecompare import postings from LinkedIn postings first seen in January "
        "2024: roles from the title, skills from the posting's skills list",
        "https://github.com/arazzaq96/D607_Project3",
        data_date="LinkedIn postings of 2024-01-12 to 2024-01-17",
    ),
    "fce1318d2fa6f574cd36ce192bf3c38debcb61892d15255eb8f772a05e4a5aef": Dataset(
        "aijobs-salaries",
        "aijobs.net",
        "aijobs.net salary index",
        "aijobs.net salary index (CC0)",
        "A voluntary survey: self-reported pay of people in jobs, not posted pay, and who "
        "answers is not a sample of all workers; worldwide, so figures are within one "
        "company location and one year.",
        "Counted by rolecompare import postings from the survey's answers: roles from "
        "job_title, pay from salary_in_usd, by experience level",
        "https://github.com/foorilla/ai-jobs-net-salaries",
        basis="survey",
        data_date="survey answers for the work years 2020 to 2025",
    ),
    "074423b17e0440d5a89128ab8220a22315b150ad4bfef44027e7086043695781": Dataset(
        "ai-ml-jobs-usa",
        "kanchana1990",
        "AI and ML Job Listings USA",
        "AI and ML Job Listings USA by kanchana1990, Kaggle (ODC-By 1.0)",
        "862 US LinkedIn postings for AI/ML roles, almost all of them engineering titles: its "
        "data scientists are few, and it is no data-scientist sample. Terms are read from each "
        "posting's full description (free text), not from a skills list. Repeats (same title, "
        "company and location) are counted once.",
        "Counted by rolecompare import postings from US LinkedIn AI/ML postings published "
        "2022-03-24 to 2024-06-01: roles from the title, terms read from each description",
        "https://github.com/jasonli35/AI-Job-Market-Trend",
        data_date="LinkedIn postings published 2022-03-24 to 2024-06-01",
    ),
}


@dataclass
class Columns:
    """Which column of the file holds what (None: the file has none)."""

    title: str | None = None
    company: str | None = None
    location: str | None = None
    skills: str | None = None
    text: str | None = None
    salary: str | None = None
    rate: str | None = None
    date: str | None = None
    id: str | None = None
    label: str | None = None
    country: str | None = None
    level: str | None = None
    year: str | None = None


@dataclass
class Options:
    """What the command line chose; None: the file's known column, or the default."""

    columns: dict[str, str] = field(default_factory=dict)
    terms: list[str] | None = None
    country: str | None = None
    year: str | None = None
    survey: bool = False
    sources_root: Path | None = None
    unknown: int = 0
    levels: bool = True  # pay of each level too, where the file has a level column
    pay_from: list[str] | None = None  # the source ids whose pay is counted; None: all


@dataclass
class Analysis:
    """One file's counts, as the KB records them."""

    path: Path
    file: str  # as the KB names it, relative to a sources folder
    sha256: str
    rule: str  # RULES, or TEXT_RULES when a text column was read
    dataset: Dataset
    rows: int
    postings: int
    repeats: int
    unmatched: int
    two_roles: int
    per_role: dict[str, int]
    shares: dict[str, dict[str, int]]  # role -> term -> k
    pay: list[PayFigure]
    pay_where: dict[str, str]
    unknown: list[tuple[str, int]]
    text: str | None = None  # the text column read, if any
    # role -> its postings' profile (kb/profiles.py); only from a skills list, not text
    profiles: dict[str, RoleProfile] = field(default_factory=dict)
    # role -> why it has no profile (over the bounds of kb/profiles.py), said in the summary
    unprofiled: dict[str, str] = field(default_factory=dict)


@dataclass
class RoleProfile:
    """One role's postings in one file: list length -> postings, and each distinct set
    of vocabulary terms (sorted ids) with its postings, most common first."""

    listed: dict[int, int]
    sets: list[tuple[int, tuple[str, ...]]]


@dataclass(frozen=True)
class PayFigure:
    role: str
    level: str | None  # the level column's value; None: every level
    n: int
    p10: float
    p25: float
    median: float
    p75: float
    p90: float


@dataclass
class ImportSummary:
    out: Path
    analyses: list[Analysis]
    seconds: float

    def describe(self) -> list[str]:
        lines = []
        for a in self.analyses:
            roles = ", ".join(f"{n:,} {r}" for r, n in a.per_role.items())
            what = (
                "answers" if a.dataset.basis == "survey" else "postings"
            )  # never call a survey postings
            lines.append(
                f"{shown_path(a.path)}: {a.rows:,} rows, {a.repeats:,} repeats dropped, "
                f"{a.postings:,} {what}: {roles or 'none of any role'}; "
                f"{a.unmatched:,} name no role, {a.two_roles:,} name two roles (not counted)"
            )
            for role, why in sorted(a.unprofiled.items(), key=lambda r: _order(a, r[0])):
                lines.append(
                    f"{shown_path(a.path)}: no posting profile for {role} ({why}): "
                    "fit and plan do not score this analysis for it, and check reads only its facts"
                )
        lines.append(f"wrote {shown_path(self.out)} in {self.seconds:.1f} s")
        return lines


def _order(a: Analysis, role: str) -> tuple[int, str]:
    """A role's place in the KB's order (that of per_role), for the summary's lines."""
    roles = list(a.per_role)
    return (roles.index(role) if role in roles else len(roles), role)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_input(path: Path) -> None:
    """A data error unless path is a regular file (never a FIFO, a device or a folder)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise RoleCompareError(f"{shown_path(path)}: cannot read it ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise RoleCompareError(f"{shown_path(path)}: not a regular file; give a data file")


def import_postings(
    files: list[Path], out_dir: Path, kb: KB, options: Options, *, force: bool = False
) -> ImportSummary:
    """Count each file and write a KB of the results to out_dir (see outdir.Staging)."""
    from rolecompare.importers import postings_sql

    start = time.perf_counter()
    if not files:
        raise UsageError("give at least one postings file")
    for path in files:
        check_input(path)
    out = Path(os.path.abspath(out_dir))
    clear_stale(out)
    for path in files:  # out may sit beside a file, never be it or hold it
        check_out(out_dir, force, reading=path)
    analyses = [postings_sql.count(path, kb, options) for path in files]
    ids = [a.dataset.id for a in analyses]
    if len(set(ids)) != len(ids):
        raise UsageError("two files would make the same source; give each dataset once")
    write_staged(out, force, lambda folder: _write(folder, analyses, kb, options))
    return ImportSummary(Path(out_dir), analyses, time.perf_counter() - start)


# ---- the KB written -------------------------------------------------------------------


def pay_item(basis: str, level: str | None) -> str:
    """The term a pay figure stands on: posted-pay, survey-pay, survey-pay-senior."""
    if level is None:
        return f"{basis}-pay"
    from rolecompare.importers.onet import slug

    return f"{basis}-pay-" + (LEVEL_NAMES.get(level) or slug(level, 40) or "level")


def pay_term(basis: str, level: str | None) -> Table:
    name = "Posted pay" if basis == "posted" else "Self-reported pay"
    if level is not None:
        name += f", {LEVEL_NAMES.get(level, level)} level"
        if level in LEVEL_NAMES:
            name += f" ({level})"
    return {
        "id": pay_item(basis, level),
        "name": name,
        "kind": "salary-metric",
        "aliases": [],
        "meaning": None,
    }


def term_topics(kb: KB) -> dict[str, str]:
    """Each term's topic for a share: that of the KB's first percent figure on it, else of
    the first statement naming it under its kind's command, else its kind's default."""
    chosen: dict[str, str] = {}
    for fig in kb["figures"]:
        if fig["percent"] is not None:  # not a counted share: an earlier import's choice
            chosen.setdefault(fig["item"], fig["topic"])
    commands = {t["id"]: t["command"] for t in kb["topics"]}
    kinds = {t["id"]: t["kind"] for t in kb["terms"]}
    for st in kb["statements"]:  # else the topic where the KB's statements name it
        for named in [st["item"], *st["terms"]]:
            kind = kinds.get(named or "", "")
            wanted = DEFAULT_TOPICS.get(kind, ("", ""))[1]
            if named and commands[st["topic"]] == wanted:
                chosen.setdefault(named, st["topic"])
    for t in kb["terms"]:
        if t["kind"] in DEFAULT_TOPICS:
            chosen.setdefault(t["id"], DEFAULT_TOPICS[t["kind"]][0])
    return chosen


def _write(root: Path, analyses: list[Analysis], kb: KB, options: Options) -> None:
    from rolecompare.atomic import new_file

    for folder in ("sources", "roles", "vocabulary", "facts"):
        (root / folder).mkdir()
    topics: list[Table] = [_table(t) for t in kb["topics"]]
    terms: list[Table] = [_table(t) for t in kb["terms"]]
    have_topics = {str(t["id"]) for t in topics}
    have_terms = {str(t["id"]) for t in terms}
    for kind, (tid, command) in DEFAULT_TOPICS.items():
        if tid not in have_topics:
            title = f"{kind.capitalize()}s in job postings"
            topics.append(_topic(tid, title, command))
            have_topics.add(tid)
    for a in analyses:
        basis = "survey" if options.survey else a.dataset.basis
        if a.pay and PAY_TOPIC not in have_topics:
            topics.append(_topic(PAY_TOPIC, "Pay counted from postings or a survey", "salary"))
            have_topics.add(PAY_TOPIC)
        for p in a.pay:
            if pay_item(basis, p.level) not in have_terms:
                terms.append(pay_term(basis, p.level))
                have_terms.add(pay_item(basis, p.level))
    new_file(
        root / "vocabulary" / "vocabulary.json",
        document(
            {}, {"topics": [compact(t) for t in topics], "terms": [compact(t) for t in terms]}
        ),
    )
    for role in kb["roles"]:  # occupation codes name sources this KB does not hold
        role_table: Table = {"id": role["id"], "name": role["name"], "aliases": [*role["aliases"]]}
        new_file(root / "roles" / f"{role['id']}.json", document({"role": role_table}, {}))
    chosen_topics = term_topics(kb)
    for a in analyses:
        new_file(root / "sources" / f"{a.dataset.id}.json", document({"source": _source(a)}, {}))
        facts = root / "facts" / a.dataset.id
        facts.mkdir()
        basis = "survey" if options.survey else a.dataset.basis
        for role in kb["roles"]:
            figures = _figures(a, role["id"], chosen_topics, basis)
            if figures:
                head: dict[str, Value] = {"source": a.dataset.id, "roles": [role["id"]]}
                new_file(facts / f"{role['id']}.json", document(head, {"figures": figures}))
        _write_profiles(root, a)


def _write_profiles(root: Path, a: Analysis) -> None:
    """postings/<source>/<role>.json: each role's posting profile (kb/profiles.py)."""
    from rolecompare.atomic import new_file
    from rolecompare.kb.profiles import MAX_BYTES

    for role, profile in a.profiles.items():
        folder = root / "postings" / a.dataset.id
        head: dict[str, Value] = {
            "source": a.dataset.id,
            "role": role,
            "counted": {"file": a.file, "sha256": a.sha256, "rule": a.rule},
            "postings": a.per_role[role],
            "listed": {str(k): v for k, v in sorted(profile.listed.items())},
        }
        sets = [compact([c, list(terms)]) for c, terms in profile.sets]
        data = document(head, {"sets": sets})
        if len(data) > MAX_BYTES:  # never a part of a profile: none, said in the summary
            a.unprofiled[role] = f"{len(data):,} bytes, over {MAX_BYTES:,}"
            continue
        folder.mkdir(parents=True, exist_ok=True)
        new_file(folder / f"{role}.json", data)


def _table(data: Mapping[str, object]) -> Table:
    """A KB record (topic, term) as JSON writes it: text, flags and lists of text."""
    out: Table = {}
    for key, value in data.items():
        out[key] = [str(v) for v in value] if isinstance(value, list) else value  # type: ignore[assignment]
    return out


def _topic(tid: str, title: str, command: str) -> Table:
    return {
        "id": tid,
        "title": title,
        "command": command,
        "measure": None,
        "requirements": False,
        "detail": False,
    }


def _source(a: Analysis) -> Table:
    d = a.dataset
    table: Table = {
        "id": d.id,
        "publisher": d.publisher,
        "title": d.title,
        "method": d.method,
        "sample": f"{a.postings:,} {'answers' if d.basis == 'survey' else 'postings'} "
        f"after {a.repeats:,} repeats were dropped, from {a.rows:,} rows",
        "note": f"{d.note} {d.pay_note}" if a.pay and d.pay_note else d.note,
        "url": d.url,
        "credit": d.credit,
        "document": a.file,
        "sha256": a.sha256,
        "data_date": d.data_date,
        "postings": d.basis == "posted",
    }
    return {k: v for k, v in table.items() if v}


def _figures(a: Analysis, role: str, topics: dict[str, str], basis: str) -> list[bytes]:
    figures: list[bytes] = []
    n = a.per_role.get(role, 0)
    if n:
        for term, k in sorted(a.shares.get(role, {}).items()):
            if term not in topics:
                continue
            selected: dict[str, Value] = {"role": role, "term": term}
            if a.text is not None:
                selected["text"] = a.text
            counted = _counted(a, selected, a.rule)
            fig: Table = {
                "topic": topics[term],
                "item": term,
                "share": {"k": k, "n": n},
                "counted": counted,
            }
            figures.append(compact(fig))
    for p in a.pay:
        if p.role != role:
            continue
        where: dict[str, Value] = {"role": role, **a.pay_where}
        if p.level is not None:
            where["level"] = p.level
        pay: Table = {
            "n": p.n,
            "p10": p.p10,
            "p25": p.p25,
            "median": p.median,
            "p75": p.p75,
            "p90": p.p90,
            "currency": "USD",
            "period": "year",
            "basis": basis,
        }
        figures.append(
            compact(
                {
                    "topic": PAY_TOPIC,
                    "item": pay_item(basis, p.level),
                    "pay": pay,
                    "counted": _counted(a, where, RULES),  # pay reads no text
                }
            )
        )
    return figures


def _counted(a: Analysis, where: dict[str, Value], rule: str) -> Table:
    return {"file": a.file, "sha256": a.sha256, "rule": rule, "where": where}


def kb_file_name(path: Path, root: Path | None) -> str:
    """How the KB names a dataset file: relative to the sources folder (root), else its name."""
    if root is not None:
        try:
            return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
        except ValueError:
            raise UsageError(
                f"{shown_path(path)} is not inside --sources-root {shown_path(root)}"
            ) from None
    return path.name if path.name else shown(str(path))
