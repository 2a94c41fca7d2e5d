"""Hostile input, through the front door: mutated KB files, mutated O*NET files, odd argv.

Each example runs `python -m rolecompare` in a fresh interpreter, inside a sandbox folder
that holds everything the run may see (its home, working folder, temporary folder and
inputs), and asserts what a user is promised whatever the input:

* the exit code is 0, 1, 2 or 130 (never 70, "internal error", nor a signal);
* stderr shows no traceback;
* the run ends within TIMEOUT seconds (a subprocess timeout, not a timed assertion);
* nothing is written anywhere in the sandbox but the output folder (out/).

The examples are bounded by a Hypothesis settings profile: "hostile-ci" under CI,
"hostile-dev" otherwise; ROLECOMPARE_FUZZ_EXAMPLES=N runs N examples a test instead,
for a long run by hand.

To add an input family (posting CSVs, once `import postings` exists): write a Target
(below) with the files to mutate and the argv that reads them, and add it to TARGETS;
test_mutated_files_are_refused_or_read_never_crash then fuzzes it like the others.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldens import on_ci

ROOT = Path(__file__).resolve().parents[1]
KB3 = ROOT / "tests" / "fixtures" / "kb3"
ONET_SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"

TIMEOUT = 60  # seconds for one run: generous on a loaded machine, far below "hangs"
ALLOWED_EXIT = {0, 1, 2, 130}
MAX_GROWTH = 256 * 1024  # a mutated file grows by at most this much

_COMMON = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("hostile-ci", _COMMON, max_examples=15, derandomize=True)
settings.register_profile("hostile-dev", _COMMON, max_examples=40)
_wanted = os.environ.get("ROLECOMPARE_FUZZ_EXAMPLES", "")
HOSTILE = settings(settings.get_profile("hostile-ci" if on_ci() else "hostile-dev"))
if _wanted.isdigit():
    HOSTILE = settings(HOSTILE, max_examples=int(_wanted))

# Bytes that have broken parsers before: quotes and brackets of TOML and JSON, a BOM,
# NUL, terminal escapes, bidi and invisible characters, look-alike letters, paths out of
# the sources folder, special files, huge numbers, CSV and TSV separators.
TOKENS = [
    b'"""',
    b"'''",
    b"[",
    b"[[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"\\",
    b"\\u0000",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"\x1b[2J",
    b"\x1b]0;owned\x07",
    b"\r",
    b"\n",
    b"\t",
    b"=",
    b".",
    b",",
    b"#",
    b"%",
    b"1e999",
    b"-0",
    b"NaN",
    b"inf",
    b"9" * 400,
    "\u202e".encode(),
    "\u200b".encode(),
    "\u034f".encode(),
    "\u2800".encode(),
    "а".encode(),  # Cyrillic a
    "数ü".encode(),
    b"../../../etc/passwd",
    b"/etc/passwd",
    b"/dev/zero",
    b"percent = 200",
    b"roles = []",
    b"15-2051.00",
    b"n/a",
    b"Recommend Suppress",
]


