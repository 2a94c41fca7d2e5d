"""Rule postings-2: a skills-list entry names a degree term only when it names a degree.

A bare field name ("Data Science", "Computer Science", "Engineering") is a discipline:
the skill's when a skill is called so ("Statistics"), else an unknown skill. Checked
through `import postings` on a small file written here, and on the entry reader itself."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from rolecompare.importers.postings_degrees import as_words, degree_fields, named_degrees

# title, skills list; one posting a row (companies differ, so no repeats).
ROWS = [
    ("Data Scientist", ["Python", "Data Science"]),
    ("Data Scientist", ["Data Science", "Computer Science", "Engineering"]),
    ("Data Scientist", ["Master's degree in Data Science", "SQL"]),
    ("Data Scientist", ["Statistics"]),
    ("Data Scientist", ["Computer Science degree", "MS in Statistics"]),
    ("Machine Learning Engineer", ["B.S. or M.S. in Software Engineering", "Python"]),
    ("Machine Learning Engineer", ["Data Engineering Associate Certification"]),
]


def _write(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["job_title", "company", "job_location", "skills"])
        for i, (title, skills) in enumerate(ROWS):
            out.writerow([title, f"Company {i}", "Remote", json.dumps(skills)])
    return path


@pytest.fixture
def imported(cli: Any, tmp_path: Path) -> tuple[str, Path]:
    code, out, err = cli(
        "import", "postings", _write(tmp_path / "degrees.csv"), "--out", tmp_path / "kb",
        "--unknown", "10",
    )  # fmt: skip
    assert code == 0, err
    return out, tmp_path / "kb"


def _sets(kb: Path, role: str) -> list[list[Any]]:
    doc = json.loads((kb / "postings" / "degrees" / f"{role}.json").read_text())
    assert doc["counted"]["rule"] == "postings-2"
    sets: list[list[Any]] = doc["sets"]
    return sets


def _shares(kb: Path, role: str) -> dict[str, int]:
    figures = json.loads((kb / "facts" / "degrees" / f"{role}.json").read_text())["figures"]
    return {f["item"]: f["share"]["k"] for f in figures if "share" in f}


def test_a_bare_data_science_entry_is_no_degree(imported: tuple[str, Path]) -> None:
    out, kb = imported
    ds = _shares(kb, "ds")
    # Only the posting whose entry names a Data Science degree counts for it.
    assert ds["degree-data-science"] == 1
    assert "degree-engineering" not in ds
    # The bare names are unknown skills, listed like any other (count, name, source).
    unknown = {line.split("\t")[1]: int(line.split("\t")[0]) for line in out.splitlines()}
    assert unknown["Data Science"] == 2
    assert unknown["Computer Science"] == 1
    assert unknown["Engineering"] == 1


def test_entries_naming_a_degree_name_its_fields(imported: tuple[str, Path]) -> None:
    _, kb = imported
    ds = _shares(kb, "ds")
    assert ds["degree-computer-science"] == 1  # "Computer Science degree", not the bare name
    assert ds["degree-statistics"] == 1  # "MS in Statistics"
    # Software Engineering is that degree, not also Engineering.
    assert _shares(kb, "mle") == {"python": 1, "degree-software-engineering": 1}


def test_statistics_stays_the_skill(imported: tuple[str, Path]) -> None:
    _, kb = imported
    sets = {tuple(terms): c for c, terms in _sets(kb, "ds")}
    assert sets[("statistical-analysis",)] == 1
    assert ("degree-data-science", "sql") in sets
    assert ("degree-computer-science", "degree-statistics") in sets
    # A list of bare field names only names no term.
    assert sets[()] == 1


def _fields() -> list[tuple[tuple[str, ...], str]]:
    from rolecompare.kb.load import load_kb

    return degree_fields(load_kb(None)["terms"])


@pytest.mark.parametrize(
    ("entry", "terms"),
    [
        ("Data Science", set()),
        ("Computer Science", set()),
        ("Engineering", set()),
        ("Statistics", set()),
        ("Master's degree in Data Science", {"degree-data-science"}),
        ("Bachelor’s Degree in Computer Science", {"degree-computer-science"}),
        ("MASTERS IN COMPUTER SCIENCE", {"degree-computer-science"}),
        ("computer science degree", {"degree-computer-science"}),
        ("Ph.D. in statistics mathematics or data science",
         {"degree-statistics", "degree-mathematics", "degree-data-science"}),
        ("Data Science (MS/MA)", {"degree-data-science"}),
        ("BS in EE/CS", {"degree-computer-science"}),
        ("Associate's in Economics", {"degree-economics"}),
        ("Data Engineering Associate Certification", set()),
        ("MS Excel", set()),
        ("Bachelor's Degree", set()),
    ],
)  # fmt: skip
def test_the_entry_reader(entry: str, terms: set[str]) -> None:
    assert named_degrees(as_words(entry), _fields()) == terms
