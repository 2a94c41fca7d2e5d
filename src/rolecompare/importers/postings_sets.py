"""Each role's posting profiles, as SQL over the tables postings_sql builds.

A profile (KB folder postings/<source>/<role>.json, read by kb/profiles.py) holds, for
the postings of one role: how many skills each posting's list holds (every distinct
skill, known to the vocabulary or not), and every distinct set of vocabulary terms
the postings ask for, with the number of postings asking for exactly that set. It is
what `fit` and `plan` score from: a posting is a set of terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rolecompare.importers.postings import RoleProfile

if TYPE_CHECKING:
    import duckdb

# Tables: groups(gid, role), post_keys(gid, key), post_terms(gid, term) (postings_sql).
LISTED = """
    SELECT g.role, coalesce(l.listed, 0) AS listed, count(*) AS c
    FROM groups g LEFT JOIN (
        SELECT gid, count(*) AS listed FROM post_keys WHERE key <> '' GROUP BY gid
    ) l ON l.gid = g.gid
    WHERE g.role IS NOT NULL GROUP BY ALL ORDER BY 1, 2"""
SETS = """
    SELECT g.role, coalesce(t.terms, []::VARCHAR[]) AS terms, count(*) AS c
    FROM groups g LEFT JOIN (
        SELECT gid, list(term ORDER BY term) AS terms FROM post_terms GROUP BY gid
    ) t ON t.gid = g.gid
    WHERE g.role IS NOT NULL GROUP BY ALL"""


def profiles(con: duckdb.DuckDBPyConnection) -> dict[str, RoleProfile]:
    """Per role: its postings' list lengths and their sets of terms (most common first,
    then by the terms), counted by the queries above."""
    out: dict[str, RoleProfile] = {}
    for role, listed, c in con.execute(LISTED).fetchall():
        out.setdefault(role, RoleProfile({}, []))
        out[role].listed[int(listed)] = int(c)
    for role, terms, c in con.execute(SETS).fetchall():
        out.setdefault(role, RoleProfile({}, []))
        out[role].sets.append((int(c), tuple(str(t) for t in terms)))
    for profile in out.values():
        profile.sets.sort(key=lambda s: (-s[0], s[1]))
    return out
