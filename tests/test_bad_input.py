"""Bad input never crashes and never lies.

Mistyped arguments, a wrong --kb, hand-broken KB files, a closed pipe, Ctrl-C, a
read-only home, a narrow or ASCII-only terminal, a damaged cache: each gets a clear
message on stderr (one `rolecompare: ...` line per problem, naming the file, the
line where the parser gives one, and the field path) and the right exit code
(1 data, 2 usage, 130 interrupt), with nothing on stdout, never a traceback and
never a wrong table.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DATA_ERROR, USAGE_ERROR, INTERRUPTED = 1, 2, 130
VALID_ROLES = (
    "valid roles: de (Data Engineer), ds (Data Scientist), mle (Machine Learning Engineer)"
)


def assert_error(code: int, out: str, err: str, expected_code: int, *fragments: str) -> None:
    """The failure contract: exit code, empty stdout, short prefixed stderr lines, the facts."""
    assert code == expected_code, err
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines, "an error must say something"
    for line in lines:
        assert line.startswith("rolecompare: "), line
    for fragment in fragments:
        assert fragment in err


# ---- arguments ---------------------------------------------------------------------------

ARGUMENT_CASES = [
    pytest.param(
        ["skills", "--roles", "mel"],
        ["unknown role 'mel'; did you mean mle?", VALID_ROLES],
        id="unknown-role",
    ),
    pytest.param(
        ["skills", "--roles", "ds,Data Scientst"],
        ["unknown role 'Data Scientst'", "did you mean", VALID_ROLES],
        id="misspelt-role",
    ),
    pytest.param(
        ["skills", "--roles", "ds,ds"], ["role 'ds' is named twice"], id="duplicated-role"
    ),
    pytest.param(
        ["skills", "--roles", "ds,Data Scientist"],
        ["role 'ds' is named twice"],
        id="role-and-its-name",
    ),
    pytest.param(
        ["skills", "--roles", ""], ["--roles has an empty role name", VALID_ROLES], id="empty-roles"
    ),
    pytest.param(
        ["skills", "--roles", "ds,"],
        ["--roles has an empty role name in 'ds,'"],
        id="trailing-comma",
    ),
    pytest.param(
        ["skills", "--roles"], ["'--roles' requires an argument"], id="roles-without-value"
    ),
    pytest.param(
        ["skils"], ["No such command 'skils'", "Did you mean 'skills'?"], id="unknown-command"
    ),
    pytest.param(["skills", "--colour"], ["No such option: --colour"], id="unknown-option"),
    pytest.param(["--colour", "skills"], ["No such option: --colour"], id="unknown-global-option"),
    pytest.param(
        ["skills", "--format", "xml"], ["'xml' is not one of", "'json'"], id="unknown-format"
    ),
    pytest.param(["skills", "ds"], ["unexpected extra argument"], id="extra-argument"),
    pytest.param(
        ["path", "--role", "ds", "--roles", "mle,ds"],
        ["role 'ds' is named twice"],
        id="role-and-roles",
    ),
]


@pytest.mark.parametrize(("argv", "fragments"), ARGUMENT_CASES)
def test_bad_arguments_are_usage_errors(
    cli: Any, kb3: Path, argv: list[str], fragments: list[str]
) -> None:
    code, out, err = cli("--kb", kb3, *argv)
    assert_error(code, out, err, USAGE_ERROR, *fragments)
    assert len(err.splitlines()) == 1


FORMAT_COMMANDS = ["skills", "tools", "education", "salary", "path", "summary", "work"]
FORMAT_COMMANDS += ["fit", "plan", "quiz", "roles", "sources", "report"]


@pytest.mark.parametrize("command", FORMAT_COMMANDS)
def test_an_unknown_format_is_shown_escaped(cli: Any, kb3: Path, command: str) -> None:
    """A --format value that would retitle the window and clear the screen, shown inert."""
    code, out, err = cli("--kb", kb3, command, "--format", "\x1b]0;pwned\x07\x1b[2Jx")
    assert_error(code, out, err, USAGE_ERROR, r"'\x1b]0;pwned\x07\x1b[2Jx' is not one of")
    assert "\x1b" not in err
    assert "\x07" not in err
    assert len(err.splitlines()) == 1


def test_suggestion_names_the_role_as_written(cli: Any, kb3: Path) -> None:
    code, out, err = cli("--kb", kb3, "skills", "--roles", "Data Scientst")
    assert_error(code, out, err, USAGE_ERROR, "did you mean Data Scientist?")


def test_no_arguments_show_help_on_stderr(cli: Any) -> None:
    code, out, err = cli()
    assert (code, out) == (USAGE_ERROR, "")
    assert "Usage: rolecompare" in err
    assert "Traceback" not in err


# ---- KB folders ------------------------------------------------------------------------------


def edit(kb: Path, rel: str, old: str, new: str) -> int:
    """Replace the one occurrence of old in kb/rel by new; return the line it starts on."""
    path = kb / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line_of(text, old)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of needle in text."""
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    return text.count("\n", 0, starts[nth]) + 1


