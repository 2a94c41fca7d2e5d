"""Counted shares as every command and format shows them: the share and its margin at a
glance, k of N and the 95% Wilson interval with --details, a note where analyses disagree
beyond their intervals, and properties of the counting (hypothesis)."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolecompare.compare.stats import wilson

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "postings" / "corpus.csv"


def test_the_wilson_interval_of_a_known_case() -> None:
    lo, hi = wilson(0, 10)  # 0 of 10: (0, z²/n / (1 + z²/n)) = (0, 27.75%)
    assert lo == 0.0
    assert round(hi, 2) == 27.75
    lo, hi = wilson(5, 10)  # symmetric around one half
    assert round(lo + hi, 9) == 100.0


@given(st.integers(1, 100_000), st.data())
def test_every_share_lies_within_its_interval(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    lo, hi = wilson(k, n)
    assert 0 <= lo <= k * 100 / n <= hi <= 100


def test_skills_shows_a_counted_share_at_a_glance_and_its_count_with_details(cli: Any) -> None:
    code, out, err = cli("skills")
    assert code == 0, err
    line = next(x for x in out.splitlines() if "[data-jobs-2023]" in x and "Python" in x)
    assert "72.1% ±0.9" in line
    assert "67.6% ±3.8" in line
    code, out, err = cli("skills", "--format", "json", "--details")
    row = next(
        r
        for s in json.loads(out)["sections"]
        for r in s["rows"]
        if (r["item"], r["source"]) == ("python", "data-jobs-2023")
    )
    assert row["figures"]["ds"]["k"] == 6741
    assert row["figures"]["ds"]["n"] == 9350


def test_a_note_says_where_intervals_exclude_another_source_and_that_365_has_no_n(
    cli: Any,
) -> None:
    code, out, err = cli("skills", "--format", "json")
    assert code == 0, err
    section = next(s for s in json.loads(out)["sections"] if s["id"] == "programming-languages")
    texts = [n["text"] for n in section["notes"]]
    assert any("95% intervals exclude another source's share: Python" in t for t in texts)
    assert any("365 Data Science: no N per role" in t for t in texts)


def test_the_credit_and_caveats_of_a_counted_analysis_print_under_its_figures(cli: Any) -> None:
    _, out, _ = cli("skills")
    flat = " ".join(out.split())
    assert "data_jobs by Luke Barousse (Apache-2.0)" in flat
    assert "Caveats: A model assigned the role labels" in flat
    _, out, _ = cli("salary", "--details")
    flat = " ".join(out.split())
    assert "aijobs.net salary index (CC0)" in flat
    assert "Caveats: A voluntary survey: self-reported pay" in flat


def _rows() -> tuple[list[str], list[list[str]]]:
    with open(CORPUS, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    return table[0], table[1:]


def _figures(cli: Any, tmp: Path, header: list[str], rows: list[list[str]]) -> Any:
    path = tmp / "corpus.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp / f"kb{random.random()}"
    code, _, err = cli("import", "postings", path, "--out", out)
    assert code == 0, err
    return {
        role: sorted(
            json.dumps(f, sort_keys=True)
            for f in json.loads((out / "facts" / "corpus" / f"{role}.json").read_text())["figures"]
            if "counted" in f
        )
        for role in ("ds", "mle")
    }


def _without_sha(figures: Any) -> Any:
    """The figures with the file's sha256 left out (the file's bytes differ)."""
    return {
        role: sorted(
            json.dumps({**json.loads(f), "counted": {**json.loads(f)["counted"], "sha256": ""}})
            for f in figs
        )
        for role, figs in figures.items()
    }


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.randoms(use_true_random=False), st.integers(1, 3))
def test_row_order_and_repeats_do_not_change_a_figure(
    cli: Any, tmp_path_factory: Any, rnd: random.Random, copies: int
) -> None:
    header, rows = _rows()
    tmp = tmp_path_factory.mktemp("order")
    want = _without_sha(_figures(cli, tmp, header, rows))
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert _without_sha(_figures(cli, tmp, header, shuffled)) == want
    repeated = shuffled + [r for r in rnd.sample(rows, 5) for _ in range(copies)]
    assert _without_sha(_figures(cli, tmp, header, repeated)) == want


def test_survey_pay_says_which_country_and_year_it_counts(cli: Any) -> None:
    """aijobs' answers come from every country and year; the KB counts one of each, and
    the figure says which, from its own record (the facts' counted.where)."""
    facts = json.loads((ROOT / "data" / "facts" / "aijobs-salaries" / "ds.json").read_text())
    where = facts["figures"][0]["counted"]["where"]
    assert (where["country"], where["year"]) == ("US", "2024")
    code, out, err = cli("salary", "--details", "--format", "json")
    assert code == 0, err
    [row] = [
        row
        for section in json.loads(out)["sections"]
        for row in section["rows"]
        if row["source"] == "aijobs-salaries"
    ]
    texts = [t for role in ("ds", "mle") for t in row["texts"][role]]
    assert len(texts) == 2
    pay = facts["figures"][0]["pay"]
    # the country and year, then N, in the text shown at a glance
    assert texts[0].endswith(f" (US, 2024), N = {pay['n']:,} answers"), texts
    assert all(" (US, 2024), N = " in t for t in texts), texts
    assert row["figures"]["ds"]["percentiles"] == {p: pay[p] for p in ("p10", "p25", "p75", "p90")}
    code, out, err = cli("salary", "--details", "--format", "csv")
    [line] = [r for r in csv.DictReader(io.StringIO(out)) if r["source"] == "aijobs-salaries"]
    assert (line["ds_n"], line["ds_p10"], line["ds_p90"]) == ("8238", "92920", "243000")
