"""Check a KB's facts against the pinned copies of their sources (`rolecompare verify`).

verify_kb_dir(kb_dir, sources_dir) reads the KB files (TOML or JSON) under kb_dir/sources
and kb_dir/facts (it does not validate them: run validate for that) and returns one
Problem per thing that does not match, sorted by file and line; an empty list means
every fact is backed by its source. sources_dir is the folder that holds `seeds/`
and `sources/`; each source's `document` names a path inside it.

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

A source without a `document`, or whose document is not found, is one problem for
the source (its facts are then not checked one by one); a missing data file is one
problem however many records name it; a KB directory or sources folder that does
not exist is the only problem reported. Each file is read and parsed once per
run. Pure: it reads files and returns problems; it prints nothing.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from rolecompare.errors import Problem, Unparsable, dotted
from rolecompare.kb import syntax
from rolecompare.kb.files import is_kb_name

_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2022": ""})
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_HTML = (".html", ".htm")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Elements whose edges separate words; text inside inline ones (a, span, em) runs on.
_BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "iframe", "img", "input", "label", "li", "main", "nav",
        "noscript", "ol", "option", "p", "pre", "section", "select", "table", "tbody", "td",
        "tfoot", "th", "thead", "title", "tr", "ul",
    )
)  # fmt: skip

FieldPath = tuple[str | int, ...]


def normalise(text: str) -> str:
    """Text as quotes are compared: one space for any whitespace, straight quotes, no bullets."""
    return _SPACE.sub(" ", text.replace("\\$", "$").translate(_CHARS)).strip()


def numbers(text: str) -> set[float]:
    """The numbers written in a text, as values: "112,590" is 112590.0."""
    return {float(n.replace(",", "")) for n in _NUMBER.findall(text)}


class _TextOfHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text of an HTML page, as a reader sees it (script and style left out)."""
    parser = _TextOfHTML()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


class _Table:
    """A tab-separated data file: its header, and its lines indexed by one column on demand."""

    def __init__(self, text: str) -> None:
        lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.header = lines[0].split("\t") if lines else []
        self._lines = [line for line in lines[1:] if line]
        self._index: dict[int, dict[str, list[str]]] = {}

    def find(self, key: list[tuple[int, str]]) -> list[list[str]]:
        """The rows whose cells in these columns hold these values."""
        # Index by the first key column only (splitting no further than it), then
        # split and filter the few lines that match: most lines are never split.
        first, value = key[0]
        index = self._index.get(first)
        if index is None:
            index = {}
            for line in self._lines:
                cells = line.split("\t", first + 1)
                if len(cells) > first:
                    index.setdefault(cells[first], []).append(line)
            self._index[first] = index
        rows = [line.split("\t") for line in index.get(value, [])]
        return [row for row in rows if all(c < len(row) and row[c] == v for c, v in key)]


