"""From a KB directory on disk to a validated KB: find, read, parse, validate, cache.

A KB is used only once it has passed validation; a cached copy is the output
of an earlier validation of exactly the same files (see cache.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rolecompare.errors import KBError, Problem, RoleCompareError, dotted
from rolecompare.kb import KB, RoleData

if TYPE_CHECKING:
    import tomllib  # imported where a KB is parsed: a cached KB needs no TOML parser

    from rolecompare.models import Strict

KB_ENV = "ROLECOMPARE_KB"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_KB_BYTES = 64 * 1024 * 1024
MAX_FILES = 5000
# Each folder of a KB holds one kind of file; facts/ may nest one folder per source.
FOLDERS = ("sources", "roles", "vocabulary", "facts")


class KBFile(NamedTuple):  # not a dataclass: making one costs ~0.5 ms of every start
    rel: str  # path as shown to the user, relative to the KB's parent folder
    folder: str
    data: bytes


def bundled_kb() -> Path:
    """The KB shipped with the package (or, in a source checkout, the repository's data/)."""
    here = Path(__file__).resolve().parent
    packaged = here / "data"  # what importlib.resources finds, without importing it (~1 ms)
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "data"


def resolve_kb_dir(option: str | None) -> Path:
    """--kb beats ROLECOMPARE_KB, which beats the bundled KB."""
    chosen = option or os.environ.get(KB_ENV) or None
    return Path(chosen) if chosen else bundled_kb()


def read_kb_files(root: Path) -> tuple[list[KBFile], list[Problem]]:
    """Every KB file under root, sorted, read whole, and the problems of those it cannot use.

    A file that is misplaced, too large or unreadable is a problem reported with all
    the others (validate_files); a KB that cannot be read at all is an error at once.
    """
    try:
        if not root.exists():
            raise RoleCompareError(f"{root}: KB directory not found")
        if not root.is_dir():
            raise RoleCompareError(f"{root}: not a directory; --kb names a KB folder")
    except OSError as exc:
        raise RoleCompareError(f"{root}: cannot open the KB directory ({exc.strerror})") from None
    found: list[tuple[str, str, str]] = []  # folder, path shown, path
    try:
        for folder in FOLDERS:
            if (root / folder).is_dir():
                found += [(folder, _shown_parts(root, parts), os.path.join(root, *parts))
                          for parts in _toml_files(root, folder)]
        stray = sorted(p for p in root.glob("*.toml") if p.is_file())
    except OSError as exc:
        raise RoleCompareError(f"{root}: cannot list the KB directory ({exc.strerror})") from None
    problems = [
        Problem(_shown(root, p), None, "", f"KB files go in one of {', '.join(FOLDERS)}/")
        for p in stray
    ]
    if len(found) > MAX_FILES:
        raise RoleCompareError(f"{root}: more than {MAX_FILES} KB files; refusing to load")
    if not found and not problems:
        raise RoleCompareError(f"{root}: no KB files (expected {', '.join(FOLDERS)}/*.toml)")
    files: list[KBFile] = []
    total = 0
    for folder, rel, path in found:
        try:
            # Raw descriptors: every run reads every KB file (for the cache key), and for
            # a large KB the buffered-file overhead shows.
            fd = os.open(path, os.O_RDONLY)
            try:
                size = os.fstat(fd).st_size
                if size > MAX_FILE_BYTES:
                    problems.append(Problem(rel, None, "", f"file is {size:,} bytes; the "
                                                           f"limit is {MAX_FILE_BYTES:,}"))
                    continue
                total += size
                if total > MAX_KB_BYTES:
                    raise RoleCompareError(f"{root}: KB is larger than {MAX_KB_BYTES:,} bytes; "
                                           "refusing to load")
                data = os.read(fd, size + 1)
                while len(data) > size and len(data) <= MAX_FILE_BYTES:  # it grew meanwhile
                    more = os.read(fd, 65536)
                    if not more:
                        break
                    data += more
                files.append(KBFile(rel, folder, data))
            finally:
                os.close(fd)
        except OSError as exc:
            problems.append(Problem(rel, None, "", f"cannot read file ({exc.strerror})"))
    return files, problems


def load_kb(option: str | None = None, roles: str | None = None) -> KB:
    """The validated KB that --kb / ROLECOMPARE_KB / the bundled KB names.

    roles, a --roles value, says that only facts involving those roles will be
    read: a KB served from the cache then holds only those facts (and every source,
    role, topic and term), so that a query about two roles of a large KB does not
    load the rest. If any name in it is unknown, every fact is loaded.
    """
    from rolecompare import cache  # here, not above: completion imports this module

    files, problems = read_kb_files(resolve_kb_dir(option))
    key = cache.key_for((f.rel, f.data) for f in files)
    only = None if roles is None else (lambda known: _role_ids(roles, known))
    cached = None if problems else cache.read(key, only)
    if cached is not None:
        return cached
    kb = validate_files(files, problems)
    cache.write(key, kb)
    return kb


def _role_ids(spec: str, roles: list[RoleData]) -> set[str] | None:
    """The ids of the roles a --roles value names, or None if it is not valid: the
    command then reports it, from the whole KB."""
    from rolecompare.queries import pick_roles

    try:
        return {role["id"] for role in pick_roles(roles, spec)}
    except RoleCompareError:
        return None


def validate_dir(root: Path) -> KB:
    """Validate a KB directory from scratch, never from the cache (for `validate`)."""
    return validate_files(*read_kb_files(root))


def model_for(folder: str) -> type[Strict]:
    """The pydantic model that every file in a KB folder must satisfy."""
    from rolecompare import models

    schema: dict[str, type[Strict]] = {
        "sources": models.SourceFile,
        "roles": models.RoleFile,
        "vocabulary": models.VocabularyFile,
        "facts": models.FactFile,
    }
    return schema[folder]


def validate_files(files: list[KBFile], problems: list[Problem] | None = None) -> KB:
    """The KB these files make, or KBError with every problem (also those passed in)."""
    from rolecompare.cache import paused_gc

    with paused_gc():  # a KB is 10,000s of acyclic objects: ~20% faster for a large one
        return _validate_files(files, problems)


def _validate_files(files: list[KBFile], problems: list[Problem] | None) -> KB:
    import tomllib

    from pydantic import ValidationError

    from rolecompare import models
    from rolecompare.validate import Located, check_kb

    problems = list(problems or [])
    texts: dict[str, str] = {}
    parsed: list[tuple[KBFile, Any]] = []
    for f in files:
        try:
            text = f.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(f.rel, _line_at(f.data, exc.start), "",
                                    "not UTF-8 text"))
            continue
        text = text.removeprefix("\ufeff")  # a byte-order mark, as some Windows editors add
        texts[f.rel] = text
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message, line = _toml_error(exc, text)
            problems.append(Problem(f.rel, line, "", f"not valid TOML: {message}"))
            continue
        except (ValueError, RecursionError) as exc:
            # What tomllib lets through: an integer of thousands of digits, arrays nested
            # thousands deep.
            why = "nested too deeply" if isinstance(exc, RecursionError) else (
                "a number has too many digits" if "digits" in str(exc) else str(exc))
            problems.append(Problem(f.rel, None, "", f"not valid TOML: {why}"))
            continue
        try:
            parsed.append((f, model_for(f.folder).model_validate(raw)))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(err["loc"])
                problems.append(Problem(f.rel, locate_line(text, loc), _field(loc),
                                        _message(err)))

    sources, roles, topics, terms, facts = [], [], [], [], []
    for f, m in parsed:
        if isinstance(m, models.SourceFile):
            sources.append(Located(f.rel, ("source",), m.source.model_dump()))
        elif isinstance(m, models.RoleFile):
            roles.append(Located(f.rel, ("role",), m.role.model_dump()))
        elif isinstance(m, models.VocabularyFile):
            topics += [Located(f.rel, ("topics", i), t.model_dump())
                       for i, t in enumerate(m.topics)]
            terms += [Located(f.rel, ("terms", i), t.model_dump()) for i, t in enumerate(m.terms)]
        else:
            facts.append(Located(f.rel, (), m.model_dump()))

    def locate(rel: str, path: tuple[str | int, ...]) -> int | None:
        return locate_line(texts[rel], path) if rel in texts else None

    problems += check_kb(sources, roles, topics, terms, facts, locate)
    for kind, records in (("source", sources), ("role", roles)):
        if not records and not problems:
            problems.append(Problem(files[0].rel.split("/")[0], None, "",
                                    f"the KB defines no {kind}; add a file under {kind}s/"))
    if problems:
        raise KBError(problems)

    def with_origin(rec: Located, kind: str) -> list[Any]:
        base = {"source": rec.data["source"], "roles": rec.data["roles"]}
        return [{**base, **fact} for fact in rec.data[kind]]

    return {
        "sources": [r.data for r in sources],  # type: ignore[misc]
        "roles": [r.data for r in roles],  # type: ignore[misc]
        "topics": [r.data for r in topics],  # type: ignore[misc]
        "terms": [r.data for r in terms],  # type: ignore[misc]
        "figures": [x for r in facts for x in with_origin(r, "figures")],
        "statements": [x for r in facts for x in with_origin(r, "statements")],
        "ladders": [x for r in facts for x in with_origin(r, "ladders")],
        "contradictions": [x for r in facts for x in with_origin(r, "contradictions")],
    }


