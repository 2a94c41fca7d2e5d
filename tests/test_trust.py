"""Issue #11, "Trust at every edge": one test per case the issue lists, table-driven.

Each case states the command, the exit code, what stdout holds (empty on error)
and the message. Hostile KBs are kb3 with one file rewritten; subprocess cases run
without PYTHONUNBUFFERED and PYTHONDONTWRITEBYTECODE (see conftest.run_subprocess),
with a timeout and, where memory was the problem, an address-space limit.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rolecompare.compare.cells import leader_of
from rolecompare.compare.report import Cell
from rolecompare.errors import DATA_ERROR, INTERRUPTED, USAGE_ERROR
from rolecompare.kb import cache
from rolecompare.kb.load import load_kb, open_kb, validate_dir
from rolecompare.kb.lookalike import confusable_key
from rolecompare.kb.types import FACT_KINDS
from rolecompare.main import run
from rolecompare.render.format import as_written, money

KB3 = Path(__file__).resolve().parent / "fixtures" / "kb3"

DS_ROLE = "roles/ds.toml"
DS_FACTS = "facts/survey/ds.toml"
VOCABULARY = "vocabulary/vocabulary.toml"
SOURCE = "sources/survey.toml"
FORMATS = ("table", "json", "csv", "markdown", "svg")
# What must never reach a terminal from a KB: C0 (but the newline that ends a line),
# DEL, C1, the line and paragraph separators and the bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
GB = 1024**3


def edit(kb: Path, rel: str, old: str, new: str) -> None:
    path = kb / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def limit_memory(nbytes: int = 2 * GB) -> Callable[[], None]:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (nbytes, nbytes))

    return apply


def assert_safe(*outputs: str) -> None:
    for out in outputs:
        found = UNSAFE.findall(out)
        assert not found, f"raw control characters {found!r} in {out[:300]!r}"


def one_line_messages(err: str) -> None:
    for line in err.splitlines():
        assert line.startswith("rolecompare: "), err
        assert len(line) <= 400, line


# ---- terminal injection: every place a KB string is shown, every format ------------------

ESC_TITLE = "\\u001b]0;pwned\\u0007"  # as written in a TOML basic string
ESC_CLEAR = "\\u001b[2J"
OSC8 = "\\u001b]8;;http://evil.example/\\u001b\\\\link\\u001b]8;;\\u001b\\\\"
C1_CSI = "\\u009b31m"
BIDI = "\\u202e"
PAYLOAD = ESC_TITLE + ESC_CLEAR + OSC8 + C1_CSI + BIDI


class Place(NamedTuple):
    rel: str
    old: str
    new: str
    command: str
    args: tuple[str, ...] = ("--details",)
    hidden: tuple[str, ...] = ()  # formats that do not show this field at all


PLACES = {
    "quote": Place(
        DS_FACTS,
        'quote = "Data scientists focus on analysis."',
        f'quote = "focus {PAYLOAD}"',
        "summary",
        hidden=("table", "markdown", "svg"),
    ),
    "text": Place(DS_FACTS, 'text = "Analysis"', f'text = "Analysis {PAYLOAD}"', "summary"),
    "source-title": Place(
        SOURCE,
        'title = "A made-up survey for tests"',
        f'title = "A {PAYLOAD}survey"',
        "skills",
        hidden=("csv",),
    ),
    "source-publisher": Place(
        SOURCE, 'publisher = "Example Survey"', f'publisher = "Ex{PAYLOAD}"', "sources", ()
    ),
    "term-name": Place(VOCABULARY, 'name = "Python"', f'name = "Py{PAYLOAD}thon"', "skills"),
    "term-meaning": Place(
        VOCABULARY,
        'name = "Python"',
        f'name = "Python"\nmeaning = "{PAYLOAD}"',
        "skills",
    ),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("place", list(PLACES))
def test_kb_text_never_drives_the_terminal(
    cli: Any, copy_kb: Callable[..., Path], place: str, fmt: str
) -> None:
    kb = copy_kb()
    p = PLACES[place]
    edit(kb, p.rel, p.old, p.new)
    code, out, err = cli("--kb", kb, p.command, "--format", fmt, *p.args)
    assert (code, err) == (0, ""), err
    assert_safe(out)
    if fmt == "json":
        json.loads(out)  # lossless: the encoder escapes, nothing is dropped
        assert "\\u001b]0;pwned\\u0007" in out
    elif fmt not in p.hidden:
        assert "\\x1b]0;pwned\\x07" in as_read(out, fmt), out  # shown, visibly escaped


def as_read(out: str, fmt: str) -> str:
    """Output as its reader sees it: markdown's backslash escapes read as their characters."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", out) if fmt == "markdown" else out


SHOWN_PAYLOAD = ESC_TITLE + ESC_CLEAR + OSC8 + C1_CSI  # no bidi control: validate allows it


def test_safe_escapes_every_unsafe_code_point_and_nothing_printable() -> None:
    """text.safe skips its pattern for printable text: that is right only if no code
    point the pattern escapes is printable. Checked over all of Unicode."""
    import re
    import sys

    from rolecompare.text import UNSAFE, safe

    unsafe = re.compile(UNSAFE)
    chars = [chr(code) for code in range(sys.maxunicode + 1)]
    assert not [c for c in chars if c.isprintable() and unsafe.match(c)]
    assert all(safe(c) != c for c in chars if unsafe.match(c))
    assert all(safe(f"a{c}b") == f"a{c}b" for c in chars if not unsafe.match(c))


