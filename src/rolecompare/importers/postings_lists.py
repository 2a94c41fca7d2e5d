"""The skills lists of `import postings`, as SQL over the tables postings_sql builds.

Tables read: raw (the file's rows), member(row, gid) and groups(gid, role). Tables
written: vocab(key, term), names(name, raw, key, kid) (each distinct name of every list,
folded once), post_keys(gid, word, mask) (each posting's distinct skills, by folded
name, as bits, for the postings with a role), term_ids(term, tid), name_tids(name, tid),
post_masks(gid, word, mask) (a posting's terms as bits) and view post_terms(gid, term);
with --unknown, post_skills(gid, key, term, raw). See postings.py for the rules these
queries implement.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rolecompare.errors import RoleCompareError
from rolecompare.importers.postings import TERM_KINDS, Columns, Options
from rolecompare.importers.postings_sql import (
    ELEMENT,
    LIST,
    MISSING,
    _col,
    _lit,
    folded,
    is_list,
    words,
)
from rolecompare.text import shown, shown_path

if TYPE_CHECKING:
    import duckdb

    from rolecompare.kb.types import KB


def skills(
    con: duckdb.DuckDBPyConnection, path: Path, cols: Columns, kb: KB, options: Options
) -> None:
    """Every table the module docstring names, from the skills column of cols."""
    assert cols.skills is not None
    s = _col(cols.skills)
    bad = con.execute(
        f"""SELECT __row FROM raw WHERE {is_list(s)}
            AND NOT regexp_full_match({s}, {_lit(LIST)}) ORDER BY __row LIMIT 1"""
    ).fetchall()
    if bad:
        raise RoleCompareError(
            f"{shown_path(path)}: row {bad[0][0]}: column {shown(cols.skills)}: not a list of "
            "quoted names (a list holding anything else is never read)"
        )
    _vocab(con, kb)
    _names(con, s)
    _degree_keys(con, kb)
    if options.unknown:  # every name kept, to list those that name no term
        con.execute(
            """CREATE TABLE post_skills AS SELECT m.gid, n.key, v.term, n.raw
            FROM names_of e JOIN names n ON n.name = e.name JOIN member m ON m.row = e.row
            LEFT JOIN vocab v ON v.key = n.key"""
        )
    _post_terms(con)


def _vocab(con: duckdb.DuckDBPyConnection, kb: KB) -> None:
    """Table vocab(key, term): each skill's and tool's names and aliases, folded.

    The whole vocabulary is read (a posting's profile names every term it asks for), and
    --terms chooses which terms get a share: a skill names the same term either way.
    A bare name is a skill's or a tool's, never a degree's (postings_degrees)."""
    vocab = [
        (name, t["id"])
        for t in kb["terms"]
        if t["kind"] in TERM_KINDS and t["kind"] != "degree"
        for name in (t["name"], *t["aliases"])
    ]
    con.execute("CREATE TABLE vocab_raw (name VARCHAR, term VARCHAR)")
    if vocab:
        con.executemany("INSERT INTO vocab_raw VALUES (?, ?)", vocab)
    con.execute(
        f"CREATE TABLE vocab AS SELECT DISTINCT {folded('name')} AS key, term FROM vocab_raw"
    )
    clash = con.execute(
        "SELECT key, min(term), max(term) FROM vocab GROUP BY key HAVING count(*) > 1 LIMIT 1"
    ).fetchall()
    if clash:
        key, a, b = clash[0]
        raise RoleCompareError(f"terms {a} and {b} both fold to '{shown(key)}'; rename one")


def _names(con: duckdb.DuckDBPyConnection, s: str) -> None:
    """View names_of(row, name): every name of every skills cell; table names: each
    distinct name, trimmed (raw), folded (key, never empty) and the key's number (kid).

    A list holding no " and no backslash (checked above to be quoted names, as a Python
    list literal writes them) is cut at its quotes; any other list goes through ELEMENT;
    any other cell is cut at "|" where it holds one, else at ",". Folding drops spaces,
    so a name is folded as it stands, once however often the corpus repeats it."""
    missing = ", ".join(map(_lit, MISSING))
    plain = "NOT contains(v, '\"') AND NOT contains(v, chr(92))"
    con.execute(
        f"""CREATE TEMP VIEW cells AS SELECT __row AS row, {s} AS v, {is_list(s)} AS is_list
        FROM raw WHERE {s} IS NOT NULL AND ({is_list(s)} OR lower(trim({s})) NOT IN ({missing}))"""
    )
    con.execute(
        f"""CREATE TEMP VIEW names_of AS
        SELECT row, unnest(list_slice(string_split(v, chr(39)), 2, -2, 2)) AS name
        FROM cells WHERE is_list AND {plain}
        UNION ALL SELECT row, e[2:-2] FROM (
            SELECT row, unnest(regexp_extract_all(v, {_lit(ELEMENT)})) AS e
            FROM cells WHERE is_list AND NOT ({plain}))
        UNION ALL SELECT row, unnest(string_split(v, '|')) FROM cells
        WHERE NOT is_list AND contains(v, '|')
        UNION ALL SELECT row, unnest(string_split(v, ',')) FROM cells
        WHERE NOT is_list AND NOT contains(v, '|')"""
    )
    con.execute(
        f"""CREATE TABLE names AS
        SELECT name, raw, key, CAST(dense_rank() OVER (ORDER BY key) AS INTEGER) AS kid
        FROM (SELECT name, trim(name) AS raw, {folded("name")} AS key
              FROM (SELECT DISTINCT name FROM names_of) WHERE trim(name) <> '')
        WHERE key <> ''"""
    )


def _degree_keys(con: duckdb.DuckDBPyConnection, kb: KB) -> None:
    """Add to vocab, for each skill key that names a degree (and no skill or tool), the
    degree terms it names: postings_degrees's rule, over the distinct names whose words
    hold a degree word. A key naming two fields ("BS in CS or Statistics") names both."""
    from rolecompare.importers.postings_degrees import DEGREE_WORDS, degree_fields, named_degrees

    fields = degree_fields(t for t in kb["terms"] if t["kind"] in TERM_KINDS)
    if not fields:
        return
    rows = con.execute(
        f"""WITH worded AS (SELECT DISTINCT key, {words("raw")} AS w FROM names)
        SELECT key, w FROM worded WHERE regexp_matches(w, {_lit(DEGREE_WORDS)})
        AND key NOT IN (SELECT key FROM vocab) ORDER BY key, w"""
    ).fetchall()
    found = sorted({(key, term) for key, w in rows for term in named_degrees(w, fields)})
    if found:
        con.executemany("INSERT INTO vocab VALUES (?, ?)", found)


def _post_terms(con: duckdb.DuckDBPyConnection) -> None:
    """Tables post_keys(gid, word, mask) (a posting's distinct skills: key kid is bit
    kid % 64 of word kid // 64), term_ids, post_masks(gid, word, mask) (its terms: term
    tid is bit tid % 64 of word tid // 64) and view post_terms(gid, term), for the
    postings with a role, a posting's copies' lists together.

    Each is a bit_or over a posting's names, not a DISTINCT over (posting, name) pairs:
    it holds a few words a posting, however many names and copies it has, so it stays
    within DuckDB's memory on files far larger than that."""
    con.execute(
        """CREATE TABLE term_ids AS SELECT term, CAST(row_number() OVER (ORDER BY term) - 1
        AS INTEGER) AS tid FROM (SELECT DISTINCT term FROM vocab)"""
    )
    con.execute(
        """CREATE TABLE name_tids AS SELECT DISTINCT n.name, t.tid FROM names n
        JOIN vocab v ON v.key = n.key JOIN term_ids t ON t.term = v.term"""
    )
    for table, ids, bit in (("post_keys", "names", "kid"), ("post_masks", "name_tids", "tid")):
        con.execute(
            f"""CREATE TABLE {table} AS
            SELECT m.gid, n.{bit} // 64 AS word,
                   bit_or(CAST(1 AS UBIGINT) << (n.{bit} % 64)) AS mask
            FROM names_of e JOIN {ids} n ON n.name = e.name JOIN member m ON m.row = e.row
            JOIN groups g ON g.gid = m.gid WHERE g.role IS NOT NULL
            GROUP BY m.gid, word"""
        )
    con.execute(
        """CREATE TEMP VIEW post_terms AS SELECT p.gid, t.term
        FROM post_masks p CROSS JOIN range(64) r(b) JOIN term_ids t ON t.tid = p.word * 64 + r.b
        WHERE (p.mask >> CAST(r.b AS UBIGINT)) & CAST(1 AS UBIGINT) = 1"""
    )


def terms_of(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """tid -> term id, as term_ids numbers them."""
    return {
        int(t): str(term) for t, term in con.execute("SELECT tid, term FROM term_ids").fetchall()
    }


def shares(con: duckdb.DuckDBPyConnection, chosen: set[str] | None) -> dict[str, dict[str, int]]:
    """Per role and term (those chosen, or all), the postings whose lists name it: a sum
    of each bit of post_masks."""
    bits = ", ".join(
        f"sum(CAST((p.mask >> CAST({b} AS UBIGINT)) & CAST(1 AS UBIGINT) AS BIGINT))"
        for b in range(64)
    )
    term = terms_of(con)
    out: dict[str, dict[str, int]] = {}
    for role, word, *ks in con.execute(
        f"SELECT g.role, p.word, {bits} FROM post_masks p JOIN groups g ON g.gid = p.gid "
        "WHERE g.role IS NOT NULL GROUP BY g.role, p.word"
    ).fetchall():
        for b, k in enumerate(ks):
            name = term[word * 64 + b] if k else None
            if name is not None and (chosen is None or name in chosen):
                out.setdefault(role, {})[name] = int(k)
    return out
