"""The entry point: every run ends in an exit code and at most a few short lines.

--version is answered here, before Typer or the command tree is imported. All
else goes to the Typer app in cli.py; whatever it raises becomes a one-line
message on stderr and an exit code: 1 for data problems, 2 for usage, 130 for
Ctrl-C. Output streams are handled with or without PYTHONUNBUFFERED: a full
disk is an error, a reader that went away is not.
"""

from __future__ import annotations

import io
import os
import sys
from typing import IO

from rolecompare import __version__
from rolecompare.exitcodes import DATA_ERROR, INTERNAL_ERROR, INTERRUPTED, USAGE_ERROR


def main(argv: list[str] | None = None) -> None:
    """Run rolecompare and exit with its code."""
    import gc

    # Start-up (Typer, Rich, the command tree) makes tens of thousands of objects that live
    # as long as the process: the collector's passes over them find nothing and cost ~9 ms
    # of every run. It rests until the command's own work starts (cli.resume_collector).
    gc.disable()
    try:
        _catch_ctrl_c()
        code = _flush_stdout(run(argv))
        # The process is about to end: move every object out of the collector's sight, so
        # that interpreter shutdown does not walk them all again (~10 ms of every run).
        gc.freeze()
        _CTRL_C["done"] = True  # from here on, the exit code stands
    except KeyboardInterrupt:
        error("interrupted")
        code = INTERRUPTED
    finally:
        gc.enable()  # also when no command ran (help, a usage error)
    sys.exit(code)


# Ctrl-C interrupts once: a second press, or one once the work is done, cannot break the
# "interrupted" line or the exit that follow into a traceback (README, "Troubleshooting").
_CTRL_C = {"pressed": False, "done": False}


def _catch_ctrl_c() -> None:
    import signal

    def interrupt(signum: int, frame: object) -> None:
        if _CTRL_C["pressed"] or _CTRL_C["done"]:
            return
        _CTRL_C["pressed"] = True
        raise KeyboardInterrupt

    import contextlib

    with contextlib.suppress(ValueError, OSError):  # not the main thread, or no such signal
        signal.signal(signal.SIGINT, interrupt)


def run(argv: list[str] | None = None) -> int:
    """Run the command line argv (default: sys.argv[1:]) and return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if sys.stdout is None:
        error("standard output is closed; nothing to write to")
        return DATA_ERROR
    _tolerate_encodings()
    try:
        if args in (["--version"], ["-V"]):
            print(f"rolecompare {__version__}")  # the one answer that needs no command tree
            return 0
        return _run_app(args)
    except KeyboardInterrupt:
        error("interrupted")
        return INTERRUPTED
    except OSError as exc:
        return _os_error(exc)


def _run_app(args: list[str]) -> int:
    import typer

    from rolecompare.cli import app_for
    from rolecompare.errors import RoleCompareError

    try:
        result = app_for(args)(args=args, prog_name="rolecompare", standalone_mode=False)
    except RoleCompareError as exc:
        error(exc.message)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        error("interrupted")
        return INTERRUPTED
    except typer.TyperException as exc:
        return _usage_error(exc)
    except SystemExit as exc:
        # Typer exits by itself when stdout is a closed pipe, and after completion.
        if isinstance(exc.__context__, OSError):
            return _os_error(exc.__context__)
        return exc.code if isinstance(exc.code, int) else 0
    except (KeyboardInterrupt, OSError):
        raise
    except Exception as exc:
        error(f"internal error: {type(exc).__name__}: {exc} (please report this)")
        return INTERNAL_ERROR
    if result == INTERRUPTED:  # Typer turns Ctrl-C inside a command into Exit(130)
        error("interrupted")
    return result if isinstance(result, int) else 0


def _usage_error(exc: Exception) -> int:
    show = getattr(exc, "show", None)
    code = getattr(exc, "exit_code", USAGE_ERROR)
    if type(exc).__name__ == "NoArgsIsHelpError" and show is not None:
        if sys.stderr is not None:
            show()  # the help itself, on stderr
        return USAGE_ERROR
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None)
    hint = f" (see '{path} --help')" if path else ""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    error(" ".join(str(message).split()) + hint)
    return int(code)


def _os_error(exc: OSError) -> int:
    import errno

    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        return _reader_gone()
    where = f" ({exc.filename})" if exc.filename else ""
    error(f"{exc.strerror or exc}{where}")
    _discard_stdout()
    return DATA_ERROR


def _flush_stdout(code: int) -> int:
    """Flush now, while a failure can still be reported (not at interpreter exit)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        return _os_error(exc) if code == 0 else code
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


def _tolerate_encodings() -> None:
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
            from rolecompare.render.plain import to_ascii

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