DS = "facts/survey/ds.toml"
MLE = "facts/survey/mle.toml"


def truncated(kb: Path) -> list[str]:
    path = kb / DS
    text = path.read_text("utf-8")
    cut = text[: text.index('"programming-languages"') + 6]  # inside a string
    path.write_text(cut, "utf-8")
    return [f"kb/{DS}:{cut.count(chr(10)) + 1}: not valid TOML: unterminated string"]


def binary(kb: Path) -> list[str]:
    (kb / DS).write_bytes(b'source = "survey"\nroles = ["ds"]\n\xff\xfe\x00\x01junk')
    return [f"kb/{DS}:3: not UTF-8 text"]


def control_character(kb: Path) -> list[str]:
    line = edit(kb, DS, "Python (60.5%)", "Python\x00(60.5%)")
    return [f"kb/{DS}:{line}: not valid TOML: illegal character"]


def wrong_type(kb: Path) -> list[str]:
    line = edit(kb, DS, "percent = 60.5", 'percent = "high"')
    return [f"kb/{DS}:{line}: figures[0].percent: input should be a valid number"]


def above_100(kb: Path) -> list[str]:
    line = edit(kb, DS, "percent = 40", "percent = 156.7")
    return [f"kb/{DS}:{line}: figures[1].percent: input should be less than or equal to 100"]


def negative(kb: Path) -> list[str]:
    line = edit(kb, MLE, "percent = 80", "percent = -5")
    return [f"kb/{MLE}:{line}: figures[0].percent: input should be greater than or equal to 0"]


def unknown_field(kb: Path) -> list[str]:
    line = edit(kb, DS, 'quote = "Statistics (30%)"', 'quote = "Statistics (30%)"\ncolour = "red"')
    return [f"kb/{DS}:{line + 1}: figures[2].colour: unknown field"]


def terminal_escape_in_a_key(kb: Path) -> list[str]:
    """A quoted key may hold anything; the message must stay one harmless line."""
    line = edit(kb, DS, 'roles = ["ds"]', 'roles = ["ds"]\n"red\\u001b[31m\\nkey" = 1')
    return [f'kb/{DS}:{line + 1}: "red\\u001b[31m\\u000akey": unknown field']


def missing_field(kb: Path) -> list[str]:
    edit(kb, DS, 'item = "degree-statistics"\n', "")
    text = (kb / DS).read_text("utf-8")
    line = line_of(text, "[[figures]]", 2)
    return [f"kb/{DS}:{line}: figures[2].item: required field is missing"]


def unknown_source(kb: Path) -> list[str]:
    line = edit(kb, "facts/survey/de.toml", 'source = "survey"', 'source = "nosuch"')
    return [f"kb/facts/survey/de.toml:{line}: source: unknown source 'nosuch'; known: survey"]