@pytest.mark.parametrize("fmt", FORMATS)
def test_role_names_with_controls_are_shown_escaped(
    cli: Any, copy_kb: Callable[..., Path], fmt: str
) -> None:
    kb = copy_kb()
    edit(kb, DS_ROLE, 'name = "Data Scientist"', f'name = "Data {SHOWN_PAYLOAD}Scientist"')
    edit(kb, DS_ROLE, '"data scientist"', f'"data {SHOWN_PAYLOAD}scientist"')
    for command in ("skills", "roles"):
        code, out, err = cli("--kb", kb, command, "--format", fmt)
        assert (code, err) == (0, "")
        assert_safe(out)
        if fmt == "json":
            assert "Data \\u001b]0;pwned\\u0007" in out
        elif command == "roles" or fmt != "csv":  # skills CSV names roles by id
            assert "\\x1b]0;pwned\\x07" in as_read(out, fmt), out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["skills", "--roles", "nope"],
            "valid roles: de (Data Engineer), ds (Data \\x1b]0;pwned\\x07\\x1b[2J",
            id="valid-roles",
        ),
        pytest.param(
            ["skills", "--roles", "data scientis"],
            "did you mean data \\x1b[2Jscientist?",
            id="did-you-mean",
        ),
    ],
)
def test_role_messages_escape_kb_names(
    cli: Any, copy_kb: Callable[..., Path], argv: list[str], message: str
) -> None:
    kb = copy_kb()
    edit(kb, DS_ROLE, 'name = "Data Scientist"', f'name = "Data {SHOWN_PAYLOAD}Scientist"')
    edit(kb, DS_ROLE, '"data scientist"', f'"data {ESC_CLEAR}scientist"')
    code, out, err = cli("--kb", kb, *argv)
    assert (code, out) == (USAGE_ERROR, "")
    assert_safe(err)
    one_line_messages(err)
    assert message in err, err


HOSTILE_ROLES: list[Any] = [
    {"id": "de", "name": "Data Engineer", "aliases": [], "occupations": {}},
    {
        "id": "ds",
        "name": "Data \x1b]0;pwned\x07Scientist\n",
        "aliases": ["data \x1b[2Jscientist", "\u202eevil"],
        "occupations": {},
    },
]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param(
            "nope",
            "valid roles: de (Data Engineer), ds (Data \\x1b]0;pwned\\x07Scientist\\n)",
            id="valid-roles",
        ),
        pytest.param(
            # Both words in common (one with a typo) with the role's name: it is suggested.
            "data scientis",
            "did you mean Data \\x1b]0;pwned\\x07Scientist\\n?",
            id="did-you-mean",
        ),
        pytest.param("x\x1b[2J\u202e\ny", "unknown role 'x\\x1b[2J\\u202e\\ny'", id="typed-name"),
        pytest.param("ds,", "--roles has an empty role name in 'ds,'", id="empty"),
    ],
)
def test_role_messages_escape_kb_text(spec: str, message: str) -> None:
    """Even a KB that slipped past validate (an old cache, a library caller) cannot put a
    control character into "valid roles: ..." or "did you mean ...?"."""
    from rolecompare.compare.roles import pick_roles
    from rolecompare.errors import UsageError

    with pytest.raises(UsageError) as caught:
        pick_roles(HOSTILE_ROLES, spec)
    assert_safe(caught.value.message)
    assert "\n" not in caught.value.message
    assert message in caught.value.message, caught.value.message


def test_role_messages_through_the_cli(cli: Any, kb3: Path) -> None:
    code, out, err = cli("--kb", kb3, "skills", "--roles", "data scientis\x1b[2J\x9b")
    assert (code, out) == (USAGE_ERROR, "")
    assert_safe(err)
    one_line_messages(err)
    assert err == (
        "rolecompare: unknown role 'data scientis\\x1b[2J\\x9b'; did you mean Data Scientist?; "
        "valid roles: de (Data Engineer), ds (Data Scientist), mle (Machine Learning Engineer)\n"
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        pytest.param("bad\x1b]0;pwned\x07.toml", "bad\\x1b]0;pwned\\x07.toml", id="escape"),
        pytest.param("bad\nline.toml", "bad\\nline.toml", id="newline"),
        pytest.param("bad\u202egnp.toml", "bad\\u202egnp.toml", id="bidi"),
    ],
)
def test_file_names_in_messages(
    cli: Any, copy_kb: Callable[..., Path], name: str, shown: str
) -> None:
    kb = copy_kb()
    (kb / "roles" / name).write_text("[role]\nid = 1\n", "utf-8")
    for command in ("validate", "skills"):
        code, out, err = cli("--kb", kb, command)
        assert (code, out) == (DATA_ERROR, "")
        assert_safe(err)
        one_line_messages(err)
        assert f"rolecompare: kb/roles/{shown}:2: role.id:" in err, err


