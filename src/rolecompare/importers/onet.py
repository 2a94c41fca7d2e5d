"""Import the O*NET® database (its tab-separated text files) as a complete KB folder.

    summary = import_onet(Path("onet-29.2"), Path("kb-onet"), ["15-2051.00", "15-1221.00"])
    summary = import_onet(db, out, None)             # every occupation in Occupation Data.txt

One role per occupation, and for each, every fact with a `record` that names its file,
the key columns that identify its row and the other columns it reads, exactly as in
the file (nothing rounded, merged or invented; what a file does not report for an
occupation is not in the KB). A statement's record holds the column its text comes
from, so that `rolecompare verify` can check every number in it:

    topic (command)                          fact, from
    onet-description (work)                  the description, Occupation Data.txt
    onet-alternate-titles* (work)            one per alternate title, Alternate Titles.txt
                                             (what `roles --search` also searches)
    onet-tasks, onet-supplemental-tasks*     one per task, Task Statements.txt; its item
      (work)                                 is its Task Type
    onet-technology (tools)                  one per example flagged Hot Technology or In
                                             Demand, Technology Skills.txt; item = example
    onet-technology-other* (tools)           one per example with neither flag
    onet-job-zone (education)                the zone's name, Job Zones.txt (named from
                                             Job Zone Reference.txt)
    onet-required-education (education)      a percent figure per category of scale RL,
                                             Education, Training, and Experience.txt
    onet-related-occupations (path)          one per related occupation, Related
                                             Occupations.txt; its item is its tier

(* detail topics: shown in tables only with --details.) A figure whose row has
`Recommend Suppress = Y` gets a statement on the same row saying so. A Data Value of
0.00 is a value O*NET reports, so it is a 0% figure.

Ids: a role's id is its code with the dot as a dash (15-2051.00 -> 15-2051-00); the
code itself is its first alias and its `occupations.onet`. Term ids are slugs of the
names (`+` -> plus, `#` -> sharp, `&` -> and; at most 64 characters), made over the
whole database so that they do not depend on which occupations are imported; where
two names make the same slug, the names in sorted order get the slug, then -2, -3, ...

Aliases: the code, then the occupation's Short Titles, then its Alternate Titles
(fewest words first, then shortest, then alphabetical), at most MAX_ALIASES besides
the code, each only if no other occupation in the database has it as its title, an
alternate title or a short title (compared as role names are: case, spaces, dashes
and dots ignored). So "Machine Learning Engineer", an alternate title of three
occupations, is an alias of none.

Timing: `benchmark(db_dir)` imports into a temporary folder and validates the result
with `rolecompare.kb.load.validate_dir` (which never reads the cache), returning seconds
and sizes:

    .venv/bin/python -c "from pathlib import Path; from rolecompare.importers.onet import
    benchmark; print(benchmark(Path('../shared/sources/onet-29.2')))"   (one line)
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rolecompare.atomic import new_file
from rolecompare.errors import RoleCompareError, UsageError
from rolecompare.importers.jsonwrite import Table, compact, document
from rolecompare.importers.outdir import Staging, check_out, clear_stale, validate_written
from rolecompare.kb.data import fold
from rolecompare.kb.sourcefiles import SourceFileError, decode_text, parse_tsv, read_under
from rolecompare.text import shown, shown_path

SOURCE_ID = "onet"
MAX_ALIASES = 10
MAX_TEXT = 2000  # the KB's longest text field (models.Text)
MAX_WRITE = 1024 * 1024  # split a KB file that would grow past this (files.MAX_FILE_BYTES: 2 MiB)
# The lists of a KB file, in the order the importer writes them (as the models list them).
LISTS = ("figures", "statements", "topics", "terms")
Fact = tuple[str, Table]  # the list it goes in ("figures", "statements"), and the record
KB_FOLDERS = ("sources", "roles", "vocabulary", "facts")

README = "Read Me.txt"
OCCUPATIONS = "Occupation Data.txt"
ALTERNATE = "Alternate Titles.txt"
TECHNOLOGY = "Technology Skills.txt"
ZONES = "Job Zones.txt"
ZONE_NAMES = "Job Zone Reference.txt"
EDUCATION = "Education, Training, and Experience.txt"
CATEGORIES = "Education, Training, and Experience Categories.txt"
RELATED = "Related Occupations.txt"
TASKS = "Task Statements.txt"
DB_FILES = (
    README,
    OCCUPATIONS,
    ALTERNATE,
    TECHNOLOGY,
    ZONES,
    ZONE_NAMES,
    EDUCATION,
    CATEGORIES,
    RELATED,
    TASKS,
)

CODE = "O*NET-SOC Code"
SCALE = "RL"  # Required Level of Education
SUPPLEMENTAL = "Supplemental"
_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")
_PERCENT = re.compile(r"\d{1,3}(?:\.\d+)?")

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


@dataclass(frozen=True)
class ImportSummary:
    """What import_onet wrote."""

    out_dir: Path
    release: str  # e.g. "O*NET 29.2 Database", the first line of Read Me.txt
    release_date: str  # e.g. "February 2025", from "February 2025 Release"
    roles: int
    figures: int
    statements: int
    terms: int
    suppressed: int  # figures whose row says Recommend Suppress = Y (each flagged)
    files: int
    bytes: int
    seconds: float
    # Where what a replaced KB held besides its KB files was kept (outdir.Staging.kept).
    kept: Path | None = None

    def describe(self) -> str:
        return (
            f"{self.out_dir}: {self.roles:,} occupations from the {self.release} "
            f"({self.release_date}): {self.figures:,} figures, {self.statements:,} "
            f"statements, {self.terms:,} terms; {self.files:,} files, {self.bytes:,} "
            f"bytes in {self.seconds:.1f} s"
        )


# ---------------------------------------------------------------- reading the files


@dataclass
class _Rows:
    """The cells of some columns of an O*NET text file, with each row's line number."""

    file: str
    columns: tuple[str, ...]
    rows: list[tuple[int, list[str]]]

    def cell(self, line: int, column: str, text: str) -> str:
        """A cell as the KB will hold it, or an error: KB text is non-empty, has no
        leading or trailing whitespace and is at most MAX_TEXT characters."""
        if not text or text != text.strip() or len(text) > MAX_TEXT:
            why = (
                "is empty"
                if not text
                else "has leading or trailing whitespace"
                if text != text.strip()
                else f"is longer than {MAX_TEXT:,} characters"
            )
            raise RoleCompareError(
                f"{self.file}:{line}: {column} {why}; the KB cannot hold it exactly"
            )
        return text

    def by_code(self, wanted: set[str] | None = None) -> dict[str, list[tuple[int, list[str]]]]:
        """Rows grouped by their first column (the occupation code), in file order."""
        out: dict[str, list[tuple[int, list[str]]]] = {}
        for line, cells in self.rows:
            if wanted is None or cells[0] in wanted:
                out.setdefault(cells[0], []).append((line, cells))
        return out


