"""Output that fits a person (#12): a glance by default, every width, a pager, money leads,
help and examples that work."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import shlex
import shutil
import struct
import subprocess
import sys
import termios
from dataclasses import replace
from pathlib import Path

import pytest

from goldens import check_golden
from pagecheck import report_figures as figures
from pagecheck import share
from rolecompare import render
from rolecompare.compare.report import Report
from rolecompare.compare.roles import select_roles
from rolecompare.compare.topics import compare
from rolecompare.kb.load import load_kb
from rolecompare.render.format import lead_text
from rolecompare.render.layout import gist
from rolecompare.render.wording import use_of

ROOT = Path(__file__).resolve().parents[1]
KB3 = ROOT / "tests" / "fixtures" / "kb3"
GOLDEN = ROOT / "tests" / "golden"
COMPARISONS = ["skills", "tools", "education", "salary", "summary", "work"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


def report_of(command: str, kb: str | None = None, roles: str | None = None) -> Report:
    data = load_kb(kb)
    if command == "path":
        from rolecompare.compare.ladders import career_paths

        return career_paths(data, select_roles(data["roles"], roles))
    return compare(data, command, select_roles(data["roles"], roles))


def shown(report: Report, width: int, terminal: bool = False, details: bool = False) -> str:
    out: io.StringIO = Terminal() if terminal else io.StringIO()
    os.environ["COLUMNS"] = str(width)
    render.emit(report, "table", out, details=details)
    return re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.delenv("PAGER", raising=False)


# The lines within which every figure of a command's glance shows at 80 columns. Summary's
# key-differences table alone is 28 lines in a terminal, and the counted analyses' section
# and BLS's outlook follow it: 55 there.
WITHIN = {"skills": 40, "tools": 40, "education": 40, "salary": 40, "summary": 55}


@pytest.mark.parametrize("command", list(WITHIN))
@pytest.mark.parametrize("terminal", [False, True])
def test_every_figure_within_the_first_40_lines_at_80_columns(command: str, terminal: bool) -> None:
    """Figures come first (#21): every table of a glance, then what is said under each, so
    that every figure, with a counted share's margin and counted pay's N, is within the
    first 40 lines at 80 columns, in a pipe and in a terminal's boxes."""
    report = report_of(command)
    top_lines = shown(report, 80, terminal).splitlines()[: WITHIN[command]]
    top = "\n".join(top_lines)
    glance = [s for s in report.sections if not s.detail]  # the rest: with --details
    numbers = figures(replace(report, sections=glance))
    assert numbers
    for number in numbers:
        assert number in top, (command, number)
    cells = [c for s in glance for r in s.rows for c in r.cells.values()]
    for cell in cells:
        if cell.k is not None and cell.n is not None:  # its share and margin on one line
            margin = rf"{re.escape(share(cell.k, cell.n))} ±\d+\.\d"
            assert any(re.search(margin, line) for line in top_lines), (command, cell.k)
        if cell.percentiles is not None and cell.n is not None:
            assert f"{cell.n:,}" in " ".join(top.split()), (command, cell.n)


def test_details_shows_every_statement_in_full_and_the_glance_a_gist() -> None:
    report = report_of("skills")
    glance, full = shown(report, 80), shown(report, 50, details=True)  # stacked: whole
    statements = [
        t
        for s in report.sections
        for r in s.rows
        if r.unit is None
        for c in r.cells.values()
        for t in c.texts
    ]
    flat_full = " ".join(full.split())
    for text in statements:
        assert " ".join(text.split()) in flat_full
    assert "more; --details)" in glance
    assert len(glance.splitlines()) < len(full.splitlines())


def test_the_glance_keeps_what_a_figure_s_own_quote_adds_and_only_that() -> None:
    """BLS's phrase beside its outlook figure comes from the figure's own quote: a glance
    shows it whole under the table. A statement from another passage about the same item
    (the salary ceiling) stays a --details matter."""
    summary = shown(report_of("summary"), 80)
    assert "Job outlook, 2024–34 — DS: Much faster than average" in summary.splitlines()
    salary = shown(report_of("salary"), 80)
    assert "Higher salary ceiling" not in salary
    assert "Higher salary ceiling" in shown(report_of("salary"), 200, details=True)


def test_the_glance_shows_how_each_role_uses_a_skill_from_its_quote() -> None:
    report = report_of("skills")
    python = next(r for s in report.sections for r in s.rows if r.item == "python")
    assert use_of(python.cells["ds"]) == "Essential for data manipulation, visualization, and ML"
    text = " ".join(shown(report, 80).split())
    assert "Python — DS: Essential for data manipulation, visualization, and ML;" in text
    assert "MLE: Dominant for ML libraries and frameworks" in text


def test_gist_is_the_first_sentence_whole_and_counts_the_rest() -> None:
    assert gist(["short"], 40) == "short"
    long = "one two three four five six seven eight nine ten eleven twelve thirteen"
    assert gist([long], 30) == long  # never cut: the table or the terminal wraps it
    two = "Most work is in the U.S. Some of it may be remote. The rest is not."
    assert (
        gist([two], 30)
        == "Most work is in the U.S. Some of it may be remote. (more with --details)"
    )
    sentences = ["Data scientists typically prioritize analytical capabilities over the rest", "c"]
    assert gist(sentences, 40) == (
        "Data scientists typically prioritize analytical capabilities over the rest"
        " (+1 more; --details)"
    )
    # Short items (technologies, titles) are listed whole, as many as fit, then counted.
    assert gist(["Python", "SQL", "R"], 40) == "Python, SQL, R"
    names = [f"Technology number {i}" for i in range(10)]
    listed = gist(names, 40)
    assert listed.startswith("Technology number 0, Technology number 1")
    assert listed.endswith(" more; --details)")


def test_money_rows_lead_with_a_gap_in_their_unit(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("salary", "--format", "json")
    assert code == 0
    rows = {r["label"]: r for s in json.loads(out)["sections"] for r in s["rows"]}
    average = rows["Average annual salary"]
    assert (average["leader"], average["lead"]) == ("mle", 6000)
    assert rows["Salary range of most postings"].get("lead") is None  # a range: no single value
    code, out, _ = cli("salary")
    lines = out.splitlines()
    assert any(
        line.startswith("Machine Learning Engineer ahead on postings paying above")
        for line in lines[:3]
    )
    flat = " ".join(out.split())
    assert "8.6% vs 2.5% (+6.1 pp) [365datascience]" in flat
    glassdoor = "$166,000 vs about $160,000 (about +$6,000), reported by Glassdoor [365datascience]"
    assert glassdoor in flat
    assert "MLE about +$6,000" in out


def test_one_gap_style_and_the_pp_legend_once() -> None:
    report = report_of("skills")
    text = shown(report, 100)
    assert "MLE +19.0 pp" in text  # not "+19 pp"
    assert text.count("pp = percentage points") == 1
    leads = [lead_text(r) for s in report.sections for r in s.rows if r.lead is not None]
    assert all(re.fullmatch(r"\w+ \+\d+\.\d pp", lead) for lead in leads), leads


def test_one_role_has_no_lead_column_nor_legend(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("skills", "--role", "ds")
    assert code == 0
    assert "Ahead by" not in out
    assert " pp" not in out
    assert "percentage points" not in out
    code, out, _ = cli("skills")
    assert "Ahead by" in out


def words(text: str) -> set[str]:
    """The words of a table, without its box lines; "Role:" (stacked) counts as "Role"."""
    unboxed = re.sub(r"[│┃┏┓┗┛━─┡┩└┘┌┐├┤┼╇╈╋┳┻╸╹╺╻|+-]{2,}|[│┃]", " ", text)
    return {word.rstrip(":") for word in unboxed.split()}


# The widths where the layout changes, and either side of each: the narrowest width the
# suite checks (40), a table stacks below 60 (render/table.py, STACK_BELOW), bars show
# from 68 columns with two roles and 88 with three (28 + 20 a role), a piped text's
# gist is 78 wide and a pipe without COLUMNS gets 80, the suite's own 100, 120, and the
# widest (200). The other widths between 40 and 200 run in the slow part of the suite.
BOUNDARY_WIDTHS: tuple[int, ...] = (40, 41, 59, 60, 61, 67, 68, 69, 77, 78, 79, 80, 81, 87, 88)
BOUNDARY_WIDTHS += (89, 99, 100, 101, 119, 120, 121, 199, 200)
OTHER_WIDTHS = {
    f"{lo}s": tuple(w for w in range(40, 201) if lo <= w < lo + 40 and w not in BOUNDARY_WIDTHS)
    for lo in (40, 80, 120, 160)
}
WIDTH_SETS = [
    pytest.param(BOUNDARY_WIDTHS, id="boundaries"),
    *(pytest.param(ws, id=name, marks=pytest.mark.slow) for name, ws in OTHER_WIDTHS.items()),
]


def test_the_width_sets_cover_every_width_once() -> None:
    every = [*BOUNDARY_WIDTHS, *(w for ws in OTHER_WIDTHS.values() for w in ws)]
    assert sorted(every) == list(range(40, 201))


@pytest.mark.parametrize("widths", WIDTH_SETS)
@pytest.mark.parametrize("kb", [None, str(KB3)], ids=["bundled", "kb3"])
@pytest.mark.parametrize("command", [*COMPARISONS, "path"])
def test_no_word_is_split_at_any_width(
    command: str, kb: str | None, widths: tuple[int, ...]
) -> None:
    """Every word of the output at width W is a word of the output at width 200."""
    report = report_of(command, kb)
    for details in (False, True):
        wide = words(shown(report, 200, details=details))
        wide_terminal = words(shown(report, 200, terminal=True, details=details))
        for width in widths:
            text = shown(report, width, details=details)
            assert words(text) <= wide, (width, details)
            assert max(len(line) for line in text.splitlines()) <= width, (width, details)
            if width % 10 in (0, 9):
                got = words(shown(report, width, terminal=True, details=details))
                assert got <= wide_terminal, (width, details, got - wide_terminal)


@pytest.mark.parametrize("width", [40, 59])
def test_narrow_output_stacks_one_block_per_row(width: int) -> None:
    text = shown(report_of("salary"), width)
    assert "  Data Scientist: 2.5%" in text
    assert "  Ahead by: MLE +6.1 pp" in text
    assert max(len(line) for line in text.splitlines()) <= width


def fit_of(*have: str) -> Report:
    from rolecompare.compare import fit, fitreport
    from rolecompare.kb.files import bundled_kb
    from rolecompare.kb.profiles import load_profiles

    data = load_kb(None)
    roles = select_roles(data["roles"], None)
    words = fit.matched_or_exit(data, list(have))
    profiles = load_profiles(data, bundled_kb())
    fits = fitreport.score_roles(data, roles, fit.have_ids(words), profiles)
    return fitreport.fit_report(data, fits, roles, words)


@pytest.mark.parametrize("width", [40, 50, 60])
def test_lists_in_narrow_columns_stack_an_item_a_line(width: int) -> None:
    """A role column of lists too narrow for its items (fit at 60 columns wrapped them a
    word or two a line, a bullet alone) stacks: each item starts its own line, under its
    role's name, and continues indented."""
    report = fit_of("python", "sql")
    lines = shown(report, width).splitlines()
    assert not [line for line in lines if line.strip() in ("•", "*")]
    assert "  Data Scientist:" in lines
    assert "    • Python 83.6%" in lines  # asaniczka's data scientists: 634 of 758
    items = [i for i, line in enumerate(lines) if line.startswith("    • ")]
    assert len(items) > 10
    for i in items:  # an item that wraps continues two columns further in
        more = lines[i + 1]
        if more.startswith("    ") and not more.startswith("    • "):
            assert more.startswith("      "), more
            assert more[6] != " ", more


def test_lists_with_room_stay_side_by_side() -> None:
    report = fit_of("python", "sql")
    text = shown(report, 100)
    assert re.search(r"You have +• Python 83\.6% +• Python 85\.5%", text), text


def test_a_pipe_uses_columns_else_80(run_subprocess) -> None:  # type: ignore[no-untyped-def]
    default = run_subprocess("salary", env={"COLUMNS": None}).stdout
    assert max(map(len, default.splitlines())) <= 80
    assert max(map(len, default.splitlines())) > 70
    wide = run_subprocess("salary", env={"COLUMNS": "150"}).stdout
    assert max(map(len, wide.splitlines())) > 100


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize("mode", ["terminal", "pipe"])
@pytest.mark.parametrize("command", ["skills", "salary"])
def test_golden_renders(command: str, mode: str, width: int) -> None:
    text = shown(report_of(command, str(KB3)), width, terminal=mode == "terminal")
    check_golden(GOLDEN / f"kb3-{command}-{mode}-{width}.txt", text)


# The pager: a fake PAGER records what it is given; stdout a pseudo-terminal.
FAKE_PAGER = "import sys; open(sys.argv[1], 'w').write(sys.stdin.read())"


def run_in_pty(args: list[str], env: dict[str, str | None]) -> int:
    """Run rolecompare with stdout and stderr a 100-column terminal; env holds overrides
    on top of the test's environment (None removes a variable). What it writes is read as
    it writes it: a terminal's buffer is small, and a long output would block."""
    import select
    import time

    merged: dict[str, str | None] = {**os.environ, **env}
    environ = {name: value for name, value in merged.items() if value is not None}
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rolecompare", *args],
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=secondary,
            env=environ,
        )
        os.close(secondary)
        secondary = -1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.1)
            if ready:
                try:
                    if not os.read(main, 65536):
                        break
                except OSError:  # the terminal is closed: everything was read
                    break
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        if secondary != -1:
            os.close(secondary)
        os.close(main)


def pager_env(tmp_path: Path) -> tuple[dict[str, str | None], Path]:
    record = tmp_path / "paged.txt"
    pager = tmp_path / "pager.py"
    pager.write_text(FAKE_PAGER, "utf-8")
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(pager))} {shlex.quote(str(record))}"
    return {"PAGER": command, "TERM": "xterm", "COLUMNS": "80"}, record


