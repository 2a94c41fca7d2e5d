"""The bundled KB's posting analyses: rebuilding them from the pinned datasets gives the
shipped facts, and their Python, SQL and R shares and pay agree with an independent count
here (plain csv and json, none of the importer's code). Both need the pinned datasets in
../shared; without them the tests skip, saying why (under CI=true they must run)."""

from __future__ import annotations

import ast
import csv
import importlib
import json
import os
import re
import statistics
import sys
from pathlib import Path
from typing import Any

import pytest

from titles import title_role

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
POSTINGS = SHARED / "sources" / "postings"
DATA = ROOT / "data"

if not (POSTINGS / "data-jobs-2023" / "data_jobs_salary_all.csv").is_file():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true, but the pinned posting datasets are not in {POSTINGS}")
    pytest.skip(f"the pinned posting datasets are not in {POSTINGS}", allow_module_level=True)

csv.field_size_limit(1 << 24)
TERMS = {
    "python": {"python", "py", "python3"},
    "sql": {"sql", "structuredquerylanguage", "tsql", "transactsql", "plsql"},
    "r": {"r", "rlanguage", "rprogramming", "rlang"},
    # the AI skills, by the vocabulary's names and aliases as written here
    "machine-learning": {"machinelearning", "ml"},
    "ai": {"ai", "artificialintelligence"},
    "nlp": {"nlp", "naturallanguageprocessing"},
    "deep-learning": {"deeplearning", "dl", "neuralnetworks"},
}


def _fold(skill: str) -> str:
    return re.sub(r"[^\w+#]|_", "", skill.lower())


