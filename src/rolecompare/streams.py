"""The process's output streams: one-line errors on stderr, a full disk reported, a reader
that went away (`| head -1`) taken quietly, and a console that cannot encode a character
given a stand-in instead of a crash. main.py runs the command line with these."""

from __future__ import annotations

import io
import os
import sys
from typing import IO

from rolecompare.exitcodes import DATA_ERROR


def os_error(exc: OSError) -> int:
    import errno

    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        return _reader_gone()
    where = f" ({exc.filename})" if exc.filename else ""
    error(f"{exc.strerror or exc}{where}")
    _discard_stdout()
    return DATA_ERROR


def flush_stdout(code: int) -> int:
    """Flush now, while a failure can still be reported (not at interpreter exit)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        return os_error(exc) if code == 0 else code
    except ValueError:
        pass  # closed by someone else: nothing left to flush
    return code


def _reader_gone() -> int:
    """The reader went away (`rolecompare skills | head -1`): stop quietly, exit 0."""
    _discard_stdout()
    return 0


def _discard_stdout() -> None:
    """Send what is still buffered for stdout to /dev/null, so that Python's own flush
    at exit does not fail a second time and print "Exception ignored"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass


def tolerate_encodings() -> None:
    """A console that cannot encode a character shows a stand-in, never a crash.

    An ASCII console also gets ASCII from Typer's help, which would otherwise write
    UTF-8 bytes past it (click does so for any stream it finds "misconfigured").
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if not encoding.startswith("utf") and reconfigure is not None:
            reconfigure(errors="replace")
            if _is_ascii(encoding):
                setattr(sys, name, _AsciiText(stream))


def _is_ascii(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "ascii"
    except LookupError:
        return False


class _AsciiText(io.TextIOBase):
    """A text stream for an ASCII console: dashes and quotes as their ASCII look-alikes,
    anything else as "?"; no binary buffer below it for click to write UTF-8 into."""

    encoding = "ascii"
    errors = "replace"

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("text only")
        if not text.isascii():
            from rolecompare.render.layout import to_ascii

            text = to_ascii(text)
        self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def writable(self) -> bool:
        return True


def error(message: str) -> None:
    """One `rolecompare: ...` line per line of message, on stderr, if there is one; on a
    terminal, wrapped at spaces to its width, never inside a word."""
    if sys.stderr is None:
        return  # stderr is closed: the exit code still tells
    from rolecompare.text import terminal_columns, wrapped

    try:
        width = terminal_columns(sys.stderr)  # on a terminal, wrapped at spaces
        for line in message.splitlines() or [""]:
            for part in wrapped(f"rolecompare: {line}", width):
                sys.stderr.write(part + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
