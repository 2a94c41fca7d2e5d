"""From a KB folder on disk to the bytes of its files, bounded on any input.

A KB may come from anyone, so nothing here trusts it: only regular files are
read, never through a symlink inside the KB, each read is bounded by the bytes
actually read, and anything refused is a problem reported with all the others,
never skipped in silence (a KB with facts missing must not pass as valid).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from rolecompare.errors import Problem, RoleCompareError
from rolecompare.text import shown_path

KB_ENV = "ROLECOMPARE_KB"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_KB_BYTES = 256 * 1024 * 1024
MAX_FILES = 20_000  # a KB of 3,000+ roles has one roles file and one facts file each
MAX_DEPTH = 8  # folders below a KB folder
# Each folder of a KB holds one kind of file; facts/ may nest one folder per source.
FOLDERS = ("sources", "roles", "vocabulary", "facts")
# A KB file is TOML (as people write it) or JSON (as importers write it); see syntax.py.
SUFFIXES = (".toml", ".json")
# How a file that may be hostile is opened (KB files, cache entries, completion's reads):
# never through a symlink, and a FIFO opens at once instead of waiting for a writer.
OPEN_FILE = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
OPEN_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_SCAN_FD = os.scandir in os.supports_fd  # not on Windows


class KBFile(NamedTuple):  # not a dataclass: making one costs ~0.5 ms of every start
    rel: str  # path as shown to the user, relative to the KB's parent folder
    folder: str
    data: bytes
    # The file as signature() sees it, taken from the descriptor its bytes were read from:
    # what a cache entry of these bytes is keyed on.
    stamp: str = ""


def is_kb_name(name: str) -> bool:
    """Whether a file of this name in a KB folder is a KB file."""
    return name.endswith(SUFFIXES)


def bundled_kb() -> Path:
    """The KB shipped with the package (or, in a source checkout, the repository's data/)."""
    here = Path(__file__).resolve().parents[1]
    packaged = here / "data"  # what importlib.resources finds, without importing it (~1 ms)
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "data"


def resolve_kb_dir(option: str | None) -> Path:
    """--kb beats ROLECOMPARE_KB, which beats the bundled KB."""
    chosen = option or os.environ.get(KB_ENV) or None
    return Path(chosen) if chosen else bundled_kb()


def read_kb_files(root: Path) -> tuple[list[KBFile], list[Problem]]:
    """Every KB file under root, sorted, read whole, and the problems of those it cannot use."""
    _check_root(root)
    found: list[tuple[str, tuple[str, ...]]] = []
    problems: list[Problem] = []
    for folder in FOLDERS:
        if os.path.isdir(os.path.join(root, folder)):
            found += [(folder, parts) for parts in _kb_files(root, folder, problems)]
    problems += _stray_files(root)
    if len(found) > MAX_FILES:
        raise RoleCompareError(
            f"{shown_path(root)}: more than {MAX_FILES:,} KB files; refusing to load"
        )
    if not found and not problems:
        raise RoleCompareError(
            f"{shown_path(root)}: no KB files (expected {', '.join(FOLDERS)}/*.toml or *.json)"
        )
    files: list[KBFile] = []
    budget = MAX_KB_BYTES  # bytes the files not yet read may hold between them
    for folder, parts in found:
        rel = _shown(root, parts)
        limit = min(MAX_FILE_BYTES, budget)
        data, problem, over, info = _read_bounded(os.path.join(root, *parts), limit)
        if over and limit < MAX_FILE_BYTES:
            # Over what is left of the whole KB's budget, not over a file's own limit.
            raise RoleCompareError(
                f"{shown_path(root)}: KB is larger than {MAX_KB_BYTES:,} bytes; refusing to load"
            )
        if problem is not None:
            problems.append(Problem(rel, None, "", problem))
            continue
        assert data is not None
        assert info is not None
        budget -= len(data)
        files.append(KBFile(rel, folder, data, _stamp("/".join(parts), info)))
    return files, problems


def _check_root(root: Path) -> None:
    try:
        if not root.exists():
            raise RoleCompareError(f"{shown_path(root)}: KB directory not found")
        if not root.is_dir():
            raise RoleCompareError(f"{shown_path(root)}: not a directory; --kb names a KB folder")
    except OSError as exc:
        raise RoleCompareError(
            f"{shown_path(root)}: cannot open the KB directory ({exc.strerror})"
        ) from None


def read_bounded(path: str, limit: int) -> tuple[bytes | None, str | None]:
    """The bytes of a regular file, at most limit of them, or why it was refused.

    Opened without following a symlink and without blocking (a FIFO would wait for
    a writer for ever), then checked to be a regular file before anything is read.
    """
    data, problem, _, _ = _read_bounded(path, limit)
    return data, problem


def read_at_most(fd: int, limit: int) -> bytes | None:
    """Everything an open file holds, read in chunks of at most 1 MiB, or None where it
    holds more than limit bytes (it reads limit + 1 at most): the one bounded read of KB
    files, source files and the text `--file` names."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)


class _Read(NamedTuple):
    data: bytes | None
    problem: str | None
    over: bool  # the file held more than the limit
    info: os.stat_result | None  # of the file read, taken before reading


def _read_bounded(path: str, limit: int) -> _Read:
    """read_bounded's answer, whether the file held more than limit bytes, and its stat."""
    try:
        fd = os.open(path, OPEN_FILE)
    except OSError as exc:
        if os.path.islink(path):
            why = "is a symlink; KB files are read only as regular files in the KB"
            return _Read(None, why, False, None)
        return _Read(None, f"cannot read file ({exc.strerror})", False, None)
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if not stat.S_ISREG(mode):
            why = f"is {special_kind(mode)}, not a regular file; refusing to read it"
            return _Read(None, why, False, None)
        data = read_at_most(fd, limit)
        if data is None:
            return _Read(
                None, f"file is larger than {limit:,} bytes; refusing to read it", True, None
            )
        return _Read(data, None, False, info)
    except OSError as exc:
        return _Read(None, f"cannot read file ({exc.strerror})", False, None)
    finally:
        os.close(fd)


def special_kind(mode: int) -> str:
    """What a file that is not a regular one is, for a message: "a FIFO", "a folder", ..."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def _stray_files(root: Path) -> list[Problem]:
    try:
        with os.scandir(root) as entries:
            stray = sorted(e.name for e in entries if is_kb_name(e.name))
    except OSError as exc:
        raise RoleCompareError(
            f"{shown_path(root)}: cannot list the KB directory ({exc.strerror})"
        ) from None
    return [
        Problem(_shown(root, (name,)), None, "", f"KB files go in one of {', '.join(FOLDERS)}/")
        for name in stray
    ]


def _shown(root: Path, parts: tuple[str, ...]) -> str:
    """A KB file's path for messages: relative to the KB's parent folder."""
    return shown_path(os.path.join(root.name, *parts) if root.name else root.joinpath(*parts))


def _kb_files(root: Path, folder: str, problems: list[Problem]) -> list[tuple[str, ...]]:
    """The path parts below root of every *.toml and *.json entry under root/folder, sorted.

    Symlinks and special files named so are kept, so that reading them reports
    why they are refused; a symlinked folder is a problem, never entered and never
    skipped in silence.
    """
    found: list[tuple[str, ...]] = []
    todo: list[tuple[str, ...]] = [(folder,)]
    while todo and len(found) <= MAX_FILES:
        parts = todo.pop()
        try:
            with os.scandir(os.path.join(root, *parts)) as entries:
                for entry in entries:
                    if len(found) > MAX_FILES:
                        break  # read_kb_files refuses the KB: no need to list the rest
                    why = _sort_entry(entry, (*parts, entry.name), found, todo)
                    if why:
                        problems.append(Problem(_shown(root, (*parts, entry.name)), None, "", why))
        except OSError as exc:
            raise RoleCompareError(
                f"{_shown(root, parts)}: cannot list folder ({exc.strerror})"
            ) from None
    return sorted(found, key=lambda parts: [os.path.normcase(p) for p in parts])


def _sort_entry(
    entry: os.DirEntry[str],
    here: tuple[str, ...],
    found: list[tuple[str, ...]],
    todo: list[tuple[str, ...]],
) -> str:
    """File a folder entry: a folder to enter, a KB file, or why it is a problem ("")."""
    if entry.is_dir(follow_symlinks=False):
        if len(here) > MAX_DEPTH:
            return f"folders nest deeper than {MAX_DEPTH}"
        todo.append(here)
    elif is_kb_name(entry.name):
        found.append(here)
    elif entry.is_symlink() and entry.is_dir():
        return "is a symlink to a folder; KB folders are read only as real folders in the KB"
    return ""


def _stamp(path: str, st: os.stat_result) -> str:
    return f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"


def signature_of(files: list[KBFile]) -> str:
    """The signature of the KB folder that these files, as they were read, make: the same
    as signature() of that folder while it holds them unchanged."""
    return "\n".join(sorted(f.stamp for f in files))


def signature(root: Path) -> str | None:
    """What identifies a KB folder's files without reading them: each one's path, size,
    times and inode, as git's index keeps them. None when the folder holds anything
    that needs the careful path (read_kb_files), so that it is reported."""
    found: list[str] = []
    try:
        with os.scandir(root) as entries:
            if any(is_kb_name(e.name) for e in entries):
                return None
        for folder in FOLDERS:
            if os.path.isdir(os.path.join(root, folder)) and not _sign(root, folder, found):
                return None
    except OSError:
        return None
    return "\n".join(sorted(found))


def _sign(root: Path, folder: str, found: list[str]) -> bool:
    todo: list[tuple[str, ...]] = [(folder,)]
    while todo:
        parts = todo.pop()
        # Listed through a descriptor where the platform allows, each entry's stat is made
        # relative to its folder (fstatat) instead of walking the whole path again: 15%
        # less time for the 2,035 files of the O*NET KB.
        fd = os.open(os.path.join(root, *parts), OPEN_FOLDER) if _SCAN_FD else None
        try:
            with os.scandir(os.path.join(root, *parts) if fd is None else fd) as entries:
                for entry in entries:
                    here = (*parts, entry.name)
                    if entry.is_symlink() or len(here) > MAX_DEPTH or len(found) > MAX_FILES:
                        return False
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(here)
                    elif is_kb_name(entry.name):
                        st = entry.stat(follow_symlinks=False)
                        if not stat.S_ISREG(st.st_mode):
                            return False
                        found.append(_stamp("/".join(here), st))
        finally:
            if fd is not None:
                os.close(fd)
    return True
