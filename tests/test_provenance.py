"""Every fact in the KB is backed by its source: checked with rolecompare.kb.verify.

The pinned sources (the two articles in seeds/, the BLS page and the O*NET files in
sources/) live beside the repository, in ../shared. Without them the checks that need
them are skipped locally, and fail under CI=true: CI must never pass unverified.
The spot checks of headline and official figures read the KB alone.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from rolecompare.kb.verify import verify_kb_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def shared() -> Path:
    """The folder of pinned sources; its absence fails under CI and skips elsewhere."""
    if not (SHARED / "seeds").is_dir() or not (SHARED / "sources").is_dir():
        why = f"pinned sources not found at {SHARED} (need seeds/ and sources/)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why}; CI must verify the KB against them")
        pytest.skip(why)
    return SHARED


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def facts(kind: str, source: str | None = None) -> list[dict[str, Any]]:
    """Every fact of a kind in the bundled KB, each with its file's source and roles."""
    found = []
    for path in sorted(DATA.glob("facts/**/*.toml")):
        doc = load(path)
        if source is None or doc["source"] == source:
            found += [
                {**f, "source": doc["source"], "roles": doc["roles"]} for f in doc.get(kind, [])
            ]
    return found


def value(figure: dict[str, Any]) -> Any:
    for field in ("percent", "count"):
        if field in figure:
            return figure[field]
    if "money" in figure:
        return figure["money"]["amount"]
    return [figure["range"]["min"], figure["range"]["max"]]


def figure_values(source: str, role: str, topic: str, item: str) -> list[Any]:
    return [
        value(f)
        for f in facts("figures", source)
        if role in f["roles"] and (f["topic"], f["item"]) == (topic, item)
    ]


# ---------------------------------------------------------------- the whole KB, verified


def test_bundled_kb_is_backed_by_its_sources(shared: Path) -> None:
    problems = verify_kb_dir(DATA, shared)
    assert not problems, "\n".join(str(p) for p in problems)


def test_every_source_names_its_pinned_document(shared: Path) -> None:
    for path in sorted(DATA.glob("sources/*.toml")):
        document = load(path)["source"].get("document")
        assert document, f"{path.name} has no document"
        assert (shared / document).exists(), f"{path.name}: {document} not found"


def edited_copy(tmp_path: Path, rel: str, old: str, new: str) -> Path:
    kb = Path(shutil.copytree(DATA, tmp_path / "kb"))
    path = kb / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return kb


@pytest.mark.parametrize(
    ("rel", "old", "new", "fields"),
    [
        # a quote-backed figure: its value, then the number in its quote
        (
            "facts/365datascience/ds.toml",
            "percent = 56.7",
            "percent = 56.8",
            ["figures[0].percent"],
        ),
        (
            "facts/bls-ooh/ds.toml",
            '$112,590 in May 2024."',
            '$112,591 in May 2024."',
            ["figures[0].money.amount", "figures[0].quote"],
        ),
        ("facts/bls-ooh/ds.toml", "count = 245900", "count = 245901", ["figures[4].count"]),
        # record-backed facts: a value, a key, and a number in the text
        (
            "facts/onet/ds.toml",
            '"Job Zone" = "4", Date',
            '"Job Zone" = "5", Date',
            # the text still says 4
            ['statements[6].record.values."Job Zone"', "statements[6].text"],
        ),
        (
            "facts/onet/mle.toml",
            '"O*NET-SOC Code" = "15-1299.08", "Alternate Title"',
            '"O*NET-SOC Code" = "15-1299.09", "Alternate Title"',
            # the text still names 15-1299.08
            ["statements[1].record.key", "statements[1].text"],
        ),
        (
            "facts/onet/mle.toml",
            "alternate title of 15-1221.00",
            "alternate title of 15-1221.01",
            ["statements[0].text"],
        ),
    ],
)
def test_one_changed_digit_fails_naming_file_and_field(
    shared: Path, tmp_path: Path, rel: str, old: str, new: str, fields: list[str]
) -> None:
    problems = verify_kb_dir(edited_copy(tmp_path, rel, old, new), shared)
    assert sorted((p.file, p.field) for p in problems) == [(f"kb/{rel}", f) for f in fields]
    assert all(p.line is not None for p in problems)


