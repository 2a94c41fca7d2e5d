"""Which roles a command shows: --roles resolved once, by id, name or alias."""

from __future__ import annotations

from collections.abc import Iterable

from rolecompare.errors import UsageError
from rolecompare.kb.types import RoleData, StatementData, fold, role_names
from rolecompare.text import shown

LISTED_ROLES = 8  # roles named in a message before "and N more"
# A comparison without --roles shows every role only up to this many columns; beyond
# it the user is asked to pick (docs/commands.md, "Large KBs").
MAX_DEFAULT_ROLES = 6


def select_roles(roles: list[RoleData], spec: str | None) -> list[RoleData]:
    """The roles a --roles value names, in the order given; without one, every role,
    as long as they fit side by side."""
    if spec is None:
        if len(roles) > MAX_DEFAULT_ROLES:
            raise UsageError(
                f"the KB has {len(roles):,} roles, too many to show side by side; "
                "pick some with --roles (see 'rolecompare roles')"
            )
        return list(roles)
    return pick_roles(roles, spec)


def pick_roles(roles: list[RoleData], spec: str) -> list[RoleData]:
    """The roles spec names: ids first, then names and aliases as written, then folded."""
    by_id = {role["id"]: role for role in roles}
    by_name: dict[str, RoleData] = {}  # folded names, built only when nothing else matches
    chosen: list[RoleData] = []
    for raw in spec.split(","):
        name = raw.strip()
        if not name:
            raise UsageError(
                f"--roles has an empty role name in '{shown(spec)}'; {valid_roles(roles)}"
            )
        role = by_id.get(name) or _as_written(roles, name)
        if role is None and not by_name:
            by_name = {fold(n): role for role in roles for n in role_names(role)}
        role = role or by_name.get(fold(name)) or _as_singular(roles, name)
        if role is None:
            names = [n for r in roles for n in role_names(r)]
            raise UsageError(
                f"unknown role '{shown(name, 80)}'{suggest(name, names)}; {valid_roles(roles)}"
            )
        if role in chosen:
            raise UsageError(f"role '{shown(role['id'])}' is named twice in --roles")
        chosen.append(role)
    return chosen


def _as_written(roles: list[RoleData], name: str) -> RoleData | None:
    """The role whose name or an alias is name exactly. A validated KB's role names and
    aliases are unique once folded (kb/rules.py), so this is the role that folding would
    find, without folding every name of a large KB (12,836 in O*NET's: 6 ms)."""
    for role in roles:
        if name == role["name"] or name in role["aliases"]:
            return role
    return None


def _as_singular(roles: list[RoleData], name: str) -> RoleData | None:
    """The one role with a name or alias of the same words, plurals as singulars
    ("software developer" is Software Developers); None if none or several."""
    words = {singular(w) for w in search_words(name)}
    found = [
        r
        for r in roles
        if any({singular(w) for w in search_words(n)} == words for n in role_names(r))
    ]
    return found[0] if len(found) == 1 else None


def valid_roles(roles: list[RoleData]) -> str:
    named = ", ".join(f"{r['id']} ({shown(r['name'], 60)})" for r in roles[:LISTED_ROLES])
    more = len(roles) - LISTED_ROLES
    rest = f" and {more:,} more (see 'rolecompare roles')" if more > 0 else ""
    return f"valid roles: {named}{rest}"


def search_words(text: str) -> set[str]:
    """A name's words for searching: lower case letters and digits (with + and #)."""
    import re

    return set(re.findall(r"[a-z0-9+#]+", text.casefold()))


def singular(word: str) -> str:
    """A plural's final "s" dropped: "developers" is "developer" ("class" stays)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def one_typo(w: str, v: str) -> bool:
    """Whether v is w with one letter changed, added or dropped."""
    if abs(len(w) - len(v)) > 1:
        return False
    if len(w) == len(v):
        return sum(a != b for a, b in zip(w, v, strict=True)) == 1
    short, long = sorted((w, v), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def same_word(w: str, v: str) -> bool:
    """The same word: as written, as singulars, or (of five letters or more) but for one
    typo ("scientst" is "scientist"; "engine" is not "engineer", "mining" not "machine")."""
    return w == v or singular(w) == singular(v) or (min(len(w), len(v)) >= 5 and one_typo(w, v))


def in_common(name: str, query: set[str]) -> int:
    """How many of the query's words the name has (`same_word`)."""
    words = search_words(name)
    return sum(1 for w in query if any(same_word(w, v) for v in words))


# The item of statements that give a role another title (an O*NET KB's alternate titles,
# which several occupations may share, so that they are no alias): search finds them too.
ALTERNATE_TITLE = "alternate-title"


def other_titles(statements: Iterable[StatementData]) -> dict[str, list[str]]:
    """Role id -> the texts of its alternate-title statements."""
    out: dict[str, list[str]] = {}
    for st in statements:
        if st["item"] == ALTERNATE_TITLE:
            for rid in st["roles"]:
                out.setdefault(rid, []).append(st["text"])
    return out


def search_roles(
    roles: list[RoleData], words: str, titles: dict[str, list[str]] | None = None
) -> list[RoleData]:
    """The roles whose id, name, an alias or an alternate title (titles, by role id) has
    the most of the query's words in common (`same_word`), at least half of them, in the
    KB's order; none if no role has so many."""
    query = search_words(words)
    if not query:
        raise UsageError("--search needs a word, e.g. --search 'software developer'")
    more = titles or {}
    scores = [
        max(in_common(n, query) for n in [*role_names(r), *more.get(r["id"], [])]) for r in roles
    ]
    most = max(scores, default=0)
    if most == 0 or 2 * most < len(query):
        return []
    return [r for r, score in zip(roles, scores, strict=True) if score == most]


def suggest(name: str, known: Iterable[str]) -> str:
    """'; did you mean mle?' for the closest known name, or nothing.

    Closest is the most words in common (`same_word`: plurals as singulars, typos
    forgiven), at least half of the name's words, then the most alike by spelling. A
    name of one word that shares none may be a typo, so the name most like it by
    spelling is tried. "machine learning engineer" never suggests "Mining Engineer":
    one word of three in common is too few, and spelling alone is not tried."""
    import difflib

    folded: dict[str, str] = {}
    for k in known:
        folded.setdefault(fold(k), k)  # the first spelling: a role's name before its aliases
    query = search_words(name)
    common = {k: in_common(spelt, query) for k, spelt in folded.items()}
    most = max(common.values(), default=0)
    if most > 0 and 2 * most >= len(query):
        tied = [k for k, c in common.items() if c == most]
        best = max(
            tied, key=lambda k: difflib.SequenceMatcher(None, fold(name), k).ratio()
        )  # max keeps the first of equals: a role's name before its aliases
        return f"; did you mean {shown(folded[best], 60)}?"
    if len(query) > 1:
        return ""
    close = difflib.get_close_matches(fold(name), list(folded), n=1, cutoff=0.5)
    return f"; did you mean {shown(folded[close[0]], 60)}?" if close else ""
