"""The counts of `import postings`, as SQL that DuckDB runs over the file.

Every step is one query over tables of the file's rows, so that the counts could run on
a larger SQL engine; but one: a text column is read by textmatch.Matcher in Python
(`_text_shares`), as `fit --file` reads a text. Only importers/postings.py and
kb/verify.py import this module. See postings.py for the rules these queries implement.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolecompare.errors import RoleCompareError, UsageError
from rolecompare.importers.postings import (
    KNOWN,
    KNOWN_COLUMNS,
    RULES,
    TERM_KINDS,
    TEXT_RULES,
    Analysis,
    Columns,
    Dataset,
    Options,
    PayFigure,
    RoleProfile,
    kb_file_name,
    sha256_of,
)
from rolecompare.text import shown, shown_path

if TYPE_CHECKING:
    from collections.abc import Callable

    import duckdb

    from rolecompare.kb.types import KB

MEMORY = "700MB"  # DuckDB's memory_limit (connect)
MAX_CELL = 1 << 20  # a CSV line longer than 1 MiB is refused, naming its row
# Words: letters and digits (any script), + and #; everything else separates words.
WORDS = r"[^\p{L}\p{N}+#]+"
# A skills cell that is a list: quoted strings only, as JSON or a Python list literal.
ELEMENT = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
LIST = rf"""^\s*\[\s*(?:(?:{ELEMENT})(?:\s*,\s*(?:{ELEMENT}))*\s*,?)?\s*\]\s*$"""
MISSING = ("", "none", "nan", "na", "null")
# Control characters a title must not hold (tabs and line breaks are spaces; so are the
# C1 controls U+0080-U+009F, which real titles hold where Windows-1252 text was mis-read,
# "Architect \x96 Azure"), and what a
# spreadsheet would run as a formula: "=...", "@...", "+NAME(" or "-NAME(".
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
FORMULA = r"^\s*(?:[=@]|[+-]\s*[A-Za-z_.]+\()"


def _q(name: str) -> str:
    """A column name as SQL quotes it."""
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def words(expr: str) -> str:
    """SQL: expr as ' word word ', the form titles and role names are compared in."""
    return f"(' ' || trim(regexp_replace(lower({expr}), {_lit(WORDS)}, ' ', 'g')) || ' ')"


def folded(expr: str) -> str:
    """SQL: expr with case, spaces and punctuation gone (but + and #): a skill's key."""
    return f"regexp_replace(lower({expr}), {_lit(WORDS)}, '', 'g')"


def is_list(expr: str) -> str:
    """SQL: expr starts with "[" after any spaces (ltrim only where it does not at once)."""
    return f"({expr} LIKE '[%' OR ltrim({expr}) LIKE '[%')"


def csv_header(path: Path, sep: str) -> list[str]:
    """The names in a CSV file's first line (BOM dropped), read by the csv module."""
    import csv
    import gzip
    import io

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as raw:
            first = raw.readline(MAX_CELL + 1)
    except (OSError, EOFError) as exc:
        raise RoleCompareError(f"{shown_path(path)}: cannot read it ({exc})") from None
    if len(first) > MAX_CELL:
        raise RoleCompareError(f"{shown_path(path)}: line 1 is longer than {MAX_CELL:,} bytes")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RoleCompareError(f"{shown_path(path)}: line 1: not valid UTF-8 text") from None
    names = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    if not names or len(set(names)) != len(names) or not all(n.strip() for n in names):
        raise RoleCompareError(f"{shown_path(path)}: line 1: not a header of distinct column names")
    return names


def reader(path: Path) -> str:
    """SQL: the table function that reads path, every value as text."""
    name = path.name.lower()
    p = _lit(str(path))
    if name.endswith(".parquet"):
        return f"read_parquet({p})"
    if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
        return f"read_json({p}, format = 'newline_delimited', records = true)"
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt")):
        sep = "\t" if ".tsv" in name else ","
        columns = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in csv_header(path, sep))
        return (
            f"read_csv({p}, header = true, auto_detect = false, columns = {{{columns}}}, "
            f"delim = {_lit(sep)}, quote = '\"', escape = '\"', strict_mode = true, "
            f"null_padding = false, max_line_size = {MAX_CELL}, encoding = 'utf-8')"
        )
    raise UsageError(
        f"{shown_path(path)}: unknown kind of file; give .csv, .csv.gz, .jsonl or .parquet"
    )