def _read(db: Path, name: str, columns: Sequence[str]) -> _Rows:
    """The named columns of a tab-separated O*NET file (CRLF or LF lines, UTF-8), read
    as `rolecompare verify` reads it (sourcefiles.parse_tsv)."""
    try:
        table = parse_tsv(_read_bytes(db, name))
    except SourceFileError as exc:
        raise RoleCompareError(exc.at(name)) from None
    header = table.header
    missing = [c for c in columns if c not in header]
    if missing:
        raise RoleCompareError(f"{name}: no column {_q(missing[0])}; is it an O*NET text file?")
    at = [header.index(c) for c in columns]
    rows = []
    for n, raw in enumerate(table.lines, 2):
        cells = raw.split("\t")  # as many as the header's: parse_tsv checked
        rows.append((n, [cells[i] for i in at]))
    return _Rows(name, tuple(columns), rows)


@dataclass(frozen=True)
class _Release:
    title: str  # "O*NET 29.2 Database"
    version: str  # "29.2"
    date: str  # "February 2025"
    url: str | None


def _read_bytes(db: Path, name: str) -> bytes:
    """A database file's bytes: a regular file, never through a symlink, never waiting
    on a FIFO, at most sourcefiles.MAX_DATA_BYTES."""
    try:
        return read_under(db, name)
    except SourceFileError as exc:
        if exc.message == "not found":
            raise RoleCompareError(
                f"{shown_path(db / name)}: not found; an O*NET database folder holds "
                f"{', '.join(DB_FILES)}"
            ) from None
        raise RoleCompareError(f"{shown_path(db / name)}: {exc.message}") from None


