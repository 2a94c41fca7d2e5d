"""The comparison commands through the front door: JSON first, then the other formats."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from typer import Typer

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data"
KB3 = ROOT / "tests" / "fixtures" / "kb3"
COMPARISONS = ["skills", "tools", "education", "salary", "path", "summary", "work"]
TOPIC_COMMANDS = ["skills", "tools", "education", "salary", "summary", "work"]


def run_json(cli: Any, *args: str) -> dict[str, Any]:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    assert err == ""
    data: dict[str, Any] = json.loads(out)
    return data


def kb_files(root: Path, folder: str) -> list[dict[str, Any]]:
    """The KB files in a folder, TOML and JSON (an import writes JSON)."""
    paths = sorted(p for p in (root / folder).rglob("*") if p.suffix in (".toml", ".json"))
    return [
        tomllib.loads(p.read_text("utf-8")) if p.suffix == ".toml" else json.loads(p.read_text())
        for p in paths
    ]


def role_ids(root: Path) -> list[str]:
    return [f["role"]["id"] for f in kb_files(root, "roles")]


def topic_commands(root: Path) -> dict[str, str]:
    vocabulary = kb_files(root, "vocabulary")
    return {t["id"]: t["command"] for f in vocabulary for t in f.get("topics", [])}


@pytest.mark.parametrize("kb", [BUNDLED, KB3], ids=["bundled", "kb3"])
@pytest.mark.parametrize("command", COMPARISONS)
def test_json_shape(cli: Any, kb: Path, command: str) -> None:
    data = run_json(cli, "--kb", str(kb), command)
    ids = role_ids(kb)
    # 2: fit, quiz and listings joined the envelope; 3: figures; 4: headlines, posting_data,
    # the unit percent-change, and the sources' data_date (and not_given in `sources`)
    assert data["version"] == 5
    assert data["command"] == command
    assert [r["id"] for r in data["roles"]] == ids
    source_ids = {s["id"] for s in data["sources"]}
    for section in data["sections"]:
        assert section["rows"] or section["shared"]
        for row in section["rows"]:
            assert row["source"] in source_ids
            assert set(row["texts"]) == set(ids)
            if row["unit"] is not None:
                assert set(row["values"]) == set(ids)
                for rid in ids:
                    # not reported is null, never 0; a reported value is always shown
                    assert row["values"][rid] != 0
                    if row["values"][rid] is not None:
                        assert row["texts"][rid]


@pytest.mark.parametrize("kb", [BUNDLED, KB3], ids=["bundled", "kb3"])
def test_every_figure_is_shown_by_its_command(cli: Any, kb: Path) -> None:
    commands = topic_commands(kb)
    shown: dict[str, dict[str, Any]] = {
        c: run_json(cli, "--kb", str(kb), c) for c in set(commands.values()) if c in TOPIC_COMMANDS
    }
    checked = 0
    for facts in kb_files(kb, "facts"):
        for fig in facts.get("figures", []):
            report = shown[commands[fig["topic"]]]
            rows = [
                r
                for s in report["sections"]
                if s["id"] == fig["topic"]
                for r in s["rows"]
                if r["item"] == fig["item"] and r["source"] == facts["source"]
            ]
            assert len(rows) == 1, fig
            expected = (
                fig.get("percent") or fig.get("count") or (fig.get("money") or {}).get("amount")
            )
            if "range" in fig:
                expected = {"min": fig["range"]["min"], "max": fig["range"]["max"]}
            if "share" in fig:  # a counted share: k of n in percent, to one decimal
                k, n = fig["share"]["k"], fig["share"]["n"]
                expected = float((Decimal(k * 100) / n).quantize(Decimal("0.1"), ROUND_HALF_UP))
            if "pay" in fig:
                expected = fig["pay"]["median"]
            origin = fig["counted"]["file"] if "counted" in fig else fig["quote"]
            for rid in facts["roles"]:
                assert rows[0]["values"][rid] == expected
                assert any(origin in q for q in rows[0]["quotes"][rid])
                checked += 1
    assert checked > 0


def test_not_reported_is_null_not_zero(cli: Any) -> None:
    data = run_json(cli, "education")
    rows = {r["item"]: r for s in data["sections"] for r in s["rows"] if r["item"]}
    assert rows["degree-mathematics"]["values"]["ds"] == 21.8
    assert rows["degree-mathematics"]["values"]["mle"] is None
    assert rows["degree-mathematics"]["texts"]["mle"] == []


def test_percent_rows_name_the_leader_and_the_gap(cli: Any) -> None:
    data = run_json(cli, "--kb", str(KB3), "skills")
    row = next(r for s in data["sections"] for r in s["rows"] if r["item"] == "sql")
    assert row["values"] == {"de": 70, "ds": 40, "mle": None}
    assert row["leader"] == "de"
    assert row["lead"] == 30


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("mle,ds", ["mle", "ds"]),
        ("Machine Learning Engineer, data scientist", ["mle", "ds"]),
        ("ML-ENGINEER", ["mle"]),
        ("de,mle,ds", ["de", "mle", "ds"]),
    ],
)
def test_roles_pick_and_order_columns(cli: Any, spec: str, expected: list[str]) -> None:
    data = run_json(cli, "--kb", str(KB3), "skills", "--roles", spec)
    assert [r["id"] for r in data["roles"]] == expected
    for section in data["sections"]:
        for row in section["rows"]:
            assert list(row["texts"]) == expected


def test_path_for_one_role_shows_each_ladder_step(cli: Any) -> None:
    data = run_json(cli, "path", "--role", "mle")
    assert [r["id"] for r in data["roles"]] == ["mle"]
    ladders = [
        f for f in kb_files(BUNDLED, "facts") for _ in f.get("ladders", []) if "mle" in f["roles"]
    ]
    sections = [s for s in data["sections"] if s["id"].startswith("ladder-")]
    assert len(sections) == len(ladders) >= 2
    for facts, section in zip(ladders, sections, strict=True):
        steps = facts["ladders"][0]["steps"]
        if all(step.get("level") for step in steps):  # named levels: a row per level
            step_rows = section["rows"][: len(steps)]
            for step, row in zip(steps, step_rows, strict=True):
                assert all(title in row["texts"]["mle"][0] for title in step["titles"])
        else:  # unnamed steps: the whole ladder in one cell, first step first
            whole = section["rows"][0]["texts"]["mle"][0]
            titles = [t for step in steps for t in step["titles"]]
            assert [whole.index(t) for t in titles] == sorted(whole.index(t) for t in titles)


def test_roles_and_sources(cli: Any) -> None:
    roles = run_json(cli, "roles")["roles"]
    assert [r["id"] for r in roles] == role_ids(BUNDLED)
    sources = run_json(cli, "sources")["sources"]
    assert {s["id"] for s in sources} == {f["source"]["id"] for f in kb_files(BUNDLED, "sources")}
    assert all(s["publisher"] and s["title"] for s in sources)


@pytest.mark.parametrize("command", COMPARISONS)
def test_csv_has_a_header_and_one_line_per_row(cli: Any, command: str) -> None:
    data = run_json(cli, command)
    code, out, _ = cli(command, "--format", "csv")
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    ids = [r["id"] for r in data["roles"]]
    per_role = [
        "figure",
        "unit",
        "approximate",
        "reported_by",
        "qualifiers",
        "k",
        "n",
        "ci_low",
        "ci_high",
        "p10",
        "p25",
        "p75",
        "p90",
        "statements",
        "quotes",
        "not_reported",
    ]
    assert table[0] == [
        *("section", "item", "label", "source", "unit", *ids, "leader", "lead"),
        *("lead_text", "meaning", "notes"),
        *(f"{rid}_{column}" for rid in ids for column in per_role),
        *("headline", "credit", "caveats"),
    ]
    assert len(table) - 1 == sum(len(s["rows"]) for s in data["sections"])


def test_markdown_is_a_github_table(cli: Any) -> None:
    code, out, _ = cli("skills", "--format", "markdown")
    assert code == 0
    assert out.startswith("## ")
    assert "| --- | --- | --- | --- |" in out
    assert "| Python \\[365datascience\\] | 56.7% | 77.4% | MLE +20.7 pp |" in out


def test_table_in_a_pipe_has_no_escape_codes_or_boxes(cli: Any) -> None:
    code, out, _ = cli("skills")
    assert code == 0
    assert "\x1b[" not in out
    assert not set("┃━┏│") & set(out)
    assert "Sources: [365datascience]" in out


def test_narrow_terminal_wraps_without_cutting_numbers(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = cli("skills")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 60
    for value in ("56.7%", "77.4%", "33.0%", "3.5%"):
        assert value in out


def test_version_and_help(cli: Any) -> None:
    from rolecompare import __version__

    code, out, _ = cli("--version")
    assert (code, out.strip()) == (0, f"rolecompare {__version__}")
    for command in [*COMPARISONS, "fit", "quiz", "roles", "sources", "validate"]:
        code, out, _ = cli(command, "--help")
        assert code == 0
        assert f"Example: rolecompare {command}" in out


def one_and_whole(args: list[str]) -> tuple[Any, Any]:
    """args run by the app app_for builds for them, and by the whole app."""
    from typer.testing import CliRunner

    from rolecompare.cli import app, app_for

    runner = CliRunner()
    return runner.invoke(app_for(args), args), runner.invoke(app, args)


def every_command() -> list[str]:
    from rolecompare.cli import COMMANDS, GROUPS

    return [*COMMANDS, *GROUPS]


@pytest.mark.parametrize("command", every_command())
@pytest.mark.parametrize("rest", [["--help"], ["--no-such-option"], ["--kb", str(KB3), "-h"]])
def test_a_command_alone_behaves_as_in_the_whole_app(command: str, rest: list[str]) -> None:
    """A run builds only the command it runs (cli.app_for); its help, usage and errors
    are the whole app's."""
    from rolecompare.cli import app, app_for

    args = [command, *rest]
    assert app_for(args) is not app
    one, whole = one_and_whole(args)
    assert (one.exit_code, one.output) == (whole.exit_code, whole.output)
    assert one.output.startswith(f"Usage: rolecompare {command} ")