def test_a_record_backed_figure_is_checked_against_its_values(shared: Path, tmp_path: Path) -> None:
    kb = Path(shutil.copytree(DATA, tmp_path / "kb"))
    figure = """
[[figures]]
topic = "official-preparation"
item = "job-zone"
count = {count}
record = {{ file = "Job Zones.txt", key = {{ "O*NET-SOC Code" = "15-2051.00" }}, \
values = {{ "Job Zone" = "4" }} }}
"""
    path = kb / "facts" / "onet" / "ds.toml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + figure.format(count=4), encoding="utf-8")
    assert verify_kb_dir(kb, shared) == []
    path.write_text(original + figure.format(count=5), encoding="utf-8")
    problems = verify_kb_dir(kb, shared)
    assert [(p.file, p.field) for p in problems] == [("kb/facts/onet/ds.toml", "figures[0].count")]


def test_a_missing_document_is_one_problem(shared: Path, tmp_path: Path) -> None:
    kb = edited_copy(
        tmp_path, "sources/onet.toml", 'document = "sources/onet-29.2"', 'document = "sources/gone"'
    )
    problems = verify_kb_dir(kb, shared)
    assert [(p.file, p.field) for p in problems] == [("kb/sources/onet.toml", "source.document")]


def test_a_missing_sources_folder_is_one_problem(tmp_path: Path) -> None:
    problems = verify_kb_dir(DATA, tmp_path / "nowhere")
    assert len(problems) == 1
    assert "sources folder not found" in problems[0].message


def test_html_quotes_are_read_as_page_text(shared: Path, tmp_path: Path) -> None:
    """Script text is not page text, and tags inside a sentence do not split it."""
    from rolecompare.kb.verify import html_text, normalise

    page = (shared / "sources" / "bls-ooh" / "data-scientists.html").read_text(encoding="utf-8")
    text = normalise(html_text(page))
    assert "The median annual wage for data scientists was $112,590 in May 2024." in text
    assert "_rxvar_href" in page
    assert "_rxvar_href" not in text
    assert "convertTabpanelToAccordion" not in text


# ---------------------------------------------------------------- headline figures


@pytest.mark.parametrize(
    ("role", "topic", "item", "expected"),
    [
        ("ds", "programming-languages", "python", 56.7),
        ("ds", "programming-languages", "r", 33.0),
        ("mle", "programming-languages", "java", 22.8),
        ("mle", "ai-skills", "machine-learning", 88.3),
        ("ds", "ai-skills", "nlp", 19.0),
        ("ds", "cloud", "microsoft-azure", 28.5),
        ("mle", "cloud", "kubernetes", 16.3),
        ("ds", "degrees", "degree-mathematics", 21.8),
        ("ds", "degrees", "degree-chemistry", 5.3),
        ("mle", "degrees", "degree-engineering", 68.9),
        ("mle", "degrees", "degree-statistics", 21.9),
        ("mle", "salary", "postings-above-200k", 8.6),
        ("ds", "salary", "postings-above-200k", 2.5),
        ("ds", "salary", "average-annual-salary", 160000),
        ("mle", "salary", "average-annual-salary", 166000),
    ],
)
def test_headline_figure(role: str, topic: str, item: str, expected: float) -> None:
    assert figure_values("365datascience", role, topic, item) == [expected]


@pytest.mark.parametrize("item", ["degree-mathematics", "degree-chemistry", "degree-architecture"])
def test_unreported_degree_is_absent(item: str) -> None:
    assert figure_values("365datascience", "mle", "degrees", item) == []


