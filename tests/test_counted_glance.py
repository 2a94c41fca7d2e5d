"""Counted analyses at a glance (#21): summary, education, salary and the report show them
beside 365 Data Science's, each with N and its interval; the figures of every section come
before what is said under them; caveats and credits travel in every format."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pagecheck import amount, share

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "data" / "facts"


def facts(source: str, role: str) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = json.loads((FACTS / source / f"{role}.json").read_text())[
        "figures"
    ]
    return figures


def largest(source: str, role: str) -> dict[str, Any]:
    shares = [f for f in facts(source, role) if "share" in f]
    return max(shares, key=lambda f: f["share"]["k"] / f["share"]["n"])


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a cell's text on one line, to read it whole
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("source", ["asaniczka-2024", "data-jobs-2023"])
def test_summary_shows_each_analysis_s_largest_share_with_its_margin(cli: Any, source: str) -> None:
    code, out, err = cli("summary")
    assert code == 0, err
    [line] = [x for x in out.splitlines() if x.startswith(f"[{source}]")]
    for role in ("ds", "mle"):
        k, n = largest(source, role)["share"]["k"], largest(source, role)["share"]["n"]
        assert re.search(rf"Python: {re.escape(share(k, n))} ±\d+\.\d", line), (role, line)
    _, details, _ = cli("summary", "--details")
    k, n = largest(source, "ds")["share"]["k"], largest(source, "ds")["share"]["n"]
    assert f"{k:,} of {n:,} postings, 95% CI" in words(details)


def test_summary_shows_the_survey_s_median_and_n_as_self_reported_pay(cli: Any) -> None:
    _, out, _ = cli("summary")
    flat = words(out)
    for role in ("ds", "mle"):
        [pay] = [f["pay"] for f in facts("aijobs-salaries", role)]
        assert f"Self-reported pay: {amount(pay['median'], 'USD')} a year (US, 2024), " in flat
        assert f"N = {pay['n']:,} answers" in flat
    assert "posted pay" not in flat.split("Sources:")[0]  # survey pay is never posted pay


def test_summary_notes_where_intervals_exclude_365_s_share(cli: Any) -> None:
    """365's Python shares (56.7% of data scientist postings, 77.4% of ML engineer ones) lie
    outside both analyses' intervals, for both roles."""
    _, out, _ = cli("summary")
    flat = words(out)
    assert "95% intervals exclude another source's share: Python;" in flat
    assert "365 Data Science: no N per role" in flat


def test_salary_shows_the_survey_pay_at_a_glance(cli: Any) -> None:
    _, out, _ = cli("salary")
    flat = words(out)
    assert "Self-reported pay (a survey, not postings)" in flat
    for role in ("ds", "mle"):
        [pay] = [f["pay"] for f in facts("aijobs-salaries", role)]
        assert f"{amount(pay['median'], 'USD')} a year (US, 2024), N = {pay['n']:,}" in flat
    assert "p10" not in flat  # the percentiles: with --details
    _, details, _ = cli("salary", "--details")
    assert "p10 $92,920" in words(details)


def test_education_says_plainly_that_the_analyses_count_no_degrees(cli: Any) -> None:
    _, out, _ = cli("education")
    flat = words(out)
    note = "Note [asaniczka-2024, data-jobs-2023]: these analyses count no degrees"
    assert note in flat
    assert flat.count("no N per role") == 1


def test_every_table_comes_before_what_is_said_under_the_tables(cli: Any) -> None:
    """At a glance, AI skills' figures come before 365's words on programming languages;
    every word is still there, under its section's title."""
    _, out, _ = cli("skills")
    lines = out.splitlines()  # at 200 columns as at 80 (tests/test_output.py)
    deep = next(i for i, x in enumerate(lines) if x.startswith("Deep learning "))
    said = next(i for i, x in enumerate(lines) if x.startswith("Python — DS: Essential"))
    assert deep < said
    assert lines[said - 1] == "Programming languages:"
    # a computed note stays under its table
    note = next(i for i, x in enumerate(lines) if "95% intervals exclude" in x)
    assert note < deep


def test_no_n_per_role_is_said_once_in_the_report(cli: Any) -> None:
    code, out, err = cli("report", "--format", "markdown", "--out", "-")
    assert code == 0, err
    assert out.count("365 Data Science: no N per role") == 1
    assert "these analyses count no degrees" in out


def test_csv_and_json_carry_a_counted_analysis_s_credit_and_caveats(cli: Any) -> None:
    _, out, _ = cli("skills", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    [row] = [r for r in rows if (r["item"], r["source"]) == ("python", "data-jobs-2023")]
    assert row["credit"] == "data_jobs by Luke Barousse (Apache-2.0)"
    assert row["caveats"].startswith("A model assigned the role labels")
    assert "95% intervals exclude another source's share" in row["notes"]
    [other] = [r for r in rows if (r["item"], r["source"]) == ("python", "365datascience")]
    assert other["credit"] == other["caveats"] == ""
    _, out, _ = cli("salary", "--format", "json")
    [source] = [s for s in json.loads(out)["sources"] if s["id"] == "aijobs-salaries"]
    assert source["credit"] == "aijobs.net salary index (CC0)"
    assert "self-reported pay of people in jobs, not posted pay" in source["note"]


def test_the_html_report_says_each_counted_analysis_s_caveats_under_its_figures(
    cli: Any, tmp_path: Path
) -> None:
    page = tmp_path / "r.html"
    code, _, err = cli("report", "--out", page)
    assert code == 0, err
    text = page.read_text("utf-8")
    under = re.findall(r'<p class="measure">([^<]*Caveats: [^<]*)', text)
    assert any(u.startswith("data_jobs by Luke Barousse (Apache-2.0).") for u in under)
    assert any("One week of LinkedIn search results" in u for u in under)
    assert any("not posted pay" in u for u in under)


def test_a_note_names_no_role_where_every_role_disagrees_in_any_roles_order(cli: Any) -> None:
    """Java's intervals exclude 365's share for both roles: the note names the item only,
    whichever order --roles gives (it once said "Java (DS, MLE)" for mle,ds)."""
    for order in ("ds,mle", "mle,ds"):
        _, out, _ = cli("skills", "--roles", order)
        assert "share: Python, R, SQL, Java;" in words(out), order


def test_a_section_after_the_last_table_of_figures_keeps_its_words_under_its_table(
    cli: Any,
) -> None:
    """tools: O*NET's flags table comes after the last figures, so what its flags mean
    stays right under it; the cloud section's words follow the AI tools table."""
    _, out, _ = cli("tools")
    lines = out.splitlines()
    flags = next(i for i, x in enumerate(lines) if x.startswith("In Demand (not Hot Technology) "))
    meaning = next(
        i for i, x in enumerate(lines) if x.startswith("In Demand (not Hot Technology):")
    )
    assert flags < meaning
    assert "" not in lines[flags:meaning]  # right under it
    pytorch = max(i for i, x in enumerate(lines) if x.startswith("PyTorch ["))
    cloud = lines.index("Cloud and container skills:")
    onet = next(i for i, x in enumerate(lines) if x.startswith("O*NET technology skills: hot"))
    assert pytorch < cloud < onet
