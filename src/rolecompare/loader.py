"""From a KB directory on disk to a validated KB: find, read, parse, validate, cache.

A KB is used only once it has passed validation; a cached copy is the output
of an earlier validation of exactly the same files (see cache.py).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolecompare import cache
from rolecompare.errors import KBError, Problem, RoleCompareError, dotted
from rolecompare.kb import KB

if TYPE_CHECKING:
    from rolecompare.models import Strict

KB_ENV = "ROLECOMPARE_KB"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_KB_BYTES = 64 * 1024 * 1024
MAX_FILES = 5000
# Each folder of a KB holds one kind of file; facts/ may nest one folder per source.
FOLDERS = ("sources", "roles", "vocabulary", "facts")


@dataclass(frozen=True)
class KBFile:
    rel: str  # path as shown to the user, relative to the KB's parent folder
    folder: str
    data: bytes


def bundled_kb() -> Path:
    """The KB shipped with the package (or, in a source checkout, the repository's data/)."""
    from importlib.resources import files

    packaged = Path(str(files("rolecompare"))) / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


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
    found: list[tuple[str, Path]] = []
    try:
        for folder in FOLDERS:
            base = root / folder
            if base.is_dir():
                found += [(folder, p) for p in sorted(base.rglob("*.toml")) if p.is_file()]
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
    for folder, path in found:
        rel = _shown(root, path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                problems.append(Problem(rel, None, "", f"file is {size:,} bytes; the limit is "
                                                       f"{MAX_FILE_BYTES:,}"))
                continue
            total += size
            if total > MAX_KB_BYTES:
                raise RoleCompareError(f"{root}: KB is larger than {MAX_KB_BYTES:,} bytes; "
                                       "refusing to load")
            files.append(KBFile(rel, folder, path.read_bytes()))
        except OSError as exc:
            problems.append(Problem(rel, None, "", f"cannot read file ({exc.strerror})"))
    return files, problems


def load_kb(option: str | None = None) -> KB:
    """The validated KB that --kb / ROLECOMPARE_KB / the bundled KB names."""
    files, problems = read_kb_files(resolve_kb_dir(option))
    key = cache.key_for((f.rel, f.data) for f in files)
    cached = None if problems else cache.read(key)
    if cached is not None:
        return cached
    kb = validate_files(files, problems)
    cache.write(key, kb)
    return kb


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
                problems.append(Problem(f.rel, locate_line(text, loc), dotted(loc),
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
    }


_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")


def _toml_error(exc: tomllib.TOMLDecodeError, source: str) -> tuple[str, int | None]:
    text = str(exc)
    match = _AT_LINE.search(text)
    line = int(match.group(1)) if match and match.group(1) else None
    message = _AT_LINE.sub("", text).strip() or "cannot parse"
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




def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _shown(root: Path, path: Path) -> str:
    return str(Path(root.name) / path.relative_to(root)) if root.name else str(path)


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")


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
            end = next((k for k in range(start, end) if _HEADER.match(lines[k])), end)
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
    match = _HEADER.match(line)
    return match.group(1).replace('"', "").replace(" ", "") if match else None
