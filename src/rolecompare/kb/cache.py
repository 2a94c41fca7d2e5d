"""A validated KB kept between runs, so that a second run skips parsing and pydantic.

An entry, `kb-<key>.json`, is JSON lines after one line holding its checksum: first
{"base": sources, roles, topics and terms, "parts": [[kind, roles], ...]}, then one
line per part, a run of consecutive facts of one kind about the same roles, so
that a query about two roles of a 2,000-role KB decodes only their lines (README,
"Performance": 0.38 s for every fact against 0.02 s).

The key (load.py) sums up the program's version, the KB folder's absolute path
and each KB file's path, size, times and inode, as git's index does, so a run
that finds its entry reads no KB file at all, and a changed file gets a new key.
The sums are zlib's CRC-32 and Adler-32 rather than a cryptographic hash (hashlib
costs every run 3.5 MiB and 2 ms): a KB crafted to collide can only collide with
an earlier state of itself, in the same folder. Entries are written atomically
(temporary file, then rename).

Trust (README, "Security"): an entry is used only from a folder that the current
user owns and no one else can write, as ssh and pip require, and only if the entry
itself is a regular file of that user's that no one else can write, opened without
following a symlink and read no further than its size. Anything else, and any
failure to read, check or decode an entry, of any kind, means "validate again".
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from pathlib import Path
from typing import Any, cast

from rolecompare import __version__
from rolecompare.kb.data import KB

CACHE_ENV = "ROLECOMPARE_CACHE_DIR"
KEEP_ENTRIES = 8
MAX_ENTRY_BYTES = 512 * 1024 * 1024
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


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


BASE_KINDS = ("sources", "roles", "topics", "terms")
FACT_KINDS = ("figures", "statements", "ladders", "contradictions")


def key_for(files: Any, where: str = "") -> str:
    """A key for KB files: files is an iterable of (path shown, bytes); where, anything
    else the key must depend on (a folder's path, its files' signature)."""
    crc, adler = 0, 1
    for chunk in _chunks(files, where):
        crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    return f"{crc:08x}{adler:08x}"


class Entry:
    """A cached KB: the base at once, each part's facts decoded only when asked for."""

    def __init__(self, base: dict[str, Any], parts: list[list[Any]], lines: list[bytes]) -> None:
        self.base = base
        self.parts = parts  # [kind, roles] of each part, in order
        self.lines = lines  # each part's facts, a JSON line, in the same order

    def kb(self, roles: set[str] | None = None) -> KB:
        """The KB with every fact, or only the facts about one of roles."""
        facts: dict[str, list[Any]] = {kind: [] for kind in FACT_KINDS}
        for (kind, about), line in zip(self.parts, self.lines, strict=True):
            if roles is None or not roles.isdisjoint(about):
                facts[kind] += json.loads(line)
        return cast(KB, {**self.base, **facts})


def _chunks(files: Any, where: str) -> Any:
    yield f"rolecompare {__version__}\0{where}\0".encode("utf-8", "surrogateescape")
    for name, data in files:
        yield b"\0%s\0%d\0" % (name.encode("utf-8", "surrogateescape"), len(data))
        yield data


def _checksum(data: bytes | memoryview) -> bytes:
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}".encode()


def trusted_dir(folder: Path) -> bool:
    """folder and every folder above it are safe from other users (ssh's StrictModes).

    The folder itself must be a real folder of the current user's that no one else
    can write; each one above it must belong to that user or root and be writable by
    no one else, unless it is sticky (as /tmp is), where no one may rename others'
    folders.
    """
    uid = _uid()
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


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