# ---------------------------------------------------------------- official figures (BLS, O*NET)


@pytest.mark.parametrize(
    ("topic", "item", "expected", "unit"),
    [
        ("official-pay", "median-annual-wage", 112590, "USD/year"),
        ("official-pay", "median-hourly-wage", 54.13, "USD/hour"),
        ("official-pay", "wage-lowest-10-percent", 63650, "USD/year"),
        ("official-pay", "wage-highest-10-percent", 194410, "USD/year"),
        ("official-outlook", "number-of-jobs", 245900, "count"),
        ("official-outlook", "job-outlook", 34, "percent"),
        ("official-outlook", "employment-change", 82500, "count"),
    ],
)
def test_bls_figure(topic: str, item: str, expected: float, unit: str) -> None:
    [figure] = [f for f in facts("figures", "bls-ooh") if (f["topic"], f["item"]) == (topic, item)]
    assert figure["roles"] == ["ds"]
    assert value(figure) == expected
    money = figure.get("money")
    assert (f"{money['currency']}/{money['period']}" if money else unit) == unit
    assert not figure.get("approximate", False)


def test_bls_phrases() -> None:
    texts = {(s["item"], s["text"]) for s in facts("statements", "bls-ooh")}
    assert ("job-outlook", "Much faster than average") in texts
    assert ("typical-entry-level-education", "Bachelor's degree") in texts


def onet(role: str, item: str) -> list[dict[str, Any]]:
    return [s for s in facts("statements", "onet") if role in s["roles"] and s["item"] == item]


def test_onet_technology_skills_are_all_86_with_both_flags() -> None:
    rows = [
        s for s in facts("statements", "onet") if s["record"]["file"] == "Technology Skills.txt"
    ]
    assert len(rows) == 86
    assert len({s["record"]["key"]["Example"] for s in rows}) == 86
    for s in rows:
        assert s["roles"] == ["ds"]
        assert s["record"]["key"]["O*NET-SOC Code"] == "15-2051.00"
        assert s["text"] == s["record"]["key"]["Example"]
        flags = s["record"]["values"]
        flagged = "Y" in (flags["Hot Technology"], flags["In Demand"])
        assert s["topic"] == ("onet-technology" if flagged else "onet-technology-other")
    counts = {
        item: len(onet("ds", item))
        for item in (
            "onet-hot-and-in-demand",
            "onet-hot-technology",
            "onet-in-demand",
            "onet-technology-unflagged",
        )
    }
    assert counts == {
        "onet-hot-and-in-demand": 19,
        "onet-hot-technology": 33,
        "onet-in-demand": 4,
        "onet-technology-unflagged": 30,
    }
    python = [s for s in rows if s["text"] == "Python"]
    assert python[0]["record"]["values"] == {"Hot Technology": "Y", "In Demand": "Y"}
    assert python[0]["item"] == "onet-hot-and-in-demand"


def test_onet_other_technology_is_a_detail_topic() -> None:
    topics = {t["id"]: t for t in load(DATA / "vocabulary" / "topics.toml")["topics"]}
    assert topics["onet-technology-other"]["detail"] is True
    assert not topics["onet-technology"].get("detail", False)
    for topic in (
        "onet-technology",
        "onet-technology-other",
        "official-pay",
        "official-outlook",
        "official-preparation",
        "official-occupation",
    ):
        assert not topics[topic].get("requirements", False), topic


def test_onet_job_zone() -> None:
    [zone, meaning] = onet("ds", "job-zone")
    assert zone["record"] == {
        "file": "Job Zones.txt",
        "key": {"O*NET-SOC Code": "15-2051.00"},
        "values": {"Job Zone": "4", "Date": "11/2021", "Domain Source": "Analyst - Preliminary"},
    }
    assert meaning["record"]["key"] == {"Job Zone": "4"}
    assert meaning["record"]["values"]["Name"] == "Job Zone Four: Considerable Preparation Needed"