def group_names(app: Typer) -> list[str | None]:
    """The names of an app's command groups."""
    names = []
    for group in app.registered_groups:
        assert group.typer_instance is not None
        names.append(group.typer_instance.info.name)
    return names


@pytest.mark.parametrize(
    ("args", "alone"),
    [
        (["--kb", "skills", "roles", "--help"], "roles"),  # --kb takes a value
        (["--kb=data", "sources"], "sources"),
        (["-V", "salary"], "salary"),
        (["import", "onet", "--help"], "import"),
        (["--help", "skills"], None),  # the program's help lists every command
        (["--show-completion", "bash"], None),
        (["skils"], None),  # "did you mean" needs every name
        ([], None),
        (["--kb"], None),
    ],
)
def test_which_runs_build_one_command(args: list[str], alone: str | None) -> None:
    from rolecompare.cli import app, app_for

    chosen = app_for(args)
    if alone is None:
        assert chosen is app
    else:
        assert chosen is not app
        commands = [c.name for c in chosen.registered_commands]
        groups = group_names(chosen)
        assert commands + groups == [alone]


@pytest.mark.parametrize(
    ("words", "cword", "alone"),
    [
        ("rolecompare skills --roles ", "3", "skills"),
        ("rolecompare --kb data path --role m", "5", "path"),
        ("rolecompare sal", "1", None),  # the command itself is being completed
        ("rolecompare skills", "1", None),
        ("rolecompare skills --roles ds", "1", None),  # the cursor on the command
        ("rolecompare 'skills", "2", None),  # an unclosed quote
        ("rolecompare fi", "fi", None),  # not an index: the cursor is on the last word
    ],
)
def test_completion_builds_the_command_being_completed(
    monkeypatch: pytest.MonkeyPatch, words: str, cword: str, alone: str | None
) -> None:
    from rolecompare.cli import app, app_for

    monkeypatch.setenv("_ROLECOMPARE_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", cword)
    chosen = app_for([])
    assert (chosen is app) == (alone is None)
    if alone is not None:
        assert [c.name for c in chosen.registered_commands] == [alone]


