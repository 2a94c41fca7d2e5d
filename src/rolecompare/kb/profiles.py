"""Posting profiles: for one analysis and role, the terms each posting asks for.

`rolecompare import postings` writes one file per analysis and role beside the facts,
`postings/<source>/<role>.json`:

    {"source": "data-jobs-2023", "role": "ds",
     "counted": {"file": "sources/postings/...csv", "sha256": "...", "rule": "postings-2"},
     "postings": 9350,
     "listed": {"0": 12, "1": 40},
     "sets": [[1532, ["python", "sql"]], [901, ["python"]], [37, []]]}

`postings` is N, the role's postings after repeats were dropped (the facts' share.n);
`listed` maps the number of skills a posting's list holds (every distinct skill, known
to the vocabulary or not) to its postings; `sets` holds every distinct set of
vocabulary terms with the postings asking for exactly that set, most first, then by the
terms. Both sum to N.

The files are read only by the commands that score from them (`fit`, `plan`, `check`,
`validate`), never at start-up: `load_profiles(kb, root)` reads them, bounded, checks
each against the KB (its source, role and terms, the facts' k and N) and raises
KBError with one problem a line (file, line, field) for anything wrong. A profile holds
at most MAX_SETS sets in at most MAX_BYTES: `import postings` writes none for a role
whose postings ask for more distinct sets (fit and plan then do not score that analysis
for the role), never a part of one.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolecompare.errors import KBError, Problem, Unparsable, field_path
from rolecompare.text import shown, shown_path

if TYPE_CHECKING:
    from rolecompare.kb.types import KB

FOLDER = "postings"
# A profile's bounds: at most MAX_SETS distinct sets in at most MAX_BYTES (larger than a
# facts file's 2 MiB, files.MAX_FILE_BYTES). `import postings` writes no profile for a
# role past either, and says so; the loader refuses a file past either.
MAX_BYTES = 16 * 1024 * 1024
MAX_SETS = 50_000
MAX_PROFILES = 2_000
KEYS = ("source", "role", "counted", "postings", "listed", "sets")
COUNTED_KEYS = ("file", "sha256", "rule")
SHA256 = re.compile(r"[0-9a-f]{64}")
NUMBER = re.compile(r"0|[1-9][0-9]{0,8}")
Wrong = list[tuple[tuple[str | int, ...], str]]  # (field path, what is wrong)
Sets = tuple[tuple[int, frozenset[str]], ...]


@dataclass(frozen=True)
class Profile:
    """One role's postings in one analysis, as the sets of terms they ask for."""

    source: str  # the KB source (analysis) id
    role: str
    n: int  # the role's postings, after repeats were dropped
    sets: tuple[tuple[int, frozenset[str]], ...]  # (postings, the terms each asks for)
    listed: tuple[tuple[int, int], ...]  # (skills a posting lists, postings), ascending
    file: str = ""  # the dataset file counted, as the KB names it
    sha256: str = ""
    rule: str = ""
    path: str = field(default="", compare=False)  # the profile file, as messages name it

    @cached_property
    def _k(self) -> dict[str, int]:
        k: dict[str, int] = {}
        for count, terms in self.sets:
            for term in terms:
                k[term] = k.get(term, 0) + count
        return k

    def share(self, term: str) -> tuple[int, int]:
        """(k, n): the postings asking for term, of the role's n."""
        return self._k.get(term, 0), self.n

    def terms(self) -> frozenset[str]:
        """Every term at least one posting asks for."""
        return frozenset(self._k)


def load_profiles(kb: KB, root: Path) -> list[Profile]:
    """The profiles of the KB folder root (validated as kb, with every term), sorted by
    source then role; KBError with every problem found. No postings/ folder: none."""
    profiles, problems = read_profiles(kb, root)
    if problems:
        raise KBError(problems)
    return profiles


def read_profiles(kb: KB, root: Path) -> tuple[list[Profile], list[Problem]]:
    """The profiles that check out, and a problem for each file or field that does not."""
    found, problems = _files(root)
    checker = _Checker(kb)
    profiles = []
    for parts in found:
        rel = shown_path(os.path.join(root.name, *parts) if root.name else root.joinpath(*parts))
        profile, wrong = _read_one(root.joinpath(*parts), rel, parts, checker)
        problems += wrong
        if profile is not None:
            profiles.append(profile)
    return sorted(profiles, key=lambda p: (p.source, p.role)), problems


