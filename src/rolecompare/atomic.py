"""How rolecompare writes a file: whole or not at all, and never through a symlink.

    write_file(Path("rolecompare-report.html"), page.encode())   # replace it atomically
    new_file(folder / "roles" / "x.json", data)                  # in a folder it just made

write_file writes a temporary file in the target's folder, flushes it to disk and
renames it over the target, so a reader (or a full disk, or a kill) sees the old file
or the new one, never part of one. A target that is a symlink, or anything but a
regular file, is refused with a RoleCompareError (exit 1) and left as it is: the
rename would replace the link itself, so nothing is ever written where it points.
The new file keeps an existing target's permission bits; a new one gets the umask's.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from rolecompare.errors import RoleCompareError
from rolecompare.text import shown_path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_BINARY", 0)


def new_file(path: Path, data: bytes) -> None:
    """Create path (it must not exist: not even as a symlink) and write data to it.
    OSError on failure, for the caller that made the folder to report."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_file(path: Path, data: bytes) -> None:
    """Replace the regular file at path (or create it) with data, atomically."""
    shown = shown_path(path)
    mode = _target_mode(path, shown)
    folder = path.parent
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, _CREATE, 0o666)
    except OSError as exc:
        raise RoleCompareError(f"{shown}: cannot write there ({exc.strerror or exc})") from None
    try:
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        _target_mode(path, shown)  # still not a symlink: refuse, not replace, one made since
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise RoleCompareError(
            f"{shown}: cannot write it ({exc.strerror or exc}); the file is unchanged"
        ) from None
    except BaseException:
        _unlink(tmp)
        raise


def _target_mode(path: Path, shown: str) -> int | None:
    """The permission bits of the regular file at path, None if nothing is there; a
    RoleCompareError for a symlink or anything but a regular file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RoleCompareError(f"{shown}: cannot write there ({exc.strerror or exc})") from None
    if stat.S_ISLNK(st.st_mode):
        raise RoleCompareError(f"{shown}: is a symlink; refusing to write through it")
    if not stat.S_ISREG(st.st_mode):
        raise RoleCompareError(f"{shown}: exists and is not a regular file; refusing to replace it")
    return stat.S_IMODE(st.st_mode)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
