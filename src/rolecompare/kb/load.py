"""From a KB's files to a validated KB: parse, check each file's model, check the rules.

A KB is used only once it has passed validation; a cached copy is the output of
an earlier validation of exactly the same files (see cache.py).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from rolecompare.errors import KBError, Problem, dotted
from rolecompare.kb.data import KB
from rolecompare.kb.files import KBFile, read_kb_files, resolve_kb_dir
from rolecompare.text import safe

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from rolecompare.kb.rules import Located
    from rolecompare.kb.schema import Strict

MAX_LINE = 10_000  # characters: bounds the dotted keys and arrays one line can hold
MAX_DOTTED = 32  # parts of one dotted key; tomllib's cost grows with their square
FACT_KINDS = ("figures", "statements", "ladders", "contradictions")


class OpenedKB:
    """A validated KB whose base (sources, roles, topics) is at hand and whose vocabulary
    and facts are decoded on request, the facts only for the roles a command shows."""

    def __init__(self, base: dict[str, Any], facts: Callable[[set[str] | None, bool], KB]) -> None:
        self.base = base
        self._facts = facts

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

        return OpenedKB(entry.base, facts)
    kb = _load_files(root, key)
    return OpenedKB(dict(kb), lambda roles, every_term: kb)


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
    lines: dict[str, LineIndex] = {}
    parsed: list[tuple[KBFile, Any]] = []
    for f in files:
        model = _parse(f, problems, lines)
        if model is not None:
            parsed.append((f, model))
    sources, roles, topics, terms, facts = _records(parsed)

    def locate(rel: str, path: tuple[str | int, ...]) -> int | None:
        return lines[rel].locate(path) if rel in lines else None

    problems += check_kb(sources, roles, topics, terms, facts, locate)
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


def _parse(f: KBFile, problems: list[Problem], lines: dict[str, LineIndex]) -> Any:
    """One file's model, or None with its problems added."""
    import tomllib

    from pydantic import ValidationError

    try:
        text = f.data.decode("utf-8").removeprefix("\ufeff")  # a BOM, as some editors add
    except UnicodeDecodeError as exc:
        problems.append(Problem(f.rel, f.data.count(b"\n", 0, exc.start) + 1, "", "not UTF-8 text"))
        return None
    lines[f.rel] = index = LineIndex(text)
    if index.refusal is not None:
        problems.append(Problem(f.rel, index.refusal[0], "", index.refusal[1]))
        return None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _toml_error(exc, text)
        problems.append(Problem(f.rel, line, "", f"not valid TOML: {message}"))
        return None
    except (ValueError, RecursionError) as exc:
        # What tomllib lets through: an integer of thousands of digits, deep nesting.
        why = (
            "nested too deeply"
            if isinstance(exc, RecursionError)
            else ("a number has too many digits" if "digits" in str(exc) else str(exc))
        )
        problems.append(Problem(f.rel, None, "", f"not valid TOML: {why}"))
        return None
    try:
        return model_for(f.folder).model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            problems.append(Problem(f.rel, index.locate(loc), _field(loc), _message(err)))
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


_AT_LINE = r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)"


def _toml_error(exc: Exception, source: str) -> tuple[str, int | None]:
    text = str(exc)
    match = re.search(_AT_LINE, text)
    line = int(match.group(1)) if match and match.group(1) else None
    message = re.sub(_AT_LINE, "", text).strip() or "cannot parse"
    if match and not match.group(1):
        message += " at end of file"
        line = max(1, source.count("\n") + (not source.endswith("\n")))  # its last line
    return message[0].lower() + message[1:], line


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


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)\s*=""")


class LineIndex:
    """Where each table header and key of a TOML text is, found in one pass.

    tomllib keeps no positions, so problems are placed by following a field path such
    as ("figures", 3, "percent") through table headers and `key =` lines; where it
    cannot follow further it gives the last line found. One pass makes every look-up
    cheap, so a file with thousands of problems is placed in linear time.
    """

    def __init__(self, text: str) -> None:
        self.headers: dict[str, list[int]] = {}
        self.keys: dict[tuple[int, str], int] = {}
        self.refusal: tuple[int, str] | None = None
        section = 0
        for n, line in enumerate(text.splitlines(), 1):
            if self.refusal is None:
                self.refusal = _refusal(n, line)
            header = _HEADER.match(line)
            if header:
                name = header.group(1).replace('"', "").replace(" ", "")
                self.headers.setdefault(name, []).append(n)
                section = n
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault((section, key.group(1).strip("\"'")), n)

    def locate(self, path: tuple[Any, ...]) -> int | None:
        found: int | None = None
        section, prefix, i = 0, "", 0
        while i < len(path) and isinstance(path[i], str):
            name = f"{prefix}{path[i]}"
            index = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else None
            lines = self.headers.get(name, [])
            if lines and (index is None or index < len(lines)):
                section = found = lines[index or 0]
                prefix = f"{name}."
                i += 1 if index is None else 2
                continue
            found = self.keys.get((section, path[i]), found)
            break
        return found


def _refusal(n: int, line: str) -> tuple[int, str] | None:
    """Input that tomllib would take far too long or too much memory to parse."""
    if len(line) > MAX_LINE:
        return n, f"line is longer than {MAX_LINE:,} characters; refusing to parse"
    head = line.split("=", 1)[0] if "=" in line else line if line.lstrip()[:1] == "[" else ""
    if head.count(".") >= MAX_DOTTED:
        return n, f"a dotted key has more than {MAX_DOTTED} parts; refusing to parse"
    return None
