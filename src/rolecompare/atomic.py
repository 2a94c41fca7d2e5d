"""How rolecompare writes a file: whole or not at all, and never through a symlink.

    write_file(Path("rolecompare-report.html"), page.encode())   # replace it atomically
    new_file(folder / "roles" / "x.json", data)                  # in a folder it just made

write_file writes a temporary file in the target's folder, flushes it to disk and
renames it over the target, so a reader (or a full disk, or a kill) sees the old file
or the new one, never part of one. Where the system allows (Linux: O_TMPFILE and
/proc), the temporary file has no name until it is whole: a write killed before that
(kill -9, a power cut) leaves nothing behind, and it gets its name only for the
rename that follows at once. Elsewhere it is `.NAME.XXXXXXXX.tmp` from the start; a
killed write can leave one, which later writes step around (a new random name) and
never remove, since rolecompare cannot tell it from a file someone else put there.

A target that is a symlink, or anything but a regular file, is refused with a
RoleCompareError (exit 1) and left as it is: the rename would replace the link
itself, so nothing is ever written where it points.
The new file keeps an existing target's permission bits; a new one gets the umask's.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from rolecompare.errors import RoleCompareError
from rolecompare.main import ctrl_c_held
from rolecompare.text import shown_path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_BINARY", 0)
_TMPFILE = getattr(os, "O_TMPFILE", 0)  # an unnamed file in a folder (Linux)
_FD_LINKS = "/proc/self/fd"  # where an unnamed file can be given a name
_TRIES = 100  # temporary names tried before giving up (each is 32 random bits)


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
    tmp: Path | None = None
    try:
        with ctrl_c_held():  # a name made is a name noted, for the removal below
            fd, tmp = _open_temporary(folder, path.name, shown)
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
            with ctrl_c_held():  # named, checked and renamed in one go
                if tmp is None:  # whole now: name it, for the rename
                    tmp = _name_unnamed(fd, folder, path.name)
                os.close(fd)
                fd = -1
                _target_mode(path, shown)  # not a symlink: refuse, not replace, one made since
                os.replace(tmp, path)
                tmp = None
        finally:
            if fd != -1:
                os.close(fd)
    except OSError as exc:
        _unlink(tmp)
        raise RoleCompareError(
            f"{shown}: cannot write it ({exc.strerror or exc}); the file is unchanged"
        ) from None
    except BaseException:
        _unlink(tmp)
        raise


def _temporary_name(folder: Path, name: str) -> Path:
    return folder / f".{name}.{secrets.token_hex(4)}.tmp"


def _open_temporary(folder: Path, name: str, shown: str) -> tuple[int, Path | None]:
    """A descriptor to write the new file through, and its name (None: it has none yet)."""
    if _TMPFILE and os.path.isdir(_FD_LINKS):
        with contextlib.suppress(OSError):  # not on this file system: a named file then
            return os.open(folder, os.O_WRONLY | _TMPFILE, 0o666), None
    for _ in range(_TRIES):
        tmp = _temporary_name(folder, name)
        try:
            return os.open(tmp, _CREATE, 0o666), tmp
        except FileExistsError:
            continue  # another run's file (perhaps one killed while writing): not ours
        except OSError as exc:
            raise RoleCompareError(f"{shown}: cannot write there ({exc.strerror or exc})") from None
    raise RoleCompareError(f"{shown}: cannot write there (no free temporary name)")


def _name_unnamed(fd: int, folder: Path, name: str) -> Path:
    """Give the unnamed file open at fd a temporary name in folder (never one in use)."""
    # Through the folder's descriptor, so that Python calls linkat with AT_SYMLINK_FOLLOW
    # (a plain link() would link the /proc entry itself).
    folder_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for _ in range(_TRIES):
            tmp = _temporary_name(folder, name)
            try:
                os.link(f"{_FD_LINKS}/{fd}", tmp.name, dst_dir_fd=folder_fd, follow_symlinks=True)
            except FileExistsError:
                continue
            return tmp
    finally:
        os.close(folder_fd)
    raise FileExistsError(errno.EEXIST, "no free temporary name", os.fspath(folder))


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


def _unlink(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            os.unlink(path)