def test_a_terminal_pages_through_pager(tmp_path: Path) -> None:
    env, record = pager_env(tmp_path)
    assert run_in_pty(["salary"], env) == 0
    paged = record.read_text("utf-8")
    assert "Machine Learning Engineer ahead on postings paying above $200,000" in paged
    assert "\x1b[" in paged  # coloured: the pager is less -R by default
    assert max(len(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in paged.splitlines()) > 80


@pytest.mark.parametrize(("no_color", "coloured"), [("1", False), ("", True), (None, True)])
def test_no_color_set_and_not_empty(tmp_path: Path, no_color: str | None, coloured: bool) -> None:
    """NO_COLOR turns colour off when it is present and not empty (no-color.org)."""
    env, record = pager_env(tmp_path)
    assert run_in_pty(["skills"], {**env, "NO_COLOR": no_color}) == 0
    paged = record.read_text("utf-8")
    assert "\x1b[1m" in paged  # bold stays either way: it is not a colour
    assert ("\x1b[1;36m" in paged) is coloured  # the section titles' cyan


def test_no_pager_and_pipes_never_page(tmp_path: Path, run_subprocess) -> None:  # type: ignore[no-untyped-def]
    env, record = pager_env(tmp_path)
    assert run_in_pty(["salary", "--no-pager"], env) == 0
    assert not record.exists()
    assert run_in_pty(["salary", "--format", "json"], env) == 0
    assert not record.exists()
    piped = run_subprocess("salary", env=env)
    assert piped.returncode == 0
    assert "ahead on" in piped.stdout
    assert not record.exists()
    assert run_in_pty(["salary"], {**env, "TERM": "dumb"}) == 0
    assert not record.exists()


# A pager that keeps the very bytes it is given, whatever its own locale.
BYTES_PAGER = "import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())"


@pytest.mark.parametrize(
    ("command", "expected"), [("summary", b"| Analysis ? ?  "), ("roles", b"Data Scientist ? ?  ")]
)
def test_the_pager_on_an_ascii_terminal(tmp_path: Path, command: str, expected: bytes) -> None:
    """An ASCII locale pages KB text it cannot encode with a "?", as printing does."""
    kb = Path(shutil.copytree(KB3, tmp_path / "kb"))
    for rel, old, new in [
        ("roles/ds.toml", 'name = "Data Scientist"', 'name = "Data Scientist ü 数"'),
        ("facts/survey/ds.toml", 'text = "Analysis"', 'text = "Analysis ü 数"'),
    ]:
        text = (kb / rel).read_text("utf-8")
        assert old in text
        (kb / rel).write_text(text.replace(old, new, 1), "utf-8")
    env, record = pager_env(tmp_path)
    (tmp_path / "pager.py").write_text(BYTES_PAGER, "utf-8")
    ascii_locale = {"LC_ALL": "POSIX", "LANG": None, "PYTHONUTF8": "0", "PYTHONIOENCODING": None}
    assert run_in_pty(["--kb", str(kb), command], {**env, **ascii_locale}) == 0
    paged = record.read_bytes()
    assert paged.isascii(), paged
    assert expected in paged


# A pager that gets the Ctrl-C the terminal sends to rolecompare too (as less does, which
# handles it itself), then shows the text.
CTRL_C_PAGER = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "[os.kill(os.getppid(), signal.SIGINT) for _ in range(2)]; "
    "open(sys.argv[1], 'w').write(sys.stdin.read())"
)


