"""`fit --file` and `plan --file`: skills read from a CV or any text; unknown --have words
are a warning (exit 0), or with --strict a usage error (exit 2); `fit --list` on one screen."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

CV = """Jane Doe - Data Analyst
Skills: Python (pandas, NumPy), SQL, R, Tableau, tidyverse.
Education: MS in Statistics (2022); BS in Mathematics.
Experience: designed A/B tests; presented to the C-suite; worked in an R&D group.
"""


@pytest.fixture
def cv(tmp_path: Path) -> Path:
    path = tmp_path / "cv.txt"
    path.write_text(CV, encoding="utf-8")
    return path


def words_of(out: str) -> dict[str, list[str]]:
    """Each origin's matched items, in order."""
    found: dict[str, list[str]] = {}
    for w in json.loads(out)["words"]:
        found.setdefault(w["from"], []).extend(m["item"] for m in w["matched"])
    return found


def test_fit_reads_skills_tools_and_degrees_from_a_file(cli: Any, cv: Path) -> None:
    code, out, err = cli("fit", "--file", cv, "--format", "json")
    assert (code, err) == (0, "")
    assert words_of(out) == {
        "--file": [
            "python",
            "pandas",
            "numpy",
            "sql",
            "r",
            "tableau",
            "degree-statistics",
            "degree-mathematics",
            "ab-testing",
        ]
    }  # not C (C-suite), not a second R (R&D), not the statistics skill (a degree here)
    ds = next(f for f in json.loads(out)["fits"] if f["role"] == "ds")
    credited = {h["item"] for a in ds["analyses"] for h in a["have"]}
    credited |= {i["item"] for i in ds["also_named_you_have"]}  # named by the articles only
    assert {"python", "degree-statistics", "tableau"} <= credited
    assert any(
        n.startswith("Read from the text (--file): Python (skill)")
        for n in json.loads(out)["notes"]
    )


def test_file_and_have_add_up_and_a_term_is_listed_once(cli: Any, cv: Path) -> None:
    code, out, err = cli("fit", "--have", "python,docker", "--file", cv, "-f", "json")
    assert code == 0, err
    found = words_of(out)
    assert found["--have"] == ["python", "docker"]
    assert "python" not in found["--file"]
    assert "sql" in found["--file"]


def test_file_from_standard_input(run_subprocess: Any) -> None:
    done = run_subprocess("fit", "--file", "-", "--format", "json", input=CV)
    assert done.returncode == 0, done.stderr
    assert "degree-statistics" in words_of(done.stdout)["--file"]


def test_an_unknown_word_is_a_warning_and_the_rest_is_scored(cli: Any) -> None:
    code, out, err = cli("fit", "--have", "python tidyverse, sql", "--format", "json")
    assert code == 0
    assert err == (
        "rolecompare: not recognised (ignored): 'tidyverse'; `rolecompare fit --list` "
        "shows every name\n"
    )
    assert words_of(out) == {"--have": ["python", "sql"]}


def test_the_warning_names_the_nearest_names(cli: Any) -> None:
    code, _, err = cli("fit", "--have", "pytorh,tensorflw", "--format", "json")
    assert code == 0
    assert err.splitlines() == [
        "rolecompare: not recognised (ignored): 'pytorh'; nearest: PyTorch, Python",
        "rolecompare: not recognised (ignored): 'tensorflw'; nearest: TensorFlow",
    ]


def test_strict_makes_an_unknown_word_a_usage_error(cli: Any) -> None:
    code, out, err = cli("fit", "--have", "python tidyverse", "--strict")
    assert (code, out) == (2, "")
    assert err.startswith("rolecompare: not recognised: 'tidyverse'")
    assert "--strict" in err
    assert err.count("\n") == 1


def test_plan_leaves_out_what_the_file_names(cli: Any, cv: Path) -> None:
    code, out, err = cli("plan", "--to", "mle", "--file", cv, "--format", "json")
    assert (code, err) == (0, "")
    plan = json.loads(out)["plan"]
    assert {"python", "sql"} <= set(plan["have"])
    code, out, err = cli("plan", "--to", "mle", "--have", "blorpish", "-f", "json")
    assert code == 0
    assert "not recognised (ignored): 'blorpish'" in err


def test_neither_have_nor_file_is_a_usage_error(cli: Any) -> None:
    code, out, err = cli("fit")
    assert (code, out) == (2, "")
    assert "--have or --file" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\x00\x01binary", "a binary file (it holds a NUL byte)"),
        (b"Python\nSQL\n\xff\xfe tools\n", ":3: not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_text_is_one_line_exit_1(
    cli: Any, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(content)
    code, out, err = cli("fit", "--file", path)
    assert (code, out) == (1, "")
    assert message in err
    assert str(path) in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("path", ["/dev/zero", "."])
def test_a_device_or_a_folder_is_refused(cli: Any, path: str) -> None:
    if not os.path.exists(path):
        pytest.skip(f"{path} does not exist here")
    code, out, err = cli("fit", "--file", path)
    assert (code, out) == (1, "")
    assert "not a text file; refusing to read it" in err


def test_a_missing_file_is_one_line_exit_1(cli: Any, tmp_path: Path) -> None:
    code, out, err = cli("fit", "--file", tmp_path / "nope.txt")
    assert (code, out) == (1, "")
    assert "nope.txt: cannot read file" in err


def test_fit_list_fits_on_one_screen_at_80_columns(run_subprocess: Any) -> None:
    done = run_subprocess("fit", "--list", env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) <= 30
    assert max(len(line) for line in lines) <= 80
    assert lines[2].startswith("Skills (")
    for name in ("Deep learning", "Power BI", "Kubernetes", "Computer Science", "C++"):
        assert name in done.stdout
    assert "--format csv" in lines[-1]
