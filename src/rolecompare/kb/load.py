"""From a KB's files to a validated KB: parse, check each file's model, check the rules.

A KB is used only once it has passed validation; a cached copy is the output of
an earlier validation of exactly the same files (see cache.py).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from rolecompare.errors import KBError, Problem, Unparsable, dotted
from rolecompare.kb import tomltext
from rolecompare.kb.data import KB
from rolecompare.kb.files import KBFile, read_kb_files, resolve_kb_dir
from rolecompare.kb.tomltext import LineIndex
from rolecompare.text import safe

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from rolecompare.kb.rules import Located
    from rolecompare.kb.schema import Strict

FACT_KINDS = ("figures", "statements", "ladders", "contradictions")


class OpenedKB:
    """A validated KB whose base (sources, roles, topics, terms) is at hand and whose
    facts are decoded on request, only for the roles a command shows."""

    def __init__(self, base: dict[str, Any], facts: Callable[[set[str] | None], KB]) -> None:
        self.base = base
        self._facts = facts

    def load(self, roles: set[str] | None = None) -> KB:
        """The KB with every fact, or with at least every fact about one of roles."""
        return self._facts(roles)


def open_kb(option: str | None = None) -> OpenedKB:
    """The validated KB that --kb / ROLECOMPARE_KB / the bundled KB names: from the
    cache when its files are unchanged, else read, validated and cached."""
    from rolecompare.kb import cache

    root = resolve_kb_dir(option)
    key = cache_key(root)
    entry = cache.read(key) if key is not None else None
    if entry is not None:
        cached = entry

        def facts(roles: set[str] | None) -> KB:
            try:
                return cached.kb(roles)
            except Exception:  # a part that does not decode: validate again, as for any entry
                return _load_files(root, key)

        return OpenedKB(entry.base, facts)
    kb = _load_files(root, key)
    return OpenedKB(dict(kb), lambda roles: kb)


def load_kb(option: str | None = None) -> KB:
    """The whole validated KB that --kb / ROLECOMPARE_KB / the bundled KB names."""
    return open_kb(option).load()


def cache_key(root: Path) -> str | None:
    """The cache key of a KB folder as it is now, or None if it must be read with care."""
    from rolecompare.kb import cache
    from rolecompare.kb.files import signature

    sign = signature(root)
    return None if sign is None else cache.key_for([], f"{os.path.abspath(root)}\0{sign}")


def _load_files(root: Path, key: str | None) -> KB:
    from rolecompare.kb import cache, shipped

    files, problems = read_kb_files(root)
    kb = None if problems else shipped.read(cache.key_for((f.rel, f.data) for f in files))
    if kb is None:
        kb = validate_files(files, problems)
        if key is not None:
            cache.write(key, kb)
    return kb


def validate_dir(root: Path) -> KB:
    """Validate a KB directory from scratch, never from the cache (for `validate`)."""
    return validate_files(*read_kb_files(root))


def model_for(folder: str) -> type[Strict]:
    """The pydantic model that every file in a KB folder must satisfy."""
    from rolecompare.kb import schema

    models: dict[str, type[Strict]] = {
        "sources": schema.SourceFile,
        "roles": schema.RoleFile,
        "vocabulary": schema.VocabularyFile,
        "facts": schema.FactFile,
    }
    return models[folder]


def validate_files(files: list[KBFile], problems: list[Problem] | None = None) -> KB:
    """The KB these files make, or KBError with every problem (also those passed in)."""
    from rolecompare.kb.rules import check_kb

    problems = list(problems or [])
    lines = Lines()
    parsed: list[tuple[KBFile, Any]] = []
    for f in files:
        model = _parse(f, problems, lines)
        if model is not None:
            parsed.append((f, model))
    sources, roles, topics, terms, facts = _records(parsed)
    problems += check_kb(sources, roles, topics, terms, facts, lines.locate)
    for kind, found in (("source", sources), ("role", roles)):
        if not found and not problems:
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
    """The line of a field in a KB file, for problems: each file's index is made only
    when one of its problems is placed."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self._indexes: dict[str, LineIndex] = {}

    def locate(self, rel: str, path: tuple[str | int, ...]) -> int | None:
        index = self._indexes.get(rel)
        if index is None:
            if rel not in self.texts:
                return None
            index = self._indexes[rel] = LineIndex(self.texts[rel])
        return index.locate(path)


def _parse(f: KBFile, problems: list[Problem], lines: Lines) -> Any:
    """One file's model, or None with its problems added."""
    from pydantic import ValidationError

    try:
        text = f.data.decode("utf-8").removeprefix("\ufeff")  # a BOM, as some editors add
    except UnicodeDecodeError as exc:
        problems.append(Problem(f.rel, f.data.count(b"\n", 0, exc.start) + 1, "", "not UTF-8 text"))
        return None
    try:
        raw = tomltext.parse(text)
    except Unparsable as exc:
        problems.append(Problem(f.rel, exc.line, "", exc.message))
        return None
    lines.texts[f.rel] = text
    try:
        return model_for(f.folder).model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            problems.append(Problem(f.rel, lines.locate(f.rel, loc), _field(loc), _message(err)))
        return None


def _records(
    parsed: list[tuple[KBFile, Any]],
) -> tuple[list[Located], list[Located], list[Located], list[Located], list[Located]]:
    """Sources, roles, topics, terms and fact files, each record with where it came from."""
    from rolecompare.kb import schema
    from rolecompare.kb.rules import Located

    sources, roles, topics, terms, facts = [], [], [], [], []
    for f, m in parsed:
        if isinstance(m, schema.SourceFile):
            sources.append(Located(f.rel, ("source",), m.source.model_dump()))
        elif isinstance(m, schema.RoleFile):
            roles.append(Located(f.rel, ("role",), m.role.model_dump()))
        elif isinstance(m, schema.VocabularyFile):
            topics += [
                Located(f.rel, ("topics", i), t.model_dump()) for i, t in enumerate(m.topics)
            ]
            terms += [Located(f.rel, ("terms", i), t.model_dump()) for i, t in enumerate(m.terms)]
        else:
            facts.append(Located(f.rel, (), m.model_dump()))
    return sources, roles, topics, terms, facts


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


def _message(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    return msg[0].lower() + msg[1:] if msg else msg


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _field(loc: tuple[Any, ...]) -> str:
    """A field path for a message: a key that is not a bare TOML key is quoted, TOML-style,
    with control characters escaped, so that one problem stays one line on the terminal."""
    return dotted(
        tuple(
            part if not isinstance(part, str) or _BARE_KEY.fullmatch(part) else _quoted(part)
            for part in loc
        )
    )


def _quoted(key: str) -> str:
    escaped = (
        f"\\{c}"
        if c in '"\\'
        else c
        if c.isprintable()
        else f"\\u{ord(c):04x}"
        if ord(c) < 0x10000
        else f"\\U{ord(c):08x}"
        for c in key
    )
    return safe('"' + "".join(escaped) + '"')
