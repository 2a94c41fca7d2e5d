"""A run ends cleanly whatever happens to it: Ctrl-C at any moment, kill -9 while a file
is written, an internal error (and ROLECOMPARE_DEBUG=1 to see it whole)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rolecompare import atomic

ROOT = Path(__file__).resolve().parents[1]
SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"
INTERRUPTED = 130

# Presses Ctrl-C (SIGINT to itself, with rolecompare's handler in place) at the moment
# os.<CTRL_C_IN> is called on an import's temporary folder, then lets the call go on.
CTRL_C_IN_STAGING = """
import os, signal, sys
import rolecompare.main as entry

where = os.environ["CTRL_C_IN"]
real = getattr(os, where)
def pressing(path, *args, **kwargs):
    name = os.fspath(path)
    if ".importing" in name and (where == "rmdir" or name.endswith(".importing/kb")):
        os.kill(os.getpid(), signal.SIGINT)
    return real(path, *args, **kwargs)
setattr(os, where, pressing)
entry.main(sys.argv[1:])
"""


@pytest.mark.parametrize("where", ["mkdir", "rmdir"])
def test_ctrl_c_while_an_import_makes_or_clears_its_folder_leaves_nothing(
    run_subprocess: Any, tmp_path: Path, where: str
) -> None:
    """mkdir: the press comes while the temporary folder is being set up (it was left
    behind: __exit__ never ran); rmdir: while a finished import clears it (the clearing
    stopped half-way)."""
    out = tmp_path / "out"
    out.mkdir()
    result = run_subprocess(
        "import",
        "onet",
        SLICE,
        "--all",
        "--out",
        out / "kb",
        python_args=["-c", CTRL_C_IN_STAGING],
        env={"CTRL_C_IN": where, "ROLECOMPARE_CACHE_DIR": "", "TMPDIR": str(tmp_path)},
    )
    assert (result.returncode, result.stderr.splitlines()[-1:]) == (
        INTERRUPTED,
        ["rolecompare: interrupted"],
    )
    assert "Traceback" not in result.stderr + result.stdout
    left = sorted(p.name for p in out.iterdir())
    # Pressed during the set-up, nothing is written; pressed as the finished import
    # clears up, the KB is in place and only the KB.
    assert left == ([] if where == "mkdir" else ["kb"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# Kills the run (SIGKILL: no handler, no clean-up) as the report's bytes reach the disk.
KILLED_AT_FSYNC = """
import os, signal, sys
import rolecompare.main as entry
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
entry.main(sys.argv[1:])
"""


def test_a_report_write_killed_leaves_no_temporary_file(
    run_subprocess: Any, kb3: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old report\n", encoding="utf-8")
    result = run_subprocess(
        "--kb",
        kb3,
        "report",
        "--out",
        target,
        python_args=["-c", KILLED_AT_FSYNC],
        env={"ROLECOMPARE_CACHE_DIR": ""},
    )
    assert result.returncode == -9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert target.read_text(encoding="utf-8") == "the old report\n"


def test_a_stale_temporary_file_of_its_naming_is_stepped_around_and_kept(
    cli: Any, kb3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where files cannot be made unnamed, a killed write can leave .NAME.XXXXXXXX.tmp:
    a later write takes another name, and never removes that one (it cannot tell it
    from a file someone else put there)."""
    monkeypatch.setattr(atomic, "_TMPFILE", 0, raising=False)
    tokens = iter(["deadbeef", "deadbeef", "0123abcd"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(tokens))
    monkeypatch.chdir(tmp_path)
    stale = tmp_path / ".report.html.deadbeef.tmp"
    stale.write_text("not rolecompare's to remove\n", encoding="utf-8")
    code, _out, err = cli("--kb", kb3, "report", "--out", "report.html")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".report.html.deadbeef.tmp",
        "report.html",
    ]
    assert stale.read_text(encoding="utf-8") == "not rolecompare's to remove\n"
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---- internal errors and ROLECOMPARE_DEBUG

BROKEN = """
import sys
import rolecompare.compare.listings as listings
import rolecompare.main as entry
def broken(*args, **kwargs):
    raise ZeroDivisionError("a bug")
listings.list_roles = broken
entry.main(sys.argv[1:])
"""


@pytest.mark.parametrize("debug", [None, "", "0", "yes"])
def test_an_internal_error_is_one_line(run_subprocess: Any, kb3: Path, debug: str | None) -> None:
    result = run_subprocess(
        "--kb", kb3, "roles", python_args=["-c", BROKEN], env={"ROLECOMPARE_DEBUG": debug}
    )
    assert (result.returncode, result.stdout) == (70, "")
    assert result.stderr == (
        "rolecompare: internal error: ZeroDivisionError: a bug (please report this; "
        "ROLECOMPARE_DEBUG=1 shows where it happened)\n"
    )