_AT_LINE = r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)"


def _toml_error(exc: tomllib.TOMLDecodeError, source: str) -> tuple[str, int | None]:
    text = str(exc)
    match = re.search(_AT_LINE, text)
    line = int(match.group(1)) if match and match.group(1) else None
    message = re.sub(_AT_LINE, "", text).strip() or "cannot parse"
    if match and not match.group(1):
        message += " at end of file"
        line = max(1, len(source.splitlines()))  # a truncated file: point at its last line
    return message[0].lower() + message[1:], line


def _message(err: Any) -> str:
    msg = str(err["msg"])
    msg = msg.removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    return msg[0].lower() + msg[1:] if msg else msg




_BARE_KEY = r"[A-Za-z0-9_-]+"


def _field(loc: tuple[Any, ...]) -> str:
    """A field path for a message: a key that is not a bare TOML key is quoted, TOML-style,
    with control characters escaped, so that one problem stays one line on the terminal."""
    return dotted(tuple(part if not isinstance(part, str) or re.fullmatch(_BARE_KEY, part)
                        else _quoted(part) for part in loc))


def _quoted(key: str) -> str:
    escaped = (f"\\{c}" if c in '"\\' else c if c.isprintable()
               else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in key)
    return '"' + "".join(escaped) + '"'


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _shown(root: Path, path: Path) -> str:
    return str(Path(root.name) / path.relative_to(root)) if root.name else str(path)