# The line up to the cursor, as zsh (${words[1,$CURRENT]}) and fish (commandline -cp)
# give it in _TYPER_COMPLETE_ARGS; the command alone, or None for the whole app.
TYPER_ARGS_LINES = [
    ("rolecompare skills --roles ", "skills"),
    ("rolecompare --kb data path --role m", "path"),
    ("rolecompare --kb=data fit --have py", "fit"),
    ("rolecompare import onet ", "import"),
    ("rolecompare sal", None),  # the command itself is being completed
    ("rolecompare skills", None),
    ("rolecompare ", None),
    ("rolecompare 'skills --roles ", None),  # an unclosed quote
    ("", None),
]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
@pytest.mark.parametrize(("line", "alone"), TYPER_ARGS_LINES)
def test_zsh_and_fish_completion_build_the_command_being_completed(
    monkeypatch: pytest.MonkeyPatch, shell: str, line: str, alone: str | None
) -> None:
    from rolecompare.cli import app, app_for

    monkeypatch.delenv("COMP_WORDS", raising=False)
    monkeypatch.delenv("COMP_CWORD", raising=False)
    monkeypatch.setenv("_ROLECOMPARE_COMPLETE", f"complete_{shell}")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
    chosen = app_for([])
    assert (chosen is app) == (alone is None)
    if alone is not None:
        commands = [c.name for c in chosen.registered_commands]
        groups = group_names(chosen)
        assert commands + groups == [alone]


