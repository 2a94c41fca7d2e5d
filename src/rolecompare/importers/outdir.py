"""The folder an importer writes a KB to: made whole beside it, then moved into place.

    clear_stale(out)                         # what killed imports to out left
    check_out(out, force, reading=db)        # UsageError if out may not be written
    with Staging(out, force) as stage:
        write_the_kb(stage.kb)               # stage.kb is named like out
        stage.install()                      # out is now the new KB

The KB is written to `.OUT.XXXXXXXX.importing/OUT` beside out, then renamed to out,
so nothing but a whole KB is ever at out, and a problem found in the new KB names
OUT/facts/... as the user knows it. What the move may remove, and nothing more:

- without force, an empty folder at out (the new KB takes its permissions); a folder
  that is not empty when the KB is moved (even one made during the import) makes the
  import fail and is left as it is;
- with force, the KB that was at out when the import started: out must then hold only
  KB files (*.toml, *.json in sources/, roles/, vocabulary/, facts/, postings/ and folders
  below them), and still be that same folder when the KB is moved. The old KB's
  files are deleted one by one; anything else found in it by then is kept, in a
  folder named `OUT.replaced-XXXXXXXX` beside out (Staging.kept).

The temporary folder holds a marker file, locked while the import runs. One left by
an import that was killed (the lock is free, and the marker says rolecompare made
it) is cleared by the next import to the same out: its KB files are deleted, and a
KB it was replacing with force, if out is gone, is put back at out.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, TypeVar

from rolecompare.errors import RoleCompareError, UsageError
from rolecompare.main import ctrl_c_held
from rolecompare.text import shown, shown_path

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")

try:
    import fcntl
except ImportError:  # Windows: no lock, so a stale folder is never proved stale
    fcntl = None  # type: ignore[assignment]

# postings/: the posting profiles of `import postings` (kb/profiles.py), beside the KB's.
KB_FOLDERS = ("sources", "roles", "vocabulary", "facts", "postings")
KB_SUFFIXES = (".toml", ".json")
MARKER = ".rolecompare-import"
MARKER_TEXT = b"rolecompare import: a KB being written; removed when the import ends\n"
OLD = ".old"  # in the temporary folder: the KB that force is replacing, while it is moved
MAX_DEPTH = 8


def check_out(out: Path, force: bool, reading: Path) -> None:
    """A UsageError unless out may receive a KB: absent, an empty folder, or (with force)
    a folder holding only a KB; never the folder being read from, inside it or around it."""
    if not os.fspath(out):
        raise UsageError("--out is empty; give the KB folder to write")
    src, dst = Path(os.path.realpath(reading)), Path(os.path.realpath(out))
    if dst == src or src in dst.parents:
        raise UsageError(
            f"{shown_path(out)}: the KB must not be written inside the folder it is read from"
        )
    if dst in src.parents:
        raise UsageError(
            f"{shown_path(out)}: holds {shown_path(reading)}, which the import reads; "
            "refusing to write or replace the KB there"
        )
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{shown_path(out)}: cannot use it ({exc.strerror})") from None
    if not stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{shown_path(out)}: exists and is not a folder")
    try:
        entries = sorted(os.listdir(out))
    except OSError as exc:
        raise UsageError(f"{shown_path(out)}: cannot list folder ({exc.strerror})") from None
    if entries and not force:
        raise UsageError(
            f"{shown_path(out)}: folder is not empty; choose a new folder or use --force "
            "to replace the KB in it"
        )
    try:
        stray = _not_kb(out)
    except OSError as exc:
        raise UsageError(f"{shown_path(out)}: cannot list it all ({exc.strerror})") from None
    if stray is not None:
        raise UsageError(
            f"{shown_path(out)}: holds '{shown(stray)}', which is not part of a KB; "
            "refusing to replace it"
        )


def _not_kb(out: Path) -> str | None:
    """The first thing in out, as a path relative to it, that is not part of a KB."""
    for name in sorted(os.listdir(out)):
        if name not in KB_FOLDERS or not _is_dir(out / name):
            return name
        todo: list[tuple[str, ...]] = [(name,)]
        while todo:
            parts = todo.pop()
            for entry in sorted(os.listdir(out.joinpath(*parts))):
                here = (*parts, entry)
                mode = os.lstat(out.joinpath(*here)).st_mode
                if stat.S_ISDIR(mode) and len(here) <= MAX_DEPTH:
                    todo.append(here)
                elif not (stat.S_ISREG(mode) and entry.endswith(KB_SUFFIXES)):
                    return "/".join(here)
    return None


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


class Staging:
    """The temporary folder of one import; see the module's docstring."""

    def __init__(self, out: Path, force: bool) -> None:
        self.out = Path(os.path.abspath(out))
        self.force = force
        self.kept: Path | None = None
        self._replacing = _identity(self.out) if force else None
        self._tmp: Path | None = None
        self._lock: IO[bytes] | None = None

    @property
    def kb(self) -> Path:
        assert self._tmp is not None
        return self._tmp / self.out.name

    def __enter__(self) -> Staging:
        out = self.out
        try:
            with ctrl_c_held():  # the folder is made and noted whole, or not at all
                out.parent.mkdir(parents=True, exist_ok=True)
                self._tmp = Path(
                    tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".importing", dir=out.parent)
                )
                self._lock = open(self._tmp / MARKER, "xb")
                if fcntl is not None:  # locked before it says what it is: never proved stale
                    fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._lock.write(MARKER_TEXT)
                self._lock.flush()
                os.mkdir(self.kb)  # the umask's permissions, as any new folder
        except OSError as exc:
            self._clean()
            raise RoleCompareError(
                f"{shown_path(out)}: cannot write there ({exc.strerror or exc})"
            ) from None
        except BaseException:  # a Ctrl-C: __exit__ will not run, so clean here
            self._clean()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._clean()

    def _clean(self) -> None:
        with ctrl_c_held():  # removed whole: a Ctrl-C meanwhile waits for the end
            if self._tmp is not None:
                _remove_staging(self._tmp)
                self._tmp = None
            if self._lock is not None:
                self._lock.close()
                self._lock = None

    def install(self) -> None:
        """Move the KB to out; see the module's docstring for what it may replace."""
        out, new = self.out, self.kb
        current = _identity(out)
        if self._replacing is not None and current == self._replacing:
            self._replace(new)
            return
        if current is not None:
            with contextlib.suppress(OSError):
                os.chmod(new, stat.S_IMODE(os.lstat(out).st_mode))  # an empty folder's
        try:
            os.rename(new, out)  # replaces an empty folder only
        except OSError as exc:
            raise RoleCompareError(
                f"{shown_path(out)}: {_why_not_moved(out, exc)}; the KB was not written"
            ) from None

    def _replace(self, new: Path) -> None:
        out = self.out
        assert self._tmp is not None
        stray = _not_kb(out)
        if stray is not None:
            raise RoleCompareError(
                f"{shown_path(out)}: now holds '{shown(stray)}', which is not part of a KB; "
                "the KB was not replaced"
            )
        with contextlib.suppress(OSError):
            os.chmod(new, stat.S_IMODE(os.lstat(out).st_mode))
        old = self._tmp / OLD
        os.rename(out, old)
        try:
            os.rename(new, out)
        except BaseException:
            os.rename(old, out)
            raise
        if not remove_kb_files(old):
            kept = out.parent / f"{out.name}.replaced-{secrets.token_hex(4)}"
            os.rename(old, kept)
            self.kept = kept


