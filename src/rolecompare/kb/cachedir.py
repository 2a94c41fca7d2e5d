"""The cache's folder: where it is, whether this user may trust it, making it (private,
tagged CACHEDIR.TAG) and pruning it to the newest entries. Only files rolecompare can show
it wrote are ever removed (kb/cache.py describes an entry's layout)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from rolecompare.kb.files import OPEN_FILE

CACHE_ENV = "ROLECOMPARE_CACHE_DIR"


KEEP_ENTRIES = 8


def cache_dir() -> Path | None:
    """ROLECOMPARE_CACHE_DIR, else $XDG_CACHE_HOME/rolecompare, else ~/.cache/rolecompare.

    An empty or relative ROLECOMPARE_CACHE_DIR turns the cache off; a relative
    XDG_CACHE_HOME is ignored, as the XDG spec says; an empty or relative HOME
    means there is no home to keep a cache in.
    """
    explicit = os.environ.get(CACHE_ENV)
    if explicit is not None:
        return Path(explicit) if os.path.isabs(explicit) else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "rolecompare"
    home = os.environ["HOME"] if "HOME" in os.environ else os.path.expanduser("~")
    return Path(home) / ".cache" / "rolecompare" if os.path.isabs(home) else None


def trusted_dir(folder: Path) -> bool:
    """folder and every folder above it are safe from other users (ssh's StrictModes).

    The folder itself must be a real folder of the current user's that no one else
    can write; each one above it must belong to that user or root and be writable by
    no one else, unless it is sticky (as /tmp is), where no one may rename others'
    folders.
    """
    uid = user_id()
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid or info.st_mode & 0o022:
        return False
    for parent in Path(os.path.abspath(folder)).parents:
        try:
            up = os.stat(parent)
        except OSError:
            return False
        if up.st_uid not in (uid, 0):
            return False
        if up.st_mode & 0o022 and not up.st_mode & stat.S_ISVTX:
            return False
    return True


def user_id() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


def make_private_dir(folder: Path) -> None:
    """Create the cache folder, private to this user, marked as a cache (CACHEDIR.TAG, as
    pip and uv mark theirs, so that backup tools skip it); never create a missing home.
    A folder that already exists is left as it is: it may be anything of the user's."""
    if folder.exists():
        return
    home = os.environ.get("HOME", "")
    if home and Path(home) in folder.parents and not os.path.isdir(home):
        raise FileNotFoundError(home)
    folder.mkdir(mode=0o700, parents=True)
    with contextlib.suppress(OSError):
        fd = os.open(folder / "CACHEDIR.TAG", os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW)
        with os.fdopen(fd, "wb") as tag:
            tag.write(CACHEDIR_TAG)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


CACHEDIR_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by rolecompare.\n"
    b"# For information about cache directory tags see https://bford.info/cachedir/\n"
)


# What every entry rolecompare writes starts with, in any layout (MAGIC is this layout's).
OURS = b"rolecompare-cache-"


def prune(folder: Path) -> None:
    """Keep the newest KEEP_ENTRIES entries; drop what a writer killed mid-write left behind.

    Only files rolecompare can show it wrote are removed: regular files of this user's,
    named as it names them, that start as every entry it writes starts. The folder may
    be one the user keeps other things in (ROLECOMPARE_CACHE_DIR), whatever their names."""
    import time

    entries = sorted(_ours(folder, "kb-*.json"), key=lambda e: e[1], reverse=True)
    hour_ago = time.time() - 3600
    abandoned = [e for e in _ours(folder, ".kb-*.tmp") if e[1] < hour_ago]
    for old, _ in entries[KEEP_ENTRIES:] + abandoned:
        with contextlib.suppress(OSError):
            old.unlink()


def _ours(folder: Path, pattern: str) -> list[tuple[Path, float]]:
    """Each file in folder that matches pattern and that rolecompare wrote, with its mtime."""
    found = []
    for path in folder.glob(pattern):
        try:
            fd = os.open(path, OPEN_FILE)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if (
                stat.S_ISREG(info.st_mode)
                and info.st_uid == user_id()
                and os.read(fd, len(OURS)) == OURS
            ):
                found.append((path, info.st_mtime))
        except OSError:
            pass
        finally:
            os.close(fd)
    return found