@pytest.mark.parametrize(
    ("typed", "word", "alone"),
    [
        ("rolecompare skills --roles", "", "skills"),  # after the last word
        ("rolecompare skills --roles m", "m", "skills"),
        ("rolecompare sal", "sal", None),
    ],
)
def test_powershell_completion_builds_the_command_being_completed(
    monkeypatch: pytest.MonkeyPatch, typed: str, word: str, alone: str | None
) -> None:
    from rolecompare.cli import app, app_for

    monkeypatch.setenv("_ROLECOMPARE_COMPLETE", "complete_powershell")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", typed)
    monkeypatch.setenv("_TYPER_COMPLETE_WORD_TO_COMPLETE", word)
    chosen = app_for([])
    assert (chosen is app) == (alone is None)


def test_root_options_are_the_root_commands_options() -> None:
    """ROOT_OPTIONS, which app_for reads to find the command without building the app,
    lists every option of the program itself, each taking a value or not as it does."""
    import typer.main

    from rolecompare.cli import app
    from rolecompare.cli.options import CONTEXT, HELP_FLAGS, ROOT_OPTIONS

    root = typer.main.get_command(app)
    found = {tuple(p.opts): not getattr(p, "is_flag", False) for p in root.params}
    found[HELP_FLAGS] = False
    assert CONTEXT["help_option_names"] == list(HELP_FLAGS)
    assert {o.flags: o.takes_value for o in ROOT_OPTIONS} == found


def test_mistyped_command_is_suggested_from_every_name(cli: Any) -> None:
    code, out, err = cli("--kb", str(KB3), "salry")
    assert (code, out) == (2, "")
    assert "Did you mean 'salary'" in err