def _why_not_moved(out: Path, exc: OSError) -> str:
    if not _is_dir(out) and os.path.lexists(out):
        return "something that is not a folder appeared there during the import"
    if _is_dir(out):
        return "a folder that is not empty appeared there during the import, and is kept"
    return f"cannot move the KB there ({exc.strerror or exc})"


def remove_kb_files(root: Path) -> bool:
    """Delete the KB files (*.toml, *.json) under root's KB folders, then every folder
    left empty; nothing else, never through a symlink. True if root is gone."""
    for name in KB_FOLDERS:
        top = root / name
        if not _is_dir(top):
            continue
        for here, dirs, files in os.walk(top, topdown=False):
            for f in files:
                path = Path(here) / f
                if f.endswith(KB_SUFFIXES) and stat.S_ISREG(os.lstat(path).st_mode):
                    os.unlink(path)
            for d in dirs:
                with contextlib.suppress(OSError):
                    os.rmdir(Path(here) / d)  # a symlink or a folder not empty: kept
        with contextlib.suppress(OSError):
            os.rmdir(top)
    try:
        os.rmdir(root)
    except OSError:
        return False
    return True


def _remove_staging(tmp: Path) -> None:
    """Delete what an import put in its temporary folder, then the folder."""
    for name in os.listdir(tmp) if _is_dir(tmp) else []:
        if name != MARKER and _is_dir(tmp / name):
            remove_kb_files(tmp / name)
    with contextlib.suppress(OSError):
        os.unlink(tmp / MARKER)
    with contextlib.suppress(OSError):
        os.rmdir(tmp)


def clear_stale(out: Path) -> None:
    """Clear the temporary folders beside out that imports to out left when killed: each
    one whose marker rolecompare wrote and whose lock no running import holds."""
    if fcntl is None:
        return
    pattern = re.compile(rf"\.{re.escape(out.name)}\.[a-z0-9_]{{8}}\.importing")
    try:
        names = [n for n in os.listdir(out.parent) if pattern.fullmatch(n)]
    except OSError:
        return
    for name in names:
        tmp = out.parent / name
        try:
            st = os.lstat(tmp)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
                continue
            fd = os.open(tmp / MARKER, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode) or os.read(fd, 200) != MARKER_TEXT:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # an import is running there
            if _is_dir(tmp / OLD) and not os.path.lexists(out):
                os.rename(tmp / OLD, out)  # killed while replacing: the old KB goes back
            _remove_staging(tmp)
        except OSError:
            continue
        finally:
            os.close(fd)


def validate_written(kb: Path, out: Path) -> None:
    """An error unless the KB an import wrote at kb (to become out) validates."""
    from rolecompare.errors import KBError
    from rolecompare.kb.load import validate_dir
    from rolecompare.kb.profiles import load_profiles

    try:
        load_profiles(validate_dir(kb), kb)
    except KBError as exc:
        raise RoleCompareError(
            f"{shown_path(out)}: not written: the imported KB does not validate "
            f"({len(exc.problems)} problems; the first: {exc.problems[0]})"
        ) from None


def write_staged(
    out: Path, force: bool, write: Callable[[Path], T], check: bool = True
) -> tuple[T, Path | None]:
    """Write a KB with write(folder) into a temporary folder beside out, validate it (with
    check) and move it into place (Staging); on any failure out is left as it was. Returns
    what write returned, and where anything found in a replaced KB that was not part of it
    was kept."""
    with Staging(out, force) as stage:
        try:
            made = write(stage.kb)
            if check:
                validate_written(stage.kb, out)
            stage.install()
        except OSError as exc:
            raise RoleCompareError(
                f"{shown_path(out)}: cannot write the KB ({exc.strerror or exc})"
            ) from None
    return made, stage.kept