def read(key: str) -> Entry | None:
    """The cached KB for key, or None if there is no entry this user may trust."""
    folder = cache_dir()
    if folder is None or not trusted_dir(folder):
        return None
    try:
        fd = os.open(folder / f"kb-{key}.json", os.O_RDONLY | _NONBLOCK | _NOFOLLOW)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != _uid()
            or info.st_mode & 0o022
            or info.st_size > MAX_ENTRY_BYTES
        ):
            return None
        data = _read_exactly(fd, info.st_size)
        return _decode(data) if data is not None else None
    except Exception:
        return None
    finally:
        os.close(fd)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """size bytes of fd, or None if it holds fewer (it shrank while we read)."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, left)  # a regular file: usually all of it at once
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _decode(data: bytes) -> Entry | None:
    end = data.find(b"\n")
    if data[:end] != _checksum(memoryview(data)[end + 1 :]):
        return None
    _, head, *lines = data.split(b"\n")
    import gc

    collecting = gc.isenabled()
    gc.disable()  # a KB is many acyclic objects: nothing for the collector to find
    try:
        doc = json.loads(head)
    finally:
        if collecting:
            gc.enable()
    base, parts = doc["base"], doc["parts"]
    if not isinstance(parts, list) or len(parts) != len(lines):
        return None
    if set(base) != set(BASE_KINDS) or not all(isinstance(base[k], list) for k in BASE_KINDS):
        return None
    for kind, fields in _base_fields().items():  # the base is used at once: check its shape
        if not all(isinstance(r, dict) and r.keys() == fields for r in base[kind]):
            return None
    for kind, about in parts:
        if kind not in FACT_KINDS or not isinstance(about, list):
            return None
    return Entry(base, parts, lines)


def _base_fields() -> dict[str, Any]:
    from rolecompare.kb.data import RoleData, SourceData, TermData, TopicData

    kinds = zip(BASE_KINDS, (SourceData, RoleData, TopicData, TermData), strict=True)
    return {kind: typed.__annotations__.keys() for kind, typed in kinds}


def encode(kb: KB) -> bytes:
    """An entry's body, JSON lines: the base with the index of the parts, then each part,
    a run of same-kind facts about the same roles, on a line of its own (JSON text holds
    no raw newline)."""

    def dump(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    parts: list[list[Any]] = []
    lines: list[str] = []
    for kind in FACT_KINDS:
        facts: list[Any] = kb[kind]  # type: ignore[literal-required]
        start = 0
        for i in range(1, len(facts) + 1):
            if i == len(facts) or facts[i]["roles"] != facts[start]["roles"]:
                parts.append([kind, facts[start]["roles"]])
                lines.append(dump(facts[start:i]))
                start = i
    base = {kind: kb[kind] for kind in BASE_KINDS}  # type: ignore[literal-required]
    return "\n".join([dump({"base": base, "parts": parts}), *lines]).encode()


def write(key: str, kb: KB) -> None:
    """Keep kb for the next run, if there is a folder this user may trust; else nothing."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    body = encode(kb)
    tmp = None
    try:
        _make_private_dir(folder)
        if not trusted_dir(folder):
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(_checksum(body) + b"\n" + body)
        os.replace(tmp, folder / f"kb-{key}.json")
        tmp = None
        _prune(folder)
    except OSError:
        pass  # a cache we cannot write only costs the next run a validation
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _make_private_dir(folder: Path) -> None:
    """Create the cache folder, private to this user; never create a missing home."""
    if folder.exists():
        return
    home = os.environ.get("HOME", "")
    if home and Path(home) in folder.parents and not os.path.isdir(home):
        raise FileNotFoundError(home)
    folder.mkdir(mode=0o700, parents=True)


def _prune(folder: Path) -> None:
    """Keep the newest KEEP_ENTRIES entries; drop what a writer killed mid-write left behind."""
    import time

    def age(path: Path) -> float:
        return path.lstat().st_mtime

    entries = sorted(folder.glob("kb-*.json"), key=age, reverse=True)
    abandoned = [p for p in folder.glob(".kb-*.tmp") if age(p) < time.time() - 3600]
    for old in entries[KEEP_ENTRIES:] + abandoned:
        with contextlib.suppress(OSError):
            old.unlink()