@pytest.mark.parametrize("command", ["skills", "path", "roles", "sources"])
def test_kb_option_works_before_and_after_the_command(cli: Any, command: str) -> None:
    before = cli("--kb", str(KB3), command, "--format", "json")
    after = cli(command, "--kb", str(KB3), "--format", "json")
    assert before == after
    assert before[0] == 0


def test_kb_environment_variable(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROLECOMPARE_KB", str(KB3))
    assert [r["id"] for r in run_json(cli, "roles")["roles"]] == role_ids(KB3)


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        (f"rolecompare --kb {KB3} skills --roles ", 5, ["de", "ds", "mle"]),
        (f"rolecompare --kb {KB3} path --role m", 5, ["mle"]),
        (f"rolecompare --kb {KB3} skills --roles ds,", 5, ["ds,de", "ds,mle"]),
        ("rolecompare skills --roles ", 3, ["ds", "mle"]),
        ("rolecompare sal", 1, ["salary"]),
    ],
)
def test_shell_completion(run_subprocess: Any, words: str, cword: int, expected: list[str]) -> None:
    done = run_subprocess(
        env={
            "_ROLECOMPARE_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(cword),
        }
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"rolecompare --kb {KB3} skills --roles ", ["de", "ds", "mle"]),
        (f"rolecompare --kb {KB3} path --role m", ["mle"]),
        (f"rolecompare --kb {KB3} skills --roles ds,", ["ds,de", "ds,mle"]),
        ("rolecompare skills --roles ", ["ds", "mle"]),
        (f"rolecompare --kb={BUNDLED} fit --have deep", ["deep learning"]),
    ],
)
def test_zsh_completion(run_subprocess: Any, line: str, expected: list[str]) -> None:
    """zsh's script evals what it prints: _arguments with each value, quoted."""
    env = {"_ROLECOMPARE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line}
    done = run_subprocess(env=env)
    assert done.returncode == 0, done.stderr
    quoted = "\n".join(f'"{value}"' for value in expected)
    assert done.stdout == f"_arguments '*: :(({quoted}))'\n"


def test_zsh_completion_of_commands_shows_their_summaries(run_subprocess: Any) -> None:
    env = {"_ROLECOMPARE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "rolecompare sal"}
    done = run_subprocess(env=env)
    assert done.returncode == 0, done.stderr
    # Typer escapes a colon for zsh as \\: (zsh's _arguments reads one as a separator)
    assert done.stdout.startswith(r"""_arguments '*: :(("salary":"Pay\\: which role leads""")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"rolecompare --kb {KB3} skills --roles ", ["de", "ds", "mle"]),
        (f"rolecompare --kb {KB3} skills --roles ds,", ["ds,de", "ds,mle"]),
        ("rolecompare path --role m", ["mle"]),
        (
            "rolecompare sal",
            ["salary\tPay: which role leads on each measure, and what each means."],
        ),
    ],
)
def test_fish_completion(run_subprocess: Any, line: str, expected: list[str]) -> None:
    """fish's script asks twice: is-args (exit 0: there are values, so no file names),
    then get-args for the values, one a line, each with its help after a tab."""
    env = {"_ROLECOMPARE_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": line}
    asked = run_subprocess(env={**env, "_TYPER_COMPLETE_FISH_ACTION": "is-args"})
    assert (asked.returncode, asked.stdout, asked.stderr) == (0, "", "")
    done = run_subprocess(env={**env, "_TYPER_COMPLETE_FISH_ACTION": "get-args"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected


def test_fish_completion_with_nothing_to_offer_lets_fish_complete_files(
    run_subprocess: Any,
) -> None:
    line = f"rolecompare --kb {KB3} skills --roles zz"
    env = {"_ROLECOMPARE_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": line}
    asked = run_subprocess(env={**env, "_TYPER_COMPLETE_FISH_ACTION": "is-args"})
    assert (asked.returncode, asked.stdout, asked.stderr) == (1, "", "")
