"""Writing an O*NET import: the KB's files in a temporary folder beside the output
folder, validated, then moved into place (outdir.Staging), so that a failure leaves the
output folder as it was.

    summary = import_onet(db, out, ["15-2051.00"])   # an ImportSummary; see the package
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rolecompare.atomic import new_file
from rolecompare.errors import RoleCompareError, UsageError
from rolecompare.importers.jsonwrite import Table, compact, document
from rolecompare.importers.onet.facts import Counts, Fact, FactMaker, topic_records
from rolecompare.importers.onet.ids import Titles, aliases, role_id, role_names, term_records
from rolecompare.importers.onet.read import (
    ALTERNATE,
    CODE,
    CODE_PATTERN,
    NOTE,
    OCCUPATIONS,
    Release,
    Rows,
    quoted,
    read_release,
    read_rows,
)
from rolecompare.importers.outdir import check_out, clear_stale, write_staged
from rolecompare.text import shown_path

SOURCE_ID = "onet"
MAX_WRITE = 1024 * 1024  # split a KB file that would grow past this (files.MAX_FILE_BYTES: 2 MiB)
# The lists of a KB file, in the order the importer writes them (as the models list them).
LISTS = ("figures", "statements", "topics", "terms")


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
    release = read_release(db)
    occ = read_rows(db, OCCUPATIONS, [CODE, "Title", "Description"])
    titles = _titles(occ)
    _check_known(wanted, titles, db, release)
    chosen = [c for c in titles if wanted is None or c in wanted]
    importer = Importer(db, release, titles, set(chosen))
    counts, kept = _write_kb(importer, occ, chosen, out, force, check)
    return _summary(Path(out_dir), importer, counts, time.perf_counter() - start, kept)


def _summary(
    out_dir: Path, importer: Importer, counts: Counts, seconds: float, kept: Path | None
) -> ImportSummary:
    release = importer.release
    return ImportSummary(
        out_dir,
        release.title,
        release.date,
        len(importer.chosen),
        counts.figures,
        counts.statements,
        len(importer.facts.vocab.used),
        counts.suppressed,
        counts.files,
        counts.bytes,
        seconds,
        kept,
    )


def _titles(occ: Rows) -> Titles:
    """Each occupation code -> (its line, its title); a code must be well formed and once."""
    titles: Titles = {}
    for line, (code, title, _desc) in occ.rows:
        if not CODE_PATTERN.fullmatch(code):
            raise RoleCompareError(f"{OCCUPATIONS}:{line}: {quoted(code)} is not an O*NET-SOC code")
        if code in titles:
            raise RoleCompareError(f"{OCCUPATIONS}:{line}: {code} is listed twice")
        titles[code] = (line, occ.cell(line, "Title", title))
    return titles


def _check_known(wanted: list[str] | None, titles: Titles, db: Path, release: Release) -> None:
    """A usage error for the first wanted code the database does not list."""
    if wanted is not None:
        unknown = [c for c in wanted if c not in titles]
        if unknown:
            raise UsageError(
                f"unknown O*NET-SOC code {unknown[0]}: it is not in "
                f"{shown_path(db / OCCUPATIONS)} ({release.title})"
            )


def _write_kb(
    importer: Importer, occ: Rows, chosen: list[str], out: Path, force: bool, check: bool
) -> tuple[Counts, Path | None]:
    """Write the KB to a temporary folder beside out, validate it (with check) and move
    it into place (outdir.Staging); on any failure out is left as it was. Returns the
    counts, and where anything found in a replaced KB that was not part of it was kept."""
    return write_staged(out, force, lambda kb: importer.write(kb, occ, chosen), check)


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
        if not CODE_PATTERN.fullmatch(code):
            raise UsageError(f"{quoted(code)} is not an O*NET-SOC code (like 15-2051.00)")
        if code in seen:
            raise UsageError(f"O*NET-SOC code {code} is given twice")
        seen.add(code)
    return list(codes)


class Importer:
    """Writes the KB of the chosen occupations into a folder, counting what it writes."""

    def __init__(self, db: Path, release: Release, titles: Titles, chosen: set[str]) -> None:
        self.db = db
        self.release = release
        self.titles = titles
        self.chosen = chosen
        self.counts = Counts()
        self.facts = FactMaker(db, titles, chosen, self.counts)

    def write(self, root: Path, occ: Rows, order: list[str]) -> Counts:
        for folder in ("sources", "roles", "vocabulary", f"facts/{SOURCE_ID}"):
            (root / folder).mkdir(parents=True)
        self._file(root / "sources" / f"{SOURCE_ID}.json", document({"source": self._source()}, {}))
        facts = self.facts.make(occ)
        names = role_names(self.titles, order)
        alt = read_rows(self.db, ALTERNATE, [CODE, "Alternate Title", "Short Title"])
        more = aliases(alt, self.titles, self.chosen)
        for code in order:
            rid = role_id(code)
            role: Table = {
                "id": rid,
                "name": names[code],
                "aliases": [code, *more.get(code, [])],
                "occupations": {SOURCE_ID: code},
            }
            self._file(root / "roles" / f"{rid}.json", document({"role": role}, {}))
            if facts.get(code):
                head: Table = {"source": SOURCE_ID, "roles": [rid]}
                self._files(root / "facts" / SOURCE_ID, rid, head, facts[code])
        self._files(root / "vocabulary", "topics", {}, topic_records())
        self._files(root / "vocabulary", "terms", {}, term_records(self.facts.vocab))
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
            "note": NOTE,
            "per_occupation": True,
        }
        return source


def document_path(db: Path) -> str:
    """The source's `document`: the database folder as seen from the folder above its
    parent, which `rolecompare verify --sources` is given ("sources/onet-29.2" for
    shared/sources/onet-29.2)."""
    path = Path(os.path.abspath(db))
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


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
