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

# Tables: groups(gid, role), post_keys(gid, word, mask), post_masks(gid, word, mask) and
# term_ids(term, tid) (postings_lists).
LISTED = """
    SELECT g.role, coalesce(l.listed, 0) AS listed, count(*) AS c
    FROM groups g LEFT JOIN (
        SELECT gid, sum(bit_count(mask)) AS listed FROM post_keys GROUP BY gid
    ) l
    ON l.gid = g.gid
    WHERE g.role IS NOT NULL GROUP BY ALL ORDER BY 1, 2"""
# A posting's set of terms is its list of (word, mask), in word order: one set, one list.
ROLE_SETS = """
    CREATE TABLE role_sets AS
    SELECT g.role, coalesce(t.masks, []) AS masks, count(*) AS c
    FROM groups g LEFT JOIN (
        SELECT gid, list(struct_pack(word := word, mask := mask) ORDER BY word) AS masks
        FROM post_masks GROUP BY gid
    ) t ON t.gid = g.gid
    WHERE g.role IS NOT NULL GROUP BY ALL"""


def profiles(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, RoleProfile], dict[str, str]]:
    """Per role: its postings' list lengths and their sets of terms (most common first,
    then by the terms), counted by the queries above; and, for each role whose postings
    ask for more distinct sets than a profile holds (kb/profiles.MAX_SETS), why it has
    none: such a role gets no profile, never a part of one."""
    from rolecompare.importers.postings_lists import terms_of
    from rolecompare.kb.profiles import MAX_SETS

    con.execute(ROLE_SETS)
    counts = dict(con.execute("SELECT role, count(*) FROM role_sets GROUP BY role").fetchall())
    over = {str(r): int(n) for r, n in counts.items() if n > MAX_SETS}
    out: dict[str, RoleProfile] = {}
    for role, listed, c in con.execute(LISTED).fetchall():
        if role not in over:
            out.setdefault(role, RoleProfile({}, []))
            out[role].listed[int(listed)] = int(c)
    term = terms_of(con)
    for role, masks, c in con.execute("SELECT role, masks, c FROM role_sets").fetchall():
        if role not in over:
            out.setdefault(role, RoleProfile({}, []))
            out[role].sets.append((int(c), _terms(masks, term)))
    for profile in out.values():
        profile.sets.sort(key=lambda s: (-s[0], s[1]))
    why = {r: f"{n:,} distinct sets of terms, over {MAX_SETS:,}" for r, n in over.items()}
    return out, why


def _terms(masks: list[dict[str, int]], term: dict[int, str]) -> tuple[str, ...]:
    """The sorted term ids of one set, from its (word, mask) pairs."""
    found = [term[m["word"] * 64 + b] for m in masks for b in range(64) if (m["mask"] >> b) & 1]
    return tuple(sorted(found))