def test_newline_in_a_value_keeps_markdown_rows_and_messages_whole(
    cli: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    edit(kb, DS_FACTS, 'text = "Analysis"', 'text = "Analysis\\nand | more"')
    code, out, err = cli("--kb", kb, "summary", "--format", "markdown")
    assert (code, err) == (0, "")
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert any("Analysis\\nand" in as_read(row, "markdown") for row in rows), out
    widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
    assert len(widths) == 1, rows  # every row has the same number of cells
    code, out, err = cli("--kb", kb, "skills", "--roles", "a\nb")
    assert (code, out) == (USAGE_ERROR, "")
    assert err.count("\n") == 1
    assert "unknown role 'a\\nb'" in err


# ---- cache poisoning (the rest is in test_cache.py) ----------------------------------------


@pytest.mark.parametrize(
    "env",
    [
        pytest.param({"XDG_CACHE_HOME": "relative"}, id="relative-xdg"),
        pytest.param({"XDG_CACHE_HOME": None, "HOME": ""}, id="empty-home"),
        pytest.param({"ROLECOMPARE_CACHE_DIR": "relative"}, id="relative-setting"),
    ],
)
def test_cache_never_lands_in_the_current_folder(
    run_subprocess: Any, kb3: Path, tmp_path: Path, env: dict[str, str | None]
) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    base = {"ROLECOMPARE_CACHE_DIR": None, "HOME": str(home)}
    for _ in range(2):
        result = run_subprocess("--kb", kb3, "skills", env={**base, **env}, cwd=work)
        assert (result.returncode, result.stderr) == (0, "")
        assert "60.5%" in result.stdout
    assert list(work.iterdir()) == []
    assert not (Path("/.cache") / "rolecompare").exists() or env.get("HOME") != ""


def test_cache_entry_that_is_dev_zero_is_bounded(run_subprocess: Any, kb3: Path) -> None:
    from rolecompare.kb import load

    load.load_kb(str(kb3))
    (entry,) = Path(os.environ["ROLECOMPARE_CACHE_DIR"]).glob("kb-*.json")
    entry.unlink()
    entry.symlink_to("/dev/zero")
    result = run_subprocess("--kb", kb3, "skills", timeout=30, preexec_fn=limit_memory())
    assert (result.returncode, result.stderr) == (0, "")
    assert "60.5%" in result.stdout


# ---- CSV formula injection -----------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\\t", "\\r"])
def test_csv_cells_are_never_formulas(cli: Any, copy_kb: Callable[..., Path], start: str) -> None:
    kb = copy_kb()
    edit(kb, VOCABULARY, 'name = "Python"', f'name = "{start}HYPERLINK(1)"')
    edit(kb, DS_FACTS, 'text = "Analysis"', f'text = "{start}cmd|calc"')
    edit(kb, DS_ROLE, '"data scientist"', f'"{start}SUM(A1)"')
    for command in ("skills", "summary", "roles"):
        code, out, err = cli("--kb", kb, command, "--format", "csv")
        assert (code, err) == (0, "")
        cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], out
        if start not in ("\\t", "\\r"):  # KB text is stripped: these cannot lead a cell
            assert any(c.startswith("'") for c in cells), out


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutral_cells(start: str) -> None:
    from rolecompare.render.csv import neutral

    assert neutral(f"{start}1+1") == f"'{start}1+1"
    assert neutral("a=1") == "a=1"


# ---- confusable roles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        pytest.param(
            "Data\\u200bScientist", "invisible or bidi control character (U+200B)", id="zero-width"
        ),
        pytest.param("Ｄata Scientist", "compatibility character (U+FF24", id="full-width"),
        pytest.param(
            "\\u202eData Scientist", "invisible or bidi control character (U+202E)", id="bidi"
        ),
        pytest.param(
            "Data Scienti\\u00adst",
            "invisible or bidi control character (U+00AD)",
            id="soft-hyphen",
        ),
    ],
)
@pytest.mark.parametrize("field", ["name", "alias"])
def test_confusable_role_names_are_refused(
    cli: Any, copy_kb: Callable[..., Path], name: str, why: str, field: str
) -> None:
    kb = copy_kb()
    rel = "roles/mle.toml"
    if field == "name":
        edit(kb, rel, 'name = "Machine Learning Engineer"', f'name = "{name}"')
        where = "role.name"
    else:
        edit(kb, rel, '"ml engineer"', f'"{name}"')
        where = "role.aliases[0]"
    code, out, err = cli("--kb", kb, "validate")
    assert (code, out) == (DATA_ERROR, "")
    assert_safe(err)
    assert f"kb/roles/mle.toml:{3 if field == 'name' else 4}: {where}: " in err, err
    assert why in err, err
    assert "already names role 'ds'" in err, err  # the same as Data Scientist once normalised


def test_confusable_key() -> None:
    assert confusable_key("Ｄata\u200b Scien\u2060tist") == confusable_key("data scientist")
    assert confusable_key("Data Engineer") != confusable_key("Data Scientist")


# ---- unbounded work ------------------------------------------------------------------------