def unknown_role(kb: Path) -> list[str]:
    line = edit(kb, DS, 'roles = ["ds"]', 'roles = ["ds", "cto"]')
    return [f"kb/{DS}:{line}: roles[1]: unknown role 'cto'"]


def unknown_topic(kb: Path) -> list[str]:
    line = edit(kb, DS, 'topic = "degrees"', 'topic = "hobbies"')
    return [f"kb/{DS}:{line}: figures[2].topic: unknown topic 'hobbies'"]


def same_role_twice(kb: Path) -> list[str]:
    (kb / "roles" / "ds2.toml").write_text('[role]\nid = "ds"\nname = "Data Scientist II"\n')
    return ["kb/roles/ds2.toml:2: role.id: role 'ds' is already defined in kb/roles/ds.toml"]


def alias_of_two_roles(kb: Path) -> list[str]:
    line = edit(
        kb,
        "roles/mle.toml",
        'aliases = ["ml engineer"]',
        'aliases = ["ml engineer", "data scientist"]',
    )
    return [f"kb/roles/mle.toml:{line}: role.aliases[1]: 'data scientist' already names role 'ds'"]


def min_above_max(kb: Path) -> list[str]:
    line = edit(
        kb,
        DS,
        'money = { amount = 120000, currency = "USD", period = "year" }',
        'range = { min = 200000, max = 100000, currency = "USD", period = "year" }',
    )
    return [f"kb/{DS}:{line}: figures[3].range: min (200000) is greater than max (100000)"]


def two_values(kb: Path) -> list[str]:
    edit(
        kb,
        DS,
        "percent = 30\n",
        'percent = 30\nmoney = { amount = 1, currency = "USD", period = "year" }\n',
    )
    text = (kb / DS).read_text("utf-8")
    return [
        f"kb/{DS}:{line_of(text, '[[figures]]', 2)}: figures[2]: give exactly one of "
        "percent, money, range, count, share or pay"
    ]


def nested_too_deeply(kb: Path) -> list[str]:
    (kb / "facts" / "survey" / "deep.toml").write_text("x = " + "[\n" * 5000 + "]\n" * 5000)
    return ["kb/facts/survey/deep.toml: not valid TOML: nested too deeply"]


def huge_number(kb: Path) -> list[str]:
    edit(kb, DS, "percent = 60.5", "percent = " + "9" * 5000)
    return [f"kb/{DS}: not valid TOML: a number has too many digits"]


def long_line(kb: Path) -> list[str]:
    line = edit(kb, DS, 'quote = "Statistics (30%)"', 'quote = "' + "x" * 10_000 + '"')
    return [f"kb/{DS}:{line}: line is longer than 10,000 characters; refusing to parse"]


def dotted_key(kb: Path) -> list[str]:
    line = edit(kb, DS, 'roles = ["ds"]', 'roles = ["ds"]\n' + ".".join(["k"] * 33) + " = 1")
    return [f"kb/{DS}:{line + 1}: a dotted key has more than 32 parts; refusing to parse"]


def many_dots_in_a_value(kb: Path) -> list[str]:
    """Dots in a value are no dotted key: the file parses, and its unknown field is placed."""
    line = edit(kb, DS, 'roles = ["ds"]', 'roles = ["ds"]\nnote = "' + "." * 40 + '"')
    return [f"kb/{DS}:{line + 1}: note: unknown field"]


def stray_file(kb: Path) -> list[str]:
    (kb / "notes.toml").write_text('title = "stray"\n')
    return ["kb/notes.toml: KB files go in one of sources, roles, vocabulary, facts/"]


def unreadable(kb: Path) -> list[str]:
    (kb / DS).chmod(0)
    return [f"kb/{DS}: cannot read file (Permission denied)"]


def unreadable_folder(kb: Path) -> list[str]:
    (kb / "facts" / "survey").chmod(0)
    return ["kb/facts/survey: cannot list folder (Permission denied)"]