def _shown_parts(root: Path, parts: tuple[str, ...]) -> str:
    """_shown(root, root.joinpath(*parts)), without making Path objects (a KB may hold 1000s)."""
    return os.path.join(root.name, *parts) if root.name else str(root.joinpath(*parts))


def _toml_files(root: Path, folder: str) -> list[tuple[str, ...]]:
    """The path parts below root of every *.toml file under root/folder, sorted.

    What sorted((root / folder).rglob("*.toml")) keeps of is_file(), at a third of the
    cost: symlinked files count, symlinked folders are not entered, and a folder that
    may not be listed is an error (skipping it would pass a KB with facts missing).
    """
    found: list[tuple[str, ...]] = []
    todo: list[tuple[str, ...]] = [(folder,)]
    while todo:
        parts = todo.pop()
        try:
            with os.scandir(os.path.join(root, *parts)) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append((*parts, entry.name))
                    elif entry.name.endswith(".toml") and entry.is_file():
                        found.append((*parts, entry.name))
        except PermissionError as exc:
            raise RoleCompareError(f"{_shown_parts(root, parts)}: cannot list folder "
                                   f"({exc.strerror})") from None
    return sorted(found, key=lambda parts: [os.path.normcase(p) for p in parts])


_HEADER = r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$"


def locate_line(text: str, path: tuple[Any, ...]) -> int | None:
    """Best-effort line of a field path such as ("figures", 3, "percent") in a TOML text.

    tomllib keeps no positions, so this follows the path through table headers
    and `key =` lines; where it cannot follow further it gives the last line found.
    """
    lines = text.splitlines()
    start, end = 0, len(lines)
    found: int | None = None
    prefix = ""
    i = 0
    while i < len(path):
        part = path[i]
        if not isinstance(part, str):
            break
        name = f"{prefix}{part}"
        index = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else None
        headers = [n for n in range(start, end) if _header_name(lines[n]) == name]
        if headers and (index is None or index < len(headers)):
            n = headers[index or 0]
            found = n + 1
            start = n + 1
            end = next((k for k in range(start, end) if re.match(_HEADER, lines[k])), end)
            prefix = f"{name}."
            i += 2 if index is not None else 1
            continue
        key = re.compile(rf"^\s*{re.escape(part)}\s*=")
        line = next((n for n in range(start, end) if key.match(lines[n])), None)
        if line is not None:
            found = line + 1
        break
    return found


def _header_name(line: str) -> str | None:
    match = re.match(_HEADER, line)
    return match.group(1).replace('"', "").replace(" ", "") if match else None