def test_ctrl_c_belongs_to_the_pager(tmp_path: Path) -> None:
    """While the pager runs, Ctrl-C is the pager's: rolecompare waits for it and ends well."""
    env, record = pager_env(tmp_path)
    (tmp_path / "pager.py").write_text(CTRL_C_PAGER, "utf-8")
    assert run_in_pty(["salary"], env) == 0
    assert "ahead on postings paying above $200,000" in record.read_text("utf-8")


def test_a_missing_pager_just_prints(tmp_path: Path) -> None:
    env, record = pager_env(tmp_path)
    assert run_in_pty(["skills"], {**env, "PAGER": "no-such-pager-here -R"}) == 0
    assert not record.exists()


@pytest.mark.parametrize("width", ["80", "60"])
def test_help_shows_each_summary_whole(width: str, run_subprocess) -> None:  # type: ignore[no-untyped-def]
    result = run_subprocess("--help", env={"COLUMNS": width})
    assert result.returncode == 0
    commands = result.stdout.split("Commands:", 1)[1]
    assert "…" not in commands, commands
    assert "..." not in commands, commands
    assert "Languages, AI and job-specific skills in job postings." in " ".join(commands.split())


def help_commands(run_subprocess) -> list[str]:  # type: ignore[no-untyped-def]
    text = run_subprocess("--help", env={"COLUMNS": "200"}).stdout
    section = text.split("Commands:", 1)[1]
    return [line.split()[0] for line in section.splitlines() if line.startswith("  ")]


def test_every_help_example_runs(run_subprocess, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # From a folder of its own (report writes a file) with the project's ../shared beside it.
    where = tmp_path / "project"
    where.mkdir()
    if (ROOT.parent / "shared").is_dir():
        (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    commands = help_commands(run_subprocess)
    assert {"skills", "salary", "quiz", "fit"} <= set(commands)
    ran = 0
    for command in commands:
        text = run_subprocess(command, "--help", env={"COLUMNS": "200"}).stdout
        for example in re.findall(r"Example: rolecompare (.+)", text):
            result = run_subprocess(*shlex.split(example), cwd=where)
            assert result.returncode == 0, (example, result.stderr)
            ran += 1
    assert ran >= 10