def very_large(kb: Path) -> list[str]:
    path = kb / "facts" / "survey" / "huge.toml"
    with path.open("w") as out:
        out.write('source = "survey"\nroles = ["ds"]\n')
        out.write("# padding\n" * 220_000)  # 2.2 MB, over the 2 MiB limit
    return ["kb/facts/survey/huge.toml: file is larger than 2,097,152 bytes; refusing to read it"]


BROKEN = [
    pytest.param(f, id=f.__name__.replace("_", "-"))
    for f in (
        truncated,
        binary,
        control_character,
        wrong_type,
        above_100,
        negative,
        unknown_field,
        terminal_escape_in_a_key,
        missing_field,
        unknown_source,
        unknown_role,
        unknown_topic,
        same_role_twice,
        alias_of_two_roles,
        min_above_max,
        two_values,
        nested_too_deeply,
        huge_number,
        long_line,
        dotted_key,
        many_dots_in_a_value,
        stray_file,
        very_large,
    )
]
COMMANDS = [
    pytest.param(["--kb", "{kb}", "skills"], id="skills"),
    pytest.param(["validate", "{kb}"], id="validate"),
]


def argv_for(template: list[str], kb: Path) -> list[str]:
    return [str(kb) if a == "{kb}" else a for a in template]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("break_kb", BROKEN)
def test_broken_kb_is_a_data_error(
    cli: Any,
    copy_kb: Callable[..., Path],
    break_kb: Callable[[Path], list[str]],
    command: list[str],
) -> None:
    kb = copy_kb()
    expected = break_kb(kb)
    started = time.monotonic()
    code, out, err = cli(*argv_for(command, kb))
    assert time.monotonic() - started < 10, "refused, but not quickly"
    assert_error(code, out, err, DATA_ERROR, *expected)
    assert err.count("\n") == len(expected), err  # nothing else is wrong with kb3


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("break_kb", [unreadable, unreadable_folder], ids=lambda f: f.__name__)
def test_unreadable_kb_is_a_data_error(
    cli: Any,
    kb3: Path,
    unprivileged: Any,
    monkeypatch: pytest.MonkeyPatch,
    break_kb: Callable[[Path], list[str]],
    command: list[str],
) -> None:
    """Run as a user whom the permission bits bind (as root, who reads a chmod-000 file
    anyway: as nobody), on a copy of kb3 that user can reach."""
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", "")
    kb = Path(shutil.copytree(kb3, unprivileged.where / "kb"))
    assert cli(*argv_for(command, kb))[0] == 0  # the copy is valid before it is broken
    expected = break_kb(kb)
    code, out, err = unprivileged.call(lambda: cli(*argv_for(command, kb)))
    assert_error(code, out, err, DATA_ERROR, *expected)
    assert err.count("\n") == len(expected), err  # nothing else is wrong with kb3


