"""From a KB's files to a validated KB: parse, check each file's model, check the rules.

A KB is used only once it has passed validation; a cached copy is the output of
an earlier validation of exactly the same files (see cache.py).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from rolecompare.errors import KBError, Problem
from rolecompare.kb import syntax
from rolecompare.kb.files import KBFile, read_kb_files, resolve_kb_dir
from rolecompare.kb.types import FACT_KINDS, KB
from rolecompare.main import collector_paused

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from rolecompare.kb.rules import Located
    from rolecompare.kb.syntax import LineFinder


class OpenedKB:
    """A validated KB whose base (sources, roles, topics) is at hand and whose vocabulary
    and facts are decoded on request, the facts only for the roles a command shows."""

    def __init__(
        self,
        base: dict[str, Any],
        facts: Callable[[set[str] | None, bool], KB],
        root: Path | None = None,
        key: str | None = None,
    ) -> None:
        self.base = base
        self._facts = facts
        self.root = root  # the KB folder it was opened from
        self.key = key  # its cache key (cache_key), None when it was read the careful way

    def load(self, roles: set[str] | None = None, every_term: bool = True) -> KB:
        """The KB with every fact, or with at least every fact about one of roles; with
        every term, or (every_term=False) at least every term those facts name."""
        return self._facts(roles, every_term)


def open_kb(option: str | None = None) -> OpenedKB:
    """The validated KB that --kb / ROLECOMPARE_KB / the bundled KB names: from the
    cache when its files are unchanged, else read, validated and cached."""
    from rolecompare.kb import cache

    root = resolve_kb_dir(option)
    key = cache_key(root)
    entry = cache.read(key) if key is not None else None
    if entry is not None:
        cached = entry

        def facts(roles: set[str] | None, every_term: bool) -> KB:
            try:
                return cached.kb(roles, every_term)
            except Exception:  # a part that does not decode: validate again, as for any entry
                return _load_files(root, key)

        return OpenedKB(entry.base, facts, root, key)
    kb = _load_files(root, key)
    return OpenedKB(dict(kb), lambda roles, every_term: kb, root, key)


def load_kb(option: str | None = None) -> KB:
    """The whole validated KB that --kb / ROLECOMPARE_KB / the bundled KB names."""
    return open_kb(option).load()


def cache_key(root: Path) -> str | None:
    """The cache key of a KB folder as it is now, or None if it must be read with care."""
    from rolecompare.kb.files import signature

    sign = signature(root)
    return None if sign is None else _key(root, sign)


def _key(root: Path, sign: str) -> str:
    from rolecompare.kb import cache

    return cache.key_for([], f"{os.path.abspath(root)}\0{sign}")


def _load_files(root: Path, key: str | None) -> KB:
    """The KB validated from root's files, kept in the cache under the key of the files
    as they were read: not under key, taken before reading, for root may have named
    another folder then (one folder's KB was once kept under another's key)."""
    from rolecompare.kb import cache, shipped
    from rolecompare.kb.files import signature_of

    files, problems = read_kb_files(root)
    kb = None if problems else shipped.read(cache.key_for((f.rel, f.data) for f in files))
    if kb is None:
        kb = validate_files(files, problems)
        if key is not None:
            cache.write(_key(root, signature_of(files)), kb)
    return kb


def validate_dir(root: Path) -> KB:
    """Validate a KB directory from scratch, never from the cache (for `validate`)."""
    return validate_files(*read_kb_files(root))


def validate_files(files: list[KBFile], problems: list[Problem] | None = None) -> KB:
    """The KB these files make, or KBError with every problem (also those passed in)."""
    with collector_paused():
        return _validate(files, problems)


def _validate(files: list[KBFile], problems: list[Problem] | None) -> KB:
    from rolecompare.kb.check import KINDS, check_file
    from rolecompare.kb.rules import check_kb

    problems = list(problems or [])
    found: dict[str, list[Located]] = {kind: [] for kind in KINDS}
    for file_problems, records in map(check_file, files):
        problems += file_problems
        for kind, got in records.items():
            found[kind] += got
    sources, roles, topics, terms, facts = (found[kind] for kind in KINDS)
    problems += check_kb(sources, roles, topics, terms, facts, Lines(files).locate)
    for kind, have in (("source", sources), ("role", roles)):
        if not have and not problems:
            problems.append(
                Problem(
                    files[0].rel.split("/")[0],
                    None,
                    "",
                    f"the KB defines no {kind}; add a file under {kind}s/",
                )
            )
    if problems:
        raise KBError(problems)
    return _assemble(sources, roles, topics, terms, facts)


class Lines:
    """The line of a field in a KB file, for problems that the rules find: a file's
    index is made only when one of its problems is placed."""

    def __init__(self, files: list[KBFile]) -> None:
        self._files = {f.rel: f for f in files}
        self._indexes: dict[str, LineFinder] = {}

    def locate(self, rel: str, path: tuple[str | int, ...]) -> int | None:
        index = self._indexes.get(rel)
        if index is None:
            if rel not in self._files:
                return None
            text = syntax.decode(self._files[rel].data)  # it parsed, so it decodes
            index = self._indexes[rel] = syntax.line_index(rel, text)
        return index.locate(path)


def _assemble(
    sources: list[Located],
    roles: list[Located],
    topics: list[Located],
    terms: list[Located],
    facts: list[Located],
) -> KB:
    def with_origin(rec: Located, kind: str) -> list[Any]:
        base = {"source": rec.data["source"], "roles": rec.data["roles"]}
        return [{**base, **fact} for fact in rec.data[kind]]

    kb: dict[str, Any] = {
        "sources": [r.data for r in sources],
        "roles": [r.data for r in roles],
        "topics": [r.data for r in topics],
        "terms": [r.data for r in terms],
    }
    for kind in FACT_KINDS:
        kb[kind] = [x for r in facts for x in with_origin(r, kind)]
    return kb  # type: ignore[return-value]