def _count(path: Path, role_column: str, skills_of: Any) -> dict[str, dict[str, int]]:
    """Per role: N (key "N") and k per term, repeats (title, company, location) once."""
    groups: dict[tuple[str, ...], tuple[str, set[str]]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            role = title_role(row[role_column])
            company = row.get("company_name", row.get("company", ""))
            key = (
                row["job_title"].strip().lower(),
                company.strip().lower(),
                row["job_location"].strip().lower(),
                role or "",
            )
            folded = {_fold(s) for s in skills_of(row)}
            terms = {t for t, names in TERMS.items() if folded & names}
            old = groups.get(key)
            groups[key] = (role or "", terms | (old[1] if old else set()))
    counts: dict[str, dict[str, int]] = {"ds": {"N": 0}, "mle": {"N": 0}}
    for role, terms in groups.values():
        if role:
            counts[role]["N"] += 1
            for t in terms:
                counts[role][t] = counts[role].get(t, 0) + 1
    return counts


def _data_jobs_skills(row: dict[str, str]) -> list[str]:
    text = row["job_skills"].strip()
    return list(ast.literal_eval(text)) if text else []


def _asaniczka_skills(row: dict[str, str]) -> list[str]:
    return list(json.loads(row["skills"])) if row["skills"].strip() else []


def _shipped(source: str, role: str) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = json.loads(
        (DATA / "facts" / source / f"{role}.json").read_text()
    )["figures"]
    return figures


@pytest.mark.parametrize(
    ("source", "path", "role_column", "skills_of"),
    [
        (
            "data-jobs-2023",
            POSTINGS / "data-jobs-2023" / "data_jobs_salary_all.csv",
            "job_title_short",
            _data_jobs_skills,
        ),
        (
            "asaniczka-2024",
            POSTINGS / "asaniczka-2024" / "postings_with_skills.csv",
            "job_title",
            _asaniczka_skills,
        ),
    ],
)
def test_language_and_ai_skill_shares_match_an_independent_count(
    source: str, path: Path, role_column: str, skills_of: Any
) -> None:
    counts = _count(path, role_column, skills_of)
    for role in ("ds", "mle"):
        shipped = {f["item"]: f["share"] for f in _shipped(source, role) if "share" in f}
        for term in TERMS:
            if term not in counts[role]:  # no list of the dataset names it: not measured
                assert term not in shipped, (source, role, term)
                continue
            assert shipped[term] == {"k": counts[role][term], "n": counts[role]["N"]}, (
                source,
                role,
                term,
            )
    if source == "asaniczka-2024":  # its lists name the AI skills, data_jobs' do not
        assert counts["ds"]["machine-learning"] == 561
        assert counts["mle"]["ai"] == 60


def _lists(path: Path, role_column: str, skills_of: Any) -> dict[str, dict[int, int]]:
    """Per role: how many distinct skills (folded names, a repeat's copies together) a
    posting lists -> postings."""
    groups: dict[tuple[str, ...], set[str]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            role = title_role(row[role_column])
            if role is None:
                continue
            company = row.get("company_name", row.get("company", ""))
            key: tuple[str, ...] = (row["job_title"].strip().lower(), company.strip().lower())
            key += (row["job_location"].strip().lower(), role)
            folded = {_fold(s) for s in skills_of(row)} - {""}
            groups[key] = groups.get(key, set()) | folded
    out: dict[str, dict[int, int]] = {"ds": {}, "mle": {}}
    for key, skills in groups.items():
        out[key[3]][len(skills)] = out[key[3]].get(len(skills), 0) + 1
    return out


@pytest.mark.parametrize(
    ("source", "path", "role_column", "skills_of"),
    [
        (
            "data-jobs-2023",
            POSTINGS / "data-jobs-2023" / "data_jobs_salary_all.csv",
            "job_title_short",
            _data_jobs_skills,
        ),
        (
            "asaniczka-2024",
            POSTINGS / "asaniczka-2024" / "postings_with_skills.csv",
            "job_title",
            _asaniczka_skills,
        ),
    ],
)
def test_the_posting_profiles_match_an_independent_count(
    source: str, path: Path, role_column: str, skills_of: Any
) -> None:
    counts = _count(path, role_column, skills_of)
    lists = _lists(path, role_column, skills_of)
    for role in ("ds", "mle"):
        doc = json.loads((DATA / "postings" / source / f"{role}.json").read_text())
        n = counts[role]["N"]
        assert doc["postings"] == n
        assert sum(c for c, _ in doc["sets"]) == n
        assert {int(k): v for k, v in doc["listed"].items()} == lists[role]
        for term in TERMS:
            k = sum(c for c, terms in doc["sets"] if term in terms)
            assert k == counts[role].get(term, 0), (source, role, term)
    if source == "data-jobs-2023":  # the figures the brief quotes
        doc = json.loads((DATA / "postings" / source / "ds.json").read_text())
        assert sum(c for c, _ in doc["sets"]) == 9350
        assert sum(c for c, terms in doc["sets"] if "python" in terms) == 6741


# Rule postings-2, written here again: a skills entry names a degree only with a degree
# word (any case and punctuation; "associate" alone is none), and then every degree field
# it names as whole words, left to right, the longest name first.
DEGREE_WORD = re.compile(
    r" (degree|degrees|bachelor|bachelors|master|masters|phd|ph d|doctorate|doctoral|bs|b s"
    r"|bsc|b sc|ms|m s|msc|m sc|ma|m a|ba|b a|mba|associate s|associates) "
)


def _words(skill: str) -> list[str]:
    return re.sub(r"[^\w+#]|_", " ", skill.lower()).split()


def _terms() -> list[dict[str, Any]]:
    import tomllib

    terms: list[dict[str, Any]] = tomllib.loads((DATA / "vocabulary" / "terms.toml").read_text())[
        "terms"
    ]
    return terms


def _vocabulary() -> dict[str, str]:
    """Folded name -> term id, read here from data/vocabulary/terms.toml: every skill and
    tool (a bare name is never a degree's)."""
    names: dict[str, str] = {}
    for t in _terms():
        if t["kind"] in ("skill", "tool"):
            for name in (t["name"], *t.get("aliases", [])):
                names.setdefault(_fold(name), t["id"])
    return names


def _degrees_of(skill: str, fields: list[tuple[list[str], str]]) -> set[str]:
    """The degree terms a skills entry names (not one that is a skill's or tool's name)."""
    words = _words(skill)
    if not DEGREE_WORD.search(" " + " ".join(words) + " "):
        return set()
    found, i = set(), 0
    while i < len(words):
        match = max((f for f in fields if words[i : i + len(f[0])] == f[0]),
                    key=lambda f: len(f[0]), default=None)  # fmt: skip
        found |= {match[1]} if match else set()
        i += len(match[0]) if match else 1
    return found


def _known(skills: list[str], names: dict[str, str], fields: Any) -> set[str]:
    """The terms a posting's skills name: by a skill's or tool's name, else as degrees."""
    out: set[str] = set()
    for skill in skills:
        key = _fold(skill)
        out |= {names[key]} if key in names else _degrees_of(skill, fields)
    return out


def _degree_fields() -> list[tuple[list[str], str]]:
    return [
        (_words(name), t["id"])
        for t in _terms()
        if t["kind"] == "degree"
        for name in (t["name"], *t.get("aliases", []))
    ]


def test_asaniczka_s_degrees_match_an_independent_count() -> None:
    """Every degree term's postings in the shipped profiles, counted here from the CSV; a
    bare "Data Science" (516 of 758 DS postings list it) is no degree."""
    names, fields = _vocabulary(), _degree_fields()
    groups: dict[tuple[str, ...], set[str]] = {}
    bare: dict[tuple[str, ...], bool] = {}
    with open(POSTINGS / "asaniczka-2024" / "postings_with_skills.csv", newline="",
              encoding="utf-8") as f:  # fmt: skip
        for row in csv.DictReader(f):
            role = title_role(row["job_title"])
            if role is None:
                continue
            key: tuple[str, ...] = (
                row["job_title"].strip().lower(),
                row["company"].strip().lower(),
                row["job_location"].strip().lower(),
                role,
            )
            skills = _asaniczka_skills(row)
            groups[key] = groups.get(key, set()) | _known(skills, names, fields)
            bare[key] = bare.get(key, False) or any(_fold(s) == "datascience" for s in skills)
    for role in ("ds", "mle"):
        doc = json.loads((DATA / "postings" / "asaniczka-2024" / f"{role}.json").read_text())
        for fid in sorted({term for _, term in fields}):
            want = sum(1 for k, terms in groups.items() if k[3] == role and fid in terms)
            got = sum(c for c, terms in doc["sets"] if fid in terms)
            assert got == want, (role, fid)
    ds_bare = sum(1 for k, b in bare.items() if k[3] == "ds" and b)
    ds_degree = sum(1 for k, t in groups.items() if k[3] == "ds" and "degree-data-science" in t)
    assert ds_bare == 516
    assert ds_degree == 19  # "Master's Degree in Data Science", "MS in Data Science", ...


def test_the_strong_ml_engineer_s_fit_matches_an_independent_count(cli: Any) -> None:
    """issue #22's profile (Python, PyTorch, Docker, Kubernetes, deep learning) against
    data_jobs' ML engineers, counted here from the CSV: the share of postings with a known
    skill whose known skills it has at least half of, and the average share."""
    from fractions import Fraction

    names, fields = _vocabulary(), _degree_fields()
    have = {"python", "pytorch", "docker", "kubernetes", "deep-learning"}
    groups: dict[tuple[str, ...], set[str]] = {}
    path = POSTINGS / "data-jobs-2023" / "data_jobs_salary_all.csv"
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if title_role(row["job_title_short"]) != "mle":
                continue
            key: tuple[str, ...] = (
                row["job_title"].strip().lower(),
                row["company_name"].strip().lower(),
            )
            key += (row["job_location"].strip().lower(),)
            found = _known(_data_jobs_skills(row), names, fields)
            groups[key] = groups.get(key, set()) | found
    known = [terms for terms in groups.values() if terms]
    half = sum(1 for terms in known if 2 * len(terms & have) >= len(terms))
    average = sum((Fraction(len(t & have), len(t)) for t in known), Fraction(0)) / len(known)
    code, out, err = cli("fit", "--have", "python, pytorch, docker, kubernetes, deep learning",
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    mle = next(f for f in json.loads(out)["fits"] if f["role"] == "mle")
    got = next(a for a in mle["analyses"] if a["source"] == "data-jobs-2023")
    assert (got["n"], got["known"]) == (len(groups), len(known))
    assert got["at_least_half"]["k"] == half
    assert got["average_share"]["exact"] == f"{average.numerator}/{average.denominator}"


def test_survey_pay_matches_an_independent_count() -> None:
    pay: dict[str, list[float]] = {"ds": [], "mle": []}
    with open(POSTINGS / "aijobs-salaries" / "salaries.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            role = title_role(row["job_title"])
            if role and row["company_location"] == "US" and row["work_year"] == "2024":
                pay[role].append(float(row["salary_in_usd"]))
    for role, values in pay.items():
        (fig,) = [f for f in _shipped("aijobs-salaries", role) if "pay" in f]
        p10, p25, median, p75, p90 = (
            statistics.quantiles(values, n=20, method="inclusive")[1],
            statistics.quantiles(values, n=4, method="inclusive")[0],
            statistics.median(values),
            statistics.quantiles(values, n=4, method="inclusive")[2],
            statistics.quantiles(values, n=10, method="inclusive")[8],
        )
        got = fig["pay"]
        assert got["n"] == len(values)
        assert got["basis"] == "survey"
        for name, want in zip(
            ("p10", "p25", "median", "p75", "p90"), (p10, p25, median, p75, p90), strict=True
        ):
            assert got[name] == pytest.approx(want, abs=1e-6), (role, name)


def test_rebuilding_gives_the_shipped_facts() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        postings_kb = importlib.import_module("postings_kb")
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert postings_kb.main(["--check"]) == 0


def test_a_survey_s_import_counts_answers_never_postings(cli: Any, tmp_path: Path) -> None:
    survey = POSTINGS / "aijobs-salaries" / "salaries.csv"
    code, _, err = cli("import", "postings", survey, "--out", tmp_path / "kb")
    assert code == 0, err
    with survey.open(newline="", encoding="utf-8") as f:
        rows = sum(1 for _ in csv.DictReader(f))
    assert f"{rows:,} rows, 0 repeats dropped, {rows:,} answers: " in err
    assert " postings:" not in err


def test_a_source_s_note_speaks_of_pay_only_where_its_facts_hold_pay() -> None:
    """data-jobs-2023's pay is not shipped (its countries are mixed), so its caveat must not
    describe pay figures that no table shows."""
    for path in sorted((DATA / "sources").glob("*.json")):
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        figures = [
            fig
            for facts in sorted((DATA / "facts" / source["id"]).glob("*.json"))
            for fig in json.loads(facts.read_text(encoding="utf-8"))["figures"]
        ]
        assert figures, path
        if "Pay:" in source.get("note", ""):
            assert any("pay" in fig for fig in figures), path
    note = json.loads((DATA / "sources" / "data-jobs-2023.json").read_text(encoding="utf-8"))
    assert "pay" not in note["source"]["note"].lower()
