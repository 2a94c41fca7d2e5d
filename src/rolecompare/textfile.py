"""A text a person gives on the command line (`fit --file CV.txt`, `--file -`), read safely.

A regular file, a pipe (`--file <(pdftotext cv.pdf -)`) or standard input (`-`); at most
MAX_TEXT bytes; UTF-8 (a byte-order mark is dropped). A folder, a device (`/dev/zero`), a
binary file (a NUL byte: a PDF or a Word file) or text that is not UTF-8 is refused with
one line naming the file (and the line), exit 1.
"""

from __future__ import annotations

import os
import stat
import sys

from rolecompare.errors import RoleCompareError, UsageError
from rolecompare.kb.files import read_at_most
from rolecompare.text import shown_path

MAX_TEXT = 5 * 1024 * 1024  # bytes: a CV is a few KB, a long posting 20 KB
STDIN = "-"


def read_text(path: str) -> str:
    """The text of the file `path` names ("-" for standard input)."""
    if path == "":
        raise UsageError("--file is empty; give a file name, or - for standard input")
    name = "standard input" if path == STDIN else shown_path(path)
    data = _read_stdin() if path == STDIN else _read_path(path, name)
    if b"\x00" in data:
        raise RoleCompareError(
            f"{name}: a binary file (it holds a NUL byte), not text; save it as plain text "
            "first (e.g. pdftotext cv.pdf cv.txt)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RoleCompareError(f"{name}:{line}: not UTF-8 text; save it as UTF-8") from None


def _read_stdin() -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise UsageError("--file -: standard input is closed; give a file name instead")
    try:
        data = stream.read(MAX_TEXT + 1)
    except OSError as exc:
        raise RoleCompareError(f"standard input: cannot read it ({exc.strerror})") from None
    if len(data) > MAX_TEXT:
        raise RoleCompareError(f"standard input: more than {MAX_TEXT:,} bytes; refusing it")
    return bytes(data)


def _read_path(path: str, name: str) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise RoleCompareError(f"{name}: cannot read file ({exc.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            kind = "a folder" if stat.S_ISDIR(mode) else "a device or a socket"
            raise RoleCompareError(f"{name}: is {kind}, not a text file; refusing to read it")
        data = read_at_most(fd, MAX_TEXT)
        if data is None:
            raise RoleCompareError(f"{name}: file is larger than {MAX_TEXT:,} bytes; refusing it")
        return data
    except OSError as exc:
        raise RoleCompareError(f"{name}: cannot read file ({exc.strerror})") from None
    finally:
        os.close(fd)
