"""The ids and names an O*NET import gives: term ids (slugs), role ids, role names and
their aliases.

    slug("C++ & C#")                  -> "c-plus-plus-and-c-sharp"
    Ids().assign(names, "tasks-")     -> {name: unique id}, the same whatever the order
    role_id("15-2051.00")             -> "15-2051-00"
    vocab.add(Term(id, name, "tool"))  # the terms made; term_records(vocab): those used

Term ids are slugs of the names (`+` -> plus, `#` -> sharp, `&` -> and; at most 64
characters), made over the whole database so that they do not depend on which
occupations are imported; where two names make the same slug, the names in sorted order
get the slug, then -2, -3, ...

A role's name is its occupation's title, with its code added where another occupation's
title folds alike. Its aliases are its Short Titles, then its Alternate Titles (fewest
words first, then shortest, then alphabetical), at most MAX_ALIASES, each only if no other
occupation has it as its title, an alternate title or a short title (folded as role names
are compared: case, spaces, dashes and dots ignored).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rolecompare.importers.jsonwrite import Table
from rolecompare.importers.onet.read import Rows
from rolecompare.kb.types import fold

MAX_ALIASES = 10
Titles = dict[str, tuple[int, str]]  # an occupation's code -> (its line, its title)


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


class Ids:
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


def role_id(code: str) -> str:
    """The KB role id of an O*NET-SOC code: 15-2051.00 -> 15-2051-00."""
    return code.replace(".", "-")


def distinct_names(ids: dict[str, str]) -> dict[str, str]:
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


def role_names(titles: Titles, order: list[str]) -> dict[str, str]:
    """Titles; a title that folds like another occupation's gets its code added."""
    owners: dict[str, int] = {}
    for _line, title in titles.values():
        owners[fold(title)] = owners.get(fold(title), 0) + 1
    names = {}
    for code in order:
        title = titles[code][1]
        names[code] = title if owners[fold(title)] == 1 else f"{title} ({code})"
    return names


def aliases(alt: Rows, titles: Titles, chosen: set[str]) -> dict[str, list[str]]:
    """The aliases of each chosen occupation that has any, from Alternate Titles.txt."""
    owners: dict[str, set[str]] = {}
    for code, (_line, title) in titles.items():
        owners.setdefault(fold(title), set()).add(code)
        owners.setdefault(fold(code), set()).add(code)
    candidates: dict[str, tuple[list[str], list[str]]] = {}
    for line, (code, title, short) in alt.rows:
        names = [title] if short == "n/a" else [title, short]
        for name in names:
            owners.setdefault(fold(name), set()).add(code)
        if code in chosen:
            shorts, alternates = candidates.setdefault(code, ([], []))
            alternates.append(alt.cell(line, "Alternate Title", title))
            if short != "n/a":
                shorts.append(alt.cell(line, "Short Title", short))
    out: dict[str, list[str]] = {}
    for code, (shorts, alternates) in candidates.items():
        picked = _picked(code, titles[code][1], [*shorts, *_by_length(alternates)], owners)
        if picked:
            out[code] = picked
    return out


def _by_length(titles: list[str]) -> list[str]:
    return sorted(titles, key=lambda t: (len(t.split()), len(t), t))


def _picked(code: str, title: str, names: list[str], owners: dict[str, set[str]]) -> list[str]:
    """The first MAX_ALIASES names that only this occupation has and that say something
    its code, id and title do not."""
    mine = {fold(code), fold(role_id(code)), fold(title)}
    picked: list[str] = []
    for name in names:
        key = fold(name)
        if len(picked) == MAX_ALIASES:
            break
        if key in mine or owners[key] != {code}:
            continue
        mine.add(key)
        picked.append(name)
    return picked


# ---------------------------------------------------------------- terms


@dataclass
class Term:
    id: str
    name: str
    kind: str
    meaning: str | None = None


@dataclass
class Vocabulary:
    terms: dict[str, Term] = field(default_factory=dict)  # by id, in the order made
    used: set[str] = field(default_factory=set)

    def add(self, term: Term) -> str:
        self.terms.setdefault(term.id, term)
        return term.id

    def use(self, term_id: str) -> str:
        self.used.add(term_id)
        return term_id


def term_records(vocab: Vocabulary) -> list[tuple[str, Table]]:
    """The terms file's records: every term a fact names, in the order made."""
    return [("terms", _term(t)) for t in vocab.terms.values() if t.id in vocab.used]


def _term(t: Term) -> Table:
    out: Table = {"id": t.id, "name": t.name, "kind": t.kind}
    if t.meaning:
        out["meaning"] = t.meaning
    return out