def test_rolecompare_debug_re_raises_an_internal_error(run_subprocess: Any, kb3: Path) -> None:
    result = run_subprocess(
        "--kb", kb3, "roles", python_args=["-c", BROKEN], env={"ROLECOMPARE_DEBUG": "1"}
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert 'File "<string>", line 6, in broken' in result.stderr  # where it was raised
    assert result.stderr.endswith("ZeroDivisionError: a bug\n")


def test_rolecompare_debug_leaves_data_and_usage_problems_one_line(
    run_subprocess: Any, tmp_path: Path
) -> None:
    missing = run_subprocess("--kb", tmp_path / "none", "roles", env={"ROLECOMPARE_DEBUG": "1"})
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1
    assert "Traceback" not in missing.stderr
    usage = run_subprocess("skills", "--no-such-option", env={"ROLECOMPARE_DEBUG": "1"})
    assert usage.returncode == 2
    assert usage.stderr.count("\n") == 1
    assert "Traceback" not in usage.stderr


# ---- Ctrl-C at random moments


def test_ctrl_c_at_random_moments_of_every_kind_of_run() -> None:
    """30 runs of scripts/ctrl_c_storm.py (skills, report, quiz, import onet, validate;
    one to three presses at a random moment of each): every run is interrupted (130,
    one line) or finished, with no traceback and no temporary file left. The script's
    default is 200 runs; the suite keeps to 30 to stay quick (about 5 s)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "ctrl_c_storm.py"), "--runs", "30"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "ROLECOMPARE_KB"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0].endswith(", 0 failed"), done.stdout


def test_signal_and_collector_handling_is_in_main_alone() -> None:
    """Ctrl-C and the garbage collector are whole-process policies: only main.py touches
    the signal and gc modules; other modules call its helpers (ctrl_c_held,
    ctrl_c_to_child, resume_collector, collector_paused)."""
    src = ROOT / "src" / "rolecompare"
    pattern = re.compile(
        r"^\s*(?:import (?:gc|signal)\b|from (?:gc|signal) import)|\b(?:gc|signal)\."
    )
    found = [
        f"{path.relative_to(src)}:{n}: {line.strip()}"
        for path in sorted(src.rglob("*.py"))
        if path.name != "main.py" or path.parent != src
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line.split("#")[0])
    ]
    assert found == []


# The `rolecompare` command, pressed while rolecompare.main is still being imported
# (as its own imports run), before main() can install its handler.
PRESS_WHILE_MAIN_IMPORTS = """
import os, signal, sys
sys.argv[0] = os.path.join(os.sep, "usr", "bin", "rolecompare")  # as the command runs it

class Press:
    def find_spec(self, name, path=None, target=None):
        if name == "rolecompare.exitcodes":  # imported by rolecompare.main
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Press())
from rolecompare.main import main
"""
CTRL_C_WHILE_MAIN_IMPORTS = PRESS_WHILE_MAIN_IMPORTS + "main()\n"


def test_ctrl_c_while_the_command_imports_its_entry_point(run_subprocess: Any, kb3: Path) -> None:
    result = run_subprocess("--kb", kb3, "skills", python_args=["-c", CTRL_C_WHILE_MAIN_IMPORTS])
    assert (result.returncode, result.stdout, result.stderr) == (
        INTERRUPTED,
        "",
        "rolecompare: interrupted\n",
    )


# The `rolecompare` command, sent SIGINT twice: while its entry point is being imported
# (before main() could install a handler) and again while the KB is being opened.
LOAD_PRESS = """
import rolecompare.kb.load as loader

real = loader.open_kb

def open_kb(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return real(*args, **kwargs)

loader.open_kb = open_kb
main(sys.argv[1:])
"""
SIGINT_EARLY_AND_LATE = PRESS_WHILE_MAIN_IMPORTS + LOAD_PRESS


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("started", ["as-usual", "sigint-ignored", "sh-background-job"])
def test_a_job_started_with_sigint_ignored_keeps_ignoring_it(
    run_subprocess: Any, kb3: Path, started: str
) -> None:
    """A background job of a script (`rolecompare skills &` in sh, without job control)
    starts with SIGINT ignored, so that a Ctrl-C at the terminal stops the script and not
    its jobs: such a run keeps ignoring SIGINT and ends as if none came. Started as usual,
    the same presses interrupt it."""
    argv = ["--kb", str(kb3), "skills", "--format", "json"]
    if started == "sh-background-job":
        job = shlex.join([sys.executable, "-c", SIGINT_EARLY_AND_LATE, *argv])
        result = subprocess.run(
            ["/bin/sh", "-c", f"{job} & wait $!"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    else:
        result = run_subprocess(
            *argv,
            python_args=["-c", SIGINT_EARLY_AND_LATE],
            preexec_fn=_ignore_sigint if started == "sigint-ignored" else None,
        )
    if started == "as-usual":
        assert (result.returncode, result.stdout, result.stderr) == (
            INTERRUPTED,
            "",
            "rolecompare: interrupted\n",
        )
    else:
        undisturbed = run_subprocess(*argv)
        assert (undisturbed.returncode, json.loads(undisturbed.stdout)["roles"]) != (0, [])
        assert (result.returncode, result.stdout, result.stderr) == (0, undisturbed.stdout, "")


def test_importing_the_entry_point_leaves_ctrl_c_alone(run_subprocess: Any) -> None:
    """A program (or a test) that imports rolecompare.main keeps the Ctrl-C handling it
    had: Python's own, or none where it was started with SIGINT ignored (as a background
    job of a script is), so the check compares the handler before and after the import."""
    result = run_subprocess(
        python_args=[
            "-c",
            "import signal\n"
            "before = signal.getsignal(signal.SIGINT)\n"
            "import rolecompare.main\n"
            "print(before in (signal.default_int_handler, signal.SIG_IGN),"
            " signal.getsignal(signal.SIGINT) is before)",
        ]
    )
    assert (result.returncode, result.stdout) == (0, "True True\n")


def test_an_error_that_only_names_a_ctrl_c_is_still_the_ctrl_c(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pydantic-core turns a KeyboardInterrupt raised while it builds a schema into a
    SchemaError that keeps only its text (seen once in 30 storm runs of `validate`): once
    a press was raised, whatever error follows is reported as the interruption."""
    from rolecompare import main

    wrapped = RuntimeError("Error building `literal` serializer:\n  KeyboardInterrupt: ")
    assert not main._caused_by_ctrl_c(wrapped)
    monkeypatch.setitem(main._CTRL_C, "pressed", True)
    assert main._caused_by_ctrl_c(wrapped)
