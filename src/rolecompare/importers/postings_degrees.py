"""Which degree terms a skills-list entry names (`import postings`, rule postings-2).

A skills list names a degree only with the degree: "Bachelor's Degree in Computer
Science", "Computer Science degree", "MS in Statistics", "Data Science (MS/MA)". A bare
field name ("Data Science", "Computer Science", "Engineering") is a discipline, not a
degree: it names a skill when a skill or tool is called so ("Statistics"), else no term.

An entry is read as words (postings_sql.words: lower case, every run of characters but
letters, digits, + and # one space). It names a degree when one of its words, or two
in a row, is a degree word (DEGREE_WORDS, any case and punctuation: "Ph.D." is "ph d",
"Bachelor's" is "bachelor s"). Its fields are then the degree terms whose name or alias
occurs in it as whole consecutive words, read left to right, the longest name first
("Software Engineering" is that degree, not also Engineering). "Associate" alone is no
degree word ("Associate Certification"); "Associate's" and "associate degree" are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

# Between spaces, in an entry's word form: the words that make it name a degree. The
# same pattern runs in DuckDB (RE2) to pick the entries to read, and here.
DEGREE_WORDS = (
    r" (?:degree|degrees|bachelor|bachelors|master|masters|phd|ph d|doctorate|doctoral"
    r"|bs|b s|bsc|b sc|ms|m s|msc|m sc|ma|m a|ba|b a|mba|associate s|associates) "
)
_DEGREE = re.compile(DEGREE_WORDS)


def as_words(text: str) -> str:
    """text as ' word word ' (Python's form of postings_sql.words, for tests and callers
    without SQL): lower case, every run of characters but letters, digits, + and #, one
    space."""
    return " " + " ".join(re.sub(r"[^\w+#]|_", " ", text.lower()).split()) + " "


def degree_fields(terms: Iterable[Mapping[str, object]]) -> list[tuple[tuple[str, ...], str]]:
    """(the words of a name or alias, its degree term id) of every degree term, longest
    name first (then by the words, for one order)."""
    out: set[tuple[tuple[str, ...], str]] = set()
    for t in terms:
        if t["kind"] != "degree":
            continue
        aliases = t.get("aliases") or []
        assert isinstance(aliases, list)
        for name in (str(t["name"]), *map(str, aliases)):
            words = tuple(as_words(name).split())
            if words:
                out.add((words, str(t["id"])))
    return sorted(out, key=lambda f: (-len(f[0]), f[0], f[1]))


def named_degrees(words: str, fields: Sequence[tuple[tuple[str, ...], str]]) -> set[str]:
    """The degree term ids an entry (in its word form, ' word word ') names: none unless
    it holds a degree word; then every field it names, left to right, longest first."""
    if not _DEGREE.search(words):
        return set()
    tokens = words.split()
    found: set[str] = set()
    i = 0
    while i < len(tokens):
        for name, term in fields:
            if tuple(tokens[i : i + len(name)]) == name:
                found.add(term)
                i += len(name)
                break
        else:
            i += 1
    return found
