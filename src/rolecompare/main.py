"""The entry point: every run ends in an exit code and at most a few short lines.

--version is answered here, before Typer or the command tree is imported. All
else goes to the Typer app in cli/; whatever it raises becomes a one-line
message on stderr and an exit code: 1 for data problems, 2 for usage, 130 for
Ctrl-C. Output streams are handled with or without PYTHONUNBUFFERED: a full
disk is an error, a reader that went away is not (streams.py does that).

This module also owns the two policies that concern the whole process, so that
they are written in one place: Ctrl-C (its handler, and an exit that no late
Ctrl-C can break) and the garbage collector (at rest during start-up, paused
while a KB is made). Other modules only call the helpers below.
"""

from __future__ import annotations

import os
import signal
import sys

# Run as the `rolecompare` command (or `python -m rolecompare`), a Ctrl-C can come
# while this module and what it needs are still being imported, before main() can
# install its handler: Python's own handler would raise it inside an import, as a
# traceback. So the first thing done, for the command only (not when a program or a
# test imports this module), is to note such a press; main() then answers it. A process
# started with SIGINT ignored (a background job of a script, nohup) keeps ignoring it:
# Ctrl-C at the terminal is not meant for it, so neither this nor main() catches it.
_EARLY = {"pressed": False}


def _note_early_press(signum: int, frame: object) -> None:
    _EARLY["pressed"] = True


if os.path.basename(sys.argv[0] if sys.argv else "").removesuffix(".exe") == "rolecompare" or (
    sys.argv and sys.argv[0].endswith(os.path.join("rolecompare", "__main__.py"))
):
    try:  # contextlib is not imported yet: importing it first would widen the gap
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, _note_early_press)
    except (ValueError, OSError):  # not the main thread
        pass

import contextlib  # noqa: E402
import gc  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from types import FrameType  # noqa: E402
from typing import NoReturn  # noqa: E402

from rolecompare import __version__  # noqa: E402
from rolecompare.exitcodes import (  # noqa: E402
    DATA_ERROR,
    INTERNAL_ERROR,
    INTERRUPTED,
    USAGE_ERROR,
)
from rolecompare.streams import error as error  # noqa: E402
from rolecompare.streams import flush_stdout, os_error, tolerate_encodings  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    """Run rolecompare and exit with its code (the process ends: callers use run())."""
    code = INTERRUPTED
    try:
        _catch_ctrl_c()
        if _EARLY["pressed"]:  # pressed while this module was being imported
            _CTRL_C["pressed"] = True
            raise KeyboardInterrupt
        # Start-up (Typer, Rich, the command tree) makes tens of thousands of objects that
        # live as long as the process: the collector's passes over them find nothing and
        # cost time on every run (docs/performance.md, "What rolecompare does for speed").
        # It rests until the command's work starts (resume_collector).
        gc.disable()
        code = flush_stdout(run(argv))
        # The process is about to end: move every object out of the collector's sight, so
        # that interpreter shutdown does not walk them all again.
        gc.freeze()
        _CTRL_C["done"] = True  # no call since the line above: from here on, the code stands
    except KeyboardInterrupt:
        _CTRL_C["done"] = True  # first, before any call: a second press changes nothing
        error("interrupted")
        code = INTERRUPTED
    _exit(code)


# ---- Ctrl-C ------------------------------------------------------------------------------
#
# Python runs a signal handler between two bytecodes of whatever runs at that moment, and
# the KeyboardInterrupt it raises is lost where the interpreter drops exceptions: in a
# weakref callback (importlib's module locks use one), a __del__, a collector callback.
# So the handler raises only where the exception can travel: inside import machinery or in
# these functions themselves it waits ~1 ms (an interval timer, SIGALRM) and looks again,
# and an interrupt the interpreter dropped anyway comes back to sys.unraisablehook, which
# asks for it again the same way, instead of printing a traceback. Once the exit code is
# decided, SIGINT is blocked and ignored: Python resets its handlers while it shuts down,
# and a Ctrl-C then would kill the process (exit -2) instead of letting it exit with code.