def connect(spill: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory database; what does not fit in its memory goes to files in spill (a
    private folder; DuckDB's default is .tmp in the current folder). 700 MB for DuckDB
    keeps the whole process under 1 GiB at any size of file: 5,000,000 generated postings
    peaked at 835 MiB (1,113 MiB with 1 GB), with the same figures."""
    import duckdb

    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": 2,
        "memory_limit": MEMORY,
    }
    if spill is not None:
        config["temp_directory"] = spill
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET preserve_insertion_order = true")
    return con


def _error(path: Path, exc: Exception) -> RoleCompareError:
    """A DuckDB error as one line naming the file and, where DuckDB says, the line."""
    text = str(exc)
    line = re.search(r"[Ll]ine:? (\d+)", text)
    where = f"line {line.group(1)}: " if line else ""
    lower = text.lower()
    if "invalid unicode" in lower or "invalid utf" in lower:
        return RoleCompareError(f"{shown_path(path)}: {where}not valid UTF-8 text")
    if "out of memory" in lower:
        return RoleCompareError(
            f"{shown_path(path)}: too large to count in the {MEMORY} DuckDB is given "
            "(importers/postings_sql.py, connect)"
        )
    if "maximum line size" in lower:
        return RoleCompareError(
            f"{shown_path(path)}: {where}a line or cell is longer than {MAX_CELL:,} bytes"
        )
    # DuckDB's own reason: the first line that is not the error's name or the row itself.
    reasons = [
        ln.strip()
        for ln in text.splitlines()
        if ln.strip()
        and not ln.startswith(("Original Line", "Possible fixes", "Possible solutions", "*", "  "))
        and "Error:" not in ln
    ]
    first = reasons[0] if reasons else text.strip().splitlines()[0] if text.strip() else ""
    first = re.sub(r"^[A-Za-z ]*Error: ", "", first)
    return RoleCompareError(f"{shown_path(path)}: {where}cannot read it: {shown(first[:160])}")


def check_bytes(path: Path) -> None:
    """A data error for a NUL byte, naming its line (text data never holds one)."""
    import gzip

    if path.name.lower().endswith(".parquet"):
        return
    _scan(path, gzip.open if path.name.lower().endswith(".gz") else open)


def digest_checked(path: Path) -> str:
    """The file's sha256, after check_bytes; both in one read of a plain text file."""
    if path.name.lower().endswith((".gz", ".parquet")):
        digest = sha256_of(path)
        check_bytes(path)
        return digest
    import hashlib

    sha = hashlib.sha256()
    _scan(path, open, sha.update)
    return sha.hexdigest()


def _scan(path: Path, opener: Any, each: Callable[[bytes], object] | None = None) -> None:
    """Read the file (through opener) in blocks, refusing a NUL byte with its line; each
    block is also given to `each`, if any."""
    line = 1
    try:
        with opener(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                at = block.find(b"\0")
                if at >= 0:
                    line += block.count(b"\n", 0, at)
                    raise RoleCompareError(f"{shown_path(path)}: line {line}: holds a NUL byte")
                line += block.count(b"\n")
                if each is not None:
                    each(block)
    except (OSError, EOFError) as exc:
        raise RoleCompareError(f"{shown_path(path)}: cannot read it ({exc})") from None


def _read(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Load the file into table raw(row, <its columns>); its column names."""
    import duckdb

    try:
        con.execute(
            f"CREATE TABLE raw AS SELECT row_number() OVER () AS __row, * FROM {reader(path)}"
        )
    except duckdb.Error as exc:
        raise _error(path, exc) from None
    # Rows are numbered in the file's order; no later step needs any order but its own.
    con.execute("SET preserve_insertion_order = false")
    names = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
    return [n for n in names if n != "__row"]


def choose_columns(path: Path, names: list[str], options: Options, label: str | None) -> Columns:
    """Which column holds what: the flags' choice, else the known name the file has."""
    cols = Columns()
    for what, known in KNOWN_COLUMNS.items():
        given = options.columns.get(what)
        if given is not None:
            if given not in names:
                raise UsageError(
                    f"{shown_path(path)}: no column '{shown(given)}' (--{what}); it has: "
                    + ", ".join(shown(n) for n in names[:20])
                )
            setattr(cols, what, given)
            continue
        found = next((n for n in known if n in names), None)
        if what == "label":
            # A known dataset's own role label, unless --title asks for titles.
            found = label if label in names and "title" not in options.columns else None
        setattr(cols, what, found)
    if cols.title is None and cols.label is None:
        raise UsageError(f"{shown_path(path)}: no title column; name it with --title COLUMN")
    return cols


def count(path: Path, kb: KB, options: Options) -> Analysis:
    """Count one file: per role N, per role and term k, pay percentiles, unknown skills."""
    import duckdb

    from rolecompare.importers import postings_lists, postings_sets

    digest = digest_checked(path)
    dataset = KNOWN.get(digest) or _unknown_dataset(path)
    file = kb_file_name(path, options.sources_root)
    spill = tempfile.mkdtemp(prefix="rolecompare-duckdb-")
    try:
        con = connect(spill)
    except BaseException:
        shutil.rmtree(spill, ignore_errors=True)
        raise
    try:
        names = _read(con, path)
        cols = choose_columns(path, names, options, dataset.label)
        _check_cells(con, path, cols)
        roles = _roles(con, kb)
        _posts(con, cols, roles)
        _groups(con, cols)
        per_role = dict(
            con.execute(
                "SELECT role, count(*) FROM groups WHERE role IS NOT NULL GROUP BY role"
            ).fetchall()
        )
        per_role = {r["id"]: per_role[r["id"]] for r in kb["roles"] if r["id"] in per_role}
        rows = con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
        postings, unmatched, two = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE matched = 0), "
            "count(*) FILTER (WHERE matched > 1) FROM groups"
        ).fetchall()[0]
        shares: dict[str, dict[str, int]] = {}
        profiles: dict[str, RoleProfile] = {}
        unprofiled: dict[str, str] = {}
        unknown: list[tuple[str, int]] = []
        if cols.skills is not None:
            postings_lists.skills(con, path, cols, kb, options)
            if cols.text is None:
                chosen = None if options.terms is None else set(options.terms)
                shares = postings_lists.shares(con, chosen)
                profiles, unprofiled = postings_sets.profiles(con)
            if options.unknown:
                unknown = [
                    (str(a), int(b))
                    for a, b in con.execute(
                        "SELECT any_value(raw ORDER BY raw), count(DISTINCT gid) AS c "
                        "FROM post_skills WHERE term IS NULL AND key <> '' "
                        "GROUP BY key ORDER BY c DESC, key LIMIT ?",
                        [options.unknown],
                    ).fetchall()
                ]
        if cols.text is not None:
            shares = _text_shares(con, cols, kb, options, skills=cols.skills is not None)
        wanted = options.pay_from is None or dataset.id in options.pay_from
        pay, pay_where = _pay(con, path, cols, options) if cols.salary and wanted else ([], {})
    except duckdb.Error as exc:
        raise _error(path, exc) from None
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    return Analysis(
        path,
        file,
        digest,
        TEXT_RULES if cols.text is not None else RULES,
        dataset,
        rows,
        postings,
        rows - postings,
        unmatched,
        two,
        per_role,
        shares,
        pay,
        pay_where,
        unknown,
        cols.text,
        profiles,
        unprofiled,
    )


def _unknown_dataset(path: Path) -> Dataset:
    from rolecompare.importers.onet import slug

    stem = path.name.split(".")[0]
    sid = slug(stem, 48) or "postings"
    return Dataset(
        sid,
        f"the postings file {stem}",
        f"Postings in {stem}",
        f"{stem}, counted by rolecompare",
        "Counted by rolecompare import postings from a file it does not know: its origin, "
        "licence and biases are not recorded.",
        "Counted by rolecompare import postings",
        "",
    )


def _col(name: str | None) -> str:
    return "NULL" if name is None else f"CAST({_q(name)} AS VARCHAR)"


def _check_cells(con: duckdb.DuckDBPyConnection, path: Path, cols: Columns) -> None:
    """A data error for the first title with control characters or that looks like a
    spreadsheet formula, and for the first cell holding a NUL byte."""
    for name in (cols.title, cols.label):
        if name is None:
            continue
        bad = con.execute(
            f"SELECT __row, {_q(name)} FROM raw WHERE "
            f"regexp_matches({_q(name)}, {_lit(CONTROL)}) "
            f"OR regexp_matches({_q(name)}, {_lit(FORMULA)}) ORDER BY __row LIMIT 1"
        ).fetchall()
        if bad:
            row, value = bad[0]
            why = (
                "holds control characters"
                if re.search(CONTROL, value)
                else "looks like a spreadsheet formula"
            )
            raise RoleCompareError(f"{shown_path(path)}: row {row}: column {shown(name)}: {why}")


def _roles(con: duckdb.DuckDBPyConnection, kb: KB) -> dict[str, list[str]]:
    """Each role's phrases in word form (' data scientist '), folded by the same SQL."""
    out: dict[str, list[str]] = {}
    for role in kb["roles"]:
        name_words = con.execute(f"SELECT {words('?')}", [role["name"]]).fetchall()[0][0]
        head = name_words.split()[-1] if name_words.split() else ""
        phrases = {name_words, name_words[:-1] + "s "}
        for alias in role["aliases"]:
            w = con.execute(f"SELECT {words('?')}", [alias]).fetchall()[0][0]
            if w.split() and w.split()[-1] in (head, head + "s"):
                phrases.add(w)
        out[role["id"]] = sorted(p for p in phrases if p.strip())
    return out


def _posts(con: duckdb.DuckDBPyConnection, cols: Columns, roles: dict[str, list[str]]) -> None:
    """Table posts: each row's key (title, company, location) and the roles it names."""
    named = cols.label if cols.label is not None else cols.title
    w = words("__title")
    flags = []
    for rid, phrases in roles.items():
        test = " OR ".join(f"contains(w, {_lit(p)})" for p in phrases) or "false"
        flags.append(f"CASE WHEN {test} THEN {_lit(rid)} END")
    named_roles = f"list_filter([{', '.join(flags)}], lambda x: x IS NOT NULL)" if flags else "[]"
    # Each distinct title is read once (a corpus repeats its titles).
    x = f"coalesce({_col(named)}, '')"
    con.execute(
        f"""CREATE TABLE posts AS
        WITH titles AS (SELECT __title, {named_roles} AS named FROM (
            SELECT __title, {w} AS w FROM (SELECT DISTINCT {x} AS __title FROM raw)))
        SELECT __row AS row, lower(trim(coalesce({_col(cols.title)}, ''))) AS t,
               lower(trim(coalesce({_col(cols.company)}, ''))) AS c,
               lower(trim(coalesce({_col(cols.location)}, ''))) AS l, n.named
        FROM raw JOIN titles n ON n.__title = {x}"""
    )


def _groups(con: duckdb.DuckDBPyConnection, cols: Columns) -> None:
    """Table groups: one posting per repeat key (every row its own without company and
    location), its role (NULL when it names none or two) and rows table member(row, gid)."""
    repeats = cols.company is not None and cols.location is not None
    key = "t, c, l, named" if repeats else "row"
    con.execute(
        f"""CREATE TABLE member AS
        SELECT row, min(row) OVER (PARTITION BY {key}) AS gid, named FROM posts"""
    )
    con.execute(
        """CREATE TABLE groups AS
        SELECT gid, len(any_value(named)) AS matched,
               CASE WHEN len(any_value(named)) = 1 THEN any_value(named)[1] END AS role
        FROM member GROUP BY gid"""
    )


def _text_shares(
    con: duckdb.DuckDBPyConnection, cols: Columns, kb: KB, options: Options, *, skills: bool
) -> dict[str, dict[str, int]]:
    """Per role and term, the postings whose text names the term (textmatch.Matcher, the
    reader `fit --file` uses), or whose skills list does (the union), when it has both.

    The one step that is not SQL: the rules of free text (word boundaries, the ambiguous
    names) are textmatch's, and any engine can hand it (posting, text) rows. Each distinct
    text of a role's postings is read once, in batches."""
    from rolecompare.textmatch import Matcher

    assert cols.text is not None
    # The whole vocabulary is read, and --terms chooses among what it finds: a mention is the
    # same with or without --terms ("Spark Streaming" is never Apache Spark).
    matcher = Matcher.from_terms(t for t in kb["terms"] if t["kind"] in TERM_KINDS)
    wanted = set(options.terms) if options.terms is not None else None
    found: dict[str, dict[str, set[int]]] = {}
    if skills:
        for role, gid, term in con.execute(
            "SELECT g.role, s.gid, s.term FROM groups g JOIN post_terms s ON s.gid = g.gid "
            "WHERE g.role IS NOT NULL"
        ).fetchall():
            if wanted is None or term in wanted:
                found.setdefault(role, {}).setdefault(term, set()).add(gid)
    t = _col(cols.text)
    cursor = con.execute(
        f"""SELECT g.role, m.gid, {t} FROM raw r JOIN member m ON m.row = r.__row
        JOIN groups g ON g.gid = m.gid
        WHERE g.role IS NOT NULL AND {t} IS NOT NULL AND trim({t}) <> ''"""
    )
    ids = matcher.ids
    while batch := cursor.fetchmany(2048):
        for role, gid, text in batch:
            terms = found.setdefault(role, {})
            named = ids(text)
            for term in named if wanted is None else named & wanted:
                terms.setdefault(term, set()).add(gid)
    return {
        role: {term: len(gids) for term, gids in terms.items()}
        for role, terms in found.items()
        if terms
    }


def _pay(
    con: duckdb.DuckDBPyConnection, path: Path, cols: Columns, options: Options
) -> tuple[list[PayFigure], dict[str, str]]:
    """Annual pay per role (and level): N, median and percentiles, within one country and
    one year where the file has those columns (the most frequent, unless chosen)."""
    assert cols.salary is not None
    sal = _col(cols.salary)
    missing = ", ".join(map(_lit, MISSING))
    bad = con.execute(
        f"""SELECT __row, {sal} FROM raw WHERE {sal} IS NOT NULL
            AND lower(trim({sal})) NOT IN ({missing})
            AND (TRY_CAST(trim({sal}) AS DOUBLE) IS NULL
                 OR NOT isfinite(TRY_CAST(trim({sal}) AS DOUBLE))
                 OR TRY_CAST(trim({sal}) AS DOUBLE) <= 0)
            ORDER BY __row LIMIT 1"""
    ).fetchall()
    if bad:
        raise RoleCompareError(
            f"{shown_path(path)}: row {bad[0][0]}: column {shown(cols.salary)}: "
            f"'{shown(str(bad[0][1])[:40])}' is not an amount of pay"
        )
    where: dict[str, str] = {}
    filters = [f"{sal} IS NOT NULL", f"lower(trim({sal})) NOT IN ({missing})"]
    if cols.rate is not None:
        filters.append(f"lower(trim({_col(cols.rate)})) = 'year'")
        where["rate"] = "year"
    for what, chosen, column in (
        ("country", options.country, cols.country),
        ("year", options.year, cols.year),
    ):
        if column is None:
            continue
        if chosen is None:
            top = con.execute(
                f"SELECT {_col(column)} AS v, count(*) AS c FROM raw WHERE "
                f"{' AND '.join(filters)} GROUP BY v ORDER BY c DESC, v LIMIT 1"
            ).fetchall()
            if not top:
                return [], where
            chosen = str(top[0][0])
        filters.append(f"{_col(column)} = {_lit(chosen)}")
        where[what] = chosen
    level = _col(cols.level)
    con.execute(
        f"""CREATE TABLE pay AS
        SELECT m.gid, g.role, any_value({level}) AS level,
               median(DISTINCT CAST(trim({sal}) AS DOUBLE)) AS amount
        FROM raw r JOIN member m ON m.row = r.__row JOIN groups g ON g.gid = m.gid
        WHERE g.role IS NOT NULL AND {" AND ".join(filters)}
        GROUP BY m.gid, g.role"""
    )
    quant = "quantile_cont(amount, [0.1, 0.25, 0.5, 0.75, 0.9])"
    result: list[PayFigure] = []
    query = f"SELECT role, NULL, count(*), {quant} FROM pay GROUP BY role"
    if cols.level is not None and options.levels:
        query += (
            f" UNION ALL SELECT role, level, count(*), {quant} FROM pay "
            "WHERE level IS NOT NULL GROUP BY role, level"
        )
    for role, lvl, n, q in con.execute(query + " ORDER BY 1, 2 NULLS FIRST").fetchall():
        result.append(PayFigure(role, lvl, n, *(float(x) for x in q)))
    return result, where