@dataclass(frozen=True)
class Mutation:
    """One edit of a file's bytes, at a place given as a fraction of its length, so that
    Hypothesis can shrink it."""

    kind: str  # insert, delete, flip, repeat, truncate
    at: float
    data: bytes = b""
    size: int = 0

    def apply(self, data: bytes) -> bytes:
        i = int(self.at * len(data))
        if self.kind == "insert":
            return data[:i] + self.data + data[i:]
        if self.kind == "delete":
            return data[:i] + data[i + self.size :]
        if self.kind == "flip":
            return data[:i] + self.data[:1] + data[i + 1 :] if data else self.data[:1]
        if self.kind == "repeat":
            piece = data[i : i + max(self.size, 1)]
            return data[:i] + piece * (MAX_GROWTH // max(len(piece), 1) // 4) + data[i:]
        return data[:i]  # truncate


FRACTION = st.floats(min_value=0, max_value=1, allow_nan=False)
MUTATION = st.one_of(
    st.builds(Mutation, st.just("insert"), FRACTION, st.sampled_from(TOKENS)),
    st.builds(Mutation, st.just("insert"), FRACTION, st.binary(min_size=1, max_size=16)),
    st.builds(Mutation, st.just("delete"), FRACTION, size=st.integers(1, 64)),
    st.builds(Mutation, st.just("flip"), FRACTION, st.binary(min_size=1, max_size=1)),
    st.builds(Mutation, st.just("repeat"), FRACTION, size=st.integers(1, 40)),
    st.builds(Mutation, st.just("truncate"), FRACTION),
)


# ---- the sandbox ------------------------------------------------------------------------


class Sandbox:
    """A folder with home/, cwd/, tmp/, out/ and the inputs; every run starts in cwd/."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        for name in ("home", "cwd", "tmp", "out"):
            (root / name).mkdir()
        self.out = root / "out"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL", "TERM"}}
        return {
            **keep,
            "HOME": str(self.root / "home"),
            "TMPDIR": str(self.root / "tmp"),
            "ROLECOMPARE_CACHE_DIR": "",  # every run validates what it is given
            "COLUMNS": "100",
        }

    def state(self) -> dict[str, tuple[int, int, int]]:
        """Every path outside out/, with its size, modification time and mode."""
        found = {}
        for path in sorted(self.root.rglob("*")):
            if path == self.out or self.out in path.parents:
                continue
            info = path.lstat()
            found[str(path.relative_to(self.root))] = (
                info.st_size,
                info.st_mtime_ns,
                info.st_mode,
            )
        return found

    def clear_out(self) -> None:
        for path in self.out.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()

    def run(self, argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run rolecompare with argv (in cwd/, or cwd) and check the promises."""
        before = self.state()
        try:
            result = subprocess.run(
                [sys.executable, "-m", "rolecompare", *argv],
                cwd=cwd or self.root / "cwd",
                env=self.env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"rolecompare {argv!r} ran over {TIMEOUT} s")
        assert result.returncode in ALLOWED_EXIT, (argv, result.returncode, result.stderr[-2000:])
        assert "Traceback" not in result.stderr, (argv, result.stderr[-2000:])
        assert self.state() == before, f"rolecompare {argv!r} wrote outside {self.out}"
        self.clear_out()
        return result


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path / "sandbox")


# ---- input families ---------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A family of input files: where a pristine copy comes from, which of its files to
    mutate (glob), and the commands that read it. In a command, "{in}" is the copy's
    folder and "{out}" the sandbox's output folder."""

    name: str
    source: Callable[[pytest.TempPathFactory], Path]
    pattern: str
    commands: tuple[tuple[str, ...], ...]


def kb3(_: pytest.TempPathFactory) -> Path:
    return KB3


def onet_slice(_: pytest.TempPathFactory) -> Path:
    return ONET_SLICE


_JSON_KB: dict[str, Path] = {}


def json_kb(factory: pytest.TempPathFactory) -> Path:
    """The KB that `import onet` writes from the fixture slice: every file JSON."""
    if "kb" not in _JSON_KB:
        out = factory.mktemp("onet-kb") / "kb"
        made = subprocess.run(
            [
                sys.executable,
                "-m",
                "rolecompare",
                "import",
                "onet",
                str(ONET_SLICE),
                "--all",
                "--out",
                str(out),
            ],
            env={**os.environ, "ROLECOMPARE_CACHE_DIR": ""},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        _JSON_KB["kb"] = out
    return _JSON_KB["kb"]


KB_COMMANDS = (
    ("validate", "{in}"),
    ("--kb", "{in}", "skills"),
    ("--kb", "{in}", "summary", "--format", "json"),
    ("--kb", "{in}", "tools", "--format", "markdown"),
    ("--kb", "{in}", "roles"),
    ("--kb", "{in}", "report", "--out", "{out}/report.html"),
)
TARGETS = [
    Target("kb-toml", kb3, "**/*.toml", KB_COMMANDS),
    Target("kb-json", json_kb, "**/*.json", KB_COMMANDS),
    Target(
        "onet-files",
        onet_slice,
        "*.txt",
        (
            ("import", "onet", "{in}", "--all", "--out", "{out}/kb"),
            ("import", "onet", "{in}", "--occupations", "15-2051.00,15-1221.00", "-o", "{out}/kb"),
        ),
    ),
    # Target("postings-csv", postings_fixture, "*.csv", (("import", "postings", ...),)),
]


@contextlib.contextmanager
def mutated(path: Path, mutations: list[Mutation]) -> Iterator[bytes]:
    pristine = path.read_bytes()
    data = pristine
    for mutation in mutations:
        data = mutation.apply(data)
    path.write_bytes(data)
    try:
        yield data
    finally:
        path.write_bytes(pristine)
        os.utime(path, ns=(0, 0))  # the same times each example, so that state() compares


def fill(template: tuple[str, ...], where: Path, out: Path) -> list[str]:
    return [a.replace("{in}", str(where)).replace("{out}", str(out)) for a in template]


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@HOSTILE
@given(data=st.data())
def test_mutated_files_are_refused_or_read_never_crash(
    sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory, target: Target, data: st.DataObject
) -> None:
    where = sandbox.root / "input"
    if not where.exists():
        shutil.copytree(target.source(tmp_path_factory), where)
        for path in where.rglob("*"):
            os.utime(path, ns=(0, 0))
    files = sorted(p for p in where.glob(target.pattern) if p.is_file())
    assert files, f"{target.name}: no {target.pattern} in {where}"
    path = data.draw(st.sampled_from(files), label="file")
    mutations = data.draw(st.lists(MUTATION, min_size=1, max_size=4), label="mutations")
    command = data.draw(st.sampled_from(target.commands), label="command")
    with mutated(path, mutations):
        sandbox.run(fill(command, where, sandbox.out))


# ---- argv ---------------------------------------------------------------------------------

COMMANDS = ["skills", "tools", "education", "salary", "path", "summary", "work", "fit"]
COMMANDS += ["plan", "quiz", "roles", "sources", "validate", "verify", "report", "import", "onet"]
OPTIONS = ["--kb", "--format", "--roles", "--role", "-d", "--details", "--to", "--have"]
OPTIONS += ["--occupations", "--all", "--force", "--help", "-h", "--version", "-V", "--"]
OUT_OPTIONS = {"--out", "-o"}
VALUES = ["json", "csv", "markdown", "md", "html", "svg", "table", "JSON", "ds", "mle", "de"]
VALUES += ["ds,mle", "ds,ds", "15-2051.00", "python,sql", "{kb}", "{db}", "-", "", " "]
VALUES += ["\x1b[2J", "\x1b]0;owned\x07", "9" * 5000, "\u202e", "数"]
# What --out may name: only places inside the output folder (the run's working folder),
# since a user's --out ../x or --out /x is a write outside it that they asked for.
OUT_VALUES = ["report.html", "r.md", "kb", "sub/r.html", "{out}/kb", "-", ""]
# Free text never holds "/" or "." so that it cannot name a path outside the output
# folder (the run's working folder) whatever option it ends up the value of.
FREE_TEXT = st.text(
    st.characters(blacklist_characters="\x00/.", blacklist_categories=["Cs"]), max_size=24
)
WORD = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(OPTIONS),
    st.sampled_from(sorted(OUT_OPTIONS)),
    st.sampled_from(VALUES),
    FREE_TEXT,
)