_CTRL_C = {
    "pressed": False,  # the KeyboardInterrupt is on its way: Ctrl-C interrupts once
    "done": False,  # the exit code is decided
    "waiting": False,  # a press waits for a place where it can be raised
    "busy": False,  # the handler runs (Python may call it again from inside itself)
    "child": False,  # a program that owns the terminal runs (the pager): Ctrl-C is its
}
_HELD = {"depth": 0, "pressed": 0}  # ctrl_c_held(): blocks that run whole, and a press they hold
_RETRY_SECONDS = 0.001
_IMPORT_MACHINERY = ("<frozen importlib.", os.path.join("importlib", "_bootstrap"))
_previous_unraisablehook = sys.unraisablehook


def _catch_ctrl_c() -> None:
    """Install the Ctrl-C handler (first thing main() does), unless SIGINT is ignored, as
    the process was started (a background job): then it stays ignored, and no press comes."""
    sys.unraisablehook = _unraisable
    with contextlib.suppress(ValueError, OSError, AttributeError):  # no main thread, no signal
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, _interrupt)
            signal.signal(signal.SIGALRM, _interrupt)  # the timer of a press that waits


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C (SIGINT), or the timer of a press that waits (SIGALRM): raise it once."""
    state = _CTRL_C
    if state["pressed"] or state["done"] or state["child"]:
        return  # a press once one is on its way, or once the code is decided, adds nothing
    if state["busy"]:  # called from inside itself: the press it handles stands for this one
        if signum != signal.SIGINT and state["waiting"]:
            _wait()  # but the timer it may have set has just fired: set it again
        return
    if signum != signal.SIGINT and not state["waiting"]:
        return  # a timer that is not ours to serve
    if _HELD["depth"]:  # in a block that must run whole: raised when it ends
        state["waiting"] = False
        _HELD["pressed"] = 1
        return
    state["busy"] = True
    try:
        if frame is not None and not _can_raise_in(frame) and _wait():
            return
    finally:
        state["busy"] = False
    state["waiting"] = False
    state["pressed"] = True
    raise KeyboardInterrupt


def _can_raise_in(frame: FrameType) -> bool:
    """Whether a KeyboardInterrupt raised in frame reaches main(): not in import machinery
    (a module's own code is fine) nor in this module's Ctrl-C handling."""
    code = frame.f_code
    frozen, source = _IMPORT_MACHINERY
    name = code.co_filename
    return not (name.startswith(frozen) or source in name) and code not in _OWN_CODE


def _wait() -> bool:
    """Look again in a moment; False where there is no interval timer (then raise now)."""
    _CTRL_C["waiting"] = True
    try:
        signal.setitimer(signal.ITIMER_REAL, _RETRY_SECONDS)
    except (AttributeError, OSError, ValueError):
        _CTRL_C["waiting"] = False
        return False
    return True


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """The interpreter dropped an exception; a KeyboardInterrupt is asked for again."""
    if not issubclass(unraisable.exc_type, KeyboardInterrupt):
        _previous_unraisablehook(unraisable)
    elif not _CTRL_C["done"]:
        _CTRL_C["pressed"] = False
        _wait()


_OWN_CODE = frozenset(f.__code__ for f in (_interrupt, _can_raise_in, _wait, _unraisable))


def _exit(code: int) -> NoReturn:
    """Exit with code; a Ctrl-C from now until the process is gone changes nothing."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        signal.setitimer(signal.ITIMER_REAL, 0)
    for name in ("SIGINT", "SIGALRM"):
        signum = getattr(signal, name, None)
        if signum is None or signal.getsignal(signum) is not _interrupt:
            continue
        with contextlib.suppress(AttributeError, OSError, ValueError):
            # Blocked first, so that none arrives while the disposition changes (Python
            # would report that one as "ignored due to race condition"); then ignored,
            # which Python keeps while it shuts down.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signum})
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signum, signal.SIG_IGN)
    gc.enable()  # also when no command ran (help, a usage error)
    sys.exit(code)


