"""Check a KB's facts against the pinned copies of their sources (`rolecompare verify`).

verify_kb_dir(kb_dir, sources_dir) reads the KB files (TOML or JSON) under kb_dir/sources
and kb_dir/facts (it does not validate them: run validate for that) and returns one
Problem per thing that does not match, sorted by file and line; an empty list means
every fact is backed by its source. sources_dir is the folder that holds `seeds/`
and `sources/`; each source's `document` names a path inside it, and each record's
`file` a path inside its document folder. Both must be plain relative paths (no `..`,
nothing absolute: kb/sourcefiles.py), and every file is read as the KB's own are:
never through a symlink, never a FIFO or a device, and bounded in size.

What is checked:
- A quote (of a figure, statement, ladder or contradiction, and a source's own
  `quote`) must occur in its source's document. Both sides are normalised first:
  runs of whitespace become one space, curly quotes and apostrophes become straight
  ones, bullets (•) are dropped and a Markdown-escaped `\\$` reads as `$`. An HTML
  document (.html, .htm) is read as text with html.parser: script and style are
  skipped, and block elements (p, div, td, br, li, ...) separate words.
- A record must name a row of `record.file` inside the source's document folder (a
  tab-separated file with a header line): exactly one row has the key columns'
  values, and that row has every value in `record.values`, compared exactly.
- A figure's number (percent, count, money amount, or both ends of a range) must
  be one of the numbers written in its quote, or in its record's values. Numbers
  are read as written: "112,590" is 112590 and "33.0" is 33.
- Every number in a statement's text must be written in its quote or record (key
  or values), and every number in a contradiction's text in one of its quotes.

A source without a `document`, or whose document is not found or not a plain relative
path, is one problem for
the source (its facts are then not checked one by one); a missing data file is one
problem however many records name it; a KB directory or sources folder that does
not exist is the only problem reported. Each file is read and parsed once per
run. Pure: it reads files and returns problems; it prints nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rolecompare.errors import Problem, RoleCompareError, Unparsable, field_path
from rolecompare.kb import syntax
from rolecompare.kb.files import KBFile, read_kb_files
from rolecompare.kb.sourcefiles import (
    SourceFileError,
    decode_text,
    files_by_content,
    kind_under,
    path_problem,
    read_under,
    sha256_of,
)
from rolecompare.kb.sourcetext import HTML, FieldPath, RecordTable, figure_values, numbers
from rolecompare.kb.sourcetext import html_text as html_text
from rolecompare.kb.sourcetext import normalise as normalise
from rolecompare.kb.types import FACT_KINDS
from rolecompare.text import shown


class _Checker:
    """Every path a KB names is a plain relative path (sourcefiles.path_problem), opened
    inside sources_dir as the KB's own files are: never through a symlink, never a FIFO or
    a device, never more than sourcefiles.MAX_DATA_BYTES."""

    def __init__(self, kb_dir: Path, sources_dir: Path) -> None:
        self.kb_dir = kb_dir
        self.sources_dir = sources_dir
        self.problems: list[Problem] = []
        self._texts: dict[str, str | SourceFileError] = {}
        self._tables: dict[str, RecordTable | SourceFileError] = {}
        self._missing_files: set[str] = set()
        self._lines: dict[str, syntax.LineFinder] = {}
        self._by_content: dict[str, str] | None = None
        # Counted figures, re-computed from their dataset once every file is read.
        self.counted: list[tuple[str, str, FieldPath, dict[str, Any], _Document]] = []

    # ---------------------------------------------------------------- reporting

    def report(self, file: str, text: str, path: FieldPath, message: str) -> None:
        index = self._lines.get(file)
        if index is None:
            index = self._lines[file] = syntax.line_index(file, text)
        self.problems.append(Problem(file, index.locate(path), field_path(path), message))

    def where(self, rel: str) -> str:
        """A path inside the sources folder, as a message shows it."""
        return shown(str(self.sources_dir / rel))

    # ---------------------------------------------------------------- documents

    def document_text(self, rel: str) -> str | SourceFileError:
        if rel not in self._texts:
            try:
                raw = decode_text(read_under(self.sources_dir, rel))
            except SourceFileError as exc:
                self._texts[rel] = exc
            else:
                text = html_text(raw) if rel.lower().endswith(HTML) else raw
                self._texts[rel] = normalise(text)
        return self._texts[rel]

    def table(self, rel: str) -> RecordTable | SourceFileError:
        if rel not in self._tables:
            try:
                self._tables[rel] = RecordTable(read_under(self.sources_dir, rel))
            except SourceFileError as exc:
                self._tables[rel] = exc
        return self._tables[rel]

    # ---------------------------------------------------------------- sources

    def read_kb_file(self, f: KBFile) -> tuple[str, dict[str, Any]] | None:
        """A KB file's text and document, or None (reported) if it cannot be parsed."""
        try:
            text = syntax.decode(f.data)
            doc = syntax.parse(f.rel, text)
        except Unparsable as exc:
            self.problems.append(Problem(f.rel, exc.line, "", exc.message))
            return None
        return (text, doc) if isinstance(doc, dict) else None

    def load_sources(self, files: list[KBFile]) -> dict[str, _Document | None]:
        """Each source's document, or None where it has none or it cannot be used."""
        documents: dict[str, _Document | None] = {}
        for f in files:
            read = self.read_kb_file(f)
            if read is None:
                continue
            text, doc = read
            source = doc.get("source")
            if not isinstance(source, dict) or not isinstance(source.get("id"), str):
                continue
            documents[source["id"]] = found = self.find_document(f.rel, text, source)
            quote = source.get("quote")
            if found is not None and isinstance(quote, str):
                self.check_quote(f.rel, text, ("source", "quote"), quote, found)
        return documents

    def find_document(self, file: str, text: str, source: dict[str, Any]) -> _Document | None:
        """The source's document, or None (reported) if it has none or it cannot be used."""
        at = ("source", "document")
        document = source.get("document")
        if not isinstance(document, str):
            self.report(
                file, text, at, "the source has no document, so its facts cannot be checked"
            )
            return None
        digest = source.get("sha256")
        if isinstance(digest, str) and not self.has_content(document, digest):
            copy = self.by_content().get(digest)
            if copy is None:
                self.report(
                    file,
                    text,
                    ("source", "sha256"),
                    f"no file in {shown(str(self.sources_dir))} has the content of "
                    f"{shown(document)} (SHA-256 {digest})",
                )
                return None
            document = copy
        try:
            kind = kind_under(self.sources_dir, document)
        except SourceFileError as exc:
            self.report(file, text, at, f"document '{shown(document)}': {exc.message}")
            return None
        if kind == "missing":
            self.report(file, text, at, f"document not found: {self.where(document)}")
            return None
        return _Document(document, kind == "folder")

    def has_content(self, rel: str, digest: str) -> bool:
        """Whether rel names a file with this SHA-256."""
        try:
            return sha256_of(read_under(self.sources_dir, rel)) == digest
        except SourceFileError:
            return False

    def locate(self, rel: str, digest: str) -> str:
        """Where the sources folder holds the file with this SHA-256: rel itself, or a copy
        of it under another name (rel when there is none, for the count to say so)."""
        if self.has_content(rel, digest):
            return rel
        return self.by_content().get(digest, rel)

    def by_content(self) -> dict[str, str]:
        """The files of the sources folder by their SHA-256 (listed once, when needed)."""
        if self._by_content is None:
            self._by_content = files_by_content(self.sources_dir)
        return self._by_content

    def check_facts(self, f: KBFile, documents: dict[str, _Document | None]) -> None:
        read = self.read_kb_file(f)
        if read is None:
            return
        text, doc = read
        shown = f.rel
        source = doc.get("source")
        if not isinstance(source, str) or source not in documents:
            self.report(shown, text, ("source",), f"unknown source {source!r}")
            return
        where = documents[source]
        if where is None:
            return  # already one problem, on the source
        for kind in FACT_KINDS:
            facts = doc.get(kind, [])
            for i, fact in enumerate(facts if isinstance(facts, list) else []):
                if isinstance(fact, dict):
                    self.check_fact(shown, text, (kind, i), kind, fact, where)

    def check_fact(
        self,
        file: str,
        text: str,
        at: FieldPath,
        kind: str,
        fact: dict[str, Any],
        where: _Document,
    ) -> None:
        if kind == "figures" and isinstance(fact.get("counted"), dict):
            self.counted.append((file, text, at, fact, where))
            return
        backing, value_numbers = self.check_origins(file, text, at, fact, where)
        if kind == "figures":
            origin = "quote" if isinstance(fact.get("quote"), str) else "record's values"
            for field, value in figure_values(fact):
                if float(value) not in value_numbers:
                    self.report(
                        file, text, (*at, *field), f"{value:g} is not a number its {origin} writes"
                    )
        if kind in ("statements", "contradictions") and isinstance(fact.get("text"), str):
            missing = numbers(fact["text"]) - backing
            if missing:
                shown = ", ".join(f"{n:g}" for n in sorted(missing))
                origin = "quotes" if kind == "contradictions" else "quote or record"
                self.report(
                    file, text, (*at, "text"), f"the text has numbers its {origin} lacks: {shown}"
                )

    def check_origins(
        self, file: str, text: str, at: FieldPath, fact: dict[str, Any], where: _Document
    ) -> tuple[set[float], set[float]]:
        """Check a fact's quote, record and quotes against its document; return the numbers
        they write (backing a statement's text) and those a figure may take its value from."""
        backing: set[float] = set()  # numbers its quote or record writes
        value_numbers: set[float] = set()  # numbers a figure may take from its origin
        quote = fact.get("quote")
        if isinstance(quote, str):
            self.check_quote(file, text, (*at, "quote"), quote, where)
            backing = value_numbers = numbers(quote)
        record = fact.get("record")
        if isinstance(record, dict):
            self.check_record(file, text, (*at, "record"), record, where)
            key, values = record.get("key", {}), record.get("values", {})
            value_numbers = {n for v in values.values() if isinstance(v, str) for n in numbers(v)}
            backing = value_numbers | {
                n for v in key.values() if isinstance(v, str) for n in numbers(v)
            }
        quotes = fact.get("quotes")
        if isinstance(quotes, list):
            for j, passage in enumerate(quotes):
                if isinstance(passage, str):
                    self.check_quote(file, text, (*at, "quotes", j), passage, where)
                    backing |= numbers(passage)
        return backing, value_numbers

    def check_quote(
        self, file: str, text: str, at: FieldPath, quote: str, where: _Document
    ) -> None:
        if where.folder:
            self.report(
                file,
                text,
                at,
                f"a quote needs a text document, but {where.name} "
                "is a folder of data files: give a record",
            )
            return
        document = self.document_text(where.rel)
        if not normalise(quote):
            self.report(file, text, at, "the quote is empty")
        elif isinstance(document, SourceFileError):
            self.report(
                file, text, at, f"cannot read {self.where(where.rel)} as text: {document.message}"
            )
        elif normalise(quote) not in document:
            self.report(file, text, at, f"not found word for word in {where.name}")

    def check_record(
        self, file: str, text: str, at: FieldPath, record: dict[str, Any], where: _Document
    ) -> None:
        name = record.get("file")
        key, values = record.get("key"), record.get("values", {})
        if not (
            isinstance(name, str) and isinstance(key, dict) and key and isinstance(values, dict)
        ):
            return  # the schema's business (validate), not a source mismatch
        if not where.folder:
            self.report(
                file,
                text,
                at,
                f"a record needs a folder of data files, but "
                f"{where.name} is one document: give a quote",
            )
            return
        why = path_problem(name)
        if why is not None:
            self.report(
                file, text, (*at, "file"), f"'{shown(name)}' is not a plain relative path: it {why}"
            )
            return
        table = self.record_table(file, text, at, f"{where.rel}/{name}")
        if table is None:
            return
        unknown = [c for c in [*key, *values] if c not in table.header]
        if unknown:
            self.report(file, text, at, f"{name} has no column {unknown[0]!r}")
            return
        row = self.record_row(file, text, at, name, table, key)
        if row is not None:
            self.check_values(file, text, at, name, table, row, values)

    def record_table(self, file: str, text: str, at: FieldPath, rel: str) -> RecordTable | None:
        """The record's data file, or None (reported once per file) if it cannot be read."""
        table = self.table(rel)
        if isinstance(table, RecordTable):
            return table
        if rel not in self._missing_files:
            self._missing_files.add(rel)
            self.report(
                file,
                text,
                (*at, "file"),
                f"data file not found or unreadable: {self.where(rel)} ({_why(table)})",
            )
        return None

    def record_row(
        self,
        file: str,
        text: str,
        at: FieldPath,
        name: str,
        table: RecordTable,
        key: dict[str, Any],
    ) -> list[str] | None:
        """The one row of the table the key picks, or None (reported) for none or several."""
        rows = table.find([(table.header.index(c), str(v)) for c, v in key.items()])
        cells = "; ".join(f"{c} = {v}" for c, v in key.items())
        if not rows:
            self.report(file, text, (*at, "key"), f"no row of {name} has {cells}")
            return None
        if len(rows) > 1:
            self.report(
                file,
                text,
                (*at, "key"),
                f"{len(rows)} rows of {name} have {cells}; name more key columns",
            )
            return None
        return rows[0]

    def check_values(
        self,
        file: str,
        text: str,
        at: FieldPath,
        name: str,
        table: RecordTable,
        row: list[str],
        values: dict[str, Any],
    ) -> None:
        """A problem for each value the record gives that its row does not hold."""
        for column, value in values.items():
            i = table.header.index(column)
            actual = row[i]
            if actual != value:
                self.report(
                    file,
                    text,
                    (*at, "values", column),
                    f"{column} is {actual!r} in {name}, not {value!r}",
                )


