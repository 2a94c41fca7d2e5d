"""Every command gives a real answer on a KB imported from O*NET, checked against the
database's files by an independent count (the csv module, not the importer's reader).

Most tests use the real database in ../shared (Statisticians 15-2041.00 and Software
Developers 15-1252.00): without it they skip, saying why; under CI=true they fail. The
suppressed-value tests use the slice in tests/fixtures, which is always there.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FULL_DB = ROOT.parent / "shared" / "sources" / "onet-29.2"
SLICE = ROOT / "tests" / "fixtures" / "onet-29.2-slice"
STATS, DEVS = "15-2041.00", "15-1252.00"
STATS_ID, DEVS_ID = "15-2041-00", "15-1252-00"
FLAGS = {
    ("Y", "Y"): "Hot Technology, In Demand",
    ("Y", "N"): "Hot Technology",
    ("N", "Y"): "In Demand",
}
FORMATS = ("table", "json", "csv", "markdown")


def _need_db() -> None:
    if not FULL_DB.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the O*NET database is not at {FULL_DB}, and CI must test it")
        pytest.skip(f"needs the O*NET database at {FULL_DB} (../shared), which is not there")


def _rows(db: Path, name: str) -> list[dict[str, str]]:
    """A database file's rows, read with the csv module (tab-separated, UTF-8)."""
    with (db / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _import(db: Path, out: Path, codes: str) -> Path:
    from rolecompare.main import run

    assert run(["import", "onet", str(db), "--occupations", codes, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def two_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Statisticians and Software Developers, imported from the real database."""
    _need_db()
    return _import(FULL_DB, tmp_path_factory.mktemp("onet2") / "kb", f"{STATS},{DEVS}")


@pytest.fixture(scope="module")
def slice_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Statisticians and Computer and Information Research Scientists from the slice:
    a Bachelor's share of 36.22% with Recommend Suppress = Y."""
    return _import(SLICE, tmp_path_factory.mktemp("onets") / "kb", "15-2041.00,15-1221.00")


def _json(cli: Any, *args: str | Path) -> dict[str, Any]:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def _flagged(code: str) -> dict[str, str]:
    """The occupation's technology examples flagged Hot Technology or In Demand -> the
    flags' words, counted from Technology Skills.txt."""
    return {
        r["Example"]: FLAGS[(r["Hot Technology"], r["In Demand"])]
        for r in _rows(FULL_DB, "Technology Skills.txt")
        if r["O*NET-SOC Code"] == code and (r["Hot Technology"], r["In Demand"]) in FLAGS
    }


def _cell_texts(data: dict[str, Any], role: str) -> dict[str, list[str]]:
    """Row label -> the role's cell texts, over every section of a JSON report."""
    out: dict[str, list[str]] = {}
    for section in data["sections"]:
        for row in section["rows"]:
            texts = row["texts"][role]
            if texts:
                out[row["label"]] = texts
    return out


def test_skills_answers_with_the_technology_flags(cli: Any, two_kb: Path) -> None:
    data = _json(cli, "--kb", two_kb, "skills")
    assert "posting" not in data["title"].lower()
    [section] = data["sections"]
    assert "not shares of job postings" in section["measure"]
    for code, rid in ((STATS, STATS_ID), (DEVS, DEVS_ID)):
        flagged = _flagged(code)
        assert len(flagged) == {STATS: 27, DEVS: 153}[code]
        shown = dict(_cell_texts(data, rid).items())
        assert shown == {name: [flags] for name, flags in flagged.items()}


def test_plan_lists_every_flagged_technology(cli: Any, two_kb: Path) -> None:
    data = _json(cli, "--kb", two_kb, "plan", "--to", STATS)
    assert data["title"] == "Plan: what O*NET lists for Statisticians, most common first"
    named = {
        row["label"].removesuffix(" (tool)"): row["texts"][STATS_ID]
        for section in data["sections"]
        if section["id"].startswith("named-")
        for row in section["rows"]
    }
    assert named == {name: [flags] for name, flags in _flagged(STATS).items()}
    assert not any("say nothing" in n for n in data["notes"])


def test_fit_scores_nothing_from_official_lists_and_names_them_apart(
    cli: Any, two_kb: Path
) -> None:
    data = _json(cli, "--kb", two_kb, "fit", "--have", "python,r,sas,tableau")
    fits = {f["role"]: f for f in data["fits"]}
    # No analysis counts job ads here, so no weight is invented (issue #22): nothing is
    # scored, and every flagged technology is named apart, yours or not.
    assert data["notes"][0].startswith("Nothing is scored")
    for code, rid in ((STATS, STATS_ID), (DEVS, DEVS_ID)):
        assert fits[rid]["analyses"] == []
        named = {i["name"] for i in fits[rid]["also_named"] + fits[rid]["also_named_you_have"]}
        assert set(_flagged(code)) <= named
        assert "Less than a High School Diploma" not in named  # a share of 0 asks for nothing
    code, out, err = cli("--kb", two_kb, "fit", "--have", "python,r,sas,tableau")
    assert code == 0, err
    assert "points" not in out
    assert "Less than a High School" not in out
    assert "Named by O*NET (not scored)" in out
    assert "postings" not in out.replace(NO_POSTING_DATA, "")


def test_have_knows_common_names_of_technologies(cli: Any, two_kb: Path) -> None:
    data = _json(cli, "--kb", two_kb, "fit", "--have", "sql,python,r,excel,aws,spark")
    matched = {w["word"]: {m["name"] for m in w["matched"]} for w in data["words"]}
    examples = {r["Example"] for r in _rows(FULL_DB, "Technology Skills.txt")}
    examples &= {
        r["Example"]
        for r in _rows(FULL_DB, "Technology Skills.txt")
        if r["O*NET-SOC Code"] in (STATS, DEVS)
    }

    def whole_word(word: str) -> set[str]:
        return {e for e in examples if re.search(rf"(?<![\w+#]){word}(?![\w+#])", e, re.I)}

    assert matched["sql"] == whole_word("sql")
    assert "Structured query language SQL" in matched["sql"]
    assert "MySQL" not in matched["sql"]
    assert matched["python"] == {"Python"}
    assert matched["r"] == {"R"}
    assert matched["excel"] == {"Microsoft Excel"}
    assert matched["aws"] == whole_word("aws")
    assert matched["spark"] == {"Apache Spark"}


def test_summary_and_salary_answer(cli: Any, two_kb: Path) -> None:
    summary = _json(cli, "--kb", two_kb, "summary")
    labels = [row["label"] for s in summary["sections"] for row in s["rows"]]
    assert "Job zone (how much preparation the work needs)" in labels
    assert "Required level of education" in labels
    salary = _json(cli, "--kb", two_kb, "salary")
    assert salary["sections"] == []
    assert salary["notes"] == [
        "No source in this KB reports pay (O*NET). Pay by occupation is in the U.S. Bureau "
        "of Labor Statistics' Occupational Outlook Handbook (median pay), not in the O*NET "
        "database."
    ]


def test_no_lead_is_computed_from_a_suppressed_value(cli: Any, slice_kb: Path) -> None:
    data = _json(cli, "--kb", slice_kb, "education")
    rows = {r["label"]: r for s in data["sections"] for r in s["rows"]}
    bachelors = rows["Bachelor's Degree"]
    assert bachelors["leader"] is None
    assert bachelors["lead"] is None
    texts = bachelors["texts"]["15-1221-00"]
    assert texts[0] == "36.22% (Recommend Suppress = Y)"
    code, out, err = cli("--kb", slice_kb, "education")
    assert code == 0, err
    assert "+21.93 pp" not in out
    assert "36.62" not in out
    line = next(ln for ln in out.splitlines() if ln.startswith("Bachelor's Degree"))
    assert "36.22% (Recommend" in line
    assert "none (Recommend Suppress = Y)" in line


def test_records_keep_date_domain_source_and_n(cli: Any, two_kb: Path) -> None:
    zones = {r["O*NET-SOC Code"]: r for r in _rows(FULL_DB, "Job Zones.txt")}
    assert zones[DEVS]["Domain Source"] == "Analyst - Preliminary"
    edu = [
        r
        for r in _rows(FULL_DB, "Education, Training, and Experience.txt")
        if r["O*NET-SOC Code"] == STATS and r["Scale ID"] == "RL"
    ]
    everywhere = [
        r
        for r in _rows(FULL_DB, "Education, Training, and Experience.txt")
        if r["Scale ID"] == "RL"
    ]
    assert sum(r["Domain Source"] == "Occupational Expert" for r in everywhere) == 2340
    assert len(everywhere) == 10296
    code, out, err = cli("--kb", two_kb, "education", "--details")
    assert code == 0, err
    flat = " ".join(out.split())
    assert "Analyst - Preliminary" in flat
    assert zones[DEVS]["Date"] in flat
    assert "% of respondents" not in flat
    detail = f"N = {edu[0]['N']} ({edu[0]['Domain Source']}, {edu[0]['Date']})"
    assert detail == "N = 21 (Occupational Expert, 08/2024)"
    assert flat.count(detail) == len(edu) == 12
    glance = " ".join(cli("--kb", two_kb, "education")[1].split())
    assert "Analyst - Preliminary" in glance  # a hedge of the data, shown at a glance too


# The comparison's closing line on a KB where no source holds job postings says just that.
NO_POSTING_DATA = "Posting data: not given (no source here dates any job postings)"


@pytest.mark.parametrize("fmt", FORMATS)
def test_onet_data_is_never_called_postings(cli: Any, two_kb: Path, fmt: str) -> None:
    commands = [
        ["skills"],
        ["tools"],
        ["education"],
        ["salary"],
        ["path"],
        ["summary"],
        ["work"],
        ["fit", "--have", "python,sql"],
        ["plan", "--to", STATS],
        ["plan", "--to", STATS, "--from", DEVS],
        ["plan", "--to", DEVS, "--from", STATS],
    ]
    for args in commands:
        code, out, err = cli("--kb", two_kb, *args, "--format", fmt)
        assert code == 0, (args, err)
        text = " ".join((out + err).split()).replace("not shares of job postings", "")
        text = text.replace(NO_POSTING_DATA, "").replace('"posting_data":', "")
        assert "posting" not in text.lower(), (args, fmt)


def test_roles_search_finds_titles_singular_or_plural(cli: Any, tmp_path: Path) -> None:
    _need_db()
    kb = _import(FULL_DB, tmp_path / "kb", f"{STATS},{DEVS},17-2151.00,15-1221.00,15-2051.00")
    # By alternate title, one that three occupations share (so it is no alias of any):
    # the occupations that Alternate Titles.txt gives it, counted with the csv module.
    chosen = {STATS, DEVS, "17-2151.00", "15-1221.00", "15-2051.00"}
    mle = {
        r["O*NET-SOC Code"].replace(".", "-")
        for r in _rows(FULL_DB, "Alternate Titles.txt")
        if r["Alternate Title"] == "Machine Learning Engineer" and r["O*NET-SOC Code"] in chosen
    }
    assert mle == {"15-1221-00", "15-2051-00"}
    for words in ("machine learning engineer", "Machine Learning Engineers"):
        data = _json(cli, "--kb", kb, "roles", "--search", words)
        assert {r["id"] for r in data["roles"]} == mle, words
    for words in ("software developer", "Software Developers", "developer software"):
        data = _json(cli, "--kb", kb, "roles", "--search", words)
        assert [r["id"] for r in data["roles"]][:1] == [DEVS_ID], words
    code, _out, err = cli("--kb", kb, "skills", "--roles", "software developer")
    assert code == 0, err
    code, _out, err = cli("--kb", kb, "skills", "--roles", "machine learning engineer")
    assert code == 2
    assert "did you mean" not in err  # one word of three in common is no suggestion
    code, _out, err = cli("--kb", kb, "skills", "--roles", "statistican")
    assert "did you mean Statistician?" in err
    code, _out, err = cli("--kb", kb, "skills", "--roles", "mining engineers")
    assert code == 0, err  # the alias Mining Engineer, plural
    code, _out, err = cli("--kb", kb, "skills", "--roles", "mining engineering")
    assert "did you mean Mining Engineer?" in err  # half its words in common
    assert _json(cli, "--kb", kb, "roles", "--search", "astronaut")["roles"] == []


def test_plan_shows_suppressed_and_zero_shares_as_they_are(cli: Any, slice_kb: Path) -> None:
    """plan --from: a gap is exact (61.90 - 19.93 is +41.97 pp, not +42.0), none is taken
    from a suppressed value (which is shown with its flag, not as "not reported"), and a
    share of 0.00% is a value, not a blank."""
    data = _json(cli, "--kb", slice_kb, "plan", "--to", "15-2041.00", "--from", "15-1221.00")
    [degrees] = [s for s in data["sections"] if s["id"] == "degrees"]
    assert degrees["title"].startswith("Degrees O*NET lists for Statisticians")
    rows = {r["label"]: r for r in degrees["rows"]}
    masters = rows["Master's Degree (degree)"]
    assert (masters["leader"], masters["lead_text"]) == ("15-2041-00", "15-2041-00 +41.97 pp")
    bachelors = rows["Bachelor's Degree (degree)"]
    assert bachelors["texts"]["15-1221-00"] == ["36.22% (Recommend Suppress = Y)"]
    assert (bachelors["leader"], bachelors["lead"]) == (None, None)
    assert bachelors["lead_text"] == "none (Recommend Suppress = Y)"
    associate = rows["Associate's Degree (or other 2-year degree) (degree)"]
    assert associate["texts"]["15-1221-00"] == ["0.00%"]
    assert "0.00%" not in {t for r in degrees["rows"] for t in r["texts"]["15-2041-00"]}
