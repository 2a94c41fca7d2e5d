"""A validated KB kept between runs, so that a second run skips parsing and pydantic.

An entry is keyed by a hash of the program's version and every KB file's path
and bytes, so it is never shared between different KB contents. It is written
atomically (temporary file, then rename) and carries a checksum of its own
body: a corrupt, truncated, stale, deleted or unwritable cache only means the
KB is validated again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from rolecompare import __version__
from rolecompare.kb import KB

CACHE_ENV = "ROLECOMPARE_CACHE_DIR"
KEEP_ENTRIES = 8


def cache_dir() -> Path | None:
    """ROLECOMPARE_CACHE_DIR, else $XDG_CACHE_HOME/rolecompare, else ~/.cache/rolecompare.

    An empty ROLECOMPARE_CACHE_DIR turns the cache off, and so does a missing home.
    """
    explicit = os.environ.get(CACHE_ENV)
    if explicit is not None:
        return Path(explicit) if explicit else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if not os.path.isdir(home):
            return None  # a missing home: run without a cache rather than create one
        base = os.path.join(home, ".cache")
    return Path(base) / "rolecompare"


def key_for(files: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for name, data in files:
        digest.update(b"\0%s\0%d\0" % (name.encode(), len(data)))
        digest.update(data)
    return digest.hexdigest()


def read(key: str) -> KB | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        raw = (folder / f"kb-{key}.json").read_bytes()
        checksum, _, body = raw.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != checksum:
            return None
        return cast(KB, json.loads(body))
    except (OSError, ValueError):
        return None


def write(key: str, kb: KB) -> None:
    folder = cache_dir()
    if folder is None:
        return
    body = json.dumps(kb, ensure_ascii=False, separators=(",", ":")).encode()
    payload = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
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


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("kb-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        with contextlib.suppress(OSError):
            old.unlink()