def _release(db: Path) -> _Release:
    path = db / README
    try:
        text = decode_text(_read_bytes(db, README))
    except SourceFileError as exc:
        raise RoleCompareError(exc.at(README)) from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = re.fullmatch(r"O\*NET (\S+) Database", lines[0]) if lines else None
    date = re.fullmatch(r"(.+) Release", lines[1]) if len(lines) > 1 else None
    if title is None or date is None:
        raise RoleCompareError(
            f"{shown_path(path)}: expected 'O*NET <version> Database' and '<month> "
            "<year> Release' on its first lines"
        )
    url = next((ln for ln in lines if re.fullmatch(r"https?://\S+/database\.html", ln)), None)
    return _Release(title.group(), title.group(1), date.group(1), url)


# ---------------------------------------------------------------- ids


def slug(name: str, limit: int = 64) -> str:
    """A KB id made from a name: lower case ASCII words joined by dashes, at most limit
    characters, cut at a dash where it can be; "" if the name has no letter or digit."""
    text = name.lower().replace("+", " plus ").replace("#", " sharp ").replace("&", " and ")
    text = re.sub(r"['\u2019]", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > limit:
        cut = text[:limit]
        if text[limit] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        text = cut.strip("-")
    return text


class _Ids:
    """Unique slugs for names, the same for the same set of names whatever their order."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        # The suffix each clashing slug tries next: every lower one is taken (taken only
        # grows), so n names that make one slug cost n tries, not n²/2.
        self._next: dict[str, int] = {}

    def assign(
        self, names: Iterable[str], prefix: str = "", fallback: str = "item"
    ) -> dict[str, str]:
        limit = 64 - len(prefix) - 4  # room for a -NNN suffix
        base = {n: prefix + (slug(n, limit) or fallback) for n in sorted(set(names))}
        counts: dict[str, int] = {}
        for b in base.values():
            counts[b] = counts.get(b, 0) + 1
        out = {n: b for n, b in base.items() if counts[b] == 1 and b not in self.taken}
        self.taken |= set(out.values())
        for n, b in base.items():  # sorted: the first of a clash keeps the bare slug
            if n in out:
                continue
            candidate, k = b, self._next.get(b, 1)
            if k > 1:
                candidate = f"{b}-{k}"
            while candidate in self.taken:
                k += 1
                candidate = f"{b}-{k}"
            out[n] = candidate
            self.taken.add(candidate)
            self._next[b] = k + 1
        return out


# ---------------------------------------------------------------- the import


@dataclass
class _Term:
    id: str
    name: str
    kind: str
    meaning: str | None = None


@dataclass
class _Vocabulary:
    terms: dict[str, _Term] = field(default_factory=dict)  # by id, in the order made
    used: set[str] = field(default_factory=set)

    def add(self, term: _Term) -> str:
        self.terms.setdefault(term.id, term)
        return term.id

    def use(self, term_id: str) -> str:
        self.used.add(term_id)
        return term_id


def _record(file: str, key: dict[str, str], values: dict[str, str] | None = None) -> Table:
    rec: Table = {"file": file, "key": dict(key)}
    if values:
        rec["values"] = dict(values)
    return rec


@dataclass
class _Counts:
    figures: int = 0
    statements: int = 0
    suppressed: int = 0
    files: int = 0
    bytes: int = 0


def import_onet(
    db_dir: Path, out_dir: Path, codes: list[str] | None, *, force: bool = False, check: bool = True
) -> ImportSummary:
    """Write a KB of the O*NET occupations `codes` (None: all) read from db_dir to out_dir.

    out_dir must not exist or be empty; with force, an existing KB folder (nothing in
    it but KB files in sources/, roles/, vocabulary/, facts/) is replaced. The KB is
    written to a temporary folder beside out_dir, validated (unless check is false) and
    then moved into place, so a failure leaves out_dir as it was (see outdir.py for
    what may be replaced, and the temporary folders of killed imports).

    Raises UsageError (exit 2) for a bad argument: db_dir not a folder, out_dir not
    empty (or not a KB, with force), a code that is malformed, given twice or not in
    the database; RoleCompareError (exit 1) for bad data: a missing or unreadable
    database file, a malformed row, a value the KB cannot hold exactly.
    """
    start = time.perf_counter()
    # Absolute, so that "." or "dir/.." has a real name and parent for the temporary folder.
    db, out = Path(db_dir), Path(os.path.abspath(out_dir))
    _check_paths(db, Path(out_dir), force)
    wanted = _check_codes(codes)
    release = _release(db)
    occ = _read(db, OCCUPATIONS, [CODE, "Title", "Description"])
    titles = _titles(occ)
    _check_known(wanted, titles, db, release)
    chosen = [c for c in titles if wanted is None or c in wanted]
    importer = _Importer(db, release, titles, set(chosen))
    counts, kept = _write_kb(importer, occ, chosen, out, force, check)
    return ImportSummary(
        Path(out_dir),
        release.title,
        release.date,
        len(chosen),
        counts.figures,
        counts.statements,
        len(importer.vocab.used),
        counts.suppressed,
        counts.files,
        counts.bytes,
        time.perf_counter() - start,
        kept,
    )


def _titles(occ: _Rows) -> dict[str, tuple[int, str]]:
    """Each occupation code -> (its line, its title); a code must be well formed and once."""
    titles: dict[str, tuple[int, str]] = {}
    for line, (code, title, _desc) in occ.rows:
        if not _CODE.fullmatch(code):
            raise RoleCompareError(f"{OCCUPATIONS}:{line}: {_q(code)} is not an O*NET-SOC code")
        if code in titles:
            raise RoleCompareError(f"{OCCUPATIONS}:{line}: {code} is listed twice")
        titles[code] = (line, occ.cell(line, "Title", title))
    return titles


def _check_known(
    wanted: list[str] | None, titles: dict[str, tuple[int, str]], db: Path, release: _Release
) -> None:
    """A usage error for the first wanted code the database does not list."""
    if wanted is not None:
        unknown = [c for c in wanted if c not in titles]
        if unknown:
            raise UsageError(
                f"unknown O*NET-SOC code {unknown[0]}: it is not in "
                f"{shown_path(db / OCCUPATIONS)} ({release.title})"
            )


def _write_kb(
    importer: _Importer, occ: _Rows, chosen: list[str], out: Path, force: bool, check: bool
) -> tuple[_Counts, Path | None]:
    """Write the KB to a temporary folder beside out, validate it (with check) and move
    it into place (outdir.Staging); on any failure out is left as it was. Returns the
    counts, and where anything found in a replaced KB that was not part of it was kept."""
    with Staging(out, force) as stage:
        try:
            counts = importer.write(stage.kb, occ, chosen)
            if check:
                validate_written(stage.kb, out)
            stage.install()
        except OSError as exc:
            raise RoleCompareError(
                f"{shown_path(out)}: cannot write the KB ({exc.strerror or exc})"
            ) from None
    return counts, stage.kept


def _check_paths(db: Path, out: Path, force: bool) -> None:
    if not db.is_dir():
        raise UsageError(f"{shown_path(db)}: O*NET database folder not found")
    clear_stale(Path(os.path.abspath(out)))
    check_out(out, force, reading=db)  # named as the user gave it


def _check_codes(codes: list[str] | None) -> list[str] | None:
    if codes is None:
        return None
    if not codes:
        raise UsageError("no O*NET-SOC codes given; give at least one, or none for all")
    seen: set[str] = set()
    for code in codes:
        if not _CODE.fullmatch(code):
            raise UsageError(f"{_q(code)} is not an O*NET-SOC code (like 15-2051.00)")
        if code in seen:
            raise UsageError(f"O*NET-SOC code {code} is given twice")
        seen.add(code)
    return list(codes)


def _check_education(line: int, cat: str, value: str, items: dict[str, str]) -> None:
    """An error unless the row's category is a known level and its value a percentage."""
    if cat not in items:
        raise RoleCompareError(
            f"{EDUCATION}:{line}: category {_q(cat)} of scale {SCALE} is not in {CATEGORIES}"
        )
    if not _PERCENT.fullmatch(value) or float(value) > 100:
        raise RoleCompareError(f"{EDUCATION}:{line}: Data Value {_q(value)} is not a percentage")


def _education_record(rows: _Rows, line: int, cells: list[str]) -> Table:
    """The record of an education row: its key columns and the values it gives."""
    code, element, scale, cat, value, n, suppress, date, domain = cells
    key = {
        CODE: code,
        "Element ID": rows.cell(line, "Element ID", element),
        "Scale ID": scale,
        "Category": cat,
    }
    return _record(
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


class _Importer:
    def __init__(
        self, db: Path, release: _Release, titles: dict[str, tuple[int, str]], chosen: set[str]
    ) -> None:
        self.db = db
        self.release = release
        self.titles = titles
        self.chosen = chosen
        self.vocab = _Vocabulary()
        self.ids = _Ids()
        self.counts = _Counts()

    # -- files

    def write(self, root: Path, occ: _Rows, order: list[str]) -> _Counts:
        for folder in ("sources", "roles", "vocabulary", f"facts/{SOURCE_ID}"):
            (root / folder).mkdir(parents=True)
        self._file(root / "sources" / f"{SOURCE_ID}.json", document({"source": self._source()}, {}))
        facts = self._facts(occ)
        names = self._role_names(order)
        aliases = self._aliases()
        for code in order:
            rid = role_id(code)
            role: Table = {
                "id": rid,
                "name": names[code],
                "aliases": [code, *aliases.get(code, [])],
                "occupations": {SOURCE_ID: code},
            }
            self._file(root / "roles" / f"{rid}.json", document({"role": role}, {}))
            if facts.get(code):
                head: Table = {"source": SOURCE_ID, "roles": [rid]}
                self._files(root / "facts" / SOURCE_ID, rid, head, facts[code])
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
        self._files(root / "vocabulary", "topics", {}, topics)
        terms = [self._term(t) for t in self.vocab.terms.values() if t.id in self.vocab.used]
        self._files(root / "vocabulary", "terms", {}, [("terms", t) for t in terms])
        return self.counts

    def _file(self, path: Path, data: bytes) -> None:
        new_file(path, data)
        self.counts.files += 1
        self.counts.bytes += len(data)

    def _files(self, folder: Path, stem: str, head: Table, records: list[Fact]) -> None:
        """head and records in stem.json, or in stem.json, stem-2.json, ... where one
        file would grow past MAX_WRITE; one record per line."""
        chunks: list[list[tuple[str, bytes]]] = [[]]
        start = size = len(document(head, {}))
        for kind, record in records:
            line = compact(record)
            if chunks[-1] and size + len(line) + 32 > MAX_WRITE:  # 32: the list's brackets
                chunks.append([])
                size = start
            chunks[-1].append((kind, line))
            size += len(line) + 6  # its indent, comma and newline
        for i, chunk in enumerate(chunks, 1):
            lists: dict[str, list[bytes]] = {kind: [] for kind in LISTS}
            for kind, line in chunk:
                lists[kind].append(line)
            name = f"{stem}.json" if i == 1 else f"{stem}-{i}.json"
            self._file(folder / name, document(head, lists))

    @staticmethod
    def _term(t: _Term) -> Table:
        out: Table = {"id": t.id, "name": t.name, "kind": t.kind}
        if t.meaning:
            out["meaning"] = t.meaning
        return out

    def _source(self) -> Table:
        r = self.release
        source: Table = {
            "id": SOURCE_ID,
            "publisher": "U.S. Department of Labor, Employment and Training Administration "
            "(USDOL/ETA)",
            "short": "O*NET",
            "title": r.title,
            "date": r.date,
        }
        if r.url:
            source["url"] = r.url
        source |= {
            "citation": f"{r.title}, {r.date} Release, U.S. Department of Labor, Employment and "
            f"Training Administration (USDOL/ETA)" + (f", {r.url}" if r.url else ""),
            "credit": f"This page includes information from the O*NET {r.version} Database by "
            "the U.S. Department of Labor, Employment and Training Administration "
            "(USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of "
            "USDOL/ETA.",
            "modified": "rolecompare has modified all or some of this information. USDOL/ETA "
            "has not approved, endorsed, or tested these modifications.",
            "document": document_path(self.db),
            "note": (
                "Imported by rolecompare from the database's text files. Selected: "
                f"{OCCUPATIONS} (titles, descriptions), {ALTERNATE} (a few unique titles as "
                f"aliases), {TASKS}, {TECHNOLOGY} (with the Hot Technology and In Demand "
                f"flags), {ZONES} (named from {ZONE_NAMES}), {EDUCATION} (scale RL, required "
                f"level of education, one figure per category; rows with Recommend Suppress "
                f"= Y are flagged) and {RELATED}. Each fact's record names its file and row."
            ),
            "per_occupation": True,
        }
        return source

    # -- roles

    def _role_names(self, order: list[str]) -> dict[str, str]:
        """Titles; a title that folds like another occupation's gets its code added."""
        owners: dict[str, int] = {}
        for _line, title in self.titles.values():
            owners[fold(title)] = owners.get(fold(title), 0) + 1
        names = {}
        for code in order:
            title = self.titles[code][1]
            names[code] = title if owners[fold(title)] == 1 else f"{title} ({code})"
        return names

    def _aliases(self) -> dict[str, list[str]]:
        alt = _read(self.db, ALTERNATE, [CODE, "Alternate Title", "Short Title"])
        owners: dict[str, set[str]] = {}
        for code, (_line, title) in self.titles.items():
            owners.setdefault(fold(title), set()).add(code)
            owners.setdefault(fold(code), set()).add(code)
        candidates: dict[str, tuple[list[str], list[str]]] = {}
        for line, (code, title, short) in alt.rows:
            names = [title] if short == "n/a" else [title, short]
            for name in names:
                owners.setdefault(fold(name), set()).add(code)
            if code in self.chosen:
                shorts, titles = candidates.setdefault(code, ([], []))
                titles.append(alt.cell(line, "Alternate Title", title))
                if short != "n/a":
                    shorts.append(alt.cell(line, "Short Title", short))
        out: dict[str, list[str]] = {}
        for code, (shorts, titles) in candidates.items():
            mine = {fold(code), fold(role_id(code)), fold(self.titles[code][1])}
            picked: list[str] = []
            by_length = sorted(titles, key=lambda t: (len(t.split()), len(t), t))
            for name in [*shorts, *by_length]:
                key = fold(name)
                if len(picked) == MAX_ALIASES:
                    break
                if key in mine or owners[key] != {code}:
                    continue
                mine.add(key)
                picked.append(name)
            if picked:
                out[code] = picked
        return out

    # -- facts

    def _facts(self, occ: _Rows) -> dict[str, list[Fact]]:
        """The figures and statements of each chosen occupation, in the order made.

        Every file is read first and every term id made before any fact, over the
        whole database, so that ids do not depend on which occupations are imported."""
        tasks = _read(self.db, TASKS, [CODE, "Task ID", "Task", "Task Type"])
        tech = _read(self.db, TECHNOLOGY, [CODE, "Example", "Hot Technology", "In Demand"])
        zones = _read(self.db, ZONES, [CODE, "Job Zone", "Date", "Domain Source"])
        zone_names = _read(self.db, ZONE_NAMES, ["Job Zone", "Name"])
        cats = _read(self.db, CATEGORIES, ["Scale ID", "Category", "Category Description"])
        edu = _read(
            self.db,
            EDUCATION,
            [
                CODE,
                "Element ID",
                "Scale ID",
                "Category",
                "Data Value",
                "N",
                "Recommend Suppress",
                "Date",
                "Domain Source",
            ],
        )
        related = _read(
            self.db, RELATED, [CODE, "Related O*NET-SOC Code", "Relatedness Tier", "Index"]
        )

        self._occupation_aspects()
        task_items = self._task_terms(tasks)
        tier_items = self._tier_terms(related)
        level_items = self._level_terms(cats)
        tech_items = self.ids.assign((r[1] for _l, r in tech.rows), "", "technology")
        tech_names = _distinct_names(tech_items)

        facts: dict[str, list[Fact]] = {}
        alternates = _read(self.db, ALTERNATE, [CODE, "Alternate Title", "Short Title"])
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

    def _task_terms(self, tasks: _Rows) -> dict[str, str]:
        """An aspect term for each Task Type: its id by Task Type."""
        kinds = sorted({r[3] for _l, r in tasks.rows})
        task_items = self.ids.assign(kinds, "tasks-", "untyped")
        for kind in kinds:
            name = "Tasks (Task Type n/a)" if kind == "n/a" else f"{kind} tasks"
            self.vocab.add(_Term(task_items[kind], name, "aspect"))
        return task_items

    def _tier_terms(self, related: _Rows) -> dict[str, str]:
        """An aspect term for each Relatedness Tier: its id by tier."""
        tiers = sorted({r[2] for _l, r in related.rows})
        tier_items = self.ids.assign(tiers, "related-", "tier")
        for tier in tiers:
            self.vocab.add(_Term(tier_items[tier], f"Related ({tier})", "aspect"))
        return tier_items

    def _level_terms(self, cats: _Rows) -> dict[str, str]:
        """A degree term for each education level of the scale: its id by Category."""
        levels = {
            cat: cats.cell(line, "Category Description", text)
            for line, (scale, cat, text) in cats.rows
            if scale == SCALE
        }
        level_names = {cat: text.split(" - ", 1)[0].strip() or text for cat, text in levels.items()}
        level_ids = self.ids.assign(level_names.values(), "education-", "level")
        level_items = {cat: level_ids[name] for cat, name in level_names.items()}
        for cat in sorted(levels, key=_number):
            name = level_names[cat]
            kind = "aspect" if cat == NO_DEGREE else "degree"
            self.vocab.add(
                _Term(level_items[cat], name, kind, levels[cat] if levels[cat] != name else None)
            )
        return level_items

    def _descriptions(self, facts: dict[str, list[Fact]], occ: _Rows) -> None:
        for line, (code, _title, desc) in occ.rows:
            if code in self.chosen:
                text = occ.cell(line, "Description", desc)
                rec = _record(OCCUPATIONS, {CODE: code}, {"Description": text})
                facts.setdefault(code, []).append(
                    self._statement("onet-description", ITEM_DESCRIPTION, text, rec)
                )

    def _alternates(self, facts: dict[str, list[Fact]], rows: _Rows) -> None:
        for line, (code, title, short) in rows.rows:
            if code in self.chosen:
                text = rows.cell(line, "Alternate Title", title)
                rec = _record(
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
        return self.vocab.add(_Term(term_id, name, "aspect", meaning))

    def _statement(self, topic: str, item: str, text: str, record: Table) -> Fact:
        self.counts.statements += 1
        return (
            "statements",
            {"topic": topic, "item": self.vocab.use(item), "text": text, "record": record},
        )

    def _tasks(self, facts: dict[str, list[Fact]], rows: _Rows, items: dict[str, str]) -> None:
        for line, (code, task_id, task, kind) in rows.rows:
            if code not in self.chosen:
                continue
            topic = "onet-supplemental-tasks" if kind == SUPPLEMENTAL else "onet-tasks"
            text = rows.cell(line, "Task", task)
            rec = _record(
                TASKS,
                {CODE: code, "Task ID": rows.cell(line, "Task ID", task_id)},
                {"Task": text, "Task Type": rows.cell(line, "Task Type", kind)},
            )
            facts.setdefault(code, []).append(self._statement(topic, items[kind], text, rec))

    def _technology(
        self,
        facts: dict[str, list[Fact]],
        rows: _Rows,
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
                    f"Y or N, not {_q(hot)} and {_q(demand)}"
                )
            name = rows.cell(line, "Example", example)
            self.vocab.add(_Term(items[example], names[example], "tool"))
            topic = "onet-technology-other" if (hot, demand) == ("N", "N") else "onet-technology"
            rec = _record(
                TECHNOLOGY,
                {CODE: code, "Example": name},
                {"Hot Technology": hot, "In Demand": demand},
            )
            fact = self._statement(topic, items[example], flags, rec)
            fact[1]["terms"] = [items[example]]  # what fit and plan count
            facts.setdefault(code, []).append(fact)

    def _job_zones(self, facts: dict[str, list[Fact]], rows: _Rows, ref: _Rows) -> None:
        names = {zone: ref.cell(line, "Name", name) for line, (zone, name) in ref.rows}
        for line, (code, zone, date, domain) in rows.rows:
            if code not in self.chosen:
                continue
            if zone not in names:
                raise RoleCompareError(
                    f"{ZONES}:{line}: job zone {_q(zone)} is not in {ZONE_NAMES}"
                )
            rec = _record(
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

    def _education(self, facts: dict[str, list[Fact]], rows: _Rows, items: dict[str, str]) -> None:
        for line, cells in rows.rows:
            code, _element, scale, cat, value, _n, suppress, _date, _domain = cells
            if scale != SCALE or code not in self.chosen:
                continue
            _check_education(line, cat, value, items)
            rec = _education_record(rows, line, cells)
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

    def _related(self, facts: dict[str, list[Fact]], rows: _Rows, items: dict[str, str]) -> None:
        for line, (code, other, tier, index) in rows.rows:
            if code not in self.chosen:
                continue
            if other not in self.titles:
                raise RoleCompareError(
                    f"{RELATED}:{line}: related occupation {_q(other)} is not in {OCCUPATIONS}"
                )
            rec = _record(
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


def document_path(db: Path) -> str:
    """The source's `document`: the database folder as seen from the folder above its
    parent, which `rolecompare verify --sources` is given ("sources/onet-29.2" for
    shared/sources/onet-29.2)."""
    path = Path(os.path.abspath(db))
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _q(value: str) -> str:
    """A value from a file or an argument, quoted for a one-line message."""
    return f"'{shown(value)}'"


def role_id(code: str) -> str:
    """The KB role id of an O*NET-SOC code: 15-2051.00 -> 15-2051-00."""
    return code.replace(".", "-")


def _distinct_names(ids: dict[str, str]) -> dict[str, str]:
    """Each name, or where names are the same but for case, spaces, dashes and dots (which
    the KB does not allow within a kind of term), all but the first (sorted) with their id
    added: "Foo Bar" and "foo-bar [foo-bar-2]"."""
    seen: set[str] = set()
    out = {}
    for name in sorted(ids):
        key = fold(name)
        out[name] = name if key not in seen else f"{name} [{ids[name]}]"
        seen.add(key)
    return out


def _number(text: str) -> tuple[int, str]:
    return (int(text), text) if text.isdigit() else (1 << 30, text)


def benchmark(db_dir: Path, codes: list[str] | None = None) -> dict[str, float]:
    """Import into a temporary folder, then validate the result from scratch.

    Returns import_s (without the importer's own validation), validate_s
    (rolecompare.kb.load.validate_dir, which never reads the cache, in this process:
    pydantic's import is counted if it was not imported before), roles, files and
    bytes. The temporary folder is removed.
    """
    from rolecompare.kb.load import validate_dir

    with tempfile.TemporaryDirectory(prefix="rolecompare-onet-") as tmp:
        start = time.perf_counter()
        summary = import_onet(db_dir, Path(tmp) / "kb", codes, check=False)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        validate_dir(Path(tmp) / "kb")
        validated = time.perf_counter() - start
    return {
        "import_s": imported,
        "validate_s": validated,
        "roles": summary.roles,
        "files": summary.files,
        "bytes": summary.bytes,
    }
