"""The KB says what its sources say, no more and no less: fixes from the KB audit.

Each test pins one fix: a hedge the source makes stays in the text, a caveat or
reason stays, a figure is approximate only where the source says so, a short quote
is tied to its list, and where the article contradicts itself both passages are
recorded. These read the KB alone; verify (test_provenance.py) checks the quotes.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def facts(kind: str, source: str) -> list[dict[str, Any]]:
    found = []
    for path in sorted((DATA / "facts" / source).glob("*.toml")):
        doc = load(path)
        found += [{**f, "roles": doc["roles"]} for f in doc.get(kind, [])]
    return found


def statement(source: str, quoted: str) -> dict[str, Any]:
    """The one statement of a source whose quote contains this passage."""
    [found] = [s for s in facts("statements", source) if quoted in s["quote"]]
    return found


def term(term_id: str) -> dict[str, Any]:
    terms: list[dict[str, Any]] = load(DATA / "vocabulary" / "terms.toml")["terms"]
    [found] = [t for t in terms if t["id"] == term_id]
    return found


@pytest.mark.parametrize(
    ("source", "quoted", "hedge"),
    [
        ("365datascience", "This could indicate that both", "could indicate"),
        ("365datascience", "Their higher emphasis on NLP suggests", "suggests"),
        ("365datascience", "you'll likely tackle tasks", "likely"),
        ("365datascience", "can also significantly influence", "can also"),
        ("365datascience", "indicates a stronger focus", "indicates"),
        ("365datascience", "suggesting more entry-level or junior", "suggesting"),
        ("365datascience", "potentially pointing to niche areas", "potentially"),
        ("acte", "A Data Scientist typically focuses", "Typically focuses"),
    ],
)
def test_hedge_stays_in_the_text(source: str, quoted: str, hedge: str) -> None:
    assert hedge in statement(source, quoted)["text"]


def test_claim_stays_within_its_quote() -> None:
    fact = statement("365datascience", "Yes, there's significant overlap")
    assert "Can a data scientist be a machine learning engineer?" in fact["quote"]


@pytest.mark.parametrize(
    ("source", "quoted", "kept"),
    [
        ("365datascience", "while formal education is crucial", "formal education is crucial"),
        ("365datascience", "It reflects the engineering-oriented", "engineering-oriented tasks"),
        ("365datascience", "aligning with the technical demands", "technical demands"),
        ("365datascience", "stronger focus on data analysis", "stronger focus on data analysis"),
        ("365datascience", "This suggests that top-tier ML engineers", "top-tier ML engineers"),
    ],
)
def test_caveat_or_reason_stays_in_the_text(source: str, quoted: str, kept: str) -> None:
    assert kept in statement(source, quoted)["text"]


@pytest.mark.parametrize(
    ("source", "quoted"),
    [
        ("365datascience", "However, both roles have similar opportunities in the mid-range"),
        ("365datascience", "agreeing with our research"),
        ("acte", "crucial for students, career switchers, and hiring managers alike"),
    ],
)
def test_missing_content_is_in_the_kb(source: str, quoted: str) -> None:
    assert statement(source, quoted)["text"]


def glassdoor(role: str) -> dict[str, Any]:
    [found] = [
        f
        for f in facts("figures", "365datascience")
        if f["item"] == "average-annual-salary" and f["roles"] == [role]
    ]
    return found


def test_approximately_qualifies_only_the_data_scientist_average() -> None:
    ds, mle = glassdoor("ds"), glassdoor("mle")
    assert ds["approximate"] is True
    assert ds["money"]["amount"] == 160000
    assert mle.get("approximate", False) is False
    assert mle["money"]["amount"] == 166000
    # "approximately $160,000, while machine learning engineers earn ... at $166,000"
    assert "approximately $166,000" not in mle["quote"]
    assert (ds["reported_by"], mle["reported_by"]) == ("Glassdoor", "Glassdoor")


def test_glassdoor_is_data_not_a_salary_survey() -> None:
    meaning = term("average-annual-salary")["meaning"]
    assert "data from Glassdoor" in meaning
    assert "survey" not in meaning


def test_posting_salaries_are_not_said_to_be_annual() -> None:
    """The article never says per what period its posting salary bands are."""
    for item in ("postings-above-200k", "postings-below-100k", "posting-salary-range"):
        assert "a year" not in term(item)["meaning"], item
    for fact in facts("figures", "365datascience"):
        if fact["item"].startswith("posting"):
            assert "percent" in fact, fact  # a share of postings, never a money amount
    # the band stays a statement in the table's words: a money range would need a period
    band = [
        s for s in facts("statements", "365datascience") if s.get("item") == "posting-salary-range"
    ]
    assert [(s["topic"], s["text"]) for s in band] == [
        ("salary", "Majority between $100,000 - $160,000")
    ]


def test_short_quotes_are_tied_to_their_list() -> None:
    for text in ("Python (pandas, numpy, scikit-learn)", "Jupyter Notebooks", "SQL", "Git"):
        [fact] = [s for s in facts("statements", "acte") if s["text"] == text]
        assert fact["quote"].startswith("Common Tools Shared:"), text
        assert f"- {text}" in fact["quote"]


CONTRADICTIONS = [
    ("degrees", "degree-statistics", "more emphasized for data scientists", "17.2%", "21.9%"),
    ("degrees", "degree-computer-science", "slightly more prevalent among ML", "18.0%", "61.6%"),
    ("salary", "postings-above-160k", "Higher percentage above $160,000", "$200,000", "8.6%"),
    ("ml-techniques", "nlp", "higher emphasis on NLP", "NLP (19.0%)", "NLP (21.4%)"),
    ("programming-languages", "sql", "SQL and Java are favored in ML", "30.4%", "26.1%"),
    ("cloud", "microsoft-azure", "more balanced and extensive use", "28.5%", "17.6%"),
]


@pytest.mark.parametrize(("topic", "item", "claim", "one", "other"), CONTRADICTIONS)
def test_the_article_contradicting_itself_is_recorded(
    topic: str, item: str, claim: str, one: str, other: str
) -> None:
    [found] = [
        c
        for c in facts("contradictions", "365datascience")
        if (c["topic"], c.get("item")) == (topic, item)
    ]
    assert found["roles"] == ["ds", "mle"]
    quotes = "\n".join(found["quotes"])
    for passage in (claim, one, other):
        assert passage in quotes


def test_every_contradiction_is_listed_here() -> None:
    recorded = {(c["topic"], c.get("item")) for c in facts("contradictions", "365datascience")}
    assert recorded == {(topic, item) for topic, item, *_ in CONTRADICTIONS}


def test_contradictions_sit_where_the_reader_sees_the_claim() -> None:
    """The claim's statement is on the topic (and row) that carries the contradiction."""
    nlp = statement("365datascience", "Their higher emphasis on NLP")
    assert (nlp["topic"], nlp["item"]) == ("ml-techniques", "nlp")
    for quoted, topic in [
        ("Statistics is vital in both fields", "degrees"),
        ("slightly more prevalent among ML engineers", "degrees"),
        ("Higher percentage above $160,000", "salary"),
    ]:
        topics = {s["topic"] for s in facts("statements", "365datascience") if quoted in s["quote"]}
        assert topic in topics, quoted
