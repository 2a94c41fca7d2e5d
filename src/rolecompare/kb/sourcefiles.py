"""The files a KB's sources name, read as safely as the KB itself, and one TSV reader.

A KB may come from anyone, and so may the paths it names: a source's `document` and
a record's `file`. Such a path must be a plain relative path (words joined by `/`:
not absolute, no `.` or `..`, no empty part, no backslash, no drive, no control
character), and it is opened inside the folder it is relative to one part at a time,
never through a symlink (kb.files.OPEN_FILE and OPEN_FOLDER), never waiting on a FIFO,
and read only as a regular file of at most MAX_DATA_BYTES.

    why = path_problem("../etc/passwd")      # "has a '..' part", or None if plain
    data = read_under(Path("../shared"), "sources/onet-29.2/Job Zones.txt")
    table = parse_tsv(data)                  # header, and each line after it

The O*NET importer and `rolecompare verify` read tab-separated files with parse_tsv
alone, so both see the same file: UTF-8, one byte-order mark at the start ignored, CRLF
or LF lines, and every line after the header exactly as many cells wide as the header
(a line of another width, an empty one too, is the file's fault, named by its line).
Errors are SourceFileError, whose message says why without the path (the caller names
the file as its user knows it).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from rolecompare.kb.files import OPEN_FILE, OPEN_FOLDER, read_at_most, special_kind

MAX_DATA_BYTES = 64 * 1024 * 1024  # the largest O*NET file rolecompare reads is 3.5 MB
MAX_FOUND = 20_000  # files looked at when a document is looked for by its content
MAX_DEPTH = 8
BOM = "\ufeff"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_AT = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd
_DRIVE = re.compile(r"[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class SourceFileError(Exception):
    """Why a file a source names cannot be used (a message without the path), and the
    line it is on where it is one line's fault."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def at(self, name: str) -> str:
        """The message for a file shown as name: "name:3: not UTF-8 text"."""
        return f"{name}:{self.line}: {self.message}" if self.line else f"{name}: {self.message}"


class Tsv(NamedTuple):
    header: list[str]
    # The lines after the header, without their line end: lines[i] is line i+2. Each has
    # len(header) cells; a caller splits only the lines it needs.
    lines: list[str]


def path_problem(path: str) -> str | None:
    """Why a path named in a KB is not a plain relative path, or None if it is one."""
    if not path:
        return "is empty"
    if _CONTROL.search(path):
        return "holds a control character"
    if "\\" in path:
        return "holds a backslash; parts are separated by /"
    if path.startswith("/") or _DRIVE.match(path):
        return "is absolute; give a path relative to the sources folder"
    parts = path.split("/")
    if ".." in parts:
        return "has a '..' part; it must stay inside the sources folder"
    if "." in parts or "" in parts:
        return "has an empty or '.' part; give a plain relative path like a/b.txt"
    return None


def _parts(rel: str) -> list[str]:
    why = path_problem(rel)
    if why is not None:
        raise SourceFileError(f"is not a plain relative path: it {why}")
    return rel.split("/")