def _why(exc: SourceFileError) -> str:
    """Why a data file cannot be used, with its line where one line is at fault."""
    return exc.message if exc.line is None else f"line {exc.line}: {exc.message}"


class _Document:
    """A source's document: its path inside the sources folder, and whether it is a folder."""

    def __init__(self, rel: str, folder: bool) -> None:
        self.rel = rel
        self.folder = folder
        self.name = rel.rsplit("/", 1)[-1]


def verify_kb_dir(kb_dir: Path, sources_dir: Path) -> list[Problem]:
    """Every way the KB in kb_dir disagrees with the source documents in sources_dir."""
    if not kb_dir.is_dir():
        return [Problem(str(kb_dir), None, "", "KB directory not found")]
    if not sources_dir.is_dir():
        return [
            Problem(
                str(sources_dir),
                None,
                "",
                "sources folder not found (it holds seeds/ and sources/)",
            )
        ]
    try:
        files, problems = read_kb_files(kb_dir)  # as validate reads them: bounded, no symlink
    except RoleCompareError as exc:
        return [Problem(str(kb_dir), None, "", exc.message)]
    checker = _Checker(kb_dir, sources_dir)
    checker.problems += problems
    documents = checker.load_sources([f for f in files if f.folder == "sources"])
    for f in files:
        if f.folder == "facts":
            checker.check_facts(f, documents)
    if not checker.problems:  # counted figures and posting profiles: count them again
        from rolecompare.importers.postings_verify import Counts, recount, recount_profiles

        counts: Counts = {}
        if checker.counted:
            for file, text, at, message in recount(kb_dir, sources_dir, checker.counted, counts):
                checker.report(file, text, at, message)
        if (kb_dir / "postings").exists() and not checker.problems:
            found = recount_profiles(kb_dir, sources_dir, counts, checker.locate)
            for file, _, at, message in found:
                checker.problems.append(Problem(file, None, field_path(at), message))
    return sorted(checker.problems, key=lambda p: (p.file, p.line or 0, p.field))
