"""A validated KB kept between runs, so that a second run skips parsing and pydantic.

An entry is keyed by a hash of the program's version and every KB file's path
and bytes, so it is never shared between different KB contents. It is written
atomically (temporary file, then rename) and every part of it carries a
checksum: a corrupt, truncated, stale, deleted or unwritable cache only means
the KB is validated again.

An entry, kb-<key>.json, is one file in three pieces, so that a query about a
few roles of a large KB reads only what it needs:

    <checksum of the index> <length of the index>\\n
    index: JSON {"base": sources, roles, topics and terms, "parts": [part, ...]}
    parts: JSON lists of figures, statements or ladders, one after another

Each part is a run of consecutive facts of one kind with the same `roles`; the
index gives its kind, roles, offset, length and checksum. Joined in order, the
parts are exactly the validated KB's lists.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Callable, Iterable, Iterator, Set
from pathlib import Path
from typing import Any, cast

from rolecompare import __version__
from rolecompare.kb import KB, RoleData

try:  # what hashlib.blake2b is, without hashlib loading OpenSSL (~2 ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own blake2
    from hashlib import blake2b

CACHE_ENV = "ROLECOMPARE_CACHE_DIR"
KEEP_ENTRIES = 8
FREEZE_AFTER = 20_000  # objects; the bundled KB makes ~3,000
FACT_KINDS = ("figures", "statements", "ladders", "contradictions")
BASE_KINDS = ("sources", "roles", "topics", "terms")

RoleFilter = Callable[[list[RoleData]], Set[str] | None]


def cache_dir() -> Path | None:
    """ROLECOMPARE_CACHE_DIR, else $XDG_CACHE_HOME/rolecompare, else ~/.cache/rolecompare.

    An empty ROLECOMPARE_CACHE_DIR turns the cache off.
    """
    explicit = os.environ.get(CACHE_ENV)
    if explicit is not None:
        return Path(explicit) if explicit else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rolecompare"


def key_for(files: Iterable[tuple[str, bytes]]) -> str:
    digest = blake2b(__version__.encode(), digest_size=32)
    for name, data in files:
        digest.update(b"\0%s\0%d\0" % (name.encode(), len(data)))
        digest.update(data)
    return digest.hexdigest()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: for code that makes many acyclic objects (a KB),
    which the collector would otherwise traverse again and again for nothing (~20% of a
    large KB's validation).

    If more than FREEZE_AFTER objects are left, they are moved out of the collector's
    sight (gc.freeze): else each of the next collections would walk all of them again
    (~60 ms for a 500-role KB). They are still freed when no longer referenced.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            if gc.get_count()[0] > FREEZE_AFTER:
                gc.freeze()
            gc.enable()


def _check(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def read(key: str, roles: RoleFilter | None = None) -> KB | None:
    """The cached KB for key, or None if there is no usable entry.

    roles, given the KB's roles, may name the only roles a query will look at; the
    KB then holds just the facts that involve one of them (and every source, role,
    topic and term), in the same order. None from it means every fact.
    """
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"kb-{key}.json", "rb") as entry:
            checksum, size = entry.readline().split()
            if not 0 < int(size) <= os.fstat(entry.fileno()).st_size:
                return None
            index = entry.read(int(size))
            if _check(index).encode() != checksum:
                return None
            meta = json.loads(index)
            base = {kind: meta["base"][kind] for kind in BASE_KINDS}
            wanted = roles(base["roles"]) if roles is not None else None
            parts = [p for p in meta["parts"] if wanted is None or not wanted.isdisjoint(p[1])]
            start = entry.tell()
            body = entry.read() if wanted is None else b""
            facts: dict[str, list[Any]] = {kind: [] for kind in FACT_KINDS}
            with paused_gc():
                for kind, _roles, offset, length, check in parts:
                    if wanted is None:
                        data = body[offset:offset + length]
                    else:
                        entry.seek(start + offset)
                        data = entry.read(length)
                    if len(data) != length or _check(data) != check:
                        return None
                    facts[kind] += json.loads(data)
            return cast(KB, {**base, **facts})
    except (OSError, ValueError, LookupError, TypeError, AttributeError, MemoryError):
        return None


def write(key: str, kb: KB) -> None:
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    home = Path(os.path.expanduser("~"))
    if home in folder.parents and not home.is_dir():
        return  # a cache is no reason to create a missing home directory
    payload = _encode(kb)
    tmp = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        os.replace(tmp, folder / f"kb-{key}.json")
        tmp = None
        _prune(folder)
    except OSError:
        pass  # a cache we cannot write only costs the next run a validation
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _encode(kb: KB) -> bytes:
    def dump(obj: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()

    parts: list[list[Any]] = []
    blobs: list[bytes] = []
    offset = 0
    for kind in FACT_KINDS:
        records: list[Any] = kb[kind]  # type: ignore[literal-required]
        start = 0
        for i in range(1, len(records) + 1):
            if i < len(records) and records[i]["roles"] == records[start]["roles"]:
                continue
            blob = dump(records[start:i])
            parts.append([kind, records[start]["roles"], offset, len(blob), _check(blob)])
            blobs.append(blob)
            offset += len(blob)
            start = i
    index = dump({"base": {kind: kb[kind] for kind in BASE_KINDS},  # type: ignore[literal-required]
                  "parts": parts})
    return b"%s %d\n" % (_check(index).encode(), len(index)) + index + b"".join(blobs)


def _prune(folder: Path) -> None:
    """Keep the newest KEEP_ENTRIES entries; drop what a writer killed mid-write left behind."""
    import time

    entries = sorted(folder.glob("kb-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    abandoned = [p for p in folder.glob(".kb-*.tmp") if p.stat().st_mtime < time.time() - 3600]
    for old in entries[KEEP_ENTRIES:] + abandoned:
        with contextlib.suppress(OSError):
            old.unlink()
