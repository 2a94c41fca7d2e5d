"""Shared fixtures: an isolated environment, the kb3 fixture KB, and two ways to run the CLI.

Every test runs with its own empty cache directory, no ROLECOMPARE_KB or NO_COLOR
from the developer's shell, and COLUMNS=100, so output does not depend on who
runs the suite or on the terminal it runs in.

    cli("--kb", kb3, "skills")            -> (exit code, stdout, stderr), in-process
    run_subprocess("skills", env={...})   -> CompletedProcess, in a fresh interpreter
    copy_kb()                             -> a private copy of kb3 that a test may break
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
KB3 = ROOT / "tests" / "fixtures" / "kb3"

# Set by many developers' shells and CI images, but not by users': subprocess tests run
# without them, so that buffered output and its failures are what the suite sees.
USER_UNSET = ("PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE")

CliResult = tuple[int, str, str]
Cli = Callable[..., CliResult]
CopyKB = Callable[..., Path]
RunSubprocess = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh cache directory per test; nothing from the caller's shell leaks in, and
    nothing a command writes (`report` writes rolecompare-report.html) lands in the
    repository: each test runs in an empty folder of its own."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("ROLECOMPARE_KB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def kb3() -> Path:
    """The valid three-role fixture KB (read-only: copy it with copy_kb to break it)."""
    return KB3


@pytest.fixture
def copy_kb(tmp_path: Path) -> CopyKB:
    """copy_kb(name="kb") copies kb3 to tmp_path/name and returns the copy's path.

    Problems are reported relative to the KB's parent folder, so a file of the
    copy shows as "kb/facts/survey/ds.toml".
    """

    def make(name: str = "kb") -> Path:
        return Path(shutil.copytree(KB3, tmp_path / name))

    return make


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """cli(*args) runs rolecompare.main.run(args) in-process: (exit code, stdout, stderr)."""
    from rolecompare.main import run

    def invoke(*args: str | os.PathLike[str]) -> CliResult:
        capsys.readouterr()  # start from empty buffers
        code = run([os.fspath(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def run_subprocess() -> RunSubprocess:
    """run_subprocess(*args, env=None, python_args=("-m", "rolecompare"), **popen_kwargs).

    Runs `python -m rolecompare *args` (or `python *python_args *args`) in a new
    interpreter and returns the CompletedProcess, text mode, stdout and stderr
    captured unless popen_kwargs say otherwise. env holds overrides on top of the
    test's (already isolated) environment; a value of None removes that variable.
    PYTHONUNBUFFERED and PYTHONDONTWRITEBYTECODE are dropped unless env sets them: the
    child runs as it would from a user's shell, where neither is set.
    """

    def run(
        *args: str | os.PathLike[str],
        env: Mapping[str, str | None] | None = None,
        python_args: Sequence[str] = ("-m", "rolecompare"),
        **kwargs: Any,
    ) -> subprocess.CompletedProcess[str]:
        environ = dict(os.environ)
        for name in USER_UNSET:
            environ.pop(name, None)
        for name, value in (env or {}).items():
            if value is None:
                environ.pop(name, None)
            else:
                environ[name] = value
        kwargs.setdefault("stdout", subprocess.PIPE)
        kwargs.setdefault("stderr", subprocess.PIPE)
        kwargs.setdefault("timeout", 60)
        return subprocess.run(
            [sys.executable, *python_args, *(os.fspath(a) for a in args)],
            env=environ,
            text=True,
            check=False,
            **kwargs,
        )

    return run
