"""Shared fixtures: an isolated environment, the kb3 fixture KB, and two ways to run the CLI.

Every test runs with its own empty cache directory, no ROLECOMPARE_KB or NO_COLOR
from the developer's shell, and COLUMNS=100, so output does not depend on who
runs the suite or on the terminal it runs in.

    cli("--kb", kb3, "skills")            -> (exit code, stdout, stderr), in-process
    run_subprocess("skills", env={...})   -> CompletedProcess, in a fresh interpreter
    copy_kb()                             -> a private copy of kb3 that a test may break
    unprivileged.call(fn)                 -> fn(), run as a user with no special rights

UPDATE_GOLDEN=1 is refused under CI (goldens.py).

Permission tests mean nothing as root, who reads a chmod-000 file and writes any folder;
CI runs as root. `unprivileged` runs such a check as the user `nobody` in a forked child
(so no interpreter or package needs to be reachable by that user), inside a folder
`nobody` can reach; run by anyone else, the check runs as that user, in-process.
"""

from __future__ import annotations

import os
import pickle
import pwd
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

from goldens import on_ci

ROOT = Path(__file__).resolve().parents[1]
KB3 = ROOT / "tests" / "fixtures" / "kb3"

# Set by many developers' shells and CI images, but not by users': subprocess tests run
# without them, so that buffered output and its failures are what the suite sees.
USER_UNSET = ("PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE")

CliResult = tuple[int, str, str]
Cli = Callable[..., CliResult]
CopyKB = Callable[..., Path]
RunSubprocess = Callable[..., "subprocess.CompletedProcess[str]"]
T = TypeVar("T")
CHILD_TIMEOUT = 120  # seconds: a hung check fails instead of hanging the suite


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("UPDATE_GOLDEN") and on_ci():
        raise pytest.UsageError(
            "UPDATE_GOLDEN is refused under CI: it would rewrite every golden file and pass"
        )


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


class Unprivileged:
    """Runs a check as a user who has no rights beyond the permission bits.

    where: a folder that user can reach, for the files the check needs (as root, a new
    folder under the system's temporary folder, mode 0755, since the pytest folders are
    0700 and a clone may lie in a folder only its owner can enter).
    uid: that user's id (nobody's when run as root; else the current user's).
    """

    def __init__(self, where: Path) -> None:
        self.where = where
        self.as_root = os.geteuid() == 0
        self.uid = pwd.getpwnam("nobody").pw_uid if self.as_root else os.geteuid()
        self.gid = pwd.getpwnam("nobody").pw_gid if self.as_root else os.getegid()

    def call(self, fn: Callable[[], T]) -> T:
        """fn(), as that user: in a forked child when we are root, with its result (or
        the traceback it raised) sent back through a pipe; else here, as we are."""
        if not self.as_root:
            return fn()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            status = 0
            try:
                os.close(read_end)
                os.chdir(self.where)
                os.setgroups([])
                os.setgid(self.gid)
                os.setuid(self.uid)
                try:
                    reply: tuple[str, Any] = ("ok", fn())
                except BaseException:
                    reply = ("raised", traceback.format_exc())
                data = pickle.dumps(reply)
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
            except BaseException:
                status = 70
            finally:
                os._exit(status)
        os.close(write_end)
        chunks = []
        deadline = time.monotonic() + CHILD_TIMEOUT
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                left = deadline - time.monotonic()
                ready, _, _ = select.select([pipe], [], [], max(left, 0))
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    pytest.fail(f"the check run as nobody took over {CHILD_TIMEOUT} s")
                chunk = os.read(pipe.fileno(), 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        if not chunks:
            pytest.fail(f"the check run as nobody died (wait status {status})")
        kind, value = pickle.loads(b"".join(chunks))
        if kind == "raised":
            pytest.fail(f"the check run as nobody raised:\n{value}", pytrace=False)
        return value  # type: ignore[no-any-return]


def _reachable_by_all(folder: Path) -> bool:
    return all(
        os.stat(up).st_mode & stat.S_IXOTH for up in (folder.resolve(), *folder.resolve().parents)
    )


@pytest.fixture
def unprivileged(tmp_path: Path) -> Iterator[Unprivileged]:
    """Unprivileged(where=a folder the user can reach).call(fn) runs fn as that user."""
    if os.geteuid() != 0:
        yield Unprivileged(tmp_path)
        return
    base = Path(tempfile.gettempdir())
    if not _reachable_by_all(base):
        base = Path("/tmp")
    if not _reachable_by_all(base):
        pytest.fail(f"no folder that the user nobody can reach to run this check in ({base})")
    where = Path(tempfile.mkdtemp(prefix="rolecompare-test-", dir=base))
    try:
        where.chmod(0o755)
        yield Unprivileged(where)
    finally:
        shutil.rmtree(where, ignore_errors=True)