def test_long_dotted_key_is_refused_quickly(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    key = ".".join(f"k{i}" for i in range(20_000))
    (kb / "facts" / "survey" / "evil.toml").write_text(f"{key} = 1\n", "utf-8")
    (kb / "facts" / "survey" / "evil2.toml").write_text("a" + ".b" * 40 + " = 1\n", "utf-8")
    result = run_subprocess("--kb", kb, "validate", timeout=30, preexec_fn=limit_memory())
    assert (result.returncode, result.stdout) == (DATA_ERROR, "")
    one_line_messages(result.stderr)
    assert "kb/facts/survey/evil.toml:1: " in result.stderr
    assert "kb/facts/survey/evil2.toml:1: " in result.stderr
    assert "dotted" in result.stderr or "longer than" in result.stderr


def test_many_bad_entries_are_located_and_capped(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    entries = "".join(
        f'\n[[figures]]\ntopic = "programming-languages"\nitem = "python"\npercent = {1000 + i}\n'
        'quote = "x"\n'
        for i in range(4000)
    )
    with (kb / DS_FACTS).open("a", encoding="utf-8") as out:
        out.write(entries)
    result = run_subprocess("--kb", kb, "validate", timeout=60)
    assert (result.returncode, result.stdout) == (DATA_ERROR, "")
    lines = result.stderr.splitlines()
    assert len(lines) == 51
    assert re.fullmatch(r"rolecompare: and [\d,]+ more problems", lines[-1]), lines[-1]
    assert re.match(r"rolecompare: kb/facts/survey/ds.toml:\d+: figures\[\d+\]", lines[0])


def test_symlinks_to_proc_files_are_refused(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    for i in range(300):
        (kb / "facts" / "survey" / f"p{i:03}.toml").symlink_to("/proc/self/environ")
    result = run_subprocess("--kb", kb, "validate", timeout=60, preexec_fn=limit_memory())
    assert (result.returncode, result.stdout) == (DATA_ERROR, "")
    assert (
        "rolecompare: kb/facts/survey/p000.toml: is a symlink; KB files are read only as "
        "regular files in the KB\n"
    ) in result.stderr
    assert "more problems" in result.stderr


@pytest.mark.parametrize(
    ("columns", "widest"),
    [("abc", 200), ("-5", 200), ("100000000", 1000), ("0", 200), ("1", 20)],
)
def test_odd_terminal_widths(run_subprocess: Any, kb3: Path, columns: str, widest: int) -> None:
    result = run_subprocess("--kb", kb3, "skills", env={"COLUMNS": columns}, timeout=30)
    assert (result.returncode, result.stderr) == (0, "")
    assert "60.5%" in result.stdout or (widest == 20 and "Sources" in result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= widest


def test_completion_does_not_wait_on_a_fifo(
    run_subprocess: Any, copy_kb: Callable[..., Path]
) -> None:
    kb = copy_kb()
    os.mkfifo(kb / "roles" / "aaa.toml")
    done = run_subprocess(
        env={
            "_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": f"rolecompare --kb {kb} skills --roles ",
            "COMP_CWORD": "5",
        },
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["de", "ds", "mle"]


def test_completion_reads_only_regular_role_files_within_bounds(
    copy_kb: Callable[..., Path], tmp_path: Path
) -> None:
    from rolecompare.completion import MAX_ROLE_FILE, role_ids

    kb = copy_kb()
    outside = tmp_path / "outside.toml"
    outside.write_text('[role]\nid = "elsewhere"\n', "utf-8")
    (kb / "roles" / "link.toml").symlink_to(outside)
    big = '[role]\nid = "too-big"\n' + "# padding\n" * (MAX_ROLE_FILE // 10)
    (kb / "roles" / "big.toml").write_text(big, "utf-8")
    (kb / "roles" / "folder.toml").mkdir()
    assert role_ids(str(kb)) == ["de", "ds", "mle"]


# ---- broken streams ------------------------------------------------------------------------

STREAM_ARGV = {
    "version": ["--version"],
    "help": ["--help"],
    "skills": ["skills"],
    "roles": ["roles"],
}


def close_fd(fd: int) -> Callable[[], None]:
    return lambda: os.close(fd)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", list(STREAM_ARGV))
def test_stdout_full(run_subprocess: Any, kb3: Path, argv: str) -> None:
    with open("/dev/full", "w") as full:
        result = run_subprocess("--kb", kb3, *STREAM_ARGV[argv], stdout=full)
    assert (result.returncode, result.stderr) == (
        DATA_ERROR,
        "rolecompare: No space left on device\n",
    )


@pytest.mark.parametrize("argv", list(STREAM_ARGV))
def test_stdout_is_a_closed_pipe(run_subprocess: Any, kb3: Path, argv: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run_subprocess("--kb", kb3, *STREAM_ARGV[argv], stdout=write_end)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("argv", list(STREAM_ARGV))
def test_stdout_closed(run_subprocess: Any, kb3: Path, argv: str) -> None:
    result = run_subprocess("--kb", kb3, *STREAM_ARGV[argv], stdout=None, preexec_fn=close_fd(1))
    assert (result.returncode, result.stderr) == (
        DATA_ERROR,
        "rolecompare: standard output is closed; nothing to write to\n",
    )


@pytest.mark.parametrize(
    ("argv", "code", "expect"),
    [
        pytest.param(["--version"], 0, "rolecompare ", id="version"),
        pytest.param(["--help"], 0, "Usage", id="help"),
        pytest.param(["skills"], 0, "60.5%", id="skills"),
        pytest.param(["roles"], 0, "Data Scientist", id="roles"),
        pytest.param(["skills", "--roles", "nope"], USAGE_ERROR, "", id="usage-error"),
        pytest.param(["--kb", "/nonexistent", "skills"], DATA_ERROR, "", id="data-error"),
        pytest.param(["nope"], USAGE_ERROR, "", id="unknown-command"),
    ],
)
def test_stderr_closed(
    run_subprocess: Any, kb3: Path, argv: list[str], code: int, expect: str
) -> None:
    result = run_subprocess("--kb", kb3, *argv, stderr=None, preexec_fn=close_fd(2))
    assert result.returncode == code
    if expect:
        assert expect in result.stdout
    else:
        assert result.stdout == ""  # the message is not sent to stdout instead


# ---- Ctrl-C ----------------------------------------------------------------------------------

# Sends SIGINT to itself, twice, at a chosen moment: the first thing main() does, the
# import of Typer, Rich or pydantic, the first write, or the last step before exit.
CTRL_C_AT = """
import builtins, gc, os, signal, sys
where = os.environ["CTRL_C_AT"]

def press():
    os.kill(os.getpid(), signal.SIGINT)
    os.kill(os.getpid(), signal.SIGINT)

if where in ("typer", "rich", "pydantic"):
    real_import = builtins.__import__
    def hooked(name, *args, **kwargs):
        if name == where:
            builtins.__import__ = real_import
            press()
        return real_import(name, *args, **kwargs)
    builtins.__import__ = hooked
elif where == "write":
    real_write = sys.stdout.write
    def write(text):
        press()
        return real_write(text)
    sys.stdout.write = write
elif where == "exit":
    gc.freeze = press
import rolecompare.main as entry
if where == "start":  # the first moment the program's own handler is in place
    catch = entry._catch_ctrl_c
    def started():
        catch()
        press()
    entry._catch_ctrl_c = started
entry.main(sys.argv[1:])
"""


@pytest.mark.parametrize("where", ["start", "typer", "rich", "pydantic", "write", "exit"])
def test_ctrl_c_at_any_moment(run_subprocess: Any, kb3: Path, where: str) -> None:
    result = run_subprocess(
        "--kb",
        kb3,
        "skills",
        python_args=["-c", CTRL_C_AT],
        env={"CTRL_C_AT": where, "ROLECOMPARE_CACHE_DIR": ""},
    )
    assert (result.returncode, result.stderr) == (INTERRUPTED, "rolecompare: interrupted\n")
    assert "Traceback" not in result.stdout


def test_ctrl_c_from_outside(tmp_path: Path, kb3: Path) -> None:
    """SIGINT sent by another process, early, several times, at varying moments."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED",)}
    env["ROLECOMPARE_CACHE_DIR"] = ""
    starter = (  # says when main() has started, then goes on
        "import os, sys\nimport rolecompare.main as entry\ncatch = entry._catch_ctrl_c\n"
        "def started():\n    catch()\n    os.write(int(sys.argv[1]), b'x')\n"
        "entry._catch_ctrl_c = started\nentry.main(sys.argv[2:])\n"
    )
    for delay in (0, 0.001, 0.005, 0.02, 0.05, 0.1):
        ready_r, ready_w = os.pipe()
        proc = subprocess.Popen(
            [sys.executable, "-c", starter, str(ready_w), "--kb", str(kb3), "validate"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            pass_fds=(ready_w,),
        )
        os.close(ready_w)
        assert os.read(ready_r, 1) == b"x"
        os.close(ready_r)
        time.sleep(delay)
        for _ in range(3):
            proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        if proc.returncode == 0:  # finished before the first signal arrived
            assert err == b""
            continue
        assert (proc.returncode, err) == (INTERRUPTED, b"rolecompare: interrupted\n"), delay


# Ctrl-C where the interpreter drops what is raised: in a weakref callback (importlib's
# module locks run one as each import ends) or a __del__. The interrupt must still end the
# run, not vanish into an "Exception ignored" traceback with exit 0.
CTRL_C_DROPPED = """
import os, signal, sys, weakref
import rolecompare.main as entry

def press():
    os.kill(os.getpid(), signal.SIGINT)
    os.kill(os.getpid(), signal.SIGINT)

class Thing:
    def __del__(self):
        if os.environ["CTRL_C_IN"] == "__del__":
            press()

def callback(ref):
    press()

catch = entry._catch_ctrl_c
def started():
    catch()
    thing = Thing()
    ref = weakref.ref(thing, callback) if os.environ["CTRL_C_IN"] == "weakref" else None
    del thing  # the callback or __del__ runs here, and presses Ctrl-C
    assert ref is None or ref() is None
entry._catch_ctrl_c = started
entry.main(sys.argv[1:])
"""


@pytest.mark.parametrize("where", ["weakref", "__del__"])
def test_ctrl_c_where_the_interpreter_drops_it(run_subprocess: Any, kb3: Path, where: str) -> None:
    result = run_subprocess(
        "--kb",
        kb3,
        "skills",
        python_args=["-c", CTRL_C_DROPPED],
        env={"CTRL_C_IN": where, "ROLECOMPARE_CACHE_DIR": ""},
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        INTERRUPTED,
        "",
        "rolecompare: interrupted\n",
    )


# Ctrl-C as a class is made, in its attribute's __set_name__: Python 3.11 turns the
# KeyboardInterrupt into a RuntimeError ("Error calling __set_name__"), as it did when
# ipaddress was imported on the way to Typer (exit 1 and a traceback) or pydantic (internal
# error, exit 70).
CTRL_C_IN_SET_NAME = """
import builtins, os, signal, sys
import rolecompare.main as entry
where = os.environ["CTRL_C_AT"]

class Pressing:
    def __set_name__(self, owner, name):
        os.kill(os.getpid(), signal.SIGINT)

real_import = builtins.__import__
def hooked(name, *args, **kwargs):
    if name == where:
        builtins.__import__ = real_import
        class Made:  # as the module being imported would make it
            attribute = Pressing()
    return real_import(name, *args, **kwargs)
builtins.__import__ = hooked
entry.main(sys.argv[1:])
"""


@pytest.mark.parametrize("where", ["typer", "pydantic"])
def test_ctrl_c_as_a_class_is_made(run_subprocess: Any, kb3: Path, where: str) -> None:
    result = run_subprocess(
        "--kb",
        kb3,
        "validate",
        python_args=["-c", CTRL_C_IN_SET_NAME],
        env={"CTRL_C_AT": where, "ROLECOMPARE_CACHE_DIR": ""},
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        INTERRUPTED,
        "",
        "rolecompare: interrupted\n",
    )


# Ctrl-C in the last moments of the process: an object that lives until the interpreter
# clears builtins presses it, after Python has put its own signal handlers away.
CTRL_C_LATE = """
import builtins, os, signal, sys
import rolecompare.main as entry

class Late:
    def __del__(self, kill=os.kill, pid=os.getpid(), sigint=int(signal.SIGINT)):
        kill(pid, sigint)

builtins._rolecompare_test_late = Late()
if os.environ["CTRL_C_EARLY"]:  # and once more as the run starts
    catch = entry._catch_ctrl_c
    def started():
        catch()
        os.kill(os.getpid(), signal.SIGINT)
    entry._catch_ctrl_c = started
entry.main(sys.argv[1:])
"""


@pytest.mark.parametrize(
    ("argv", "early", "code"),
    [
        (["skills"], "", 0),
        (["--version"], "", 0),
        (["skills", "--no-such-option"], "", USAGE_ERROR),
        (["skills"], "yes", INTERRUPTED),
    ],
)
def test_ctrl_c_as_the_process_ends(
    run_subprocess: Any, kb3: Path, argv: list[str], early: str, code: int
) -> None:
    """The exit code stands: a Ctrl-C once it is decided neither kills the process (exit
    -2) nor prints anything."""
    result = run_subprocess(
        "--kb",
        kb3,
        *argv,
        python_args=["-c", CTRL_C_LATE],
        env={"CTRL_C_EARLY": early, "ROLECOMPARE_CACHE_DIR": ""},
    )
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    if code == 0:
        assert (result.stdout != "", result.stderr) == (True, "")
    if code == INTERRUPTED:
        assert (result.stdout, result.stderr) == ("", "rolecompare: interrupted\n")


# ---- encodings -------------------------------------------------------------------------------

ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "c-locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": None},
}
ENCODED_ARGV = [
    ["quiz", "--answers", "list"],
    ["--help"],
    ["fit", "--help"],
    *[["skills", "--format", f] for f in FORMATS],
    *[["salary", "--format", f] for f in FORMATS],
]


@pytest.mark.parametrize("argv", ENCODED_ARGV, ids=lambda a: "-".join(a).strip("-"))
@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_any_console_encoding(
    run_subprocess: Any, copy_kb: Callable[..., Path], encoding: str, argv: list[str]
) -> None:
    kb = copy_kb()
    edit(kb, DS_FACTS, 'text = "You enjoy statistics."', 'text = "You enjoy données — “ok”."')
    edit(kb, DS_ROLE, 'name = "Data Scientist"', 'name = "Data Scientist — données"')
    codec = "ascii" if encoding != "latin-1" else "latin-1"
    result = run_subprocess(
        "--kb", kb, *argv, env=ENCODINGS[encoding], encoding=codec, errors="strict"
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip()
    if codec == "latin-1":
        assert "—" not in result.stdout.encode("latin-1").decode("utf-8", "replace")


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_quiz_prompts_on_any_console(
    run_subprocess: Any, copy_kb: Callable[..., Path], encoding: str
) -> None:
    """The interactive quiz (stdin a terminal): its prompts and report, in ASCII or Latin-1."""
    import pty

    kb = copy_kb()
    edit(kb, DS_FACTS, 'text = "You enjoy statistics."', 'text = "You enjoy données — “ok”."')
    main_fd, child_fd = pty.openpty()
    try:
        os.write(main_fd, b"5\n1\n3\n")
        codec = "ascii" if encoding != "latin-1" else "latin-1"
        result = run_subprocess(
            "--kb", kb, "quiz", env=ENCODINGS[encoding], stdin=child_fd, encoding=codec
        )
    finally:
        os.close(child_fd)
        os.close(main_fd)
    assert (result.returncode, result.stdout.count("Agreement")) == (0, 1), result.stderr
    assert "[2/3] You enjoy donn" in result.stderr
    assert "1-5 (q quits)>" in result.stderr


@pytest.mark.parametrize("where", ["file", "folder"])
def test_non_utf8_names_are_reported_alike(
    run_subprocess: Any, copy_kb: Callable[..., Path], where: str
) -> None:
    kb = copy_kb()
    if where == "file":
        target = os.path.join(os.fsencode(kb / "roles"), b"caf\xe9.toml")
        with open(target, "wb") as f:
            f.write(b"[role]\nid = 1\n")
        expect = "kb/roles/caf\\xe9.toml:2: role.id:"
    else:
        folder = os.path.join(os.fsencode(kb / "facts"), b"\xfe")
        os.mkdir(folder)
        with open(os.path.join(folder, b"x.toml"), "wb") as f:
            f.write(b"source = 1\n")
        expect = "kb/facts/\\xfe/x.toml:1: source:"
    seen = []
    for command in ("validate", "skills", "roles"):
        result = run_subprocess("--kb", kb, command)
        assert (result.returncode, result.stdout) == (DATA_ERROR, ""), result.stderr
        assert expect in result.stderr, result.stderr
        assert "internal error" not in result.stderr
        seen.append(result.stderr)
    assert seen[0] == seen[1] == seen[2]


# ---- silent loss -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["symlinked-folder", "fifo"])
def test_missing_facts_are_never_valid(
    run_subprocess: Any, copy_kb: Callable[..., Path], tmp_path: Path, kind: str
) -> None:
    kb = copy_kb()
    if kind == "symlinked-folder":
        real = tmp_path / "elsewhere"
        (kb / "facts" / "survey").rename(real)
        (kb / "facts" / "survey").symlink_to(real, target_is_directory=True)
        expect = "rolecompare: kb/facts/survey: is a symlink to a folder"
    else:
        os.mkfifo(kb / "facts" / "survey" / "more.toml")
        expect = "rolecompare: kb/facts/survey/more.toml: is a FIFO, not a regular file"
    for command in ("validate", "skills"):
        result = run_subprocess("--kb", kb, command, timeout=30)
        assert (result.returncode, result.stdout) == (DATA_ERROR, "")
        assert expect in result.stderr, result.stderr
        assert "valid" not in result.stderr.replace("invalid", "")


# ---- wrong numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quote", "unit", "shown"),
    [
        pytest.param(15, "Usage grew 1,5 times; 15% use it", "percent", "15", id="borrowed-digits"),
        pytest.param(15, "15 teams, of which 15.0 % use it", "percent", "15.0", id="percent-sign"),
        pytest.param(33.0, "33.0% of postings", "percent", "33.0", id="as-written"),
        pytest.param(1250, "1,250 postings", None, "1,250", id="thousands"),
        pytest.param(5, "5 offices pay $5 an hour", "USD", "5", id="money-sign"),
        pytest.param(12.345, "paid 12 staff $12.345 an hour", "USD", "12.345", id="money-exact"),
        pytest.param(12.345, "a record: 12.345", "EUR", "12.345", id="no-sign"),
        pytest.param(1234567, "no number here", None, "1,234,567", id="not-in-quote"),
    ],
)
def test_a_figure_is_written_as_its_own_part_of_the_quote(
    value: float, quote: str, unit: str | None, shown: str
) -> None:
    assert as_written(value, quote, unit) == shown


def test_money_is_shown_exactly() -> None:
    assert money(12.345, "USD", "") == "$12.345"
    assert money(12.345, "USD", "about $12.345 an hour") == "$12.345"
    assert money(120000, "USD", "an average of $120,000") == "$120,000"
    assert money(120000, "CHF", "CHF 120000") == "120000 CHF"


@pytest.mark.parametrize(
    ("a", "b", "leader", "lead"),
    [
        (80.04, 80, "a", 0.04),
        (80, 80.0, None, 0.0),
        (60.5, 40.2, "a", 20.3),
        (0.1 + 0.2, 0.3, "a", 4e-17),  # the difference of the values as written
    ],
)
def test_only_a_lead_of_zero_is_a_tie(a: float, b: float, leader: str | None, lead: float) -> None:
    assert leader_of({"a": Cell(("x",), a), "b": Cell(("y",), b)}) == (leader, lead)


def test_numbers_through_the_cli(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kb = copy_kb()
    edit(
        kb,
        DS_FACTS,
        'percent = 60.5\nquote = "Python (60.5%) for data scientists"',
        'percent = 15\nquote = "Python use grew 1,5 times: 15% of data scientists"',
    )
    edit(kb, "facts/survey/mle.toml", "percent = 80", "percent = 15.04")
    edit(kb, DS_FACTS, "amount = 120000", "amount = 12.345")
    edit(kb, DS_FACTS, 'quote = "an average of $120,000"', 'quote = "an average of $12.345"')
    code, out, err = cli("--kb", kb, "skills", "--roles", "ds,mle")
    assert (code, err) == (0, "")
    assert "1,5%" not in out
    python = next(line for line in out.splitlines() if line.startswith("Python"))
    assert re.search(r"15% \S+ +15\.04% \S+ +MLE \+0\.04 pp", python), python
    assert "tie" not in python
    code, out, err = cli("--kb", kb, "salary", "--roles", "ds")
    assert "$12.345 a year" in out
    assert "$12.35" not in out
    code, out, err = cli("--kb", kb, "salary", "--roles", "ds", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert (rows[0]["unit"], rows[0]["ds"]) == ("USD/year", "12.345")
    code, out, err = cli("--kb", kb, "skills", "--roles", "ds,mle", "--format", "csv")
    python_row = next(r for r in csv.DictReader(io.StringIO(out)) if r["item"] == "python")
    assert (python_row["unit"], python_row["ds"], python_row["mle"]) == ("percent", "15", "15.04")
    assert (python_row["leader"], python_row["lead"]) == ("mle", "0.04")


# ---- properties ------------------------------------------------------------------------------

# Characters a hostile KB would use, mixed with any others (surrogates cannot be in TOML).
NASTY = st.sampled_from(list("\x1b\x07\x9b\x85\x00\x7f\n\r\t\u202e\u2066\u200f\u2028\u061c[]0;|=,"))
ANY_TEXT = st.text(
    st.one_of(NASTY, st.characters(exclude_categories=["Cs"])), min_size=1, max_size=24
)
KB_STRINGS = {
    "role-name": (DS_ROLE, 'name = "Data Scientist"', "name = {}"),
    "alias": (DS_ROLE, '"data scientist"', "{}"),
    "quote": (DS_FACTS, 'quote = "Data scientists focus on analysis."', "quote = {}"),
    "text": (DS_FACTS, 'text = "Analysis"', "text = {}"),
    "term-name": (VOCABULARY, 'name = "Python"', "name = {}"),
    "source-title": (SOURCE, 'title = "A made-up survey for tests"', "title = {}"),
}
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def toml_string(value: str) -> str:
    """value as a TOML basic string: every control escaped, everything else as it is."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@pytest.fixture(scope="module")
def prop_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(KB3, tmp_path_factory.mktemp("trust") / "kb"))


def run_captured(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
@PROPERTY
@given(
    where=st.sampled_from(list(KB_STRINGS)),
    value=ANY_TEXT,
    fmt=st.sampled_from(FORMATS),
    command=st.sampled_from(["skills", "summary", "roles", "sources", "validate"]),
)
def test_no_control_character_reaches_a_stream(
    prop_kb: Path, where: str, value: str, fmt: str, command: str
) -> None:
    rel, old, new = KB_STRINGS[where]
    path = prop_kb / rel
    before = path.read_text("utf-8")
    path.write_text(before.replace(old, new.format(toml_string(value)), 1), "utf-8")
    try:
        argv = [command] if command == "validate" else [command, "--format", fmt]
        code, out, err = run_captured("--kb", str(prop_kb), *argv)
    finally:
        path.write_text(before, "utf-8")
    event(f"exit {code}")
    assert code in (0, 1), err
    assert_safe(out, err)
    if code:
        assert out == ""
        one_line_messages(err)


def checksummed(head: bytes, body: bytes = b"") -> bytes:
    """An entry of this layout with head and body, its first line right for the head."""
    return b"%s %s %d\n" % (cache.MAGIC, cache._checksum(head), len(head)) + head + b"\n" + body


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def pieces_of(real: bytes) -> tuple[dict[str, Any], list[bytes], list[str]]:
    """An entry's head, its pieces in order, and their places in the head, in that order."""
    _, head, *lines = real.split(b"\n")
    doc = json.loads(head)
    places = {doc["terms"], *(p for one in doc["parts"].values() for p in one.split(";"))}
    return doc, lines[:-1], sorted(places, key=lambda p: int(p.split(" ")[1]))


def packed(doc: dict[str, Any], pieces: list[bytes], places: list[str]) -> bytes:
    """doc's head over these pieces, each piece's place set anew wherever the head still
    names it where it was."""
    new, offset = {}, 0
    for place, piece in zip(places, pieces, strict=True):
        new[place] = (
            f"{place.split(' ')[0]} {offset} {len(piece)} {cache._checksum(piece).decode()}"
        )
        offset += len(piece) + 1

    def moved(text: Any) -> Any:
        return ";".join(new.get(p, p) for p in text.split(";")) if isinstance(text, str) else text

    doc["terms"] = moved(doc.get("terms"))
    if isinstance(doc.get("parts"), dict):
        doc["parts"] = {role: moved(text) for role, text in doc["parts"].items()}
    return checksummed(json.dumps(doc).encode(), b"".join(p + b"\n" for p in pieces))


@st.composite
def not_this_kb(draw: st.DrawFn, real: bytes) -> bytes:
    """The real entry with one thing in it replaced by something else, every checksum
    right: in its head, the base or the places of the pieces; or a piece."""
    doc, pieces, places = pieces_of(real)
    where = draw(st.sampled_from(["base", "kind", "record", "part", "terms", "piece", "parts"]))
    junk = draw(JSON)
    if where == "base":
        doc["base"] = junk
    elif where == "kind":
        doc["base"][draw(st.sampled_from(cache.BASE_KINDS))] = junk
    elif where == "record":
        kind = draw(st.sampled_from(cache.BASE_KINDS))
        doc["base"][kind] = [*doc["base"][kind], junk]
    elif where == "part":
        doc["parts"][draw(st.sampled_from(sorted(doc["parts"])))] = draw(
            st.one_of(JSON, st.text(alphabet="figures 0123456789abcdef;", max_size=40))
        )
    elif where == "terms":
        doc["terms"] = junk
    elif where == "piece":
        pieces[draw(st.integers(0, len(pieces) - 1))] = (
            draw(st.one_of(st.text(max_size=10), JSON.map(json.dumps)))
            .encode("utf-8", "surrogatepass")
            .replace(b"\n", b" ")
        )
    else:
        doc["parts"] = junk
    event(f"replaced {where}")
    return packed(doc, pieces, places)


@st.composite
def damaged(draw: st.DrawFn, entry: bytes) -> bytes:
    data = bytearray(entry)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
    return bytes(data)


def any_entry(data: st.DataObject) -> bytes:
    """kb3's entry written afresh, then replaced by any content: random bytes, the real
    entry damaged, checksummed JSON, or the real entry with one thing in it replaced."""
    folder = Path(os.environ["ROLECOMPARE_CACHE_DIR"])
    for old in folder.glob("kb-*.json"):
        old.unlink()
    load_kb(str(KB3))
    (entry,) = folder.glob("kb-*.json")
    real = entry.read_bytes()
    content = data.draw(
        st.one_of(
            st.binary(max_size=300),
            damaged(real),
            JSON.map(lambda v: checksummed(json.dumps(v).encode())),
            not_this_kb(real),
        )
    )
    entry.write_bytes(content)
    return content


@pytest.mark.slow
@PROPERTY
@given(data=st.data())
def test_any_cache_content_gives_the_right_kb(data: st.DataObject) -> None:
    """Whatever an entry holds, the KB used is the validated one, served or validated
    again; the one exception is a well-formed entry of this version, which in a folder
    only its owner can write only its owner can have made (docs/security.md, "The cache")."""
    reference = validate_dir(KB3)
    content = any_entry(data)
    got = load_kb(str(KB3))
    if got == reference:
        event("the validated KB")
        return
    event("a well-formed entry, believed")
    decoded = cache.decode(content)
    assert decoded is not None
    assert got == decoded.kb()


@pytest.mark.slow
@PROPERTY
@given(data=st.data())
def test_any_cache_content_gives_the_right_facts_about_one_role(data: st.DataObject) -> None:
    """The same for what a comparison of one role reads: only that role's pieces and the
    terms they name. Served, they are exactly that role's facts; validated again, the
    whole KB (a superset); anything else only from a well-formed entry."""
    reference = validate_dir(KB3)
    content = any_entry(data)
    got = open_kb(str(KB3)).load({"ds"}, every_term=False)
    if got == reference:
        event("validated again")
        return
    believed = None
    decoded = cache.decode(content)
    if decoded is not None:
        with contextlib.suppress(Exception):
            believed = decoded.kb({"ds"}, every_term=False)
    assert got == believed
    full: dict[str, Any] = dict(reference)
    served: dict[str, Any] = dict(got)
    exact = all(served[k] == [f for f in full[k] if "ds" in f["roles"]] for k in FACT_KINDS)
    event("ds's facts" if exact else "a forgery, believed")