@contextlib.contextmanager
def ctrl_c_to_child() -> Iterator[None]:
    """While a program that owns the terminal runs (the pager), Ctrl-C belongs to it, as in
    git: less handles it itself, and rolecompare goes on when it ends."""
    if signal.getsignal(signal.SIGINT) is _interrupt:
        _CTRL_C["child"] = True
        try:
            yield
        finally:
            _CTRL_C["child"] = False
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # run() in-process: no handler
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """A block that must run whole, such as making a temporary file and noting its name,
    or removing it: a Ctrl-C pressed meanwhile is raised as the block ends (also over an
    error it ends with), so that no temporary file is left for want of its name."""
    _HELD["depth"] += 1
    try:
        yield
    finally:
        _HELD["depth"] -= 1
        if not _HELD["depth"] and _HELD["pressed"]:
            _HELD["pressed"] = 0
            _CTRL_C["pressed"] = True
            raise KeyboardInterrupt


# ---- the garbage collector ---------------------------------------------------------------


def resume_collector() -> None:
    """The command line is parsed and a command's work starts: if main() held the garbage
    collector back for start-up, hand it what start-up made, frozen, and let it run."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector held back while a KB is made (validated, or decoded from the
    cache): a KB is many acyclic objects, which the collector would walk again and again
    for nothing (a third of the time of a cold validation of the O*NET KB)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# ---- running a command line --------------------------------------------------------------


def run(argv: list[str] | None = None) -> int:
    """Run the command line argv (default: sys.argv[1:]) and return the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if sys.stdout is None:
        error("standard output is closed; nothing to write to")
        return DATA_ERROR
    tolerate_encodings()
    try:
        if args in (["--version"], ["-V"]):
            print(f"rolecompare {__version__}")  # the one answer that needs no command tree
            return 0
        return _run_app(args)
    except KeyboardInterrupt:
        error("interrupted")
        return INTERRUPTED
    except OSError as exc:
        return os_error(exc)
    except Exception as exc:
        if not _caused_by_ctrl_c(exc):
            raise
        error("interrupted")
        return INTERRUPTED


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    """Whether exc stands for a Ctrl-C: Python turns a KeyboardInterrupt raised in some
    places into another error that keeps it as its cause (a RuntimeError from the
    __set_name__ of a class being made, as in an import). Some libraries keep only its
    text: pydantic-core turns one raised while it builds a schema into a SchemaError that
    names it. So any error that reaches here after a press was raised stands for it."""
    if _CTRL_C["pressed"]:
        return True
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


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
            return os_error(exc.__context__)
        return exc.code if isinstance(exc.code, int) else 0
    except (KeyboardInterrupt, OSError):
        raise
    except Exception as exc:
        return _internal_error(exc)
    except BaseException as exc:
        # Older pydantic-core turns a Ctrl-C raised while it builds a schema into pyo3's
        # PanicException, which derives from BaseException alone: still the Ctrl-C.
        if isinstance(exc, (SystemExit, GeneratorExit)) or not _caused_by_ctrl_c(exc):
            raise
        raise KeyboardInterrupt from exc
    if result == INTERRUPTED:  # Typer turns Ctrl-C inside a command into Exit(130)
        error("interrupted")
    return result if isinstance(result, int) else 0


def _internal_error(exc: Exception) -> int:
    """A bug: one line asking for a report, or (ROLECOMPARE_DEBUG=1) the traceback. An error
    that stands for a Ctrl-C is raised again, for run() to say "interrupted"."""
    if _caused_by_ctrl_c(exc):
        raise exc
    if os.environ.get("ROLECOMPARE_DEBUG") == "1":
        raise exc  # for a bug report: the whole traceback, and Python's exit code 1
    error(
        f"internal error: {type(exc).__name__}: {exc} (please report this; "
        "ROLECOMPARE_DEBUG=1 shows where it happened)"
    )
    return INTERNAL_ERROR


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