def test_onet_ml_alternate_titles_of_data_scientists() -> None:
    titles = {s["record"]["key"]["Alternate Title"] for s in onet("ds", "onet-alternate-titles")}
    assert "Machine Learning Engineer" in titles


def test_ml_engineers_have_no_official_occupation_and_no_official_figure() -> None:
    roles = {r["role"]["id"]: r["role"] for r in map(load, DATA.glob("roles/*.toml"))}
    assert roles["ds"]["occupations"] == {"bls-ooh": "15-2051", "onet": "15-2051.00"}
    assert roles["mle"].get("occupations", {}) == {}
    for source in ("bls-ooh", "onet"):
        assert not [f for f in facts("figures", source) if "mle" in f["roles"]]
    listed = onet("mle", "onet-listed-under")
    assert [s["record"]["key"] for s in listed] == [
        {"O*NET-SOC Code": code, "Alternate Title": "Machine Learning Engineer"}
        for code in ("15-1221.00", "15-1299.08", "15-2051.00")
    ]
    titles = [s["record"]["values"]["Title"] for s in onet("mle", "onet-occupation-title")]
    assert titles == [
        "Computer and Information Research Scientists",
        "Computer Systems Engineers/Architects",
        "Data Scientists",
    ]
    mle_facts = [s for s in facts("statements", "onet") if "mle" in s["roles"]]
    assert {s["item"] for s in mle_facts} == {"onet-listed-under", "onet-occupation-title"}


def test_official_sources_credit_and_cite() -> None:
    bls = load(DATA / "sources" / "bls-ooh.toml")["source"]
    assert bls["per_occupation"] is True
    assert bls["citation"].startswith(
        "Bureau of Labor Statistics, U.S. Department of Labor, Occupational Outlook Handbook, "
        "Data Scientists, at https://www.bls.gov/ooh/math/data-scientists.htm "
        "(visited February 28, 2026)."
    )
    assert "Last Modified Date: Thursday, August 28, 2025" in bls["citation"]
    onet_source = load(DATA / "sources" / "onet.toml")["source"]
    assert onet_source["per_occupation"] is True
    assert onet_source["credit"] == (
        "This page includes information from the O*NET 29.2 Database by the U.S. Department "
        "of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
        "license. O*NET® is a trademark of USDOL/ETA."
    )
    assert re.fullmatch(
        r"rolecompare has modified all or some of this information\. USDOL/ETA has not "
        r"approved, endorsed, or tested these modifications\.",
        onet_source["modified"],
    )


# ---- `rolecompare verify`, through the front door ------------------------------------------


def test_verify_command_passes_on_the_bundled_kb(cli: Any, shared: Path) -> None:
    code, out, err = cli("verify", "--sources", shared)
    assert (code, err) == (0, "")
    assert out == f"the bundled KB: every quote, record and number matches {shared}\n"


@pytest.mark.parametrize(
    ("rel", "old", "new", "expected"),
    [
        pytest.param(
            "facts/365datascience/ds.toml",
            "percent = 56.7",
            "percent = 56.8",
            "figures[0].percent: 56.8 is not a number its quote writes",
            id="quote",
        ),
        pytest.param(
            "facts/bls-ooh/ds.toml", "amount = 112590", "amount = 112591", "112591", id="page"
        ),
    ],
)
def test_verify_command_fails_on_one_changed_digit(
    cli: Any, shared: Path, tmp_path: Path, rel: str, old: str, new: str, expected: str
) -> None:
    kb = Path(shutil.copytree(DATA, tmp_path / "data"))
    text = (kb / rel).read_text("utf-8")
    assert old in text
    (kb / rel).write_text(text.replace(old, new, 1), "utf-8")
    code, out, err = cli("verify", "--sources", shared, "--kb", kb)
    assert code == 1
    assert out == ""
    assert expected in err
    assert all(line.startswith("rolecompare: data/") for line in err.splitlines())