class _Checker:
    def __init__(self, kb_dir: Path, sources_dir: Path) -> None:
        self.kb_dir = kb_dir
        self.sources_dir = sources_dir
        self.problems: list[Problem] = []
        self._texts: dict[Path, str | None] = {}
        self._tables: dict[Path, _Table | None] = {}
        self._missing_files: set[Path] = set()
        self._lines: dict[str, syntax.LineFinder] = {}

    # ---------------------------------------------------------------- reporting

    def report(self, file: str, text: str, path: FieldPath, message: str) -> None:
        index = self._lines.get(file)
        if index is None:
            index = self._lines[file] = syntax.line_index(file, text)
        self.problems.append(Problem(file, index.locate(path), _field(path), message))

    def shown(self, path: Path) -> str:
        return str(Path(self.kb_dir.name) / path.relative_to(self.kb_dir))

    # ---------------------------------------------------------------- documents

    def document_text(self, path: Path) -> str | None:
        if path not in self._texts:
            try:
                raw = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._texts[path] = None
            else:
                text = html_text(raw) if path.suffix.lower() in _HTML else raw
                self._texts[path] = normalise(text)
        return self._texts[path]

    def table(self, path: Path) -> _Table | None:
        if path not in self._tables:
            try:
                self._tables[path] = _Table(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                self._tables[path] = None
        return self._tables[path]

    # ---------------------------------------------------------------- sources

    def read_kb_file(self, path: Path) -> tuple[str, dict[str, Any]] | None:
        """A KB file's text and document, or None (reported) if it cannot be read."""
        shown = self.shown(path)
        try:
            text = syntax.decode(path.read_bytes())
            doc = syntax.parse(path.name, text)
        except OSError as exc:
            self.problems.append(Problem(shown, None, "", f"cannot read file ({exc.strerror})"))
            return None
        except Unparsable as exc:
            self.problems.append(Problem(shown, exc.line, "", exc.message))
            return None
        return (text, doc) if isinstance(doc, dict) else None

    def load_sources(self) -> dict[str, Path | None]:
        """Each source's document path, or None where it has none or it is missing."""
        documents: dict[str, Path | None] = {}
        for path in kb_files(self.kb_dir / "sources"):
            read = self.read_kb_file(path)
            if read is None:
                continue
            text, doc = read
            source = doc.get("source")
            if not isinstance(source, dict) or not isinstance(source.get("id"), str):
                continue
            shown = self.shown(path)
            document = source.get("document")
            if not isinstance(document, str):
                documents[source["id"]] = None
                self.report(
                    shown,
                    text,
                    ("source", "document"),
                    "the source has no document, so its facts cannot be checked",
                )
                continue
            where = self.sources_dir / document
            if not where.exists():
                documents[source["id"]] = None
                self.report(shown, text, ("source", "document"), f"document not found: {where}")
                continue
            documents[source["id"]] = where
            quote = source.get("quote")
            if isinstance(quote, str):
                self.check_quote(shown, text, ("source", "quote"), quote, where)
        return documents

    # ---------------------------------------------------------------- facts

    def check_facts(self, path: Path, documents: dict[str, Path | None]) -> None:
        read = self.read_kb_file(path)
        if read is None:
            return
        text, doc = read
        shown = self.shown(path)
        source = doc.get("source")
        if not isinstance(source, str) or source not in documents:
            self.report(shown, text, ("source",), f"unknown source {source!r}")
            return
        where = documents[source]
        if where is None:
            return  # already one problem, on the source
        for kind in ("figures", "statements", "ladders", "contradictions"):
            facts = doc.get(kind, [])
            for i, fact in enumerate(facts if isinstance(facts, list) else []):
                if isinstance(fact, dict):
                    self.check_fact(shown, text, (kind, i), kind, fact, where)

    def check_fact(
        self, file: str, text: str, at: FieldPath, kind: str, fact: dict[str, Any], where: Path
    ) -> None:
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
        if kind == "figures":
            for field, value in _figure_values(fact):
                if float(value) not in value_numbers:
                    origin = "quote" if isinstance(quote, str) else "record's values"
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

    def check_quote(self, file: str, text: str, at: FieldPath, quote: str, where: Path) -> None:
        if where.is_dir():
            self.report(
                file,
                text,
                at,
                f"a quote needs a text document, but {where.name} "
                "is a folder of data files: give a record",
            )
            return
        document = self.document_text(where)
        if not normalise(quote):
            self.report(file, text, at, "the quote is empty")
        elif document is None:
            self.report(file, text, at, f"cannot read {where} as UTF-8 text")
        elif normalise(quote) not in document:
            self.report(file, text, at, f"not found word for word in {where.name}")

    def check_record(
        self, file: str, text: str, at: FieldPath, record: dict[str, Any], where: Path
    ) -> None:
        name = record.get("file")
        key, values = record.get("key"), record.get("values", {})
        if not (
            isinstance(name, str) and isinstance(key, dict) and key and isinstance(values, dict)
        ):
            return  # the schema's business (validate), not a source mismatch
        if not where.is_dir():
            self.report(
                file,
                text,
                at,
                f"a record needs a folder of data files, but "
                f"{where.name} is one document: give a quote",
            )
            return
        table = self.record_table(file, text, at, where / name)
        if table is None:
            return
        unknown = [c for c in [*key, *values] if c not in table.header]
        if unknown:
            self.report(file, text, at, f"{name} has no column {unknown[0]!r}")
            return
        row = self.record_row(file, text, at, name, table, key)
        if row is not None:
            self.check_values(file, text, at, name, table, row, values)

    def record_table(self, file: str, text: str, at: FieldPath, path: Path) -> _Table | None:
        """The record's data file, or None (reported once per file) if it cannot be read."""
        table = self.table(path)
        if table is None and path not in self._missing_files:
            self._missing_files.add(path)
            self.report(file, text, (*at, "file"), f"data file not found or unreadable: {path}")
        return table

    def record_row(
        self, file: str, text: str, at: FieldPath, name: str, table: _Table, key: dict[str, Any]
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
        table: _Table,
        row: list[str],
        values: dict[str, Any],
    ) -> None:
        """A problem for each value the record gives that its row does not hold."""
        for column, value in values.items():
            i = table.header.index(column)
            actual = row[i] if i < len(row) else ""
            if actual != value:
                self.report(
                    file,
                    text,
                    (*at, "values", column),
                    f"{column} is {actual!r} in {name}, not {value!r}",
                )


def _field(path: FieldPath) -> str:
    """A field path as validate prints it: a key that is not a bare TOML key is quoted."""
    return dotted(
        tuple(
            f'"{part}"' if isinstance(part, str) and not _BARE_KEY.fullmatch(part) else part
            for part in path
        )
    )


def _figure_values(figure: dict[str, Any]) -> list[tuple[FieldPath, float]]:
    found: list[tuple[FieldPath, float]] = []
    for field in ("percent", "count"):
        if isinstance(figure.get(field), int | float):
            found.append(((field,), figure[field]))
    money = figure.get("money")
    if isinstance(money, dict) and isinstance(money.get("amount"), int | float):
        found.append((("money", "amount"), money["amount"]))
    bounds = figure.get("range")
    if isinstance(bounds, dict):
        found += [
            (("range", end), bounds[end])
            for end in ("min", "max")
            if isinstance(bounds.get(end), int | float)
        ]
    return found


def kb_files(folder: Path) -> list[Path]:
    """The KB files (*.toml, *.json) under a folder, sorted."""
    return sorted(p for p in folder.rglob("*") if is_kb_name(p.name) and p.is_file())


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
    checker = _Checker(kb_dir, sources_dir)
    documents = checker.load_sources()
    for path in kb_files(kb_dir / "facts"):
        checker.check_facts(path, documents)
    return sorted(checker.problems, key=lambda p: (p.file, p.line or 0, p.field))