@pytest.mark.parametrize("command", COMMANDS)
def test_unlistable_folder_is_not_skipped(
    cli: Any, copy_kb: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """A folder that cannot be listed must not pass as a KB with its facts missing.

    Simulated, so that it also holds when the tests run as root (who lists anything).
    """
    kb = copy_kb()
    real_scandir, real_open = os.scandir, os.open

    def refused(path: Any) -> bool:
        return not isinstance(path, int) and os.fspath(path).endswith(
            os.path.join("facts", "survey")
        )

    def scandir(path: Any = ".") -> Any:
        if refused(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def open_folder(path: Any, *args: Any, **kwargs: Any) -> int:  # a folder listed by its fd
        if refused(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "scandir", scandir)
        patch.setattr(os, "open", open_folder)
        code, out, err = cli(*argv_for(command, kb))
    assert_error(
        code, out, err, DATA_ERROR, "kb/facts/survey: cannot list folder (Permission denied)"
    )


def bad_paths(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    (tmp_path / "empty").mkdir()
    (tmp_path / "file.toml").write_text('[role]\nid = "x"\n')
    return {
        "missing-dir": (tmp_path / "nope", "nope: KB directory not found"),
        "file-not-dir": (tmp_path / "file.toml", "file.toml: not a directory"),
        "empty-dir": (tmp_path / "empty", "empty: no KB files"),
    }


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ["missing-dir", "file-not-dir", "empty-dir"])
def test_wrong_kb_path_is_a_data_error(
    cli: Any, tmp_path: Path, case: str, command: list[str]
) -> None:
    path, fragment = bad_paths(tmp_path)[case]
    code, out, err = cli(*argv_for(command, path))
    assert_error(code, out, err, DATA_ERROR, fragment)


def test_wrong_kb_from_the_environment(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROLECOMPARE_KB", str(tmp_path / "nope"))
    code, out, err = cli("skills")
    assert_error(code, out, err, DATA_ERROR, "nope: KB directory not found")


@pytest.mark.parametrize("command", COMMANDS)
def test_validate_lists_every_problem(
    cli: Any, copy_kb: Callable[..., Path], command: list[str]
) -> None:
    kb = copy_kb()
    expected = [*above_100(kb), *unknown_field(kb), *alias_of_two_roles(kb), *stray_file(kb)]
    path = kb / "facts" / "survey" / "de.toml"
    text = path.read_text("utf-8")
    path.write_text(text + "[[figures]\n")
    expected.append(f"kb/facts/survey/de.toml:{text.count(chr(10)) + 1}: not valid TOML")
    code, out, err = cli(*argv_for(command, kb))
    assert_error(code, out, err, DATA_ERROR, *expected)
    assert len(err.splitlines()) == len(expected)


def test_byte_order_mark_is_accepted(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kb = copy_kb()
    path = kb / DS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, out, err = cli("validate", kb)
    assert (code, err) == (0, "")
    assert "valid" in out


# ---- environment -----------------------------------------------------------------------------

NO_CACHE_SETTING = {"ROLECOMPARE_CACHE_DIR": None, "XDG_CACHE_HOME": None}


def home_read_only(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    return home


def home_missing(tmp_path: Path) -> Path:
    return tmp_path / "gone"


def home_below_a_file(tmp_path: Path) -> Path:
    (tmp_path / "file").write_text("")
    return tmp_path / "file" / "home"  # unwritable even for root


@pytest.mark.parametrize(
    "make_home",
    [
        pytest.param(home_read_only, id="read-only"),
        pytest.param(home_missing, id="missing"),
        pytest.param(home_below_a_file, id="below-a-file"),
    ],
)
def test_unusable_home_still_works(
    run_subprocess: Any, kb3: Path, tmp_path: Path, make_home: Callable[[Path], Path]
) -> None:
    reference = run_subprocess("--kb", kb3, "skills", env={"ROLECOMPARE_CACHE_DIR": ""})
    home = make_home(tmp_path)
    try:
        for _ in range(2):  # the second run would read what the first one cached
            result = run_subprocess(
                "--kb", kb3, "skills", env={"HOME": str(home), **NO_CACHE_SETTING}
            )
            assert (result.returncode, result.stderr) == (0, "")
            assert result.stdout == reference.stdout
        assert make_home is not home_missing or not home.exists(), "created a missing home"
    finally:
        if home.exists():
            home.chmod(0o755)


def big_kb(copy_kb: Callable[..., Path]) -> Path:
    """kb3 with a `work` output of about 200 KB, more than a pipe buffers."""
    kb = copy_kb()
    with (kb / DS).open("a") as out:
        for i in range(2000):
            out.write(
                f'\n[[statements]]\ntopic = "responsibilities"\n'
                f'text = "Responsibility number {i}, described at some length"\n'
                f'quote = "Responsibility number {i}."\n'
            )
    return kb


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_reader_gone_before_the_first_write(run_subprocess: Any, kb3: Path, fmt: str) -> None:
    """`rolecompare skills | true`: stdout is a pipe whose reader has already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run_subprocess("--kb", kb3, "skills", "--format", fmt, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_reader_gone_after_one_line(copy_kb: Callable[..., Path], fmt: str) -> None:
    """`rolecompare work | head -1`, with more output than the pipe holds."""
    kb = big_kb(copy_kb)
    proc = subprocess.Popen(
        [sys.executable, "-m", "rolecompare", "--kb", str(kb), "work", "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0, err
    assert first.strip()
    assert err == ""  # no Traceback, no "Exception ignored ... BrokenPipeError"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "argv", [["skills"], ["skills", "--format", "json"], ["--help"]], ids=["table", "json", "help"]
)
def test_full_disk(run_subprocess: Any, kb3: Path, argv: list[str]) -> None:
    """`rolecompare skills > /dev/full`: the write fails; say why, exit 1."""
    with open("/dev/full", "w") as full:
        result = run_subprocess("--kb", kb3, *argv, stdout=full)
    assert (result.returncode, result.stderr) == (
        DATA_ERROR,
        "rolecompare: No space left on device\n",
    )


@pytest.mark.parametrize(
    "target",
    [
        "rolecompare.kb.load.open_kb",
        "rolecompare.render.emit",
        "rolecompare.compare.roles.select_roles",
    ],
)
def test_ctrl_c_in_process(
    cli: Any, kb3: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(target, interrupted)
    code, out, err = cli("--kb", kb3, "skills")
    assert (code, out, err) == (INTERRUPTED, "", "rolecompare: interrupted\n")


SIGINT_DURING_LOAD = """
import os, signal, sys
import rolecompare.kb.load as loader
from rolecompare.main import main

real = loader.open_kb

def open_kb(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)  # as if the user pressed Ctrl-C right now
    return real(*args, **kwargs)

loader.open_kb = open_kb
main(sys.argv[1:])
"""


def test_ctrl_c_signal(run_subprocess: Any, kb3: Path) -> None:
    result = run_subprocess("--kb", kb3, "skills", python_args=["-c", SIGINT_DURING_LOAD])
    assert (result.returncode, result.stdout, result.stderr) == (
        INTERRUPTED,
        "",
        "rolecompare: interrupted\n",
    )


@pytest.mark.parametrize("command", ["skills", "tools", "education"])
def test_narrow_terminal(
    cli: Any, kb3: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    code, out, _ = cli("--kb", kb3, command, "--format", "json")
    assert code == 0
    percents = [
        text
        for section in json.loads(out)["sections"]
        for row in section["rows"]
        if row["unit"] == "percent"
        for texts in row["texts"].values()
        for text in texts
    ]
    assert percents
    monkeypatch.setenv("COLUMNS", "60")
    code, out, err = cli("--kb", kb3, command)
    assert (code, err) == (0, "")
    assert max(len(line) for line in out.splitlines()) <= 60
    for text in percents:
        assert text in out, f"{text} is cut or missing"


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([c, "--format", f], id=f"{c}-{f}")
        for c in ("skills", "salary", "path", "summary", "roles", "sources")
        for f in ("table", "csv", "markdown", "json")
    ],
)
def test_ascii_console(run_subprocess: Any, kb3: Path, argv: list[str]) -> None:
    result = run_subprocess("--kb", kb3, *argv, env={"PYTHONIOENCODING": "ascii"})
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.isascii()
    assert result.stdout.strip()


def test_ascii_console_error_message(run_subprocess: Any, kb3: Path) -> None:
    result = run_subprocess(
        "--kb", kb3, "skills", "--roles", "Données", env={"PYTHONIOENCODING": "ascii"}
    )
    assert (result.returncode, result.stdout) == (USAGE_ERROR, "")
    assert "UnicodeEncodeError" not in result.stderr
    assert result.stderr.startswith("rolecompare: unknown role 'Donn")


# ---- cache -----------------------------------------------------------------------------------


def cache_entries() -> list[Path]:
    return sorted(Path(os.environ["ROLECOMPARE_CACHE_DIR"]).glob("kb-*.json"))


def damage_garbage(entry: Path) -> None:
    entry.write_bytes(b"this is not a cache entry")


def damage_truncate(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])


def damage_empty(entry: Path) -> None:
    entry.write_bytes(b"")


def damage_flip_figure(entry: Path) -> None:
    """A changed number under the old checksum: must not be believed."""
    data = entry.read_bytes()
    assert b"60.5" in data
    entry.write_bytes(data.replace(b"60.5", b"99.5"))


def damage_directory(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(f, id=f.__name__.removeprefix("damage_").replace("_", "-"))
        for f in (
            damage_garbage,
            damage_truncate,
            damage_empty,
            damage_flip_figure,
            damage_directory,
        )
    ],
)
def test_damaged_cache_falls_back_to_validation(
    cli: Any, kb3: Path, damage: Callable[[Path], None]
) -> None:
    code, first, _ = cli("--kb", kb3, "skills", "--format", "json")
    assert code == 0
    (entry,) = cache_entries()
    damage(entry)
    code, again, err = cli("--kb", kb3, "skills", "--format", "json")
    assert (code, err) == (0, "")
    assert again == first


def test_unwritable_cache(
    cli: Any, kb3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("")
    reference = cli("--kb", kb3, "skills")
    for where in (tmp_path / "file", tmp_path / "file" / "cache"):
        monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(where))
        assert cli("--kb", kb3, "skills") == reference


def test_read_only_cache_dir(
    cli: Any, kb3: Path, unprivileged: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's own cache folder, read-only: as a user whom the mode binds (nobody, when
    the suite runs as root, who writes a mode-0555 folder anyway)."""
    kb = Path(shutil.copytree(kb3, unprivileged.where / "kb"))
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", "")
    assert cli("--kb", kb, "skills")[0] == 0
    folder = unprivileged.where / "ro"
    folder.mkdir()
    os.chown(folder, unprivileged.uid, unprivileged.gid)
    folder.chmod(0o555)
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", str(folder))
    for _ in range(2):
        code, out, err = unprivileged.call(lambda: cli("--kb", kb, "skills"))
        assert (code, err) == (0, "")
        assert "60.5%" in out
    assert list(folder.iterdir()) == []


def test_read_only_home_still_works(
    cli: Any, kb3: Path, unprivileged: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As test_unusable_home_still_works, as a user whom the home's mode binds."""
    kb = Path(shutil.copytree(kb3, unprivileged.where / "kb"))
    monkeypatch.setenv("ROLECOMPARE_CACHE_DIR", "")
    code, reference, _ = cli("--kb", kb, "skills")
    assert code == 0
    home = unprivileged.where / "home"
    home.mkdir()
    os.chown(home, unprivileged.uid, unprivileged.gid)
    home.chmod(0o555)
    monkeypatch.delenv("ROLECOMPARE_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    for _ in range(2):  # the second run would read what the first one cached
        assert unprivileged.call(lambda: cli("--kb", kb, "skills")) == (0, reference, "")
    assert list(home.iterdir()) == []


def python_share(cli: Any, kb: Path) -> Any:
    code, out, err = cli("--kb", kb, "skills", "--format", "json")
    assert code == 0, err
    rows = [row for s in json.loads(out)["sections"] for row in s["rows"]]
    return next(row["values"]["ds"] for row in rows if row["item"] == "python")


def test_cache_never_serves_other_content(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kb = copy_kb()
    assert python_share(cli, kb) == 60.5
    assert cache_entries()
    edit(kb, DS, "percent = 60.5", "percent = 61.5")  # same size, same file names
    assert python_share(cli, kb) == 61.5


def test_cache_never_hides_a_broken_kb(cli: Any, copy_kb: Callable[..., Path]) -> None:
    kb = copy_kb()
    assert python_share(cli, kb) == 60.5
    expected = above_100(kb)
    code, out, err = cli("--kb", kb, "skills")
    assert_error(code, out, err, DATA_ERROR, *expected)