def _folder_of(root: Path, parts: list[str]) -> int:
    """A descriptor of the folder that holds the last part, entered one part at a time
    without following a symlink. root itself is the user's choice and may be one."""
    fd = os.open(root, OPEN_FOLDER)
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(part, OPEN_FOLDER | _NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                raise SourceFileError(_why_not(fd, part, exc, "folder")) from None
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def _why_not(fd: int, name: str, exc: OSError, wanted: str) -> str:
    try:
        mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
    except OSError:
        return "not found" if isinstance(exc, FileNotFoundError) else _cannot(exc)
    # The last part is what the caller names; a folder on the way is named.
    what = f"{name} " if wanted == "folder" else ""
    if stat.S_ISLNK(mode):
        return f"{what}is a symlink; sources are read only as real files and folders"
    if wanted == "folder" and not stat.S_ISDIR(mode):
        return f"{what}is not a folder"
    return _cannot(exc)


def _cannot(exc: OSError) -> str:
    return f"cannot read it ({exc.strerror or exc})"


def kind_under(root: Path, rel: str) -> str:
    """What rel names inside root: "file", "folder", or "missing". SourceFileError if it
    is not a plain relative path, passes through a symlink, or is anything else."""
    parts = _parts(rel)
    if not _AT:
        return _kind_by_path(root, parts)
    try:
        fd = _folder_of(root, parts)
    except SourceFileError as exc:
        if exc.message == "not found":
            return "missing"
        raise
    except OSError as exc:
        raise SourceFileError(_cannot(exc)) from None
    try:
        mode = os.stat(parts[-1], dir_fd=fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise SourceFileError(_cannot(exc)) from None
    finally:
        os.close(fd)
    return _kind(parts[-1], mode)


def _kind(name: str, mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        raise SourceFileError(f"{name} is a symlink; sources are read only as real files")
    raise SourceFileError(f"{name} is not a regular file or folder; refusing to read it")


def _kind_by_path(root: Path, parts: list[str]) -> str:
    """kind_under where the platform opens nothing relative to a folder (Windows)."""
    here = root
    for part in parts:
        here = here / part
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            raise SourceFileError(_cannot(exc)) from None
        kind = _kind(part, mode)
        if kind == "file" and part is not parts[-1]:
            raise SourceFileError(f"{part} is not a folder")
    return kind


def read_under(root: Path, rel: str, limit: int | None = None) -> bytes:
    """The bytes of the regular file rel names inside root, at most limit of them
    (MAX_DATA_BYTES if not given)."""
    limit = MAX_DATA_BYTES if limit is None else limit
    parts = _parts(rel)
    if not _AT:
        _kind_by_path(root, parts)  # refuses a symlink on the way
        return _read_fd(os.open(root.joinpath(*parts), OPEN_FILE), limit)
    try:
        fd = _folder_of(root, parts)
    except OSError as exc:
        why = "not found" if isinstance(exc, FileNotFoundError) else _cannot(exc)
        raise SourceFileError(why) from None
    try:
        try:
            file = os.open(parts[-1], OPEN_FILE, dir_fd=fd)
        except FileNotFoundError:
            raise SourceFileError("not found") from None
        except OSError as exc:
            raise SourceFileError(_why_not(fd, parts[-1], exc, "file")) from None
    finally:
        os.close(fd)
    return _read_fd(file, limit)


def read_path(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file the user named (its last part not a symlink), bounded."""
    limit = MAX_DATA_BYTES if limit is None else limit
    try:
        fd = os.open(path, OPEN_FILE)
    except FileNotFoundError:
        raise SourceFileError("not found") from None
    except OSError as exc:
        if os.path.islink(path):
            raise SourceFileError("is a symlink; refusing to read through it") from None
        raise SourceFileError(_cannot(exc)) from None
    return _read_fd(fd, limit)


def _read_fd(fd: int, limit: int) -> bytes:
    """Read an open file whole (then close it): a regular file of at most limit bytes."""
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SourceFileError(
                f"is {special_kind(mode)}, not a regular file; refusing to read it"
            )
        data = read_at_most(fd, limit)
        if data is None:
            raise SourceFileError(f"is larger than {limit:,} bytes; refusing to read it")
        return data
    except OSError as exc:
        raise SourceFileError(_cannot(exc)) from None
    finally:
        os.close(fd)


def decode_text(data: bytes) -> str:
    """UTF-8 text without a leading byte-order mark; SourceFileError (with the line) if
    it is not UTF-8."""
    try:
        return data.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceFileError("not UTF-8 text", line) from None


def parse_tsv(data: bytes) -> Tsv:
    """A tab-separated file's header cells and its other lines (CRLF or LF; a last line
    end is not an empty line). SourceFileError if it is not UTF-8, has no header, or has
    a line (the first such, by its number) with more or fewer cells than the header."""
    lines = decode_text(data).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise SourceFileError("empty file; expected a header line")
    header = lines[0].removesuffix("\r").split("\t")
    rows = [line.removesuffix("\r") for line in lines[1:]]
    tabs = len(header) - 1
    for n, line in enumerate(rows, 2):
        if line.count("\t") != tabs:
            cells = line.count("\t") + 1
            raise SourceFileError(f"{cells} tab-separated cells; the header has {len(header)}", n)
    return Tsv(header, rows)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_by_content(root: Path) -> dict[str, str]:
    """The SHA-256 of each regular file under root -> its plain relative path (the first
    in sorted order where copies are the same); symlinks are never entered or read, and
    at most MAX_FOUND files, MAX_DEPTH folders deep, each at most MAX_DATA_BYTES."""
    found: dict[str, str] = {}
    seen = 0
    todo: list[tuple[str, ...]] = [()]
    while todo and seen < MAX_FOUND:
        parts = todo.pop(0)
        try:
            with os.scandir(root.joinpath(*parts)) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            here = (*parts, entry.name)
            rel = "/".join(here)
            if path_problem(rel) is not None:
                continue
            if entry.is_dir(follow_symlinks=False):
                if len(here) < MAX_DEPTH:
                    todo.append(here)
            elif entry.is_file(follow_symlinks=False) and seen < MAX_FOUND:
                seen += 1
                try:
                    found.setdefault(sha256_of(read_under(root, rel)), rel)
                except SourceFileError:
                    continue
    return found
