"""One path for every command: each one works in every --format the registry offers, and
its CSV carries exactly the rows its JSON does."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from rolecompare.cli import app
from rolecompare.render import FORMATS

ROOT = Path(__file__).resolve().parents[1]
# What a command needs besides --format to print a report; None: it takes no --format.
ARGS: dict[str, list[str] | None] = {
    "fit": ["--have", "python,sql"],
    "plan": ["--from", "ds", "--to", "mle"],
    "check": [str(ROOT / "tests" / "fixtures" / "drafts" / "salary-degree.txt")],
    "quiz": ["--answers", "list"],
    "validate": None,
    "verify": None,
    "report": None,  # its own formats: html and markdown (below)
    "import": None,
}


def command_names() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    return names + [g.name for g in app.registered_groups if g.name]


def json_rows(data: dict[str, Any]) -> int:
    if "sections" in data:
        return sum(len(s["rows"]) for s in data["sections"])
    return len(data[data["command"]])


CASES = [
    pytest.param(name, fmt, id=f"{name}-{fmt}")
    for name in command_names()
    if ARGS.get(name, []) is not None
    for fmt in FORMATS
]


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_every_command_in_every_format(cli: Any, name: str, fmt: str) -> None:
    extra = ARGS.get(name) or []
    code, out, err = cli(name, *extra, "--format", fmt)
    assert code == 0, err
    assert out.strip()
    if fmt == "json":
        data = json.loads(out)
        assert data["version"] >= 1
        assert data["command"] == name
    if fmt == "csv":
        code, js, _ = cli(name, *extra, "--format", "json")
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) - 1 == json_rows(json.loads(js))


@pytest.mark.parametrize("spelling", ["JSON", "Json", " json "])
def test_format_names_ignore_case(cli: Any, spelling: str) -> None:
    code, out, err = cli("roles", "--format", spelling)
    assert code == 0, err
    assert json.loads(out)["command"] == "roles"


def test_md_means_markdown(cli: Any) -> None:
    assert cli("summary", "--format", "md") == cli("summary", "--format", "markdown")


def test_source_uses_only_public_typer_and_no_global_state() -> None:
    banned = re.compile(r"typer\._click|typer\.core|typer\.main|_blake2|^ *global ", re.M)
    for path in sorted((ROOT / "src").rglob("*.py")):
        assert not banned.search(path.read_text("utf-8")), path


def test_kb_option_works_before_and_after_every_command(cli: Any, kb3: Path) -> None:
    for name in command_names():
        if name in ("verify", "import", "report"):
            continue  # verify needs the sources (tests/test_provenance.py), import a DB, and
            # report writes a file (below)
        extra = ARGS.get(name) or []
        before = cli("--kb", kb3, name, *extra)
        after = cli(name, *extra, "--kb", kb3)
        assert before[0] == 0, (name, before[2])
        assert before == after, name
    assert cli("validate", kb3)[1] == cli("validate", "--kb", kb3)[1]


@pytest.mark.parametrize(("fmt", "marker"), [("html", "<!DOCTYPE html>"), ("MD", "## ")])
def test_report_to_stdout_and_to_a_file(
    cli: Any, kb3: Path, tmp_path: Path, fmt: str, marker: str
) -> None:
    code, page, err = cli("--kb", kb3, "report", "--format", fmt, "--out", "-")
    assert (code, err) == (0, "")
    assert marker in page
    assert "60.5%" in page  # kb3's Data Scientist Python share
    target = tmp_path / "shared.out"
    code, out, err = cli("--kb", kb3, "report", "--format", fmt, "--out", target)
    assert (code, out) == (0, "")
    assert err.startswith(f"wrote {target} (")
    assert target.read_text("utf-8") == page


def test_report_to_a_folder_that_does_not_exist_is_one_line(cli: Any, tmp_path: Path) -> None:
    code, out, err = cli("report", "--out", tmp_path / "missing" / "r.html")
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "No such file or directory" in err


def test_import_needs_occupations_or_all(cli: Any, tmp_path: Path) -> None:
    code, out, err = cli("import", "onet", tmp_path, "--out", tmp_path / "kb")
    assert (code, out) == (2, "")
    assert "give --occupations CODE,CODE,... or --all" in err


def test_import_then_compare_two_occupations(cli: Any, tmp_path: Path) -> None:
    db = ROOT / "tests" / "fixtures" / "onet-29.2-slice"
    kb = tmp_path / "onet-kb"
    code, out, err = cli(
        "import", "onet", db, "--occupations", "15-2051.00,15-1221.00", "--out", kb
    )
    assert (code, out) == (0, ""), err
    code, out, err = cli(
        "--kb", kb, "tools", "--roles", "15-2051.00,15-1221.00", "--format", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [r["name"] for r in data["roles"]] == [
        "Data Scientists",
        "Computer and Information Research Scientists",
    ]
    rows = [row for s in data["sections"] for row in s["rows"]]
    assert rows
    assert all(row["source"] == "onet" for row in rows)


@pytest.mark.parametrize("command", ["roles", "sources", "quiz", "fit"])
@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_listings_fit_the_width(
    cli: Any, monkeypatch: pytest.MonkeyPatch, command: str, width: int
) -> None:
    """A listing's lines stay within the width; only a word longer than the line (a URL)
    may stick out, and it is never split."""
    monkeypatch.setenv("COLUMNS", str(width))
    extra = {"quiz": ["--answers", "list"], "fit": ["--list"]}.get(command, [])
    code, out, err = cli(command, *extra)
    assert code == 0, err
    for line in out.splitlines():
        assert len(line) <= width or " " not in line.strip().split("  ")[-1], line