def safe_outputs(argv: list[str], out_values: list[str]) -> list[str]:
    """argv with every value of --out/-o (and --out=..., -o...) taken from out_values."""
    fixed, pool = [], iter(out_values * (len(argv) + 1))
    for i, word in enumerate(argv):
        if i and argv[i - 1] in OUT_OPTIONS:
            word = next(pool)
        elif word.startswith("--out="):
            word = "--out=" + next(pool)
        elif word.startswith("-o") and word not in OUT_OPTIONS and not word.startswith("--"):
            word = "-o" + next(pool)
        fixed.append(word)
    return fixed


@pytest.mark.slow
@HOSTILE
@given(argv=st.lists(WORD, max_size=8), start=st.sampled_from([*COMMANDS[:4], ""]))
def test_any_argv_ends_in_a_promised_exit_code(
    sandbox: Sandbox, argv: list[str], start: str
) -> None:
    kb = sandbox.root / "kb"
    db = sandbox.root / "db"
    if not kb.exists():
        shutil.copytree(KB3, kb)
        shutil.copytree(ONET_SLICE, db)
    names = {"{kb}": str(kb), "{db}": str(db), "{out}": str(sandbox.out)}
    out_values = [names.get(v, v).replace("{out}", str(sandbox.out)) for v in OUT_VALUES]
    words = [names.get(w, w) for w in ([start] if start else []) + argv]
    sandbox.run(safe_outputs(words, out_values), cwd=sandbox.out)


def test_safe_outputs_keeps_every_write_in_the_output_folder() -> None:
    assert safe_outputs(["report", "--out", "/x"], ["r.html"]) == ["report", "--out", "r.html"]
    assert safe_outputs(["-o/x", "--out=../y"], ["a", "b"]) == ["-oa", "--out=b"]
    assert safe_outputs(["--kb", "/x"], ["r.html"]) == ["--kb", "/x"]


def test_the_sandbox_sees_a_write_outside_the_output_folder(sandbox: Sandbox) -> None:
    """The promise check itself: a run that writes in the home folder fails it."""
    (sandbox.root / "home" / "planted").write_text("x")
    before = sandbox.state()
    (sandbox.root / "home" / "planted").write_text("changed!")
    assert sandbox.state() != before
    (sandbox.out / "fine").write_text("x")
    assert "out/fine" not in sandbox.state()