def _files(root: Path) -> tuple[list[tuple[str, ...]], list[Problem]]:
    """The parts (postings, source, role.json) of every profile file, and what is refused."""
    top = root / FOLDER
    shown_top = shown_path(os.path.join(root.name, FOLDER))
    try:
        mode = os.lstat(top).st_mode
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [Problem(shown_top, None, "", f"cannot read folder ({exc.strerror})")]
    if not stat.S_ISDIR(mode):
        return [], [Problem(shown_top, None, "", "is not a folder of posting profiles")]
    found: list[tuple[str, ...]] = []
    problems: list[Problem] = []
    try:
        for source in sorted(os.listdir(top)):
            where = f"{shown_top}/{shown(source)}"
            if not stat.S_ISDIR(os.lstat(top / source).st_mode):
                problems.append(Problem(where, None, "", "give each source a folder of profiles"))
                continue
            for name in sorted(os.listdir(top / source)):
                if not name.endswith(".json"):
                    why = "not a profile (postings/<source>/<role>.json)"
                    problems.append(Problem(f"{where}/{shown(name)}", None, "", why))
                else:
                    found.append((FOLDER, source, name))
    except OSError as exc:
        problems.append(Problem(shown_top, None, "", f"cannot list folder ({exc.strerror})"))
    if len(found) > MAX_PROFILES:
        return [], [Problem(shown_top, None, "", f"more than {MAX_PROFILES:,} profiles")]
    return found, problems


def _read_one(
    path: Path, rel: str, parts: tuple[str, ...], checker: _Checker
) -> tuple[Profile | None, list[Problem]]:
    from rolecompare.kb import jsontext, syntax
    from rolecompare.kb.files import read_bounded

    data, why = read_bounded(str(path), MAX_BYTES)
    if data is None:
        return None, [Problem(rel, None, "", why or "cannot read file")]
    try:
        text = syntax.decode(data)
        doc = jsontext.parse(text)
    except Unparsable as exc:
        return None, [Problem(rel, exc.line, field_path(exc.path), exc.message)]
    wrong: Wrong = []
    profile = checker.check(doc, (parts[1], parts[2].removesuffix(".json"), rel), wrong)
    if not wrong and profile is not None:
        return profile, []
    lines = jsontext.JsonLines(text)
    return None, [Problem(rel, lines.locate(at), field_path(at), why) for at, why in wrong]


class _Checker:
    """Checks a profile document against the KB: its fields, sums, ids and the facts."""

    def __init__(self, kb: KB) -> None:
        self.sources = {s["id"] for s in kb["sources"]}
        self.roles = {r["id"] for r in kb["roles"]}
        self.terms = {t["id"] for t in kb["terms"]}
        # (source, role) -> term -> (k, n) of the facts counted from a file
        self.shares: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
        for fig in kb["figures"]:
            share, counted = fig["share"], fig["counted"]
            if share is None or counted is None:
                continue
            role = counted["where"].get("role")
            if role is not None:
                key = (fig["source"], role)
                self.shares.setdefault(key, {})[fig["item"]] = (share["k"], share["n"])

    def check(self, doc: Any, where: tuple[str, str, str], wrong: Wrong) -> Profile | None:
        """The profile in doc, found at where (its folder, its file's stem, its path),
        or None with what is wrong added to wrong."""
        source, role, rel = where
        if not isinstance(doc, dict):
            wrong.append(((), "not a posting profile (a JSON object)"))
            return None
        for key in doc:
            if key not in KEYS:
                wrong.append(((key,), f"unknown field; a profile has {', '.join(KEYS)}"))
        for key in KEYS:
            if key not in doc:
                wrong.append(((), f"missing field {key}"))
        if wrong:
            return None
        self._ids(doc, source, role, wrong)
        counted = self._counted(doc["counted"], wrong)
        n = doc["postings"]
        if not _count(n):
            wrong.append((("postings",), "not a whole number of postings above 0"))
            return None
        listed = self._listed(doc["listed"], n, wrong)
        sets = self._sets(doc["sets"], n, wrong)
        if wrong or listed is None or sets is None:
            return None
        profile = Profile(source, role, n, sets, listed, *counted, path=rel)
        self._facts(profile, wrong)
        return profile

    def _ids(self, doc: dict[str, Any], source: str, role: str, wrong: Wrong) -> None:
        for key, folder, known, what in (
            ("source", source, self.sources, "source"),
            ("role", role, self.roles, "role"),
        ):
            value = doc[key]
            if not isinstance(value, str) or value not in known:
                wrong.append(((key,), f"'{shown(str(value))}' is not a {what} of the KB"))
            elif value != folder:
                where = "folder" if key == "source" else "file name"
                wrong.append(((key,), f"'{shown(value)}' is not its {where} '{shown(folder)}'"))

    def _counted(self, counted: Any, wrong: Wrong) -> tuple[str, str, str]:
        if not isinstance(counted, dict) or set(counted) != set(COUNTED_KEYS):
            wrong.append((("counted",), f"give exactly {', '.join(COUNTED_KEYS)}"))
            return "", "", ""
        values = []
        for key in COUNTED_KEYS:
            value = counted[key]
            if not isinstance(value, str) or not value.strip():
                wrong.append((("counted", key), "not a text"))
                value = ""
            values.append(value)
        if values[1] and not SHA256.fullmatch(values[1]):
            wrong.append((("counted", "sha256"), "not a sha256 (64 lowercase hex digits)"))
        return values[0], values[1], values[2]

    def _listed(self, listed: Any, n: int, wrong: Wrong) -> tuple[tuple[int, int], ...] | None:
        if not isinstance(listed, dict) or not listed:
            wrong.append((("listed",), "not a table of list lengths to postings"))
            return None
        pairs = []
        for key, count in listed.items():
            if not NUMBER.fullmatch(key):
                wrong.append((("listed", key), "not a number of skills (0, 1, 2, ...)"))
            elif not _count(count):
                wrong.append((("listed", key), "not a whole number of postings above 0"))
            else:
                pairs.append((int(key), count))
        total = sum(c for _, c in pairs)
        if len(pairs) == len(listed) and total != n:
            wrong.append((("listed",), f"its postings add up to {total:,}, not {n:,}"))
        return tuple(sorted(pairs))

    def _sets(self, sets: Any, n: int, wrong: Wrong) -> Sets | None:
        if not isinstance(sets, list) or not sets:
            wrong.append((("sets",), "not a list of [postings, [terms]]"))
            return None
        if len(sets) > MAX_SETS:
            wrong.append((("sets",), f"more than {MAX_SETS:,} sets; a profile holds at most that"))
            return None
        out: list[tuple[int, frozenset[str]]] = []
        keys: list[tuple[int, list[str]]] = []
        for i, entry in enumerate(sets):
            got = self._set(entry, i, wrong)
            if got is not None:
                out.append((got[0], frozenset(got[1])))
                keys.append((-got[0], got[1]))
        if len(out) != len(sets):
            return None
        if len({s for _, s in out}) != len(out):
            wrong.append((("sets",), "a set of terms is given twice"))
        elif keys != sorted(keys):
            wrong.append((("sets",), "not sorted by postings (most first), then by the terms"))
        total = sum(c for c, _ in out)
        if total != n:
            wrong.append((("sets",), f"its postings add up to {total:,}, not {n:,}"))
        return tuple(out)

    def _set(self, entry: Any, i: int, wrong: Wrong) -> tuple[int, list[str]] | None:
        ok = isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], list)
        if not ok or not _count(entry[0]):
            wrong.append((("sets", i), "not [postings above 0, [term ids]]"))
            return None
        terms = entry[1]
        if not all(isinstance(t, str) for t in terms):
            wrong.append((("sets", i), "its terms are not all term ids"))
            return None
        unknown = [t for t in terms if t not in self.terms]
        if unknown:
            wrong.append((("sets", i), f"'{shown(unknown[0])}' is not a term of the KB"))
            return None
        if terms != sorted(set(terms)):
            wrong.append((("sets", i), "its terms are not distinct and sorted"))
            return None
        return entry[0], terms

    def _facts(self, profile: Profile, wrong: Wrong) -> None:
        """A problem where a fact counted from the same analysis and role disagrees."""
        for term, (k, n) in sorted(self.shares.get((profile.source, profile.role), {}).items()):
            if n != profile.n:
                why = f"{n:,} in the facts' {term} share, not {profile.n:,}"
                wrong.append((("postings",), why))
                return
            if profile.share(term)[0] != k:
                got = profile.share(term)[0]
                wrong.append((("sets",), f"{term}: k is {k:,} in the facts but {got:,} here"))


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
